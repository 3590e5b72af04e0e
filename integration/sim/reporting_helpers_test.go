package sim_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
)

// get sends a GET with an optional bearer token and returns the response
// with its body read.
func get(t *testing.T, s *sim.Simulator, method, path, bearer string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, baseURL(s)+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return do(t, s, req)
}

func do(t *testing.T, s *sim.Simulator, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := httpClient(t, s).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// report posts a form-urlencoded Reporting API request.
func report(t *testing.T, s *sim.Simulator, bearer string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, baseURL(s)+"/api/reporting", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return do(t, s, req)
}

type timeElement struct {
	Timestamp int64  `xml:"timestamp,attr"`
	Text      string `xml:",chardata"`
}

type idText struct {
	ID       int64  `xml:"id,attr"`
	GSNumber int    `xml:"gsnumber,attr"`
	Text     string `xml:",chardata"`
}

type sessionListDoc struct {
	XMLName  xml.Name
	Error    string          `xml:"error"`
	Sessions []reportSession `xml:"session"`
}

type reportSession struct {
	LSID            string       `xml:"lsid,attr"`
	Sequence        int64        `xml:"lseq"`
	Start           timeElement  `xml:"start_time"`
	End             *timeElement `xml:"end_time"`
	Duration        string       `xml:"duration"`
	PublicSite      idText       `xml:"public_site"`
	ExternalKey     string       `xml:"external_key"`
	PrimaryCustomer idText       `xml:"primary_customer"`
	PrimaryRep      *idText      `xml:"primary_rep"`
	Customer        struct {
		GSNumber int    `xml:"gsnumber,attr"`
		Hostname string `xml:"hostname"`
		OS       string `xml:"os"`
		PublicIP string `xml:"public_ip"`
		Name     string `xml:"info>name"`
		Company  string `xml:"info>company"`
		Issue    string `xml:"info>issue"`
	} `xml:"customer_list>customer"`
	Reps []struct {
		ID       int64  `xml:"id,attr"`
		GSNumber int    `xml:"gsnumber,attr"`
		Username string `xml:"username"`
		Seconds  int64  `xml:"seconds_involved"`
		Owner    int    `xml:"session_owner"`
		Primary  int    `xml:"primary_rep"`
	} `xml:"rep_list>representative"`
	Events []struct {
		Type        string  `xml:"event_type,attr"`
		Timestamp   int64   `xml:"timestamp,attr"`
		PerformedBy *idText `xml:"performed_by"`
	} `xml:"session_details>event"`
}

type surveyListDoc struct {
	XMLName xml.Name
	Error   string `xml:"error"`
	Surveys []struct {
		LSID        string  `xml:"lsid,attr"`
		Timestamp   int64   `xml:"timestamp,attr"`
		Site        *idText `xml:"public_site"`
		PrimaryRep  *idText `xml:"primary_rep"`
		SubmittedBy struct {
			Type     string `xml:"type,attr"`
			GSNumber int    `xml:"gsnumber,attr"`
			Name     string `xml:",chardata"`
		} `xml:"submitted_by"`
		Questions []struct {
			ID           int      `xml:"id,attr"`
			Type         string   `xml:"type"`
			Name         string   `xml:"name"`
			Label        string   `xml:"label"`
			ReportHeader string   `xml:"report_header"`
			Answers      []string `xml:"answer_list>answer"`
		} `xml:"question_list>question"`
	} `xml:"exit_survey"`
}

func decodeXML(t *testing.T, body []byte, into any) {
	t.Helper()
	if err := xml.Unmarshal(body, into); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

// reportSite builds a small site with three sessions: one closed with a
// rep and no survey, one closed with a customer survey and no rep, and one
// in progress. Times are fixed by the ManualClock.
type reportSite struct {
	s              *sim.Simulator
	clock          *sim.ManualClock
	bearer         string
	rep            sim.Rep
	team           sim.Team
	closedLSID     string // ended at testStart+10m45s, picked up by rep
	surveyLSID     string // ended at testStart+11m with a survey
	inProgressLSID string // started at testStart+11m, still open
}

func newReportSite(t *testing.T, change func(*sim.Config)) reportSite {
	t.Helper()
	s, clock := startSim(t, func(cfg *sim.Config) {
		cfg.Surveys = sim.SurveyConfig{CustomerRate: -1, RepRate: -1}
		cfg.PublicSites = []sim.PublicSite{{ID: 1, Name: "Default"}, {ID: 7, Name: "Partners"}}
		if change != nil {
			change(cfg)
		}
	})
	rs := reportSite{s: s, clock: clock, rep: s.Reps()[0], team: s.Teams()[0]}
	rs.bearer = token(t, s)
	id, lsid := s.AddCustomer(sim.Customer{
		Name: "Jane Roe", Company: "ACME & Sons", Description: "VPN <down>", TeamCodeName: rs.team.CodeName,
		Hostname: "JANE-PC", OS: "Windows 11", PublicSiteID: 7, Attributes: map[string]string{"external_key": "INC-1"},
	})
	rs.closedLSID = lsid
	clock.Advance(45 * time.Second)
	if err := s.Pickup(id, rs.rep.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(10 * time.Minute)
	if err := s.EndSession(id); err != nil {
		t.Fatal(err)
	}
	id, _ = s.AddCustomer(sim.Customer{Name: "Max Muster", TeamCodeName: rs.team.CodeName})
	clock.Advance(15 * time.Second)
	lsid, err := s.CloseSessionWithSurvey(id, map[string]string{"rating": "4", "comments": `Good\nthanks`, "mood": "fine"})
	if err != nil {
		t.Fatal(err)
	}
	rs.surveyLSID = lsid
	_, rs.inProgressLSID = s.AddCustomer(sim.Customer{Name: "Still Waiting", TeamCodeName: rs.team.CodeName})
	clock.Advance(time.Minute)
	return rs
}
