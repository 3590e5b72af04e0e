package reporting

import (
	"strconv"
	"strings"
	"time"
)

// sessionListDocument is the <session_list> root of a SupportSession
// report. Field tags carry local names only, so any namespace matches.
type sessionListDocument struct {
	Sessions []sessionElement `xml:"session"`
	Errors   []textElement    `xml:"error"`
}

type sessionElement struct {
	LSID             string          `xml:"lsid,attr"`
	StartTime        *timeElement    `xml:"start_time"`
	EndTime          *timeElement    `xml:"end_time"`
	Duration         string          `xml:"duration"`
	PublicSite       siteElement     `xml:"public_site"`
	ExternalKey      string          `xml:"external_key"`
	CustomAttributes []element       `xml:"custom_attributes"`
	PrimaryCustomer  partyElement    `xml:"primary_customer"`
	PrimaryRep       partyElement    `xml:"primary_rep"`
	Customers        []element       `xml:"customer_list>customer"`
	Reps             []element       `xml:"rep_list>representative"`
	Events           []eventElement  `xml:"session_details>event"`
	CustomerSurveys  []surveyElement `xml:"cust_survey_list>cust_exit_survey"`
	RepSurveys       []surveyElement `xml:"rep_survey_list>rep_exit_survey"`
}

// siteElement is <public_site id="1">Default</public_site>.
type siteElement struct {
	ID   string `xml:"id,attr"`
	Name string `xml:",chardata"`
}

// partyElement is a participant reference such as
// <primary_rep gsnumber="21" id="1">Admin</primary_rep> or an event's
// <performed_by type="customer" gsnumber="22">Jane</performed_by>.
// gsnumber numbers the participants within one session, and 0 is the
// system.
type partyElement struct {
	Type     string `xml:"type,attr"`
	GSNumber string `xml:"gsnumber,attr"`
	ID       string `xml:"id,attr"`
	Name     string `xml:",chardata"`
}

type eventElement struct {
	Timestamp   string       `xml:"timestamp,attr"`
	Type        string       `xml:"event_type,attr"`
	PerformedBy partyElement `xml:"performed_by"`
	Destination partyElement `xml:"destination"`
}

// surveyElement is an exit survey inside a session. Older appliances
// write <value name="rating" value="5"/> items. A question list like the
// one in the exit-survey report is read too.
type surveyElement struct {
	Values    []element         `xml:"value"`
	Questions []questionElement `xml:"question_list>question"`
}

func (s *sessionElement) details() SessionDetails {
	start := s.StartTime.time()
	end := s.EndTime.time()
	d := SessionDetails{
		LSID:             strings.TrimSpace(s.LSID),
		Start:            newTimestamp(start),
		End:              newTimestamp(end),
		DurationSeconds:  parseDuration(s.Duration),
		PublicSite:       PublicSite{ID: atoi(s.PublicSite.ID), Name: strings.TrimSpace(s.PublicSite.Name)},
		ExternalKey:      strings.TrimSpace(s.ExternalKey),
		CustomAttributes: []CustomAttribute{},
		Reps:             []Rep{},
		Events:           []Event{},
		CustomerSurveys:  []SurveyAnswer{},
		RepSurveys:       []SurveyAnswer{},
	}
	if d.DurationSeconds == 0 && !start.IsZero() && end.After(start) {
		d.DurationSeconds = int64(end.Sub(start) / time.Second)
	}

	for i := range s.CustomAttributes {
		for j := range s.CustomAttributes[i].Children {
			d.CustomAttributes = append(d.CustomAttributes, customAttribute(&s.CustomAttributes[i].Children[j]))
		}
	}

	names := map[string]string{}
	d.Customer = s.customer(names)
	for i := range s.Reps {
		d.Reps = append(d.Reps, s.rep(&s.Reps[i], names))
	}

	for i := range s.Events {
		if len(d.Events) == maxEvents {
			d.EventsOmitted = len(s.Events) - maxEvents
			break
		}
		d.Events = append(d.Events, s.Events[i].event(names))
	}

	for i := range s.CustomerSurveys {
		d.CustomerSurveys = s.CustomerSurveys[i].appendAnswers(d.CustomerSurveys)
	}
	for i := range s.RepSurveys {
		d.RepSurveys = s.RepSurveys[i].appendAnswers(d.RepSurveys)
	}
	return d
}

