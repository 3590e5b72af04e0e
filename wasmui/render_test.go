package wasmui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/view"
)

// render mounts a component in a server-side test engine and returns its
// HTML.
func render(t *testing.T, c app.Composer) string {
	t.Helper()
	e := app.NewTestEngine()
	if err := e.Load(c); err != nil {
		t.Fatalf("loading %T: %v", c, err)
	}
	e.ConsumeAll()
	return app.HTMLString(c)
}

// attrValues returns the values of an attribute in document order.
func attrValues(html, name string) []string {
	re := regexp.MustCompile(regexp.QuoteMeta(name) + `="([^"]*)"`)
	var values []string
	for _, m := range re.FindAllStringSubmatch(html, -1) {
		values = append(values, m[1])
	}
	return values
}

// assertHiddenIcon checks that the span holding glyph has the class and is
// hidden from screen readers. go-app's server encoder writes attributes in
// map order, and aria-hidden="true" as a bare aria-hidden.
func assertHiddenIcon(t *testing.T, html, class, glyph string) {
	t.Helper()
	m := regexp.MustCompile(`<span ([^>]*)>` + regexp.QuoteMeta(glyph) + `<`).FindStringSubmatch(html)
	if m == nil {
		t.Errorf("no span holds the icon %q", glyph)
		return
	}
	attrs := m[1]
	if !strings.Contains(attrs, `class="`+class+`"`) {
		t.Errorf("icon %q has attributes %s, want class %q", glyph, attrs, class)
	}
	if !regexp.MustCompile(`(^|\s)aria-hidden(="true")?(\s|$)`).MatchString(attrs) {
		t.Errorf("icon %q has attributes %s, want aria-hidden", glyph, attrs)
	}
}

func assertContains(t *testing.T, html string, parts ...string) {
	t.Helper()
	for _, part := range parts {
		if !strings.Contains(html, part) {
			t.Errorf("HTML lacks %q", part)
		}
	}
}

func TestDashboardPrerender(t *testing.T) {
	html := render(t, &Dashboard{})

	if diff := cmp.Diff([]string{"connecting"}, attrValues(html, "data-state")); diff != "" {
		t.Errorf("data-state mismatch (-want +got):\n%s", diff)
	}
	assertContains(t, html,
		`id="connection-state"`,
		`Connecting…`,
		`id="panel-queues"`,
		`id="panel-waiting"`,
		`id="panel-inprogress"`,
		`id="panel-reps"`,
		`No data yet.`,
		`id="announcer"`,
		`aria-live="polite"`,
		defaultTitle,
	)
}

func TestWaitingPanelRender(t *testing.T) {
	const now = 10_000
	rows := []view.Waiting{
		{ID: 7, Customer: "Breached", Team: "Windows", Entered: now - 245, SLA: 240, EstimatedPickup: now - 80},
		{ID: 8, Customer: "Close", Company: "Acme", Entered: now - 200, SLA: 240, EstimatedPickup: now + 60},
		{ID: 9, Customer: "", Issue: "Printer 100% offline", Entered: now + 30, SLA: 240},
	}
	html := render(t, &WaitingPanel{Rows: rows, Total: 5, Now: now})

	if diff := cmp.Diff([]string{"7", "8", "9"}, attrValues(html, "data-session-id")); diff != "" {
		t.Errorf("row order mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"breached", "approaching", "within"}, attrValues(html, "data-sla")); diff != "" {
		t.Errorf("SLA states mismatch (-want +got):\n%s", diff)
	}
	assertContains(t, html,
		`<caption class="visually-hidden">`,
		`<th scope="col">Waiting</th>`,
		`<th scope="row">Breached</th>`,
		`<span class="visually-hidden">SLA exceeded</span>`,
		`<span class="visually-hidden">Approaching SLA</span>`,
		`>4:05<`, // waited 245 s
		`>0:00<`, // entered in the future: never negative
		`>overdue 1:20<`,
		`>in 1:00<`,
		`title="Printer 100% offline"`,
		`<span class="count">5</span>`,
		`<p class="panel-note">Showing the first 3 of 5, longest wait first</p>`,
	)
}

func TestPanelsRenderRowIDs(t *testing.T) {
	const now = 50_000
	tests := []struct {
		name  string
		panel app.Composer
		attr  string
		want  []string
		parts []string
	}{
		{
			name: "queues",
			panel: &QueuesPanel{Total: 2, Now: now, Rows: []view.Queue{
				{ID: 1, Name: "Windows", Waiting: 2, OldestEntry: now - 3723, RepsAvailable: 1, RepsLoggedIn: 3, SLA: 600},
				{ID: 2, Name: "Mac"},
			}},
			attr:  "data-queue-id",
			want:  []string{"1", "2"},
			parts: []string{`id="panel-queues"`, `1:02:03`, `SLA exceeded`, `data-sla="none"`},
		},
		{
			name: "in progress",
			panel: &InProgressPanel{Total: 1, Now: now, Rows: []view.InProgress{
				{ID: 101, Customer: "Carol", Reps: []string{"Alice", "Bob"}, Team: "Windows",
					StartMethod: "session_key", ClientType: "web_chat", Started: now - 65},
			}},
			attr:  "data-session-id",
			want:  []string{"101"},
			parts: []string{`id="panel-inprogress"`, `>Alice, Bob<`, `>Session key<`, `>Web chat<`, `>1:05<`},
		},
		{
			name: "representatives",
			panel: &RepsPanel{Total: 2, Now: now, Rows: []view.Rep{
				{ID: 10, Name: "Alice", Status: view.StatusAvailable, Sessions: 2, LoggedInSince: now - 59},
				{ID: 11, Name: "Bob", Status: view.StatusAutoAssignOff},
			}},
			attr: "data-rep-id",
			want: []string{"10", "11"},
			parts: []string{`id="panel-reps"`, `status-text">Available<`, `status-text">Auto-assign off<`,
				`>0:59<`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			html := render(t, tt.panel)
			if diff := cmp.Diff(tt.want, attrValues(html, tt.attr)); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", tt.attr, diff)
			}
			assertContains(t, html, tt.parts...)
		})
	}
}

