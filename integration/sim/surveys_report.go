package sim

// surveysOf returns the surveys of the report's kind that match
// report_type and id.
func surveysOf(req reportRequest, sessions []ClosedSession) []surveyItem {
	var items []surveyItem
	for _, closed := range sessions {
		survey := closed.CustomerSurvey
		if req.report == "SupportRepExitSurvey" {
			survey = closed.RepSurvey
		}
		if survey == nil || !surveyMatches(req, closed, survey) {
			continue
		}
		items = append(items, surveyItem{session: closed, survey: *survey})
	}
	return items
}

type surveyItem struct {
	session ClosedSession
	survey  ExitSurvey
}

// surveyMatches applies report_type and id. For rep, a rep survey matches
// its submitting rep and a customer survey matches any rep in the session.
// For team, a survey matches the session's team.
func surveyMatches(req reportRequest, closed ClosedSession, survey *ExitSurvey) bool {
	if req.id == 0 {
		return true
	}
	if req.reportType == "team" {
		return closed.Team.ID == req.id
	}
	if survey.SubmittedBy == "rep" {
		return survey.UserID == req.id
	}
	for _, rep := range closed.Reps {
		if rep.UserID == req.id {
			return true
		}
	}
	return false
}

// exitSurveyXML writes the SupportCustExitSurvey or SupportRepExitSurvey
// report.
func (s *Simulator) exitSurveyXML(req reportRequest, sessions []ClosedSession) []byte {
	items := surveysOf(req, sessions)
	if len(items) == 0 {
		return s.emptyReport("exit_survey_list")
	}
	w := s.newReportWriter("exit_survey_list")
	for _, item := range items {
		c, survey := item.session, item.survey
		w.line(1, 0, `<exit_survey lsid="%s" timestamp="%d">`, esc(c.LSID), c.End.Unix())
		if !s.cfg.Reporting.OmitSurveyPublicSite {
			w.line(2, 4, `<public_site id="%d">%s</public_site>`, c.PublicSite.ID, esc(c.PublicSite.Name))
		}
		w.line(2, 4, `<primary_customer gsnumber="%d">%s</primary_customer>`, c.Customer.GSNumber, esc(c.Customer.Name))
		if primary := c.PrimaryRep(); primary != nil {
			w.line(2, 4, `<primary_rep gsnumber="%d" id="%d">%s</primary_rep>`, primary.GSNumber, primary.UserID, esc(primary.PublicName))
		}
		w.line(2, 4, `<submitted_by type="%s" gsnumber="%d">%s</submitted_by>`, esc(survey.SubmittedBy), survey.GSNumber, esc(survey.Name))
		w.line(2, 4, "<question_list>")
		for _, a := range survey.Answers {
			q := a.Question
			w.line(3, 4, `<question id="%d">`, q.ID)
			w.line(4, 8, "<type>%s</type>", esc(q.Type))
			w.line(4, 8, "<name>%s</name>", esc(q.Name))
			w.line(4, 8, "<label>%s</label>", esc(q.Label))
			w.line(4, 8, "<report_header>%s</report_header>", esc(q.ReportHeader))
			if len(a.Values) == 0 {
				w.line(4, 8, "<answer_list></answer_list>")
			} else {
				w.line(4, 8, "<answer_list>")
				for _, value := range a.Values {
					w.line(5, 12, "<answer>%s</answer>", esc(value))
				}
				w.line(4, 8, "</answer_list>")
			}
			w.line(3, 4, "</question>")
		}
		w.line(2, 4, "</question_list>")
		w.line(1, 0, "</exit_survey>")
	}
	w.line(0, 0, "</exit_survey_list>")
	return w.buf.Bytes()
}