// customer picks the primary customer from <customer_list>: the one marked
// <primary_cust>1</primary_cust>, else the one with the gsnumber of
// <primary_customer>, else the first. It records every customer's name by
// gsnumber in names, for events that give only a gsnumber.
func (s *sessionElement) customer(names map[string]string) Customer {
	primary := -1
	for i := range s.Customers {
		c := &s.Customers[i]
		gs := c.attr("gsnumber")
		if name := customerName(c); gs != "" && name != "" {
			names[gs] = name
		}
		switch {
		case c.child("primary_cust") == "1":
			primary = i
		case primary < 0 && gs != "" && gs == strings.TrimSpace(s.PrimaryCustomer.GSNumber):
			primary = i
		}
	}
	if primary < 0 && len(s.Customers) > 0 {
		primary = 0
	}

	c := Customer{Name: strings.TrimSpace(s.PrimaryCustomer.Name)}
	if primary < 0 {
		return c
	}
	e := &s.Customers[primary]
	info := infoElement(e)
	if name := info.child("name"); name != "" {
		c.Name = name
	}
	if c.Name == "" {
		c.Name = e.child("username")
	}
	c.Company = info.child("company", "company_name")
	c.Issue = info.child("issue", "issue_description")
	c.Hostname = e.child("hostname")
	c.OS = e.child("os")
	c.PublicIP = e.child("public_ip")
	c.PrivateIP = e.child("private_ip")
	return c
}

// infoElement returns the customer's <info> child (RS only), or an empty
// element.
func infoElement(e *element) *element {
	for i := range e.Children {
		if e.Children[i].XMLName.Local == "info" {
			return &e.Children[i]
		}
	}
	return &element{}
}

func customerName(e *element) string {
	if name := infoElement(e).child("name"); name != "" {
		return name
	}
	return e.child("username")
}

func (s *sessionElement) rep(e *element, names map[string]string) Rep {
	r := Rep{
		ID:              atoi(e.attr("id")),
		Username:        e.child("username"),
		PublicName:      e.child("public_display_name", "display_name"),
		PrivateName:     e.child("private_display_name", "display_name"),
		SecondsInvolved: int64(atoi(e.child("seconds_involved"))),
		Owner:           e.child("session_owner") == "1",
		Primary:         e.child("primary_rep") == "1",
	}
	gs := e.attr("gsnumber")
	primaryGS := strings.TrimSpace(s.PrimaryRep.GSNumber)
	primaryID := strings.TrimSpace(s.PrimaryRep.ID)
	if (gs != "" && gs == primaryGS) || (primaryGS == "" && primaryID != "" && primaryID == e.attr("id")) {
		r.Primary = true
	}
	if gs != "" && r.PublicName != "" {
		names[gs] = r.PublicName
	}
	return r
}

func (e *eventElement) event(names map[string]string) Event {
	ts, _ := parseTime(e.Timestamp)
	return Event{
		Time:        newTimestamp(ts),
		Type:        strings.TrimSpace(e.Type),
		PerformedBy: e.PerformedBy.party(names),
		Destination: e.Destination.party(names),
	}
}

// party names the participant, looking the name up by gsnumber when the
// element has no text.
func (p *partyElement) party(names map[string]string) Party {
	name := strings.TrimSpace(p.Name)
	if name == "" {
		name = names[strings.TrimSpace(p.GSNumber)]
	}
	return Party{Type: strings.TrimSpace(p.Type), Name: name}
}

// customAttribute reads one child of <custom_attributes>. The known form is
// <custom_attribute code_name="c" display_name="d">v</custom_attribute>.
// It also reads <value name="c" value="v"/> and <c>v</c>.
func customAttribute(e *element) CustomAttribute {
	a := CustomAttribute{
		CodeName:    e.attr("code_name", "name"),
		DisplayName: e.attr("display_name"),
		Value:       e.attr("value"),
	}
	if a.Value == "" {
		a.Value = strings.TrimSpace(e.Text)
	}
	if a.CodeName == "" {
		switch e.XMLName.Local {
		case "custom_attribute", "value", "attribute":
		default:
			a.CodeName = e.XMLName.Local
		}
	}
	return a
}

// appendAnswers adds the survey's answers to list, grouping repeated
// <value> items of one name into one answer.
func (s *surveyElement) appendAnswers(list []SurveyAnswer) []SurveyAnswer {
	index := map[string]int{}
	for i := range s.Values {
		name := s.Values[i].attr("name")
		value := s.Values[i].attr("value")
		if value == "" {
			value = s.Values[i].Text
		}
		value = cleanAnswer(value)
		if at, ok := index[name]; ok {
			list[at].Answers = append(list[at].Answers, value)
			continue
		}
		index[name] = len(list)
		list = append(list, SurveyAnswer{Question: name, Answers: []string{value}})
	}
	for i := range s.Questions {
		q := s.Questions[i].question()
		list = append(list, SurveyAnswer{Question: q.Name, Label: q.Label, Answers: q.Answers})
	}
	return list
}

// parseDuration reads HH:MM:SS (hours may exceed 23) or MM:SS as seconds,
// or returns 0.
func parseDuration(s string) int64 {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0
	}
	var total int64
	for _, part := range parts {
		n, err := strconv.ParseInt(part, 10, 64)
		if err != nil || n < 0 || n > 1<<40 {
			return 0
		}
		total = total*60 + n
	}
	return total
}
