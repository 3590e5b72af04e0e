package integration_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/shared/wire"
)

// closeWithRating closes one in-progress session of the simulator with a
// customer survey answer and returns its LSID.
func closeWithRating(t *testing.T, s *sim.Simulator, rating string) string {
	t.Helper()
	id, _ := s.AddCustomer(sim.Customer{Name: "Rated " + rating, TeamCodeName: s.Teams()[0].CodeName, ClientType: "desktop"})
	if err := s.Pickup(id, s.Reps()[0].ID); err != nil {
		t.Fatal(err)
	}
	lsid, err := s.CloseSessionWithSurvey(id, map[string]string{"rating": rating, "comments": "thanks"})
	if err != nil {
		t.Fatalf("closing session with a survey: %v", err)
	}
	return lsid
}

// quietSurveys turns off the simulator's random surveys so that only a
// test's own answers count.
func quietSurveys(cfg sim.Config) sim.Config {
	cfg.Surveys = sim.SurveyConfig{CustomerRate: -1, RepRate: -1}
	return cfg
}

func TestCSATAveragesTodaysSurveys(t *testing.T) {
	cfg := quietSurveys(sim.Config{Seed: 9, Scenario: sim.SmallOffice(), BatchDelay: 10 * time.Millisecond})
	s := startSiteAfter(t, cfg, map[string]string{
		"RTD_CSAT_POLL_MINUTES": "1",
		"RTD_CSAT_QUESTION":     "Rating",
	}, func(appliance *sim.Simulator) {
		for _, rating := range []string{"5", "3", "4", "not a number"} {
			closeWithRating(t, appliance, rating)
		}
	})
	v := s.connectViewer(t)
	var got *wire.CSAT
	waitFor(t, 20*time.Second, "a CSAT message", func() bool {
		got = v.csat()
		return got != nil
	})
	if !got.Available {
		t.Fatalf("CSAT unavailable: %s", got.Reason)
	}
	if got.Count != 3 || math.Abs(got.Average-4) > 1e-9 {
		t.Errorf("CSAT = %.3f over %d answers, want 4.000 over 3", got.Average, got.Count)
	}
	if got.Question != "Rating" {
		t.Errorf("CSAT question = %q, want the configured %q", got.Question, "Rating")
	}
}

func TestCSATUnavailableWhenApplianceGone(t *testing.T) {
	cfg := quietSurveys(sim.Config{Seed: 9, Scenario: sim.SmallOffice()})
	s := startSiteAfter(t, cfg, map[string]string{
		"RTD_CSAT_POLL_MINUTES": "1",
		"RTD_CSAT_QUESTION":     "rating",
	}, func(appliance *sim.Simulator) {
		// The appliance is gone before the relay's first poll.
		appliance.Close()
	})
	v := s.connectViewer(t)
	var got *wire.CSAT
	waitFor(t, 30*time.Second, "a CSAT message", func() bool {
		got = v.csat()
		return got != nil
	})
	if got.Available || got.Reason == "" {
		t.Errorf("CSAT with the appliance gone = %+v, want unavailable with a reason", got)
	}
	if got.Average != 0 || got.Count != 0 {
		t.Errorf("unavailable CSAT carries figures %+v", got)
	}
}

