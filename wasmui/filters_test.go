package wasmui

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

func TestNoDataText(t *testing.T) {
	tests := []struct {
		appliance string
		hasModel  bool
		want      string
	}{
		{"", false, "No data yet."},
		{wire.ApplianceConnecting, false, "No data yet."},
		{wire.ApplianceConnected, false, "No data yet."},
		{wire.ApplianceConnected, true, ""},
		{wire.ApplianceUnavailable, false, "No data: the appliance is unavailable."},
		{wire.ApplianceUnavailable, true, ""},
		{wire.ApplianceDisabled, false, "No data: the dashboard is disabled."},
		{wire.ApplianceDisabled, true, "No data: the dashboard is disabled."},
	}
	for _, tt := range tests {
		if got := noDataText(tt.appliance, tt.hasModel); got != tt.want {
			t.Errorf("noDataText(%q, %v) = %q, want %q", tt.appliance, tt.hasModel, got, tt.want)
		}
	}
}

func TestEmptyTextsWithoutData(t *testing.T) {
	got := emptyTextsFor(noDataDisabled, activeFilters{Teams: true})
	want := emptyTexts{noDataDisabled, noDataDisabled, noDataDisabled, noDataDisabled, noDataDisabled, noDataDisabled}
	if got != want {
		t.Errorf("emptyTextsFor(disabled) = %+v, want every message %q", got, noDataDisabled)
	}
}

