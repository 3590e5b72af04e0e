package reporting

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// csatAppliance returns a fake whose SupportCustExitSurvey report is
// surveys and whose SupportSession report is sessions.
func csatAppliance(t *testing.T, surveys, sessions string) *fakeAppliance {
	return newFakeAppliance(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("generate_report") {
		case "SupportCustExitSurvey":
			_, _ = w.Write([]byte(surveys))
		case "SupportSession":
			_, _ = w.Write([]byte(sessions))
		default:
			w.WriteHeader(http.StatusBadRequest)
		}
	})
}

var fixedNow = time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC)

func newTestPoller(client *Client, question string, sites []int) *csatPoller {
	p := newCSATPoller(client, CSATOptions{Interval: time.Minute, Question: question, PublicSites: sites})
	p.now = func() time.Time { return fixedNow }
	return p
}

func TestCSATAverage(t *testing.T) {
	surveys := string(readFixture(t, "exit_survey_list.xml"))
	noSite := `<session_list><session lsid="0a1b2c3d4e5f60718293a4b5c6d7e8f9"/></session_list>`
	site7 := `<session_list><session lsid="0A1B2C3D4E5F60718293A4B5C6D7E8F9">
		<public_site id="7">Seven</public_site></session></session_list>`
	mixed := `<exit_survey_list><exit_survey lsid="4f0c2a9be1d34c7f9a55b0e6d2c81a37">
		<question_list><question><name>csat</name><answer_list>
		<answer>5</answer><answer></answer><answer>n/a</answer><answer>4,5</answer>
		<answer> 3.0\n</answer><answer>1e2</answer><answer>NaN</answer><answer>0x10</answer>
		</answer_list></question></question_list></exit_survey></exit_survey_list>`

	tests := []struct {
		name     string
		surveys  string
		sessions string
		question string
		sites    []int
		want     CSAT
	}{
		{"all sites", surveys, noSite, "csat", nil, CSAT{Average: 3.25, Count: 2, Available: true}},
		{"question case", surveys, noSite, "CSAT", nil, CSAT{Average: 3.25, Count: 2, Available: true}},
		{"report header fallback", surveys, noSite, "satisfaction", nil, CSAT{Average: 3.25, Count: 2, Available: true}},
		{"label fallback", surveys, noSite, "How satisfied were you?", nil, CSAT{Average: 3.25, Count: 2, Available: true}},
		{"unknown question", surveys, noSite, "nps", nil, CSAT{Available: true}},
		{"site in report", surveys, noSite, "csat", []int{3}, CSAT{Average: 4, Count: 1, Available: true}},
		{"site from session lookup", surveys, site7, "csat", []int{7}, CSAT{Average: 2.5, Count: 1, Available: true}},
		{"site lookup without site", surveys, noSite, "csat", []int{7}, CSAT{Available: true}},
		{"non-numeric answers", mixed, noSite, "csat", nil, CSAT{Average: 12.5 / 3, Count: 3, Available: true}},
		{"empty list", string(readFixture(t, "exit_survey_list_empty.xml")), noSite, "csat", nil, CSAT{Available: true}},
		{"no data error", string(readFixture(t, "error_no_data_fragment.xml")), noSite, "csat", nil, CSAT{Available: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := csatAppliance(t, tt.surveys, tt.sessions)
			client, _ := fake.newClient(testClientSecret)
			p := newTestPoller(client, tt.question, tt.sites)

			got := p.poll(context.Background())

			tt.want.UpdatedAt = fixedNow
			tt.want.Window = "support sessions that ended since 2026-01-05 00:00 UTC"
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("poll() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCSATLooksUpMissingSitesOnce(t *testing.T) {
	fake := csatAppliance(t, string(readFixture(t, "exit_survey_list.xml")),
		`<session_list><session lsid="0a1b2c3d4e5f60718293a4b5c6d7e8f9"><public_site id="7"/></session></session_list>`)
	client, _ := fake.newClient(testClientSecret)
	p := newTestPoller(client, "csat", []int{3, 7})

	first := p.poll(context.Background())
	second := p.poll(context.Background())

	if first.Count != 2 || second.Count != 2 {
		t.Errorf("Count = %d then %d, want 2 both times", first.Count, second.Count)
	}
	var lookups []string
	for _, c := range fake.calls() {
		if c.Query.Get("generate_report") == "SupportSession" {
			lookups = append(lookups, c.Query.Get("lsids"))
		}
	}
	if diff := cmp.Diff([]string{"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}, lookups); diff != "" {
		t.Errorf("SupportSession lookups mismatch (-want +got):\n%s", diff)
	}
}

func TestCSATFailuresAreUnavailable(t *testing.T) {
	tests := []struct {
		name       string
		respond    http.HandlerFunc
		secret     string
		wantReason string
	}{
		{
			name:       "HTTP 500",
			respond:    func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
			secret:     testClientSecret,
			wantReason: "The appliance returned HTTP 500 for the survey report.",
		},
		{
			name:       "HTTP 403",
			respond:    func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusForbidden) },
			secret:     testClientSecret,
			wantReason: "The API account is not allowed to read exit-survey reports.",
		},
		{
			name:       "appliance error",
			respond:    serveFixture(t, "error_attributes.xml"),
			secret:     testClientSecret,
			wantReason: "The appliance reported an error: The API account lacks the reporting permission.",
		},
		{
			name:       "malformed report",
			respond:    func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html><body>")) },
			secret:     testClientSecret,
			wantReason: "The survey report could not be read. The relay log has the details.",
		},
		{
			name:       "token rejected",
			respond:    serveFixture(t, "exit_survey_list.xml"),
			secret:     "wrong",
			wantReason: "The relay could not get an OAuth token from the appliance. Check the API account's client ID and secret.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeAppliance(t, tt.respond)
			client, logs := fake.newClient(tt.secret)
			p := newTestPoller(client, "csat", nil)
			p.log = client.log

			got := p.poll(context.Background())

			want := CSAT{
				Reason:    tt.wantReason,
				UpdatedAt: fixedNow,
				Window:    "support sessions that ended since 2026-01-05 00:00 UTC",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("poll() mismatch (-want +got):\n%s", diff)
			}
			if !strings.Contains(logs.String(), "CSAT poll failed") {
				t.Errorf("log lacks the failure: %s", logs.String())
			}
			assertNoSecrets(t, "log", logs.String())
		})
	}
}

func TestCSATUnreachableAppliance(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "exit_survey_list.xml"))
	client, _ := fake.newClient(testClientSecret)
	fake.srv.Close()
	p := newTestPoller(client, "csat", nil)

	got := p.poll(context.Background())

	if got.Available {
		t.Fatal("Available = true for a closed server")
	}
	if want := "The relay could not connect to the appliance. The relay log has the details."; got.Reason != want {
		t.Errorf("Reason = %q, want %q", got.Reason, want)
	}
}