// Status glyphs are hidden from screen readers, because the text beside
// them carries the same information.
func TestRepStatusIconHidden(t *testing.T) {
	statuses := []view.RepStatus{
		view.StatusAvailable, view.StatusBusy, view.StatusIdle,
		view.StatusAutoAssignOff, view.StatusUnavailable,
	}
	seen := make(map[string]view.RepStatus)
	for _, s := range statuses {
		html := render(t, &RepsPanel{Total: 1, Rows: []view.Rep{{ID: 1, Name: "A", Status: s}}})
		icon := statusIcon(s)
		assertHiddenIcon(t, html, "status-icon", icon)
		assertContains(t, html, `status-text">`+s.Label()+`<`)
		if other, dup := seen[icon]; dup {
			t.Errorf("statuses %q and %q share the icon %q", other, s, icon)
		}
		seen[icon] = s
	}
}

func TestPanelRendersEmptyMessage(t *testing.T) {
	html := render(t, &RepsPanel{})
	assertContains(t, html, `No representatives logged in.`, `<span class="count">0</span>`)
	if strings.Contains(html, "<table") {
		t.Error("empty panel renders a table")
	}
}

func TestHeaderRender(t *testing.T) {
	html := render(t, &Header{
		ConfigName:  "Service desk",
		ApplianceID: "appliance-1",
		Connection:  Connection{State: StateUnavailable, Text: "Appliance unavailable: 50% lost", Label: "x"},
	})
	if diff := cmp.Diff([]string{"unavailable"}, attrValues(html, "data-state")); diff != "" {
		t.Errorf("data-state mismatch (-want +got):\n%s", diff)
	}
	assertContains(t, html,
		`>Service desk<`,
		`>appliance-1<`,
		`>Appliance unavailable: 50% lost<`,
	)
	assertHiddenIcon(t, html, "connection-icon", "▲")
	if strings.Contains(html, "aria-live") {
		t.Error("header has a live region, but its text ticks every second")
	}
}

func TestHeaderRendersTransport(t *testing.T) {
	tests := []struct {
		transport Transport
		text      string
	}{
		{TransportWebSocket, ">WebSocket<"},
		{TransportStream, ">HTTP stream (fallback)<"},
	}
	for _, tt := range tests {
		html := render(t, &Header{Connection: Connection{State: StateLive, Text: "Live"}, Transport: tt.transport})
		if diff := cmp.Diff([]string{string(tt.transport)}, attrValues(html, "data-transport")); diff != "" {
			t.Errorf("%s: data-transport mismatch (-want +got):\n%s", tt.transport, diff)
		}
		assertContains(t, html, `id="transport"`, tt.text)
	}

	html := render(t, &Header{Connection: Connection{State: StateConnecting, Text: "Connecting…"}})
	if strings.Contains(html, `id="transport"`) {
		t.Error("header shows a transport before any connection opened")
	}
}
