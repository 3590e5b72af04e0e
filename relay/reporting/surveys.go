package reporting

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Survey is one exit survey from the SupportCustExitSurvey or
// SupportRepExitSurvey report.
type Survey struct {
	// LSID is the support session's id.
	LSID string
	// Time is when the survey was submitted, or the zero time when the
	// report leaves it out.
	Time time.Time
	// PublicSiteID is the public site of the session, or 0 when the report
	// leaves <public_site> out (not all appliance versions send it).
	PublicSiteID int
	// SubmittedBy is "customer" or "rep", or the appliance's own word in
	// lower case when it is neither.
	SubmittedBy string
	Questions   []Question
}

// Question is one survey question with its answers.
type Question struct {
	ID int
	// Type is the question's widget, such as "radio" or "textarea".
	Type string
	// Name is the question's code name.
	Name         string
	Label        string
	ReportHeader string
	// Answers contains one entry per <answer>. Multi-select questions may
	// have several.
	Answers []string
}

type surveyListDocument struct {
	Surveys []exitSurveyElement `xml:"exit_survey"`
	Errors  []textElement       `xml:"error"`
}

type exitSurveyElement struct {
	LSID          string            `xml:"lsid,attr"`
	Timestamp     string            `xml:"timestamp,attr"`
	TimeElements  []timeElement     `xml:"timestamp"`
	SubmittedTime []timeElement     `xml:"submitted_time"`
	PublicSite    siteElement       `xml:"public_site"`
	SubmittedBy   partyElement      `xml:"submitted_by"`
	Questions     []questionElement `xml:"question_list>question"`
}

type questionElement struct {
	ID           string   `xml:"id,attr"`
	Type         string   `xml:"type"`
	Name         string   `xml:"name"`
	Label        string   `xml:"label"`
	ReportHeader string   `xml:"report_header"`
	Answers      []string `xml:"answer_list>answer"`
}

// ParseSurveys parses an exit-survey report (<exit_survey_list>). An
// <error> document or child returns an *APIError. Answers lose the literal
// \n escapes that appliances leave in them.
func ParseSurveys(data []byte) ([]Survey, error) {
	var doc surveyListDocument
	if err := decodeDocument(data, "exit_survey_list", &doc); err != nil {
		return nil, err
	}
	if err := listErrors(doc.Errors); err != nil {
		return nil, err
	}

	surveys := make([]Survey, 0, len(doc.Surveys))
	for i := range doc.Surveys {
		surveys = append(surveys, doc.Surveys[i].survey())
	}
	return surveys, nil
}

func (e *exitSurveyElement) survey() Survey {
	s := Survey{
		LSID:         strings.TrimSpace(e.LSID),
		PublicSiteID: atoi(e.PublicSite.ID),
		SubmittedBy:  submitter(e.SubmittedBy.Type),
		Questions:    make([]Question, 0, len(e.Questions)),
	}

	// No appliance is known to send the timestamp attribute, so child
	// elements are read as a fallback.
	s.Time, _ = parseTime(e.Timestamp)
	for _, list := range [][]timeElement{e.TimeElements, e.SubmittedTime} {
		for i := range list {
			if s.Time.IsZero() {
				s.Time = list[i].time()
			}
		}
	}

	for i := range e.Questions {
		s.Questions = append(s.Questions, e.Questions[i].question())
	}
	return s
}

// submitter normalises <submitted_by type="…">.
func submitter(kind string) string {
	kind = strings.ToLower(strings.TrimSpace(kind))
	if kind == "representative" {
		return "rep"
	}
	return kind
}

func (e *questionElement) question() Question {
	q := Question{
		ID:           atoi(e.ID),
		Type:         strings.TrimSpace(e.Type),
		Name:         strings.TrimSpace(e.Name),
		Label:        strings.TrimSpace(e.Label),
		ReportHeader: strings.TrimSpace(e.ReportHeader),
		Answers:      make([]string, 0, len(e.Answers)),
	}
	for _, answer := range e.Answers {
		q.Answers = append(q.Answers, cleanAnswer(answer))
	}
	return q
}

// CustomerExitSurveys fetches the customer exit surveys of the support
// sessions that ended at or after endedSince, with report_type=rep&id=all
// (all representatives). A "no data" error returns no surveys and no
// error.
func (c *Client) CustomerExitSurveys(ctx context.Context, endedSince time.Time) ([]Survey, error) {
	params := url.Values{
		"report_type": {"rep"},
		"id":          {"all"},
		"end_time":    {strconv.FormatInt(endedSince.Unix(), 10)},
		"duration":    {"0"},
	}
	resp, err := c.reporting(ctx, "SupportCustExitSurvey", params)
	if err != nil {
		return nil, err
	}
	surveys, err := ParseSurveys(resp.body)
	if IsNoData(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reporting SupportCustExitSurvey: %w", err)
	}
	return surveys, nil
}