func TestEmptyTextsNameFilters(t *testing.T) {
	tests := []struct {
		name    string
		filters activeFilters
		want    emptyTexts
	}{
		{"none", activeFilters{}, emptyTexts{
			Waiting:       "No customers waiting.",
			InProgress:    "No sessions in progress.",
			Closed:        "No sessions closed since the relay started.",
			Queues:        "No support team queues.",
			Reps:          "No representatives logged in.",
			BusiestQueues: "No customers waiting in any queue.",
		}},
		{"teams", activeFilters{Teams: true}, emptyTexts{
			Waiting:       "No customers waiting in the teams shown.",
			InProgress:    "No sessions in progress in the teams shown.",
			Closed:        "No sessions closed in the teams shown since the relay started.",
			Queues:        "No support team queues in the teams shown.",
			Reps:          "No representatives of the teams shown logged in.",
			BusiestQueues: "No customers waiting in any queue in the teams shown.",
		}},
		{"start methods", activeFilters{Methods: true}, emptyTexts{
			Waiting:       "No customers waiting with the start methods shown.",
			InProgress:    "No sessions in progress with the start methods shown.",
			Closed:        "No sessions closed with the start methods shown since the relay started.",
			Queues:        "No support team queues.",
			Reps:          "No representatives logged in.",
			BusiestQueues: "No customers waiting in any queue with the start methods shown.",
		}},
		{"both", activeFilters{Teams: true, Methods: true}, emptyTexts{
			Waiting:       "No customers waiting in the teams and start methods shown.",
			InProgress:    "No sessions in progress in the teams and start methods shown.",
			Closed:        "No sessions closed in the teams and start methods shown since the relay started.",
			Queues:        "No support team queues in the teams shown.",
			Reps:          "No representatives of the teams shown logged in.",
			BusiestQueues: "No customers waiting in any queue in the teams and start methods shown.",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, emptyTextsFor("", tt.filters)); diff != "" {
				t.Errorf("empty texts mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDescribeFilters(t *testing.T) {
	teams := map[string]bool{"windows": true, "mac": true, "linux": true}
	tests := []struct {
		name     string
		settings view.Settings
		teams    map[string]bool
		want     string
	}{
		{"none", view.Settings{}, teams, ""},
		{"blank names only", view.Settings{AllowedTeams: []string{" ", ""}}, teams, ""},
		{"allowed", view.Settings{AllowedTeams: []string{"Windows", " mac ", "windows"}}, teams, "Filtered: 2 teams"},
		{"ignored", view.Settings{IgnoredTeams: []string{"linux"}}, teams, "Filtered: 1 team hidden"},
		{"all kinds", view.Settings{
			AllowedTeams: []string{"windows", "mac", "linux"},
			IgnoredTeams: []string{"mac"},
			StartMethods: []string{"session_key", "issue_submission"},
		}, teams, "Filtered: 3 teams, 1 team hidden, 2 start methods"},
		{"start method", view.Settings{StartMethods: []string{"session_key"}}, teams, "Filtered: 1 start method"},
		{"misspelt team", view.Settings{AllowedTeams: []string{"windows", "windwos"}}, teams,
			"Filtered: 2 teams · no team with code name windwos"},
		{"misspelt teams", view.Settings{AllowedTeams: []string{"windwos"}, IgnoredTeams: []string{"Lnux", "windwos"}},
			teams, "Filtered: 1 team, 2 teams hidden · no teams with code names windwos, lnux"},
		{"before the model", view.Settings{AllowedTeams: []string{"windwos"}}, nil, "Filtered: 1 team"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describeFilters(tt.settings, tt.teams); got != tt.want {
				t.Errorf("describeFilters = %q, want %q", got, tt.want)
			}
		})
	}
}

// The dashboard words its empty panels and the header's filter line from
// the relay's hello, status and snapshot.
func TestDashboardDescribesFiltersAndMissingData(t *testing.T) {
	now := time.Now()
	m := relayMessages{t: t, now: now}
	d, _ := newTestDashboard()
	if got := d.noDataText(); got != noDataYet {
		t.Errorf("no data text before any message = %q, want %q", got, noDataYet)
	}

	hello := wire.Hello{
		ConfigName: "Filtered desk",
		Settings: view.Settings{
			AllowedTeams: []string{"windows", "windwos"},
			StartMethods: []string{"session_key"},
		},
		HeartbeatMillis: 10000,
	}
	d.apply(event{Kind: eventOpen, Conn: 1}, now)
	d.apply(messages(1,
		m.frame(wire.Envelope{Type: wire.TypeHello, Hello: &hello}),
		m.status(wire.ApplianceUnavailable),
	), now)
	if got := d.noDataText(); got != noDataUnavailable {
		t.Errorf("no data text while unavailable = %q, want %q", got, noDataUnavailable)
	}
	// Without a model the page cannot tell a misspelt team.
	if got, want := d.filterText, "Filtered: 2 teams, 1 start method"; got != want {
		t.Errorf("filter text before the snapshot = %q, want %q", got, want)
	}

	d.apply(messages(1, m.status(wire.ApplianceConnected), m.snapshot(1, deskRows(now.Unix()))), now)
	if got := d.noDataText(); got != "" {
		t.Errorf("no data text with a snapshot = %q, want none", got)
	}
	if got, want := d.filterText, "Filtered: 2 teams, 1 start method · no team with code name windwos"; got != want {
		t.Errorf("filter text with the snapshot = %q, want %q", got, want)
	}
	// The start method filter hides both sessions, which have none.
	assertContains(t, htmlOf(t, d.Render()),
		`<p id="filter-state" class="filter-state">Filtered: 2 teams, 1 start method · no team with code name windwos</p>`,
		`<p class="empty">No customers waiting in the teams and start methods shown.</p>`,
		`<p class="empty">No sessions in progress in the teams and start methods shown.</p>`,
	)
}

func TestDashboardDisabledHidesKeptRows(t *testing.T) {
	now := time.Now()
	m := relayMessages{t: t, now: now}
	d, _ := newTestDashboard()
	d.apply(event{Kind: eventOpen, Conn: 1}, now)
	d.apply(messages(1, m.hello(120), m.status(wire.ApplianceConnected), m.snapshot(1, deskRows(now.Unix()))), now)
	d.apply(messages(1, m.status(wire.ApplianceDisabled)), now)
	if got := d.noDataText(); got != noDataDisabled {
		t.Errorf("no data text when disabled = %q, want %q", got, noDataDisabled)
	}
	html := htmlOf(t, d.Render())
	if strings.Contains(html, "Bob Waiting") {
		t.Error("disabled dashboard renders a waiting session kept from the earlier snapshot")
	}
	if n := strings.Count(html, `<p class="empty">No data: the dashboard is disabled.</p>`); n != 5 {
		t.Errorf("%d panels say the dashboard is disabled, want all 5", n)
	}
}

func TestHeaderRendersFilters(t *testing.T) {
	html := render(t, &Header{Connection: Connection{State: StateLive, Text: "Live"}, Filters: "Filtered: 1 team <x>"})
	assertContains(t, html, `<p id="filter-state" class="filter-state">Filtered: 1 team &lt;x&gt;</p>`)
	html = render(t, &Header{Connection: Connection{State: StateLive, Text: "Live"}})
	if strings.Contains(html, "filter-state") {
		t.Error("header shows a filter line with no filter set")
	}
}

func TestPanelNoteStaysInPlace(t *testing.T) {
	rows := []view.Rep{{ID: 1, Name: "Ada"}, {ID: 2, Name: "Bo"}}
	html := render(t, &RepsPanel{Rows: rows, Total: 2})
	assertContains(t, html, `<p class="panel-note" hidden></p>`)
	html = render(t, &RepsPanel{Rows: rows[:1], Total: 2})
	assertContains(t, html, `<p class="panel-note">Showing the first 1 of 2, sorted by name</p>`)
	if strings.Index(html, "panel-note") > strings.Index(html, "<table") {
		t.Error("the line stating the row cap follows the table, want it above")
	}
}
