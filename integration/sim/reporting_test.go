package sim_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
)

func TestClosedSessionRecorded(t *testing.T) {
	rs := newReportSite(t, nil)
	closed := rs.s.ClosedSessions()
	if len(closed) != 2 {
		t.Fatalf("ClosedSessions() has %d sessions, want 2", len(closed))
	}
	c := closed[0]
	if c.LSID != rs.closedLSID {
		t.Errorf("first closed LSID = %s, want %s", c.LSID, rs.closedLSID)
	}
	if !c.Start.Equal(testStart) {
		t.Errorf("Start = %v, want %v", c.Start, testStart)
	}
	if want := 10*time.Minute + 45*time.Second; c.Duration() != want {
		t.Errorf("Duration() = %v, want %v", c.Duration(), want)
	}
	if c.PublicSite != (sim.PublicSite{ID: 7, Name: "Partners"}) {
		t.Errorf("PublicSite = %+v, want 7 Partners", c.PublicSite)
	}
	if c.Team.ID != rs.team.ID {
		t.Errorf("Team.ID = %d, want %d", c.Team.ID, rs.team.ID)
	}
	if c.ExternalKey != "INC-1" {
		t.Errorf("ExternalKey = %q, want INC-1", c.ExternalKey)
	}
	wantCustomer := sim.SessionCustomer{Name: "Jane Roe", Company: "ACME & Sons", Issue: "VPN <down>", Hostname: "JANE-PC", OS: "Windows 11"}
	gotCustomer := c.Customer
	gotCustomer.GSNumber, gotCustomer.PublicIP, gotCustomer.PrivateIP = 0, "", ""
	if gotCustomer != wantCustomer {
		t.Errorf("Customer = %+v, want %+v", c.Customer, wantCustomer)
	}
	if c.Customer.PublicIP == "" || c.Customer.PrivateIP == "" {
		t.Errorf("customer IPs missing: %+v", c.Customer)
	}
	if len(c.Reps) != 1 {
		t.Fatalf("Reps = %+v, want one rep", c.Reps)
	}
	rep := c.Reps[0]
	if rep.UserID != rs.rep.UserID || rep.Username != rs.rep.Username {
		t.Errorf("rep = %+v, want user %d %s", rep, rs.rep.UserID, rs.rep.Username)
	}
	if rep.SecondsInvolved != 600 {
		t.Errorf("SecondsInvolved = %d, want 600", rep.SecondsInvolved)
	}
	if !rep.Owner || !rep.Primary {
		t.Errorf("rep Owner=%v Primary=%v, want both", rep.Owner, rep.Primary)
	}
	var types []string
	for _, e := range c.Events {
		types = append(types, e.Type)
	}
	wantTypes := []string{
		sim.EventSessionStart, sim.EventMemberAdded, sim.EventOwnerChanged,
		sim.EventMemberAdded, sim.EventOwnerChanged, sim.EventMemberDeparted, sim.EventSessionEnd,
	}
	if diff := cmp.Diff(wantTypes, types); diff != "" {
		t.Errorf("event types (-want +got):\n%s", diff)
	}
	if c.CustomerSurvey != nil || c.RepSurvey != nil {
		t.Errorf("surveys recorded with rates disabled: %+v %+v", c.CustomerSurvey, c.RepSurvey)
	}

	survey := closed[1].CustomerSurvey
	if survey == nil {
		t.Fatal("CloseSessionWithSurvey recorded no survey")
	}
	if survey.Answer("rating") != "4" || survey.Answer("mood") != "fine" {
		t.Errorf("survey answers = %+v, want rating 4 and mood fine", survey.Answers)
	}
}

