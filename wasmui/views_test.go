package wasmui

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

func TestParsePageOptions(t *testing.T) {
	tests := []struct {
		query   string
		want    pageOptions
		ignored int
	}{
		{"", pageOptions{Layout: LayoutDesk}, 0},
		{"layout=wall", pageOptions{Layout: LayoutWall}, 0},
		{"theme=dark&layout=wall", pageOptions{Layout: LayoutWall, Theme: "dark"}, 0},
		{"theme=light", pageOptions{Layout: LayoutDesk, Theme: "light"}, 0},
		{"layout=WALL&theme=DARK", pageOptions{Layout: LayoutWall, Theme: "dark"}, 0},
		{"layout=Desk&theme=Light", pageOptions{Layout: LayoutDesk, Theme: "light"}, 0},
		{"layout=kiosk&theme=blue", pageOptions{Layout: LayoutDesk}, 2},
		{"layout&theme=", pageOptions{Layout: LayoutDesk}, 2},
		{"zoom=2", pageOptions{Layout: LayoutDesk}, 0},
	}
	for _, tt := range tests {
		got, ignored := parsePageOptions(tt.query)
		if got != tt.want {
			t.Errorf("parsePageOptions(%q) = %+v, want %+v", tt.query, got, tt.want)
		}
		if len(ignored) != tt.ignored {
			t.Errorf("parsePageOptions(%q) ignored %q, want %d messages", tt.query, ignored, tt.ignored)
		}
	}
}

func TestParsePageOptionsNamesAcceptedValues(t *testing.T) {
	_, ignored := parsePageOptions("layout=kiosk&theme=%3Cb%3E")
	want := []string{
		`ignoring the page address's layout="kiosk": accepted values are "desk" (the default) and "wall"`,
		`ignoring the page address's theme="%3Cb%3E": accepted values are "light" and "dark"; ` +
			`without it the page follows the browser's colour scheme`,
	}
	if diff := cmp.Diff(want, ignored); diff != "" {
		t.Errorf("ignored options mismatch (-want +got):\n%s", diff)
	}
}

func TestFormatDecimal(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		trim     bool
		want     string
	}{
		{4.25, 1, false, "4.3"},
		{4.24, 1, false, "4.2"},
		{5, 1, false, "5.0"},
		{0.05, 2, true, "0.05"},
		{5, 2, true, "5"},
		{1.5, 2, true, "1.5"},
		{-2.5, 1, false, "-2.5"},
	}
	for _, tt := range tests {
		if got := formatDecimal(tt.v, tt.decimals, tt.trim); got != tt.want {
			t.Errorf("formatDecimal(%v, %d, %v) = %q, want %q", tt.v, tt.decimals, tt.trim, got, tt.want)
		}
	}
}

func TestEscapeHTML(t *testing.T) {
	if got, want := escapeHTML(`<b a="1">Tom & Jerry's</b>`),
		`&lt;b a=&#34;1&#34;&gt;Tom &amp; Jerry&#39;s&lt;/b&gt;`; got != want {
		t.Errorf("escapeHTML = %q, want %q", got, want)
	}
	if got := escapeHTML("plain text"); got != "plain text" {
		t.Errorf("escapeHTML(plain) = %q", got)
	}
}

func TestDecodeDetails(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		reason string
	}{
		{"relay error", 502, `{"error":"the appliance could not return the session details","detail":"bad token"}`,
			"the appliance could not return the session details (bad token)"},
		{"not found", 404, `{"error":"support session not found on the appliance"}`,
			"support session not found on the appliance"},
		{"plain 404", 404, "not found\n", "the relay does not offer session details (HTTP 404)"},
		{"plain 503", 503, "", "the appliance did not return them (HTTP 503)"},
		{"other", 500, "", "the relay answered HTTP 500"},
		{"bad JSON", 200, "{", "the relay's response could not be read"},
	}
	for _, tt := range tests {
		d, reason := decodeDetails(tt.status, tt.body)
		if d != nil || reason != tt.reason {
			t.Errorf("%s: decodeDetails = %v, %q; want nil, %q", tt.name, d, reason, tt.reason)
		}
	}
	d, reason := decodeDetails(200, `{"customer":{"name":"Ada"},"duration_seconds":61,
		"customer_surveys":[{"question":"q1","label":"","answers":["a","b"]}]}`)
	if reason != "" || d == nil || d.Customer.Name != "Ada" || d.DurationSeconds != 61 || len(d.CustomerSurveys) != 1 {
		t.Errorf("decodeDetails(200) = %+v, %q", d, reason)
	}
}

func TestDetailsURL(t *testing.T) {
	if got, want := detailsURL("/dash/", "ab/c"), "/dash/api/v1/sessions/ab%2Fc"; got != want {
		t.Errorf("detailsURL = %q, want %q", got, want)
	}
	if got, want := detailsURL("/", "0123"), "/api/v1/sessions/0123"; got != want {
		t.Errorf("detailsURL = %q, want %q", got, want)
	}
}

func TestRenderDetailsEscapesAndNames(t *testing.T) {
	d := &sessionDetails{
		Customer:        detailsCustomer{Name: "<script>x</script>", Company: ""},
		Reps:            []detailsRep{{Username: "al", PublicName: "Al Pub", PrivateName: "Al Priv", Owner: true}},
		CustomerSurveys: []detailsSurvey{{Question: "q1", Label: "How was it?", Answers: []string{"Good"}}},
	}
	html := renderDetails(d, view.NamePrivateUsername)
	assertContains(t, html,
		`<dd>&lt;script&gt;x&lt;/script&gt;</dd>`,
		`data-fact="company"><dt>Company</dt><dd><span class="none">`,
		`<dd>Al Priv (al) (owner)</dd>`,
		`data-question="q1"><dt>How was it?</dt><dd>Good</dd>`,
	)
	if strings.Contains(html, "<script>") {
		t.Error("details HTML holds an unescaped script tag")
	}
}

