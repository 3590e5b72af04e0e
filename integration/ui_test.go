package integration_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

// The browser tests in this file run the WebAssembly dashboard in headless
// Chromium against a relay that follows the simulator, and compare what
// the page shows with the board that the relay's own messages produce in a
// native viewer. They rely on these hooks of the page: the panels
// #panel-waiting, #panel-inprogress, #panel-closed, #panel-queues,
// #panel-reps and #panel-csat (data-csat); rows tr[data-session-id],
// tr[data-queue-id] (with data-sla and data-over-sla), tr[data-rep-id] and
// tr[data-lsid]; .panel-title .count; .empty and .panel-note;
// #connection-state (data-state) with .connection-text; #filter-state;
// #announcer; button#details-button-<lsid>;
// dialog#details-dialog (data-state) with #details-close,
// #details-status and [data-fact]; and the wall's #wall-summary with
// [data-tile].

// openDashboard loads the page at url and waits until it shows live data.
func openDashboard(t *testing.T, page context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(page,
		chromedp.Navigate(url),
		chromedp.WaitNotPresent(chromedp.ID("app-wasm-loader")),
	); err != nil {
		t.Fatalf("loading %s: %v", url, err)
	}
	pollFor(t, page, 60*time.Second, "connection state live",
		`document.querySelector("#connection-state")?.dataset.state === "live"`)
}

