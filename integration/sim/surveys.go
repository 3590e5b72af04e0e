package sim

import (
	"maps"
	"slices"
	"strconv"
)

// SurveyConfig sets how often exit surveys are answered when a session
// ends through the scenario or EndSession.
type SurveyConfig struct {
	// CustomerRate is the probability that the customer answers the exit
	// survey; 0 means 0.3 and a negative value means never.
	CustomerRate float64
	// RepRate is the probability that the owning rep answers the rep exit
	// survey; 0 means 0.1 and a negative value means never.
	RepRate float64
	// OmitRecommend leaves the 0–10 "recommend" question out of generated
	// customer surveys, which then ask only "rating" and "comments".
	OmitRecommend bool
}

func (c *SurveyConfig) applyDefaults() {
	if c.CustomerRate == 0 {
		c.CustomerRate = 0.3
	}
	if c.RepRate == 0 {
		c.RepRate = 0.1
	}
}

// SurveyQuestion is one exit-survey question. Name is the question's code
// name, the key a client filters on; Type is the form widget.
type SurveyQuestion struct {
	ID           int
	Name         string
	Type         string // "radio", "textarea", …
	Label        string
	ReportHeader string
}

// SurveyAnswer is a question with its answers. Values is empty when the
// question was left unanswered.
type SurveyAnswer struct {
	Question SurveyQuestion
	Values   []string
}

// ExitSurvey is one submitted exit survey. SubmittedBy is "customer" or
// "rep", the <submitted_by type> of the report.
type ExitSurvey struct {
	SubmittedBy string
	GSNumber    int
	Name        string
	UserID      int64 // the submitting rep's user id; 0 for customers
	Answers     []SurveyAnswer
}

// Answer returns the first answer to the question with the code name, or
// "" when there is none.
func (e ExitSurvey) Answer(name string) string {
	for _, a := range e.Answers {
		if a.Question.Name == name && len(a.Values) > 0 {
			return a.Values[0]
		}
	}
	return ""
}

func (e ExitSurvey) clone() ExitSurvey {
	e.Answers = slices.Clone(e.Answers)
	for i := range e.Answers {
		e.Answers[i].Values = slices.Clone(e.Answers[i].Values)
	}
	return e
}

// CustomerSurveyQuestions are the customer exit-survey questions. "rating"
// (1–5) and "recommend" (0–10) are numeric radio questions and "comments"
// is free text.
var CustomerSurveyQuestions = []SurveyQuestion{
	{ID: 1, Name: "rating", Type: "radio", Label: "How satisfied are you with the support you received?", ReportHeader: "Satisfaction"},
	{ID: 2, Name: "comments", Type: "textarea", Label: "Is there anything else you would like to tell us?", ReportHeader: "Comments"},
	{ID: 3, Name: "recommend", Type: "radio", Label: "How likely are you to recommend our support to a colleague?", ReportHeader: "Recommend"},
}

// RepSurveyQuestions are the rep exit-survey questions.
var RepSurveyQuestions = []SurveyQuestion{
	{ID: 4, Name: "resolved", Type: "radio", Label: "Was the problem resolved?", ReportHeader: "Resolved"},
	{ID: 5, Name: "notes", Type: "textarea", Label: "Notes for the session report", ReportHeader: "Notes"},
}

// surveyComments are generated free-text answers. Some contain the
// two-character sequence \n, which real answers carry and clients strip.
var surveyComments = []string{
	"Quick and friendly, thank you.",
	`Fixed in minutes.\nGreat job!`,
	"Took a while to get connected.",
	"The technician explained every step.",
	`Problem solved.\n\nThanks again`,
	"Had to wait too long in the queue.",
}

func questionNamed(questions []SurveyQuestion, name string) (SurveyQuestion, bool) {
	for _, q := range questions {
		if q.Name == name {
			return q, true
		}
	}
	return SurveyQuestion{}, false
}

// customerSurvey builds the survey of a closed session from answers keyed
// by question code name, in question id order. Unknown names become
// textarea questions numbered after the known ones, in name order.
func customerSurvey(closed ClosedSession, answers map[string]string) ExitSurvey {
	survey := ExitSurvey{SubmittedBy: "customer", GSNumber: closed.Customer.GSNumber, Name: closed.Customer.Name}
	nextID := len(CustomerSurveyQuestions) + len(RepSurveyQuestions)
	var extra []SurveyAnswer
	for _, name := range slices.Sorted(maps.Keys(answers)) {
		var values []string
		if answers[name] != "" {
			values = []string{answers[name]}
		}
		if q, ok := questionNamed(CustomerSurveyQuestions, name); ok {
			survey.Answers = append(survey.Answers, SurveyAnswer{Question: q, Values: values})
			continue
		}
		nextID++
		q := SurveyQuestion{ID: nextID, Name: name, Type: "textarea", Label: name, ReportHeader: name}
		extra = append(extra, SurveyAnswer{Question: q, Values: values})
	}
	slices.SortFunc(survey.Answers, func(a, b SurveyAnswer) int { return a.Question.ID - b.Question.ID })
	survey.Answers = append(survey.Answers, extra...)
	return survey
}

// drawSurveys adds random surveys to a closed session at the configured
// rates. Only sessions a rep took part in get surveys.
func (s *site) drawSurveys(closed *ClosedSession) {
	owner := closed.PrimaryRep()
	for i := range closed.Reps {
		if closed.Reps[i].Owner {
			owner = &closed.Reps[i]
		}
	}
	if owner == nil {
		return
	}
	if s.rng.Float64() < s.surveys.CustomerRate {
		answers := map[string]string{}
		// About one customer in twelve skips the rating question.
		if s.rng.IntN(12) != 0 {
			answers["rating"] = strconv.Itoa(s.drawRating())
		} else {
			answers["rating"] = ""
		}
		if s.rng.IntN(2) == 0 {
			answers["comments"] = s.pick(surveyComments)
		} else {
			answers["comments"] = ""
		}
		if !s.surveys.OmitRecommend {
			answers["recommend"] = strconv.Itoa(s.rng.IntN(11))
		}
		survey := customerSurvey(*closed, answers)
		closed.CustomerSurvey = &survey
	}
	if s.rng.Float64() < s.surveys.RepRate {
		resolved := "Yes"
		if s.rng.IntN(5) == 0 {
			resolved = "No"
		}
		closed.RepSurvey = &ExitSurvey{
			SubmittedBy: "rep",
			GSNumber:    owner.GSNumber,
			Name:        owner.PublicName,
			UserID:      owner.UserID,
			Answers: []SurveyAnswer{
				{Question: RepSurveyQuestions[0], Values: []string{resolved}},
				{Question: RepSurveyQuestions[1], Values: []string{closed.Customer.Issue}},
			},
		}
	}
}

// drawRating returns a 1–5 rating skewed towards satisfied customers.
func (s *site) drawRating() int {
	weights := []int{5, 5, 15, 35, 40} // percent for ratings 1 to 5
	draw := s.rng.IntN(100)
	for i, weight := range weights {
		if draw < weight {
			return i + 1
		}
		draw -= weight
	}
	return 5
}