func TestCSATMidnight(t *testing.T) {
	plusOne := time.FixedZone("UTC+1", 3600)
	tests := []struct {
		name     string
		now      time.Time
		offset   time.Duration
		location *time.Location
		want     time.Time
	}{
		{"UTC", fixedNow, 0, nil, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
		{"zone ahead", time.Date(2026, 1, 5, 23, 30, 0, 0, time.UTC), 0, plusOne,
			time.Date(2026, 1, 6, 0, 0, 0, 0, plusOne)},
		{"zone before midnight", time.Date(2026, 1, 5, 22, 30, 0, 0, time.UTC), 0, plusOne,
			time.Date(2026, 1, 5, 0, 0, 0, 0, plusOne)},
		{"appliance clock ahead", time.Date(2026, 1, 5, 22, 30, 0, 0, time.UTC), time.Hour, plusOne,
			time.Date(2026, 1, 6, 0, 0, 0, 0, plusOne)},
		{"appliance clock behind", time.Date(2026, 1, 6, 0, 10, 0, 0, time.UTC), -15 * time.Minute, nil,
			time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeAppliance(t, serveFixture(t, "exit_survey_list_empty.xml"))
			client, _ := fake.newClient(testClientSecret)
			if tt.offset != 0 {
				sent := time.Now()
				client.clock.Observe(sent.Add(tt.offset).Truncate(time.Second), sent, sent)
			}
			p := newCSATPoller(client, CSATOptions{Question: "csat", Location: tt.location})
			p.now = func() time.Time { return tt.now }

			got := p.midnight()

			if !got.Equal(tt.want) {
				t.Errorf("midnight() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRunCSATPollsUntilCancelled(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "exit_survey_list.xml"))
	client, _ := fake.newClient(testClientSecret)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	results := make(chan CSAT, 10)
	done := make(chan error, 1)

	go func() {
		done <- RunCSAT(ctx, client, CSATOptions{
			Interval: 20 * time.Millisecond,
			Question: "csat",
			OnResult: func(c CSAT) { results <- c },
		})
	}()
	first := <-results
	second := <-results
	cancel()

	if err := <-done; err != nil {
		t.Errorf("RunCSAT() = %v, want nil after cancellation", err)
	}
	for i, got := range []CSAT{first, second} {
		if !got.Available || got.Count != 2 || got.Average != 3.25 {
			t.Errorf("result %d = %+v, want 2 answers averaging 3.25", i, got)
		}
	}
}

func TestRunCSATRejectsInvalidOptions(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "exit_survey_list.xml"))
	client, _ := fake.newClient(testClientSecret)
	onResult := func(CSAT) {}
	tests := []struct {
		name   string
		client *Client
		opts   CSATOptions
	}{
		{"nil client", nil, CSATOptions{Interval: time.Minute, Question: "csat", OnResult: onResult}},
		{"zero interval", client, CSATOptions{Question: "csat", OnResult: onResult}},
		{"blank question", client, CSATOptions{Interval: time.Minute, Question: " ", OnResult: onResult}},
		{"no callback", client, CSATOptions{Interval: time.Minute, Question: "csat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := RunCSAT(context.Background(), tt.client, tt.opts); err == nil {
				t.Error("RunCSAT() = nil, want an error")
			}
		})
	}
}