// pollFor waits up to timeout until the JavaScript expression is true.
func pollFor(t *testing.T, page context.Context, timeout time.Duration, what, expr string) {
	t.Helper()
	_, err := chromedp.Run(page, chromedp.Poll[bool](expr,
		chromedp.WithPollingTimeout(timeout),
		chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil {
		text, _ := chromedp.Run(page, chromedp.Evaluate[string](`document.body.innerText.slice(0, 3000)`))
		t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, text)
	}
}

// evalJS evaluates a JavaScript expression in the page.
func evalJS[T any](t *testing.T, page context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(page, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// board returns the viewer's board and closed sessions, which the page's
// code derives from the same relay messages.
func (v *viewer) board() (*view.Board, []wire.ClosedSession) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.feed.Board(), v.feed.Closed()
}

// waitViewer waits until cond holds for the viewer's board.
func (v *viewer) waitBoard(t *testing.T, what string, cond func(*view.Board, []wire.ClosedSession) bool) {
	t.Helper()
	waitFor(t, 20*time.Second, what, func() bool { return cond(v.board()) })
}

// panelRows is the rows and heading counts of every panel.
type panelRows struct {
	Waiting    []string
	InProgress []string
	Closed     []string
	Queues     []string
	Reps       []string
	Counts     map[string]string
}

const panelRowsScript = `(() => {
	const ids = (sel, attr) => [...document.querySelectorAll(sel)].map(e => e.getAttribute(attr));
	const counts = {};
	for (const p of document.querySelectorAll("section.panel")) {
		const c = p.querySelector(".panel-title .count");
		if (c) counts[p.id] = c.textContent;
	}
	return {
		Waiting: ids("#panel-waiting tr[data-session-id]", "data-session-id"),
		InProgress: ids("#panel-inprogress tr[data-session-id]", "data-session-id"),
		Closed: ids("#panel-closed tr[data-session-id]", "data-session-id"),
		Queues: ids("#panel-queues tr[data-queue-id]", "data-queue-id"),
		Reps: ids("#panel-reps tr[data-rep-id]", "data-rep-id"),
		Counts: counts,
	};
})()`

// expectedRows returns the rows the desk layout shows for a board: each
// list capped at 200 rows, in the board's order.
func expectedRows(b *view.Board, closed []wire.ClosedSession) panelRows {
	const limit = 200
	ids := func(n int, id func(int) int64) []string {
		out := []string{}
		for i := 0; i < min(n, limit); i++ {
			out = append(out, strconv.FormatInt(id(i), 10))
		}
		return out
	}
	return panelRows{
		Waiting:    ids(len(b.Waiting), func(i int) int64 { return b.Waiting[i].ID }),
		InProgress: ids(len(b.InProgress), func(i int) int64 { return b.InProgress[i].ID }),
		Closed:     ids(len(closed), func(i int) int64 { return closed[i].ID }),
		Queues:     ids(len(b.Queues), func(i int) int64 { return b.Queues[i].ID }),
		Reps:       ids(len(b.Reps), func(i int) int64 { return b.Reps[i].ID }),
		Counts: map[string]string{
			"panel-waiting":    strconv.Itoa(len(b.Waiting)),
			"panel-inprogress": strconv.Itoa(len(b.InProgress)),
			"panel-closed":     strconv.Itoa(len(closed)),
			"panel-queues":     strconv.Itoa(len(b.Queues)),
			"panel-reps":       strconv.Itoa(len(b.Reps)),
		},
	}
}

// checkPanelsMatchViewer waits until every panel of the page shows the
// viewer's board and reports the difference when it never does.
func checkPanelsMatchViewer(t *testing.T, page context.Context, v *viewer) {
	t.Helper()
	var diff string
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		want := expectedRows(v.board())
		got := evalJS[panelRows](t, page, panelRowsScript)
		if diff = cmp.Diff(want, got); diff == "" {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("page rows mismatch (-viewer +page):\n%s", diff)
}

// rowsText returns the text of each row matched by selector.
func rowsText(t *testing.T, page context.Context, selector string) []string {
	t.Helper()
	return evalJS[[]string](t, page, fmt.Sprintf(
		`[...document.querySelectorAll(%q)].map(e => e.textContent)`, selector))
}

func TestUIPanelsMatchRelay(t *testing.T) {
	requireApp(t)
	s := startSite(t, sim.Config{Seed: 21, Scenario: sim.SmallOffice(), BatchDelay: 20 * time.Millisecond}, nil)
	s.waitReady(t)
	v := s.connectViewer(t)
	page := newBrowser(t)
	openDashboard(t, page, s.relayURL+"/")
	checkPanelsMatchViewer(t, page, v)

	// A customer arrives, is picked up, and a session ends: every panel
	// follows.
	teams := s.sim.Teams()
	id, _ := s.sim.AddCustomer(sim.Customer{Name: "Grace Hopper", TeamCodeName: teams[1].CodeName,
		StartMethod: "session_key", ClientType: "desktop"})
	s.sim.Flush()
	checkPanelsMatchViewer(t, page, v)
	if err := s.sim.Pickup(id, s.sim.Reps()[0].ID); err != nil {
		t.Fatal(err)
	}
	s.sim.Flush()
	checkPanelsMatchViewer(t, page, v)
	if err := s.sim.EndSession(id); err != nil {
		t.Fatal(err)
	}
	s.sim.Flush()
	v.waitBoard(t, "closed session in the viewer", func(_ *view.Board, closed []wire.ClosedSession) bool {
		return len(closed) == 1
	})
	checkPanelsMatchViewer(t, page, v)
	got := rowsText(t, page, fmt.Sprintf(`#panel-closed tr[data-session-id="%d"] th`, id))
	if diff := cmp.Diff([]string{"Grace Hopper"}, got); diff != "" {
		t.Errorf("closed row mismatch (-want +got):\n%s", diff)
	}
	if n := evalJS[int](t, page, `document.querySelectorAll("#panel-closed button").length`); n != 0 {
		t.Errorf("closed panel has %d details buttons with RTD_SESSION_DETAILS off, want 0", n)
	}
	if evalJS[bool](t, page, `document.querySelector("#panel-csat") !== null`) {
		t.Error("CSAT panel shown, but the relay sent no CSAT figure")
	}
}

func TestUIFilters(t *testing.T) {
	requireApp(t)
	page := newBrowser(t)
	// A quiet site with two teams and a customer per team and start
	// method; the filters name the teams by code name.
	teams := teamCodes(t, sim.Config{Seed: 5, Scenario: twoTeamScenario()})
	alpha, beta := teams[0], teams[1]

	tests := []struct {
		name  string
		extra map[string]string
		// shown reports whether a session of the team code and start
		// method must be shown.
		shown func(team, method string) bool
		// header is the header's description of the filters, and empty
		// the waiting panel's message once no customer waits.
		header, empty string
	}{
		{"allowed teams", map[string]string{"RTD_ALLOWED_TEAMS": " " + strings.ToUpper(alpha) + " "},
			func(team, method string) bool { return team == alpha },
			"Filtered: 1 team", "No customers waiting in the teams shown."},
		{"ignored teams", map[string]string{"RTD_IGNORED_TEAMS": alpha, "RTD_ALLOWED_TEAMS": alpha + "," + beta},
			func(team, method string) bool { return team == beta },
			"Filtered: 2 teams, 1 team hidden", "No customers waiting in the teams shown."},
		{"start methods", map[string]string{"RTD_START_METHODS": "session_key"},
			func(team, method string) bool { return method == "session_key" },
			"Filtered: 1 start method", "No customers waiting with the start methods shown."},
		{"misspelt team", map[string]string{"RTD_ALLOWED_TEAMS": alpha + ",no_such_team"},
			func(team, method string) bool { return team == alpha },
			"Filtered: 2 teams · no team with code name no_such_team", "No customers waiting in the teams shown."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := sim.Config{Seed: 5, Scenario: twoTeamScenario(), BatchDelay: 20 * time.Millisecond}
			s := startSite(t, cfg, tt.extra)
			s.waitReady(t)
			v := s.connectViewer(t)
			openDashboard(t, page, s.relayURL+"/")
			pollFor(t, page, 10*time.Second, "filters described in the header", fmt.Sprintf(
				`document.querySelector("#filter-state")?.textContent === %q`, tt.header))

			simTeams := map[string]sim.Team{}
			for _, team := range s.sim.Teams() {
				simTeams[team.CodeName] = team
			}
			wantWaiting := map[string]bool{}
			for _, code := range teams {
				if _, ok := simTeams[code]; !ok {
					t.Fatalf("simulator has no team %q; teams: %+v", code, s.sim.Teams())
				}
				for _, method := range []string{"session_key", "issue_submission"} {
					name := code + " " + method
					id, _ := s.sim.AddCustomer(sim.Customer{Name: name, TeamCodeName: code, StartMethod: method})
					wantWaiting[strconv.FormatInt(id, 10)] = tt.shown(code, method)
				}
			}
			s.sim.Flush()
			v.waitBoard(t, "customers in the viewer", func(b *view.Board, _ []wire.ClosedSession) bool {
				return len(b.Waiting) == countTrue(wantWaiting)
			})
			checkPanelsMatchViewer(t, page, v)

			// The page's rows are the viewer's; check the viewer's are right.
			b, _ := v.board()
			for _, w := range b.Waiting {
				if !tt.shown(w.TeamCode, w.StartMethod) {
					t.Errorf("waiting session %d of team %s by %s is shown", w.ID, w.TeamCode, w.StartMethod)
				}
			}
			for _, q := range b.Queues {
				if !tt.shown(q.CodeName, "session_key") {
					t.Errorf("queue %s is shown", q.CodeName)
				}
			}
			got := rowsText(t, page, "#panel-waiting tr[data-session-id] th")
			for id, shown := range wantWaiting {
				inPage := evalJS[bool](t, page, fmt.Sprintf(
					`document.querySelector('#panel-waiting tr[data-session-id="%s"]') !== null`, id))
				if inPage != shown {
					t.Errorf("waiting session %s in the page = %v, want %v (rows %q)", id, inPage, shown, got)
				}
			}

			// Closing every session fills the closed panel with the shown
			// ones only.
			for id := range wantWaiting {
				n, _ := strconv.ParseInt(id, 10, 64)
				if err := s.sim.EndSession(n); err != nil {
					t.Fatal(err)
				}
			}
			s.sim.Flush()
			v.waitBoard(t, "closed sessions in the viewer", func(b *view.Board, closed []wire.ClosedSession) bool {
				return len(b.Waiting) == 0 && len(closed) == countTrue(wantWaiting)
			})
			checkPanelsMatchViewer(t, page, v)
			_, closed := v.board()
			for _, c := range closed {
				if !wantWaiting[strconv.FormatInt(c.ID, 10)] {
					t.Errorf("closed session %d (%s) is shown", c.ID, c.Customer)
				}
			}
			if got := evalJS[string](t, page, `document.querySelector("#panel-waiting .empty")?.textContent ?? ""`); got != tt.empty {
				t.Errorf("empty waiting panel says %q, want %q", got, tt.empty)
			}
		})
	}
}

// twoTeamScenario is a quiet site: two teams, two reps serving both, and
// nobody waiting. RunScenario is never called on it, so it changes only
// through the test's controls.
func twoTeamScenario() sim.ScenarioConfig {
	return sim.ScenarioConfig{Teams: 2, Reps: 2, TeamsPerRep: 2}
}

// teamCodes returns the team code names of the site cfg generates, which
// the seed fixes, without starting a simulator.
func teamCodes(t *testing.T, cfg sim.Config) []string {
	t.Helper()
	cfg.ClientID, cfg.ClientSecret = "team-codes", "team-codes-secret"
	probe, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	var codes []string
	for _, team := range probe.Teams() {
		codes = append(codes, team.CodeName)
	}
	return codes
}

func countTrue(m map[string]bool) int {
	n := 0
	for _, v := range m {
		if v {
			n++
		}
	}
	return n
}

func TestUINameFormats(t *testing.T) {
	requireApp(t)
	page := newBrowser(t)
	rep := sim.Rep{Username: "ada.l", PublicName: "Ada Public", PrivateName: "Ada Private"}
	tests := map[string]string{
		"public":           "Ada Public",
		"private":          "Ada Private",
		"username":         "ada.l",
		"private_username": "Ada Private (ada.l)",
	}
	for format, want := range tests {
		t.Run(format, func(t *testing.T) {
			s := startSite(t, sim.Config{Seed: 3, Scenario: sim.SmallOffice(), BatchDelay: 20 * time.Millisecond},
				map[string]string{"RTD_REP_NAME_FORMAT": format})
			s.waitReady(t)
			openDashboard(t, page, s.relayURL+"/")
			r := rep
			r.TeamCodeNames = []string{s.sim.Teams()[0].CodeName}
			repID := s.sim.LoginRep(r)
			sessionID, _ := s.sim.AddCustomer(sim.Customer{Name: "Named Customer", TeamCodeName: r.TeamCodeNames[0]})
			if err := s.sim.Pickup(sessionID, repID); err != nil {
				t.Fatal(err)
			}
			s.sim.Flush()

			repRow := fmt.Sprintf(`#panel-reps tr[data-rep-id="%d"] th`, repID)
			pollFor(t, page, 20*time.Second, "representative row", fmt.Sprintf(
				`document.querySelector(%q)?.textContent === %q`, repRow, want))
			sessionReps := fmt.Sprintf(`#panel-inprogress tr[data-session-id="%d"] td`, sessionID)
			pollFor(t, page, 20*time.Second, "session in progress with the rep's name", fmt.Sprintf(
				`document.querySelector(%q)?.textContent === %q`, sessionReps, want))
		})
	}
}

func TestUISLAStatesAndAnnouncement(t *testing.T) {
	requireApp(t)
	cfg := sim.Config{Seed: 9, Scenario: twoTeamScenario(), BatchDelay: 20 * time.Millisecond}
	code := teamCodes(t, cfg)[0]
	// 0.1 minutes is 6 s: within up to 4 s, approaching from 4.8 s (80 %),
	// exceeded after 6 s.
	s := startSite(t, cfg, map[string]string{"RTD_WAITING_SLAS": code + "=0.1,*=600"})
	team := s.sim.Teams()[0]
	s.waitReady(t)
	page := newBrowser(t)
	openDashboard(t, page, s.relayURL+"/")
	evalJS[bool](t, page, `(() => {
		window.announcements = [];
		const el = document.querySelector("#announcer");
		new MutationObserver(() => window.announcements.push(el.textContent))
			.observe(el, {childList: true, characterData: true, subtree: true});
		return true;
	})()`)

	id, _ := s.sim.AddCustomer(sim.Customer{Name: "Sla Tester", TeamCodeName: team.CodeName, StartMethod: "session_key"})
	other, _ := s.sim.AddCustomer(sim.Customer{Name: "Calm Customer", TeamCodeName: s.sim.Teams()[1].CodeName})
	s.sim.Flush()
	row := fmt.Sprintf(`#panel-waiting tr[data-session-id="%d"]`, id)
	pollFor(t, page, 10*time.Second, "new session within its SLA", fmt.Sprintf(
		`document.querySelector(%q)?.dataset.sla === "within"`, row))
	pollFor(t, page, 10*time.Second, "session approaching its SLA", fmt.Sprintf(
		`document.querySelector(%q)?.dataset.sla === "approaching"`, row))
	if got := evalJS[string](t, page, fmt.Sprintf(
		`document.querySelector(%q).querySelector(".sla-flag .visually-hidden")?.textContent`, row)); got != "Approaching SLA" {
		t.Errorf("approaching flag name = %q, want \"Approaching SLA\"", got)
	}
	pollFor(t, page, 10*time.Second, "session over its SLA", fmt.Sprintf(
		`document.querySelector(%q)?.dataset.sla === "breached"`, row))
	if got := evalJS[string](t, page, fmt.Sprintf(
		`document.querySelector(%q).querySelector(".sla-flag .visually-hidden")?.textContent`, row)); got != "SLA exceeded" {
		t.Errorf("breach flag name = %q, want \"SLA exceeded\"", got)
	}
	if got := evalJS[string](t, page, fmt.Sprintf(
		`document.querySelector('#panel-waiting tr[data-session-id="%d"]').dataset.sla`, other)); got != "within" {
		t.Errorf("session of the team with a 600-minute SLA is %q, want within", got)
	}

	// The queue counts the breach with a number and an icon.
	queue := fmt.Sprintf(`#panel-queues tr[data-queue-id="%d"]`, team.QueueID)
	pollFor(t, page, 5*time.Second, "queue counts one breach", fmt.Sprintf(
		`document.querySelector(%q)?.dataset.overSla === "1" &&
		document.querySelector(%q + " td.over-sla").textContent.startsWith("1") &&
		document.querySelector(%q + " td.over-sla .sla-flag") !== null`, queue, queue, queue))

	// The breach is announced once, by name, with the SLA in minutes, and
	// never again while the wait keeps growing.
	want := "Sla Tester in " + team.Name + " has waited longer than the 0.1-minute SLA"
	pollFor(t, page, 5*time.Second, "breach announcement", fmt.Sprintf(
		`window.announcements.some(a => a.includes(%q))`, want))
	time.Sleep(3 * time.Second)
	announcements := evalJS[[]string](t, page, `window.announcements`)
	n := 0
	for _, a := range announcements {
		if strings.Contains(a, want) {
			n++
		}
		if regexp.MustCompile(`\d+:\d\d`).MatchString(a) {
			t.Errorf("announcement %q contains a ticking time", a)
		}
	}
	if n != 1 {
		t.Errorf("breach announced %d times, want once; announcements: %q", n, announcements)
	}
}

func TestUIClosedSessionAndDetails(t *testing.T) {
	requireApp(t)
	s := startSite(t, sim.Config{Seed: 13, Scenario: sim.SmallOffice(), BatchDelay: 20 * time.Millisecond},
		map[string]string{"RTD_SESSION_DETAILS": "true"})
	s.waitReady(t)
	v := s.connectViewer(t)
	page := newBrowser(t)
	// Kolkata is UTC+5:30 all year, so the expected clock time is exact.
	if _, err := chromedp.Call(page, emulation.SetTimezoneOverride,
		emulation.SetTimezoneOverrideParams{TimezoneID: "Asia/Kolkata"}); err != nil {
		t.Fatalf("overriding the time zone: %v", err)
	}
	openDashboard(t, page, s.relayURL+"/")

	team := s.sim.Teams()[0]
	rep := s.sim.Reps()[0]
	id, lsid := s.sim.AddCustomer(sim.Customer{Name: "Dana Details", Company: "Details & Co",
		Description: "Needs details", TeamCodeName: team.CodeName, StartMethod: "session_key"})
	if err := s.sim.Pickup(id, rep.ID); err != nil {
		t.Fatal(err)
	}
	s.sim.Flush()
	time.Sleep(1100 * time.Millisecond) // a session of at least one second
	if _, err := s.sim.CloseSessionWithSurvey(id, map[string]string{"comments": "Great help"}); err != nil {
		t.Fatal(err)
	}
	// A second session, whose details nobody requests while the appliance
	// is up, so the relay has none cached when it goes away.
	otherID, otherLSID := s.sim.AddCustomer(sim.Customer{Name: "Uncached Customer", TeamCodeName: team.CodeName})
	s.sim.Flush()
	v.waitBoard(t, "second session in the viewer", func(b *view.Board, _ []wire.ClosedSession) bool {
		return slices.ContainsFunc(b.Waiting, func(w view.Waiting) bool { return w.ID == otherID })
	})
	if err := s.sim.EndSession(otherID); err != nil {
		t.Fatal(err)
	}
	s.sim.Flush()
	var closed wire.ClosedSession
	v.waitBoard(t, "closed session in the viewer", func(_ *view.Board, list []wire.ClosedSession) bool {
		for _, c := range list {
			if c.LSID == lsid {
				closed = c
				return true
			}
		}
		return false
	})

	row := fmt.Sprintf(`#panel-closed tr[data-lsid="%s"]`, lsid)
	pollFor(t, page, 20*time.Second, "closed row", fmt.Sprintf(`document.querySelector(%q) !== null`, row))
	cells := evalJS[[]string](t, page, fmt.Sprintf(
		`[...document.querySelector(%q).children].map(c => c.textContent)`, row))
	kolkata := time.FixedZone("IST", 5*3600+1800)
	want := []string{
		"Dana Details", "Details & Co", closed.Team, strings.Join(closed.Reps, ", "),
		time.Unix(closed.Ended, 0).In(kolkata).Format("15:04"),
		clockDuration(closed.Ended - closed.Started),
		"Details of the session with Dana Details",
	}
	if diff := cmp.Diff(want, cells); diff != "" {
		t.Errorf("closed row mismatch (-want +got):\n%s", diff)
	}
	if closed.Team != team.Name || len(closed.Reps) != 1 {
		t.Errorf("closed session team %q and reps %q, want %q and one rep", closed.Team, closed.Reps, team.Name)
	}

	// The pop-up shows what the relay's endpoint returns for the session.
	status, body := getDetails(t, s, lsid)
	button := "details-button-" + lsid
	if err := chromedp.Do(page, chromedp.Focus(chromedp.ID(button)), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	pollFor(t, page, 10*time.Second, "dialog open with the focus on Close",
		`document.querySelector("#details-dialog").open && document.activeElement?.id === "details-close"`)
	pollFor(t, page, 20*time.Second, "dialog loaded or failed",
		`["loaded", "error"].includes(document.querySelector("#details-dialog").dataset.state)`)
	state := evalJS[string](t, page, `document.querySelector("#details-dialog").dataset.state`)
	if status == http.StatusOK {
		if state != "loaded" {
			t.Fatalf("relay answered 200 but the dialog is %q", state)
		}
		facts := evalJS[map[string]string](t, page, `Object.fromEntries(
			[...document.querySelectorAll("#details-dialog [data-fact], #details-dialog [data-question]")]
				.map(e => [e.dataset.fact ?? "q:" + e.dataset.question, e.querySelector("dd").textContent]))`)
		for key, want := range map[string]string{
			"customer": "Dana Details", "company": "Details & Co", "issue": "Needs details",
			"q:comments": "Great help",
		} {
			if facts[key] != want {
				t.Errorf("fact %s = %q, want %q", key, facts[key], want)
			}
		}
	} else {
		if state != "error" {
			t.Fatalf("relay answered HTTP %d but the dialog is %q", status, state)
		}
		text := evalJS[string](t, page, `document.querySelector("#details-status").textContent`)
		if !strings.Contains(text, "Details unavailable: ") {
			t.Errorf("dialog text = %q, want \"Details unavailable: …\" for HTTP %d %s", text, status, body)
		}
	}

	// Tab stays in the dialog; Escape closes it and the focus returns.
	for i := 0; i < 3; i++ {
		if err := chromedp.Do(page, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		if !evalJS[bool](t, page, `document.querySelector("#details-dialog").contains(document.activeElement)`) {
			t.Fatalf("Tab %d moved the focus out of the dialog", i+1)
		}
	}
	if err := chromedp.Do(page, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	pollFor(t, page, 5*time.Second, "dialog closed with the focus back on its button", fmt.Sprintf(
		`!document.querySelector("#details-dialog").open &&
		document.querySelector("#details-dialog").dataset.state === "closed" &&
		document.activeElement?.id === %q`, button))

	// With the appliance gone, the pop-up shows why the details of the other
	// session are unavailable, and the Close button returns the focus.
	otherButton := "details-button-" + otherLSID
	pollFor(t, page, 20*time.Second, "second closed row", fmt.Sprintf(
		`document.getElementById(%q) !== null`, otherButton))
	s.sim.Close()
	if err := chromedp.Do(page, chromedp.Focus(chromedp.ID(otherButton)), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	pollFor(t, page, 30*time.Second, "dialog shows the failure",
		`document.querySelector("#details-dialog").dataset.state === "error"`)
	status, body = getDetails(t, s, otherLSID)
	text := evalJS[string](t, page, `document.querySelector("#details-status").textContent`)
	if !strings.Contains(text, "Details unavailable: ") {
		t.Errorf("dialog text = %q, want \"Details unavailable: …\"", text)
	}
	if status != http.StatusBadGateway && status != http.StatusNotFound {
		t.Errorf("relay answered HTTP %d %s with the appliance gone, want 502 (or 404 while the endpoint is off)", status, body)
	}
	if err := chromedp.Do(page, chromedp.Click(chromedp.ID("details-close"))); err != nil {
		t.Fatal(err)
	}
	pollFor(t, page, 5*time.Second, "dialog closed by its Close button", fmt.Sprintf(
		`!document.querySelector("#details-dialog").open &&
		document.querySelector("#details-dialog").dataset.state === "closed" &&
		document.activeElement?.id === %q`, otherButton))
}

// getDetails requests the relay's session details endpoint as the page does.
func getDetails(t *testing.T, s *site, lsid string) (int, string) {
	t.Helper()
	resp, err := http.Get(s.relayURL + "/api/v1/sessions/" + lsid)
	if err != nil {
		t.Fatalf("GET session details: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// clockDuration formats seconds as the panels do: m:ss, or h:mm:ss from an
// hour.
func clockDuration(seconds int64) string {
	seconds = max(0, seconds)
	if seconds >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", seconds/3600, seconds/60%60, seconds%60)
	}
	return fmt.Sprintf("%d:%02d", seconds/60, seconds%60)
}

func TestUICSATPanel(t *testing.T) {
	requireApp(t)
	s := startSite(t, sim.Config{Seed: 17, Scenario: sim.SmallOffice(), BatchDelay: 20 * time.Millisecond}, nil)
	s.waitReady(t)
	page := newBrowser(t)
	openDashboard(t, page, s.relayURL+"/")
	if evalJS[bool](t, page, `document.querySelector("#panel-csat") !== null`) {
		t.Fatal("CSAT panel shown before the relay sent a CSAT figure")
	}

	// The relay's hub sends what its CSAT poller hands it.
	s.relay.Hub().SetCSAT(wire.CSAT{Available: true, Average: 4.56, Count: 7, Question: "satisfaction",
		Updated: time.Now().UnixMilli()})
	pollFor(t, page, 10*time.Second, "CSAT available",
		`document.querySelector("#panel-csat")?.dataset.csat === "available"`)
	got := evalJS[[]string](t, page, `[".csat-average", ".csat-count", ".csat-question"]
		.map(s => document.querySelector("#panel-csat " + s).textContent.trim())`)
	if got[0] != "4.6" || got[1] != "7 answers today" || !strings.HasPrefix(got[2], "satisfaction · updated ") {
		t.Errorf("CSAT panel = %q, want 4.6, 7 answers today and the question", got)
	}

	s.relay.Hub().SetCSAT(wire.CSAT{Reason: "the reporting API timed out", Question: "satisfaction"})
	pollFor(t, page, 10*time.Second, "CSAT unavailable",
		`document.querySelector("#panel-csat")?.dataset.csat === "unavailable"`)
	reason := evalJS[string](t, page, `document.querySelector("#panel-csat .csat-reason").textContent`)
	if !strings.HasSuffix(reason, "CSAT unavailable: the reporting API timed out") {
		t.Errorf("CSAT reason = %q", reason)
	}

	// A browser that joins later gets the last figure at once.
	s.relay.Hub().SetCSAT(wire.CSAT{Available: true, Count: 0, Question: "satisfaction"})
	openDashboard(t, page, s.relayURL+"/?layout=wall")
	pollFor(t, page, 10*time.Second, "CSAT on the wall",
		`document.querySelector("#wall-summary #panel-csat .csat-count")?.textContent === "no answers today"`)
}

func TestUIConnectionStates(t *testing.T) {
	requireApp(t)
	s := startSite(t, sim.Config{Seed: 19, Scenario: sim.SmallOffice(), BatchDelay: 20 * time.Millisecond}, nil)
	s.waitReady(t)
	page := newBrowser(t)
	openDashboard(t, page, s.relayURL+"/")
	if got := evalJS[string](t, page, `document.querySelector("#connection-state .connection-text").textContent`); got != "Live" {
		t.Errorf("live text = %q, want Live", got)
	}
	evalJS[bool](t, page, `(() => {
		window.states = [];
		const record = () => {
			const el = document.querySelector("#connection-state");
			const entry = el.dataset.state + "|" + el.querySelector(".connection-text").textContent;
			if (window.states[window.states.length - 1] !== entry) window.states.push(entry);
		};
		new MutationObserver(record).observe(document.querySelector("#dashboard-header"),
			{childList: true, characterData: true, subtree: true, attributes: true});
		return true;
	})()`)
	states := func() []string { return evalJS[[]string](t, page, `window.states`) }
	sawState := func(pattern string) bool {
		re := regexp.MustCompile(pattern)
		return slices.ContainsFunc(states(), re.MatchString)
	}

	t.Run("reconnecting", func(t *testing.T) {
		// The relay drops every browser, as on a restart: the page shows
		// the age of its data, reconnects and resynchronises.
		s.relay.Hub().Close()
		waitFor(t, 10*time.Second, "reconnecting state", func() bool {
			return sawState(`^reconnecting\|Reconnecting… data \d+ s old$`)
		})
		pollFor(t, page, 20*time.Second, "live again",
			`document.querySelector("#connection-state").dataset.state === "live"`)
	})

	t.Run("appliance dropped", func(t *testing.T) {
		// The simulator drops the relay: the page shows the appliance
		// unavailable with the reason and the age of the data, then the
		// snapshot of the new connection, which has a customer added
		// meanwhile.
		s.sim.DropConnections()
		id, _ := s.sim.AddCustomer(sim.Customer{Name: "During Outage", TeamCodeName: s.sim.Teams()[0].CodeName})
		waitFor(t, 10*time.Second, "unavailable state", func() bool {
			return sawState(`^unavailable\|Appliance unavailable: .+ · data \d+ s old$`)
		})
		s.sim.Flush()
		pollFor(t, page, 20*time.Second, "live with the new customer", fmt.Sprintf(
			`document.querySelector("#connection-state").dataset.state === "live" &&
			document.querySelector('#panel-waiting tr[data-session-id="%d"]') !== null`, id))
	})

	t.Run("appliance unavailable", func(t *testing.T) {
		s.sim.Close()
		pollFor(t, page, 20*time.Second, "unavailable state",
			`document.querySelector("#connection-state").dataset.state === "unavailable"`)
		waitFor(t, 10*time.Second, "relay reports a reason", func() bool { return s.relay.Hub().Status().Reason != "" })
		reason := s.relay.Hub().Status().Reason
		pollFor(t, page, 10*time.Second, "reason shown", fmt.Sprintf(
			`document.querySelector("#connection-state .connection-text").textContent
				.startsWith("Appliance unavailable: " + %q)`, reason))
		if got := evalJS[string](t, page, `document.querySelector("#announcer").textContent`); !strings.Contains(got, "Appliance unavailable") {
			t.Errorf("announcement = %q, want the unavailable state", got)
		}
	})

	t.Run("disabled", func(t *testing.T) {
		d := startSite(t, sim.Config{Seed: 19, Scenario: sim.SmallOffice()}, map[string]string{"RTD_DISABLED": "true"})
		if err := chromedp.Do(page,
			chromedp.Navigate(d.relayURL+"/"),
			chromedp.WaitNotPresent(chromedp.ID("app-wasm-loader")),
		); err != nil {
			t.Fatal(err)
		}
		pollFor(t, page, 20*time.Second, "disabled state",
			`document.querySelector("#connection-state")?.dataset.state === "disabled" &&
			document.querySelector("#connection-state .connection-text").textContent === "Disabled"`)
		// Without data the panels state that, not that the site is quiet.
		got := evalJS[map[string]string](t, page, `Object.fromEntries([...document.querySelectorAll("section.panel")]
			.map(p => [p.id, p.querySelector(".empty")?.textContent ?? "rows shown"]))`)
		for _, id := range []string{"panel-waiting", "panel-inprogress", "panel-closed", "panel-queues", "panel-reps"} {
			if got[id] != "No data: the dashboard is disabled." {
				t.Errorf("%s says %q, want \"No data: the dashboard is disabled.\"", id, got[id])
			}
		}
	})
}

// TestUIWallAndDeskAtLargeSite opens the large site (2,000 reps, 150
// queues, 1,000 waiting, 3,000 in progress) in both layouts. The wall must
// fit 1920x1080 without scrolling in large type. The test also logs the
// page's rtd-board-update and rtd-board-build measures while the scenario
// plays and after a burst of arrivals. The first spans one batch from its
// arrival on the UI goroutine to the end of the DOM update, and the second
// spans the board rebuild alone.
func TestUIWallAndDeskAtLargeSite(t *testing.T) {
	requireApp(t)
	if testing.Short() {
		t.Skip("the large site takes a while to build; skipped with -short")
	}
	s := startSite(t, sim.Config{Seed: 23, Scenario: sim.LargeSite(), BatchDelay: 100 * time.Millisecond},
		map[string]string{"RTD_WAITING_SLAS": "*=2"})
	s.waitReady(t)
	v := s.connectViewer(t)
	page := newBrowser(t)
	if err := chromedp.Do(page, chromedp.EmulateViewport(1920, 1080)); err != nil {
		t.Fatal(err)
	}

	openDashboard(t, page, s.relayURL+"/?layout=wall&theme=dark")
	b, _ := v.board()
	pollFor(t, page, 30*time.Second, "wall tiles with the site's counts", fmt.Sprintf(
		`document.querySelector('[data-tile="waiting"] .tile-value')?.textContent === "%d" &&
		document.querySelector('[data-tile="in-progress"] .tile-value')?.textContent === "%d"`,
		len(b.Waiting), len(b.InProgress)))
	layout := evalJS[map[string]float64](t, page, `(() => {
		const px = sel => Math.min(...[...document.querySelectorAll(sel)]
			.map(e => parseFloat(getComputedStyle(e).fontSize)));
		const d = document.documentElement;
		return {
			scrollHeight: d.scrollHeight, scrollWidth: d.scrollWidth,
			innerHeight: innerHeight, innerWidth: innerWidth,
			label: px(".tile-label"), value: px(".tile-value"), cell: px("#panel-waiting td"),
			waitingRows: document.querySelectorAll("#panel-waiting tr[data-session-id]").length,
			queueRows: document.querySelectorAll("#panel-queues tr[data-queue-id]").length,
			notes: document.querySelectorAll(".panel-note:not([hidden])").length,
		};
	})()`)
	t.Logf("wall layout: %v", layout)

	if layout["innerWidth"] != 1920 || layout["innerHeight"] != 1080 {
		t.Fatalf("viewport %vx%v, want 1920x1080", layout["innerWidth"], layout["innerHeight"])
	}
	if layout["scrollHeight"] > 1080 || layout["scrollWidth"] > 1920 {
		t.Errorf("wall scrolls: document %vx%v, screen 1920x1080", layout["scrollWidth"], layout["scrollHeight"])
	}
	for _, key := range []string{"label", "value", "cell"} {
		if layout[key] < 20 {
			t.Errorf("wall %s text is %vpx, want at least 20px", key, layout[key])
		}
	}
	if layout["waitingRows"] != 15 || layout["queueRows"] == 0 || layout["notes"] < 1 {
		t.Errorf("wall lists: %v waiting rows, %v queue rows, %v lines on rows not shown; want 15, some and at least 1",
			layout["waitingRows"], layout["queueRows"], layout["notes"])
	}
	logBoardUpdates(t, s, page, "wall")

	if err := chromedp.Do(page, chromedp.EmulateViewport(1600, 1000)); err != nil {
		t.Fatal(err)
	}
	openDashboard(t, page, s.relayURL+"/")
	pollFor(t, page, 30*time.Second, "desk rows", `document.querySelectorAll("#panel-reps tr[data-rep-id]").length === 200`)
	logBoardUpdates(t, s, page, "desk")
}

// logBoardUpdates plays the scenario for 10 s with a burst of 200 arrivals
// in the middle, then logs the page's board update times.
func logBoardUpdates(t *testing.T, s *site, page context.Context, layout string) {
	t.Helper()
	evalJS[bool](t, page, `(performance.clearMeasures(), true)`)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.sim.RunScenario(ctx)
	}()
	time.Sleep(5 * time.Second)
	teams := s.sim.Teams()
	for i := 0; i < 200; i++ {
		s.sim.AddCustomer(sim.Customer{Name: "Burst " + strconv.Itoa(i), TeamCodeName: teams[i%len(teams)].CodeName})
	}
	s.sim.Flush()
	<-done
	time.Sleep(time.Second)

	for _, name := range []string{"rtd-board-update", "rtd-board-build"} {
		durations := evalJS[[]float64](t, page, fmt.Sprintf(
			`performance.getEntriesByName(%q).map(e => e.duration)`, name))
		if len(durations) == 0 {
			t.Errorf("%s: no %s measure recorded", layout, name)
			continue
		}
		sort.Float64s(durations)
		pct := func(p float64) float64 { return durations[int(p*float64(len(durations)-1))] }
		t.Logf("%s layout, large site, %s: %d in 10 s; ms p50 %.1f, p95 %.1f, max %.1f",
			layout, name, len(durations), pct(0.5), pct(0.95), durations[len(durations)-1])
	}
}