func TestBusiestQueues(t *testing.T) {
	queues := []view.Queue{
		{ID: 1, Name: "Alpha", Waiting: 0},
		{ID: 2, Name: "Beta", Waiting: 3, OldestEntry: 500},
		{ID: 3, Name: "Gamma", Waiting: 1, OldestEntry: 100},
		{ID: 4, Name: "Delta", Waiting: 2, OldestEntry: 500},
	}
	var ids []int64
	for _, q := range busiestQueues(queues) {
		ids = append(ids, q.ID)
	}
	if diff := cmp.Diff([]int64{3, 2, 4}, ids); diff != "" {
		t.Errorf("busiest queues mismatch (-want +got):\n%s", diff)
	}
}

func TestQueuesPanelOverSLA(t *testing.T) {
	const now = 10_000
	html := render(t, &QueuesPanel{Total: 2, Now: now, Breaches: map[int64]int{1: 3},
		Rows: []view.Queue{
			{ID: 1, Name: "Windows", Waiting: 4, OldestEntry: now - 700, SLA: 600},
			{ID: 2, Name: "Mac", Waiting: 1, OldestEntry: now - 480, SLA: 600},
		}})
	if diff := cmp.Diff([]string{"3", "0"}, attrValues(html, "data-over-sla")); diff != "" {
		t.Errorf("data-over-sla mismatch (-want +got):\n%s", diff)
	}
	// 480 s is exactly 80 % of the 600 s SLA: approaching.
	if diff := cmp.Diff([]string{"breached", "approaching"}, attrValues(html, "data-sla")); diff != "" {
		t.Errorf("data-sla mismatch (-want +got):\n%s", diff)
	}
	assertContains(t, html, `<th scope="col">Over SLA</th>`, `over-sla-some">`, `<span class="sla-flag sla-breached"`)
}

func TestApproachingStartsAtEightyPercent(t *testing.T) {
	w := view.Waiting{Entered: 0, SLA: 100}
	for waited, want := range map[int64]view.SLAState{79: view.SLAWithin, 80: view.SLAApproaching,
		100: view.SLAApproaching, 101: view.SLABreached} {
		if got := w.SLAState(waited); got != want {
			t.Errorf("SLA state after %d of 100 s = %v, want %v", waited, got, want)
		}
	}
}

func TestCSATPanelRender(t *testing.T) {
	tests := []struct {
		name  string
		csat  wire.CSAT
		parts []string
	}{
		{"available", wire.CSAT{Available: true, Average: 4.26, Count: 12, Question: "satisfaction"},
			[]string{`data-csat="available"`, `<span class="csat-average">4.3</span>`,
				`12 answers today`, `satisfaction`}},
		{"one answer", wire.CSAT{Available: true, Average: 5, Count: 1}, []string{`>5.0<`, `1 answer today`}},
		{"no answers", wire.CSAT{Available: true}, []string{`no answers today`, `class="none"`}},
		{"unavailable", wire.CSAT{Reason: "token <rejected>"},
			[]string{`data-csat="unavailable"`, `CSAT unavailable: token &lt;rejected&gt;`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertContains(t, htmlOf(t, csatPanel(tt.csat)), tt.parts...)
		})
	}
}

func TestClosedPanelRender(t *testing.T) {
	rows := []wire.ClosedSession{
		{ID: 7, LSID: "0123456789abcdef0123456789abcdef", Customer: "Ada", Company: "Acme", Team: "Windows",
			Reps: []string{"Al", "Bo"}, Started: 1_000_000, Ended: 1_000_125},
	}
	html := render(t, &ClosedPanel{Rows: rows, Total: 1, Details: true})
	assertContains(t, html,
		`id="panel-closed"`, `data-lsid="0123456789abcdef0123456789abcdef"`, `>Al, Bo<`, `>2:05<`,
		`>`+time.Unix(1_000_125, 0).Local().Format("15:04")+`<`,
		`id="details-button-0123456789abcdef0123456789abcdef"`, `aria-haspopup="dialog"`,
		`of the session with Ada`, `<th scope="col">Details</th>`)
	html = render(t, &ClosedPanel{Rows: rows, Total: 1})
	if strings.Contains(html, "details-button") {
		t.Error("closed panel has details buttons with session details off")
	}
}

func TestDetailsDialogRenderStates(t *testing.T) {
	d, _ := newTestDashboard()
	html := htmlOf(t, d.renderDetailsDialog(view.NamePublic))
	assertContains(t, html, `id="details-dialog"`, `data-state="closed"`, `aria-labelledby="details-title"`,
		`aria-modal`)
	if strings.Contains(html, "details-close") {
		t.Error("closed dialog renders content")
	}

	d.details.request = detailsRequest{LSID: "x", Customer: "Ada <A>"}
	d.details.state = detailsLoading
	assertContains(t, htmlOf(t, d.renderDetailsDialog(view.NamePublic)), `Session details: Ada &lt;A&gt;`,
		`Loading details…`, `<form method="dialog"><button id="details-close"`)
	d.details.fail("the relay could not be reached")
	assertContains(t, htmlOf(t, d.renderDetailsDialog(view.NamePublic)), `data-state="error"`,
		`Details unavailable: the relay could not be reached`)
}

// htmlOf returns the HTML of a node that is not a mounted component.
func htmlOf(t *testing.T, ui app.UI) string {
	t.Helper()
	return app.HTMLString(ui)
}