func TestResetKeepsRepSeconds(t *testing.T) {
	s, clock := startSim(t, nil)
	id, _ := s.AddCustomer(sim.Customer{})
	if err := s.Pickup(id, s.Reps()[0].ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	s.ResetModel()
	clock.Advance(time.Minute)
	sessions := decodeModel(t, s.ModelJSON())["support_session"]
	if len(sessions) != 1 {
		t.Fatalf("%d sessions after reset, want 1", len(sessions))
	}
	for key := range sessions {
		newID, _ := strconv.ParseInt(key, 10, 64)
		if err := s.EndSession(newID); err != nil {
			t.Fatal(err)
		}
	}
	closed := s.ClosedSessions()
	if len(closed) != 1 || len(closed[0].Reps) != 1 || closed[0].Reps[0].SecondsInvolved != 120 {
		t.Errorf("closed after reset = %+v, want one rep with 120 s", closed)
	}
}

func TestHistoryBounds(t *testing.T) {
	s, clock := startSim(t, func(cfg *sim.Config) {
		cfg.History = sim.HistoryConfig{MaxSessions: 3, Retention: time.Hour}
	})
	var lsids []string
	for range 5 {
		id, lsid := s.AddCustomer(sim.Customer{})
		lsids = append(lsids, lsid)
		clock.Advance(time.Minute)
		if err := s.EndSession(id); err != nil {
			t.Fatal(err)
		}
	}
	var kept []string
	for _, c := range s.ClosedSessions() {
		kept = append(kept, c.LSID)
	}
	if diff := cmp.Diff(lsids[2:], kept); diff != "" {
		t.Errorf("kept sessions after 5 with MaxSessions 3 (-want +got):\n%s", diff)
	}

	clock.Advance(2 * time.Hour)
	id, lsid := s.AddCustomer(sim.Customer{})
	if err := s.EndSession(id); err != nil {
		t.Fatal(err)
	}
	kept = nil
	for _, c := range s.ClosedSessions() {
		kept = append(kept, c.LSID)
	}
	if diff := cmp.Diff([]string{lsid}, kept); diff != "" {
		t.Errorf("kept sessions after the retention passed (-want +got):\n%s", diff)
	}
}

func TestScenarioAnswersSurveys(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) {
		cfg.Surveys = sim.SurveyConfig{CustomerRate: 1, RepRate: 1}
	})
	rep := s.Reps()[0]
	for range 20 {
		id, _ := s.AddCustomer(sim.Customer{})
		if err := s.Pickup(id, rep.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.EndSession(id); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range s.ClosedSessions() {
		if c.CustomerSurvey == nil || c.RepSurvey == nil {
			t.Fatalf("session %s: surveys %v %v, want both at rate 1", c.LSID, c.CustomerSurvey, c.RepSurvey)
		}
		if rating := c.CustomerSurvey.Answer("rating"); rating != "" {
			if n, err := strconv.Atoi(rating); err != nil || n < 1 || n > 5 {
				t.Errorf("rating %q, want 1–5 or unanswered", rating)
			}
		}
		if n, err := strconv.Atoi(c.CustomerSurvey.Answer("recommend")); err != nil || n < 0 || n > 10 {
			t.Errorf("recommend %q, want 0–10", c.CustomerSurvey.Answer("recommend"))
		}
		if c.RepSurvey.SubmittedBy != "rep" || c.RepSurvey.UserID != rep.UserID {
			t.Errorf("rep survey = %+v, want submitted by rep %d", c.RepSurvey, rep.UserID)
		}
	}
}

func TestReportingRequiresToken(t *testing.T) {
	rs := newReportSite(t, nil)
	for _, bearer := range []string{"", "wrong"} {
		resp, body := report(t, rs.s, bearer, url.Values{"generate_report": {"SupportSession"}, "lsid": {rs.closedLSID}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("bearer %q: status %d, want 401", bearer, resp.StatusCode)
		}
		var doc sessionListDoc
		decodeXML(t, body, &doc)
		if doc.XMLName.Local != "error" {
			t.Errorf("bearer %q: root %s, want error", bearer, doc.XMLName.Local)
		}
	}
}

func TestSupportSessionByLSID(t *testing.T) {
	rs := newReportSite(t, nil)
	resp, body := report(t, rs.s, rs.bearer, url.Values{"generate_report": {"SupportSession"}, "lsid": {rs.closedLSID}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	if got := resp.Header.Get("X-RateLimit-Limit"); got != "15000" {
		t.Errorf("X-RateLimit-Limit = %q, want 15000", got)
	}
	var doc sessionListDoc
	decodeXML(t, body, &doc)
	if doc.XMLName.Space != sim.ReportingNamespaceBeyondTrust || doc.XMLName.Local != "session_list" {
		t.Errorf("root = %v, want session_list in %s", doc.XMLName, sim.ReportingNamespaceBeyondTrust)
	}
	if len(doc.Sessions) != 1 {
		t.Fatalf("%d sessions, want 1:\n%s", len(doc.Sessions), body)
	}
	got := doc.Sessions[0]
	end := testStart.Add(10*time.Minute + 45*time.Second)
	checks := []struct{ name, got, want string }{
		{"lsid", got.LSID, rs.closedLSID},
		{"start_time text", got.Start.Text, "2025-03-04T09:30:00+00:00"},
		{"start_time timestamp", fmt.Sprint(got.Start.Timestamp), fmt.Sprint(testStart.Unix())},
		{"duration", got.Duration, "00:10:45"},
		{"public_site", fmt.Sprintf("%d %s", got.PublicSite.ID, got.PublicSite.Text), "7 Partners"},
		{"external_key", got.ExternalKey, "INC-1"},
		{"customer name", got.Customer.Name, "Jane Roe"},
		{"customer company", got.Customer.Company, "ACME & Sons"},
		{"customer issue", got.Customer.Issue, "VPN <down>"},
		{"customer hostname", got.Customer.Hostname, "JANE-PC"},
		{"primary_customer", got.PrimaryCustomer.Text, "Jane Roe"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if got.End == nil || got.End.Timestamp != end.Unix() || got.End.Text != "2025-03-04T09:40:45+00:00" {
		t.Errorf("end_time = %+v, want %d 2025-03-04T09:40:45+00:00", got.End, end.Unix())
	}
	if got.PrimaryRep == nil || got.PrimaryRep.ID != rs.rep.UserID {
		t.Errorf("primary_rep = %+v, want user id %d", got.PrimaryRep, rs.rep.UserID)
	}
	if len(got.Reps) != 1 || got.Reps[0].Seconds != 600 || got.Reps[0].Owner != 1 || got.Reps[0].Primary != 1 {
		t.Errorf("rep_list = %+v, want one owner and primary rep with 600 s", got.Reps)
	}
	if len(got.Events) == 0 || got.Events[0].Type != "Session Start" || got.Events[len(got.Events)-1].Type != "Session End" {
		t.Errorf("events = %+v, want Session Start first and Session End last", got.Events)
	}
	if last := got.Events[len(got.Events)-1]; last.PerformedBy == nil || last.PerformedBy.GSNumber != got.Reps[0].GSNumber {
		t.Errorf("Session End performed_by = %+v, want the rep", last.PerformedBy)
	}
}

func TestSupportSessionWindows(t *testing.T) {
	rs := newReportSite(t, nil)
	start := strconv.FormatInt(testStart.Unix(), 10)
	cases := []struct {
		name string
		form url.Values
		want []string
	}{
		{"start_time until now", url.Values{"start_time": {start}, "duration": {"0"}},
			[]string{rs.closedLSID, rs.surveyLSID, rs.inProgressLSID}},
		{"start_time 60 s", url.Values{"start_time": {start}, "duration": {"60"}}, []string{rs.closedLSID}},
		{"end_time until now", url.Values{"end_time": {start}, "duration": {"0"}}, []string{rs.closedLSID, rs.surveyLSID}},
		{"end_time before the first end", url.Values{"end_time": {start}, "duration": {"600"}}, nil},
		{"start_date one day", url.Values{"start_date": {"2025-03-04"}, "duration": {"1"}},
			[]string{rs.closedLSID, rs.surveyLSID, rs.inProgressLSID}},
		{"end_date next day", url.Values{"end_date": {"2025-03-05"}, "duration": {"0"}}, nil},
		{"lsids", url.Values{"lsids": {rs.inProgressLSID + "," + rs.closedLSID + ",ffff"}},
			[]string{rs.closedLSID, rs.inProgressLSID}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.form.Set("generate_report", "SupportSession")
			_, body := report(t, rs.s, rs.bearer, tc.form)
			var doc sessionListDoc
			decodeXML(t, body, &doc)
			var got []string
			for _, session := range doc.Sessions {
				got = append(got, session.LSID)
				if session.LSID == rs.inProgressLSID && session.End != nil {
					t.Errorf("in-progress session has end_time %+v", session.End)
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("sessions (-want +got):\n%s\n%s", diff, body)
			}
			if len(tc.want) == 0 && (doc.XMLName.Local != "session_list" || doc.Error != "") {
				t.Errorf("empty result = %s, want an empty session_list", body)
			}
		})
	}
}

func TestReportingParameterErrors(t *testing.T) {
	rs := newReportSite(t, nil)
	start := strconv.FormatInt(testStart.Unix(), 10)
	cases := []struct {
		name string
		form url.Values
		want string // part of the error text
	}{
		{"no report", url.Values{"lsid": {rs.closedLSID}}, "generate_report is required"},
		{"unknown report", url.Values{"generate_report": {"Nope"}, "lsid": {rs.closedLSID}}, "invalid report type"},
		{"no selection", url.Values{"generate_report": {"SupportSession"}}, "exactly one of"},
		{"two selections", url.Values{"generate_report": {"SupportSession"}, "lsid": {rs.closedLSID}, "start_time": {start}, "duration": {"0"}}, "exactly one of"},
		{"missing duration", url.Values{"generate_report": {"SupportSession"}, "start_time": {start}}, "duration is required"},
		{"negative duration", url.Values{"generate_report": {"SupportSession"}, "end_time": {start}, "duration": {"-1"}}, "invalid duration"},
		{"duration with lsid", url.Values{"generate_report": {"SupportSession"}, "lsid": {rs.closedLSID}, "duration": {"0"}}, "duration applies only"},
		{"bad date", url.Values{"generate_report": {"SupportSession"}, "start_date": {"04.03.2025"}, "duration": {"1"}}, "want YYYY-MM-DD"},
		{"bad time", url.Values{"generate_report": {"SupportSessionListing"}, "start_time": {"soon"}, "duration": {"1"}}, "want a UNIX time"},
		{"survey without report_type", url.Values{"generate_report": {"SupportCustExitSurvey"}, "lsid": {rs.surveyLSID}}, "invalid report_type"},
		{"survey window without id", url.Values{"generate_report": {"SupportCustExitSurvey"}, "start_time": {start}, "duration": {"0"}, "report_type": {"rep"}}, "id is required"},
		{"survey bad id", url.Values{"generate_report": {"SupportRepExitSurvey"}, "lsid": {rs.surveyLSID}, "report_type": {"team"}, "id": {"x"}}, "invalid id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := report(t, rs.s, rs.bearer, tc.form)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("status %d, want 200", resp.StatusCode)
			}
			var doc struct {
				XMLName xml.Name
				Text    string `xml:",chardata"`
			}
			decodeXML(t, body, &doc)
			if doc.XMLName.Local != "error" || !strings.Contains(doc.Text, tc.want) {
				t.Errorf("reply %s, want an error containing %q", body, tc.want)
			}
		})
	}
}

func TestSupportSessionListing(t *testing.T) {
	rs := newReportSite(t, nil)
	form := url.Values{"generate_report": {"SupportSessionListing"}, "end_time": {strconv.FormatInt(testStart.Unix(), 10)}, "duration": {"0"}}
	_, body := report(t, rs.s, rs.bearer, form)
	want := fmt.Sprintf("<session_summary lsid=\"%s\" has_recording=\"0\"  />\n<session_summary lsid=\"%s\" has_recording=\"0\"  />\n",
		rs.closedLSID, rs.surveyLSID)
	if !strings.Contains(string(body), want) {
		t.Errorf("listing = %s, want items with template spacing:\n%s", body, want)
	}
	var doc struct {
		Items []struct {
			LSID         string `xml:"lsid,attr"`
			HasRecording string `xml:"has_recording,attr"`
		} `xml:"session_summary"`
	}
	decodeXML(t, body, &doc)
	if len(doc.Items) != 2 || doc.Items[0].HasRecording != "0" {
		t.Errorf("items = %+v, want 2 with has_recording 0", doc.Items)
	}
}

func TestExitSurveyReport(t *testing.T) {
	rs := newReportSite(t, nil)
	start := strconv.FormatInt(testStart.Unix(), 10)
	_, body := report(t, rs.s, rs.bearer, url.Values{
		"generate_report": {"SupportCustExitSurvey"}, "end_time": {start}, "duration": {"0"}, "report_type": {"rep"}, "id": {"all"},
	})
	var doc surveyListDoc
	decodeXML(t, body, &doc)
	if doc.XMLName.Local != "exit_survey_list" || len(doc.Surveys) != 1 {
		t.Fatalf("reply %s, want one exit_survey", body)
	}
	survey := doc.Surveys[0]
	if survey.LSID != rs.surveyLSID || survey.SubmittedBy.Type != "customer" || survey.SubmittedBy.Name != "Max Muster" {
		t.Errorf("survey = %+v, want %s submitted by customer Max Muster", survey, rs.surveyLSID)
	}
	if survey.Site == nil || survey.Site.ID != 1 || survey.Site.Text != "Default" {
		t.Errorf("public_site = %+v, want 1 Default", survey.Site)
	}
	if survey.Timestamp != testStart.Add(11*time.Minute).Unix() {
		t.Errorf("timestamp = %d, want the session end %d", survey.Timestamp, testStart.Add(11*time.Minute).Unix())
	}
	type question struct {
		ID                  int
		Type, Name          string
		Answers             []string
		HasLabel, HasHeader bool
	}
	var got []question
	for _, q := range survey.Questions {
		got = append(got, question{q.ID, q.Type, q.Name, q.Answers, q.Label != "", q.ReportHeader != ""})
	}
	want := []question{
		{1, "radio", "rating", []string{"4"}, true, true},
		{2, "textarea", "comments", []string{`Good\nthanks`}, true, true},
		{6, "textarea", "mood", []string{"fine"}, true, true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("questions (-want +got):\n%s", diff)
	}

	// The rep of the first session is not in the survey's session, and
	// rep surveys are disabled.
	filters := []url.Values{
		{"report_type": {"rep"}, "id": {strconv.FormatInt(rs.rep.UserID, 10)}},
		{"report_type": {"team"}, "id": {strconv.FormatInt(rs.team.ID+1, 10)}},
	}
	for _, filter := range filters {
		filter.Set("generate_report", "SupportCustExitSurvey")
		filter.Set("lsids", rs.surveyLSID+","+rs.closedLSID)
		_, body := report(t, rs.s, rs.bearer, filter)
		doc = surveyListDoc{}
		decodeXML(t, body, &doc)
		if len(doc.Surveys) != 0 {
			t.Errorf("filter %v returned %d surveys, want none", filter, len(doc.Surveys))
		}
	}
	_, body = report(t, rs.s, rs.bearer, url.Values{
		"generate_report": {"SupportCustExitSurvey"}, "lsid": {rs.surveyLSID}, "report_type": {"team"}, "id": {strconv.FormatInt(rs.team.ID, 10)},
	})
	doc = surveyListDoc{}
	decodeXML(t, body, &doc)
	if len(doc.Surveys) != 1 {
		t.Errorf("team filter on the survey's team returned %d surveys, want 1", len(doc.Surveys))
	}
	_, body = report(t, rs.s, rs.bearer, url.Values{"generate_report": {"SupportRepExitSurvey"}, "lsid": {rs.surveyLSID}, "report_type": {"rep"}})
	if !bytes.Contains(body, []byte(`<exit_survey_list xmlns="`+sim.ReportingNamespaceBeyondTrust+`"/>`)) {
		t.Errorf("rep survey report = %s, want an empty exit_survey_list", body)
	}
}

func TestReportingSwitches(t *testing.T) {
	for _, namespace := range []string{sim.ReportingNamespaceDocumented, sim.ReportingNamespaceBomgar, sim.ReportingNamespacePRA} {
		t.Run(namespace, func(t *testing.T) {
			rs := newReportSite(t, func(cfg *sim.Config) { cfg.Reporting.Namespace = namespace })
			_, body := report(t, rs.s, rs.bearer, url.Values{"generate_report": {"SupportSession"}, "lsid": {rs.closedLSID}})
			var doc sessionListDoc
			decodeXML(t, body, &doc)
			if doc.XMLName.Space != namespace {
				t.Errorf("namespace = %q, want %q", doc.XMLName.Space, namespace)
			}
		})
	}

	t.Run("template whitespace", func(t *testing.T) {
		rs := newReportSite(t, nil)
		_, body := report(t, rs.s, rs.bearer, url.Values{"generate_report": {"SupportSession"}, "lsid": {rs.closedLSID}})
		for _, quirk := range []string{`event_type="Session Start" >` + "\n\n    </event>", "\n\n    <primary_rep ", "\n</customer>\n", `value="`} {
			if !strings.Contains(string(body), quirk) {
				t.Errorf("report lacks %q:\n%s", quirk, body)
			}
		}
	})
	t.Run("plain XML", func(t *testing.T) {
		rs := newReportSite(t, func(cfg *sim.Config) { cfg.Reporting.PlainXML = true })
		_, body := report(t, rs.s, rs.bearer, url.Values{"generate_report": {"SupportSession"}, "lsid": {rs.closedLSID}})
		if strings.Contains(string(body), "\n\n") || strings.Contains(string(body), `" >`) {
			t.Errorf("plain report has template whitespace:\n%s", body)
		}
		var doc sessionListDoc
		decodeXML(t, body, &doc)
		if len(doc.Sessions) != 1 || doc.Sessions[0].Duration != "00:10:45" {
			t.Errorf("plain report decodes to %+v", doc.Sessions)
		}
	})
	t.Run("survey without public_site", func(t *testing.T) {
		rs := newReportSite(t, func(cfg *sim.Config) { cfg.Reporting.OmitSurveyPublicSite = true })
		_, body := report(t, rs.s, rs.bearer, url.Values{"generate_report": {"SupportCustExitSurvey"}, "lsid": {rs.surveyLSID}, "report_type": {"rep"}})
		if !strings.Contains(string(body), "<exit_survey ") || strings.Contains(string(body), "public_site") {
			t.Errorf("survey report = %s, want an exit_survey without public_site", body)
		}
	})

	empty := url.Values{"generate_report": {"SupportSessionListing"}, "end_date": {"2030-01-01"}, "duration": {"1"}}
	t.Run("empty as error", func(t *testing.T) {
		rs := newReportSite(t, func(cfg *sim.Config) {
			cfg.Reporting.EmptyResult = sim.EmptyError
			cfg.Reporting.NoDataText = sim.NoDataTextFrench
		})
		resp, body := report(t, rs.s, rs.bearer, empty)
		want := `<error xmlns="` + sim.ReportingNamespaceBeyondTrust + `">` + sim.NoDataTextFrench + "</error>\n"
		if resp.StatusCode != http.StatusOK || !strings.HasSuffix(string(body), want) {
			t.Errorf("status %d, body %q, want 200 and %q", resp.StatusCode, body, want)
		}
	})
	t.Run("empty as error child", func(t *testing.T) {
		rs := newReportSite(t, func(cfg *sim.Config) { cfg.Reporting.EmptyResult = sim.EmptyErrorChild })
		_, body := report(t, rs.s, rs.bearer, empty)
		var doc sessionListDoc
		decodeXML(t, body, &doc)
		if doc.XMLName.Local != "session_summary_list" || doc.Error != sim.NoDataTextEnglish {
			t.Errorf("reply %s, want session_summary_list with an error child", body)
		}
	})
}

func TestReportingGetMethod(t *testing.T) {
	rs := newReportSite(t, nil)
	resp, body := get(t, rs.s, http.MethodGet, "/api/reporting?generate_report=SupportSession&lsid="+rs.closedLSID, rs.bearer)
	var doc sessionListDoc
	decodeXML(t, body, &doc)
	if resp.StatusCode != http.StatusOK || len(doc.Sessions) != 1 {
		t.Errorf("GET: status %d, %d sessions, want 200 and 1", resp.StatusCode, len(doc.Sessions))
	}
	resp, _ = get(t, rs.s, http.MethodDelete, "/api/reporting", rs.bearer)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: status %d, want 405", resp.StatusCode)
	}
}