func TestSessionDetailsEndpoint(t *testing.T) {
	cfg := quietSurveys(sim.Config{Seed: 9, Scenario: sim.SmallOffice()})
	var lsid string
	s := startSiteAfter(t, cfg, map[string]string{"RTD_SESSION_DETAILS": "true"}, func(appliance *sim.Simulator) {
		lsid = closeWithRating(t, appliance, "5")
	})
	s.waitReady(t)

	resp, body := httpGet(t, s.relayURL+"/api/v1/sessions/"+lsid)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("details of a closed session: HTTP %d: %s", resp.StatusCode, body)
	}
	var details struct {
		LSID     string `json:"lsid"`
		Customer struct {
			Name string `json:"name"`
		} `json:"customer"`
		Reps []struct {
			Username string `json:"username"`
		} `json:"reps"`
		DurationSeconds int64 `json:"duration_seconds"`
	}
	if err := json.Unmarshal([]byte(body), &details); err != nil {
		t.Fatalf("decoding details: %v\n%s", err, body)
	}
	if details.LSID != lsid || details.Customer.Name != "Rated 5" || len(details.Reps) == 0 {
		t.Errorf("details = %+v, want LSID %s, customer Rated 5 and at least one representative", details, lsid)
	}
	if details.DurationSeconds < 0 {
		t.Errorf("duration %d is negative", details.DurationSeconds)
	}

	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/api/v1/sessions/not-an-lsid", http.StatusBadRequest},
		{"/api/v1/sessions/" + fmt.Sprintf("%032x", 12345), http.StatusNotFound},
	} {
		if resp, body := httpGet(t, s.relayURL+tc.path); resp.StatusCode != tc.status {
			t.Errorf("GET %s = %d %s, want %d", tc.path, resp.StatusCode, body, tc.status)
		}
	}
}

func TestSessionDetailsOffByDefault(t *testing.T) {
	s := quickSite(t, nil)
	resp, body := httpGet(t, s.relayURL+"/api/v1/sessions/"+fmt.Sprintf("%032x", 1))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("details with RTD_SESSION_DETAILS off = %d %s, want 404", resp.StatusCode, body)
	}
}

// TestClockOffsetReachesBrowsers runs the appliance five minutes ahead of
// the host and checks that a browser computes appliance time.
func TestClockOffsetReachesBrowsers(t *testing.T) {
	s := startSite(t, sim.Config{Seed: 2, Scenario: sim.SmallOffice(), ClockSkew: 5 * time.Minute}, nil)
	s.waitReady(t)
	v := s.connectViewer(t)
	waitFor(t, 20*time.Second, "the appliance clock offset in the status", func() bool {
		now := time.Now()
		return math.Abs(float64(v.applianceNow(now)-now.Add(5*time.Minute).Unix())) <= 2
	})
}

func TestClosedSessionsReachBrowsers(t *testing.T) {
	s := quickSite(t, nil)
	v := s.connectViewer(t)
	v.waitMatches(t, s, "viewer in step")
	id := addCustomer(t, s, "Soon Closed")
	if err := s.sim.Pickup(id, s.sim.Reps()[0].ID); err != nil {
		t.Fatal(err)
	}
	s.sim.Flush()
	v.waitMatches(t, s, "session picked up")
	if err := s.sim.EndSession(id); err != nil {
		t.Fatal(err)
	}
	s.sim.Flush()
	waitFor(t, 10*time.Second, "the closed session in the browser", func() bool {
		for _, c := range v.closedSessions() {
			if c.ID == id && c.Customer == "Soon Closed" && len(c.Reps) == 1 && c.TeamCode != "" {
				return true
			}
		}
		return false
	})
}

// TestSessionDetailsRateLimited opens many unknown sessions at once, as a
// visitor could, and checks that the relay declines most of them itself
// rather than spend the appliance's API budget.
func TestSessionDetailsRateLimited(t *testing.T) {
	s := quickSite(t, map[string]string{"RTD_SESSION_DETAILS": "true"})
	statuses := make(chan int, 40)
	for i := range 40 {
		go func() {
			resp, err := http.Get(s.relayURL + "/api/v1/sessions/" + fmt.Sprintf("%032x", 1000+i))
			if err != nil {
				t.Error(err)
				statuses <- 0
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			statuses <- resp.StatusCode
		}()
	}
	counts := map[int]int{}
	for range 40 {
		counts[<-statuses]++
	}
	if counts[http.StatusTooManyRequests] < 20 {
		t.Errorf("status counts %v: want most of 40 uncached requests declined with 429", counts)
	}
	if counts[http.StatusBadGateway] != 0 {
		t.Errorf("status counts %v: want no appliance failures", counts)
	}
}
