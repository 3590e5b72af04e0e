//go:build !js

package wasmui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/assets"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
	"github.com/rtdash/rtdash/wasmui"
)

// scriptedRelay plays a relay that sends the messages of initial to every
// connection, then each message the test sends on push, with heartbeats at
// sequence seq in between.
type scriptedRelay struct {
	t       *testing.T
	ctx     context.Context
	initial []wire.Envelope
	seq     uint64
	push    chan wire.Envelope
}

func (s *scriptedRelay) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		s.t.Errorf("accepting the websocket: %v", err)
		return
	}
	defer conn.CloseNow()
	send := func(env wire.Envelope) error {
		env.Time = time.Now().UnixMilli()
		data, err := json.Marshal(env)
		if err != nil {
			return err
		}
		return conn.Write(s.ctx, websocket.MessageText, data)
	}
	for _, env := range s.initial {
		if err := send(env); err != nil {
			return
		}
	}

	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-s.ctx.Done():
			conn.Close(websocket.StatusGoingAway, "test finished")
			return
		case env := <-s.push:
			if err := send(env); err != nil {
				return
			}
		case <-ticker.C:
			if err := send(wire.Envelope{Type: wire.TypeHeartbeat, Seq: s.seq}); err != nil {
				return
			}
		}
	}
}

// consoleLog collects the text of the page's console messages.
type consoleLog struct {
	mu       sync.Mutex
	messages []string
}

func (c *consoleLog) listen(ev any) {
	call, ok := ev.(*runtime.EventConsoleAPICalled)
	if !ok {
		return
	}
	var parts []string
	for _, arg := range call.Args {
		var text string
		if json.Unmarshal(arg.Value, &text) == nil {
			parts = append(parts, text)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.messages = append(c.messages, strings.Join(parts, " "))
}

// matching returns the messages that contain text.
func (c *consoleLog) matching(text string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var found []string
	for _, m := range c.messages {
		if strings.Contains(m, text) {
			found = append(found, m)
		}
	}
	return found
}

// openScripted serves the page built at wasmPath with relay as its relay,
// opens it in a new browser and waits until the page runs. The console
// log collects the page's console messages.
func openScripted(t *testing.T, chromium, wasmPath string, relay *scriptedRelay, query string) (context.Context, *consoleLog) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	relay.t, relay.ctx = t, ctx
	if relay.push == nil {
		relay.push = make(chan wire.Envelope)
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/ws", relay)
	mux.Handle("/", &app.Handler{
		Name:      "Desk test",
		Icon:      app.Icon{Default: "/web/icon-192.png", Large: "/web/icon-512.png", SVG: "/web/icon.svg"},
		Styles:    []string{"/web/app.css"},
		Version:   "desk-test",
		Resources: testResources{wasm: wasmPath, static: http.FileServerFS(assets.Web)},
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(stop) // runs before srv.Close, which waits for the socket handler

	page := newBrowser(t, chromium)
	console := &consoleLog{}
	if err := chromedp.Listen(page, console.listen); err != nil {
		t.Fatalf("listening to the console: %v", err)
	}
	if err := chromedp.Do(page,
		chromedp.Navigate(srv.URL+"/"+query),
		chromedp.WaitNotPresent(chromedp.ID("app-wasm-loader")),
	); err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	return page, console
}

// evaluate runs a JavaScript expression in the page and returns its value.
func evaluate[T any](t *testing.T, page context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(page, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// closedSession returns closed session id, which ended ended seconds ago.
func closedSession(id int64, now int64) wire.ClosedSession {
	return wire.ClosedSession{
		ID:       id,
		LSID:     fmt.Sprintf("%032x", id),
		Customer: "Customer " + strconv.FormatInt(id, 10),
		Team:     "Windows Support",
		Reps:     []string{"Alice Example"},
		Started:  now - 600,
		Ended:    now - 60,
	}
}

// TestBrowserKeepsDetailsFocus focuses the details button of the third
// closed session and sends lists with newer sessions on top. go-app reuses
// the rows by position, so without care the focused button would show
// another session and Enter would open that one.
func TestBrowserKeepsDetailsFocus(t *testing.T) {
	chromium := findChromium(t)
	wasmPath := buildWasm(t)
	wasmui.Register()

	now := time.Now().Unix()
	var closed []wire.ClosedSession
	for id := int64(305); id > 300; id-- {
		closed = append(closed, closedSession(id, now))
	}
	relay := &scriptedRelay{
		seq: 1,
		initial: []wire.Envelope{
			{Type: wire.TypeHello, Hello: &wire.Hello{ConfigName: "Focus desk", SessionDetails: true, HeartbeatMillis: 20000}},
			{Type: wire.TypeStatus, Status: &wire.Status{Appliance: wire.ApplianceConnected}},
			{Type: wire.TypeSnapshot, Seq: 1, Snapshot: &wire.Snapshot{Tables: snapshotTables(t, deskRows(now))}},
			{Type: wire.TypeClosed, Closed: closed},
		},
	}
	page, _ := openScripted(t, chromium, wasmPath, relay, "")
	waitPage(t, page, "five closed sessions",
		`document.querySelectorAll("#panel-closed button.details-button").length === 5`)

	// The third row is session 303.
	focused := closed[2].LSID
	if err := chromedp.Do(page, chromedp.Focus(chromedp.ID("details-button-"+focused))); err != nil {
		t.Fatalf("focusing the details button: %v", err)
	}
	const activeLSID = `document.activeElement?.dataset?.lsid ?? ""`

	// Two sessions end: the focused session moves to the fifth row.
	closed = append([]wire.ClosedSession{closedSession(307, now), closedSession(306, now)}, closed...)
	relay.push <- wire.Envelope{Type: wire.TypeClosed, Closed: closed}
	waitPage(t, page, "seven closed sessions",
		`document.querySelectorAll("#panel-closed button.details-button").length === 7`)
	if got := evaluate[string](t, page, activeLSID); got != focused {
		t.Errorf("focus on the details button of %q after two sessions arrived, want %q", got, focused)
	}
	if got := evaluate[string](t, page, `document.activeElement?.id ?? ""`); got != "details-button-"+focused {
		t.Errorf("focused element id = %q, want details-button-%s", got, focused)
	}

	// The focused session leaves the list, so the focus moves to the
	// panel's heading rather than to another session's button.
	closed = append([]wire.ClosedSession{closedSession(308, now)}, closed[:4]...)
	relay.push <- wire.Envelope{Type: wire.TypeClosed, Closed: closed}
	waitPage(t, page, "the list without the focused session", `document.querySelector(
		"#panel-closed tr[data-lsid='`+focused+`']") === null`)
	if got := evaluate[string](t, page, `document.activeElement?.id ?? ""`); got != "panel-closed-title" {
		t.Errorf("focus on %q after the focused session left the list, want panel-closed-title", got)
	}

	// The heading keeps the focus when the list changes again.
	closed = append([]wire.ClosedSession{closedSession(309, now)}, closed...)
	relay.push <- wire.Envelope{Type: wire.TypeClosed, Closed: closed}
	waitPage(t, page, "six closed sessions",
		`document.querySelector("#panel-closed-title .count")?.textContent === "6"`)
	if got := evaluate[string](t, page, `document.activeElement?.id ?? ""`); got != "panel-closed-title" {
		t.Errorf("focus on %q after the count changed, want panel-closed-title", got)
	}
}

// busyRows returns a site of 20 team queues, 80 representatives, 240
// waiting sessions and 60 sessions in progress, with names, companies and
// issues of realistic lengths, at appliance time now.
func busyRows(now int64) map[string]map[string]map[string]any {
	first := []string{"Priya", "Mateo", "Jonas", "Dmitri", "Annabelle", "Oskar", "Greta", "Hiro"}
	last := []string{"Tanaka", "Lindqvist", "Kowalski", "Fischer", "Okafor", "Abernathy-Smith"}
	companies := []string{"Acme Freight", "Birchwood Clinic", "Evergreen School District", "Iris Pharma"}
	issues := []string{"cannot open invoices", "software install request for the finance team", "VPN drops"}
	methods := []string{"session_key", "issue_submission", "remote_jump"}
	name := func(i int) string { return first[i%len(first)] + " " + last[i/len(first)%len(last)] }

	rows := map[string]map[string]map[string]any{
		state.TableQueue:                        {},
		state.TableRepresentative:               {},
		state.TableRepresentativeQueue:          {},
		state.TableSupportSession:               {},
		state.TableRepresentativeSupportSession: {},
		state.TableCustomerClient:               {},
	}
	for q := 1; q <= 20; q++ {
		rows[state.TableQueue][strconv.Itoa(q)] = map[string]any{
			"name": "Applications " + strconv.Itoa(q), "code_name": "apps" + strconv.Itoa(q), "type": "team",
		}
	}
	for r := 1; r <= 80; r++ {
		id := 1000 + r
		rows[state.TableQueue][strconv.Itoa(id)] = map[string]any{"name": name(r), "type": "personal"}
		rows[state.TableRepresentative][strconv.Itoa(id)] = map[string]any{
			"username": "rep" + strconv.Itoa(r), "public_display_name": name(r),
			"routing_available": r % 2, "routing_enabled": min(r%3, 1), "queue_id": id,
			"created_timestamp": now - int64(r)*97,
		}
		rows[state.TableRepresentativeQueue][strconv.Itoa(id)] = map[string]any{
			"representative_id": id, "queue_id": 1 + r%20,
		}
	}
	for s := 1; s <= 300; s++ {
		id := 5000 + s
		session := map[string]any{
			"lsid": fmt.Sprintf("%032x", id), "customer_name": name(s),
			"customer_company": companies[s%len(companies)], "customer_description": issues[s%len(issues)],
			"start_method": methods[s%len(methods)], "queue_entry_timestamp": now - int64(s)*13,
			"estimated_pickup_timestamp": now - 4000 + int64(s)*7, "created_timestamp": now - int64(s)*13,
			"queue_id": 1 + s%20,
		}
		if s > 240 {
			rep := 1000 + 1 + s%80
			session["queue_id"] = rep
			rows[state.TableRepresentativeSupportSession][strconv.Itoa(id)] = map[string]any{
				"support_session_id": id, "representative_id": rep,
			}
			rows[state.TableCustomerClient][strconv.Itoa(id)] = map[string]any{
				"support_session_id": id, "client_type": "web_chat",
			}
		}
		rows[state.TableSupportSession][strconv.Itoa(id)] = session
	}
	return rows
}

// overflowScript lists the table cells whose right edge lies right of
// their panel's, and the tables that need horizontal scrolling, up to 20.
const overflowScript = `(() => {
	const out = [];
	for (const panel of document.querySelectorAll("section.panel")) {
		const right = panel.getBoundingClientRect().right;
		for (const cell of panel.querySelectorAll("th, td")) {
			const r = cell.getBoundingClientRect();
			if (r.width > 0 && r.right > right + 0.5) {
				out.push(panel.id + " " + cell.tagName + " \"" + cell.textContent.slice(0, 30) + "\" ends at " +
					r.right.toFixed(1) + ", panel at " + right.toFixed(1));
			}
		}
		for (const scroll of panel.querySelectorAll(".table-scroll")) {
			if (scroll.scrollWidth > scroll.clientWidth + 1) {
				out.push(panel.id + " table scrolls sideways: " + scroll.scrollWidth + " > " + scroll.clientWidth);
			}
		}
	}
	return out.slice(0, 20);
})()`

// TestBrowserDeskFitsScreens opens the desk layout of a busy site at a
// laptop's 1366x768 and 1440x900, whose browser shows about 1440x757,
// and at 1920x1080. No table may be cut off at the right, and the waiting
// sessions must fill most of the screen's height. Set WASMUI_SCREENSHOTS
// to a folder to keep full-page PNGs.
func TestBrowserDeskFitsScreens(t *testing.T) {
	chromium := findChromium(t)
	wasmPath := buildWasm(t)
	wasmui.Register()

	now := time.Now().Unix()
	var closed []wire.ClosedSession
	for id := int64(400); id > 340; id-- {
		c := closedSession(id, now)
		c.Customer = "Annabelle Abernathy-Smith"
		c.Company = "Evergreen School District"
		c.Reps = []string{"Dmitri Kowalski", "Greta Okafor"}
		closed = append(closed, c)
	}
	relay := &scriptedRelay{
		seq: 1,
		initial: []wire.Envelope{
			{Type: wire.TypeHello, Hello: &wire.Hello{
				ConfigName: "Busy desk", ApplianceID: "support.example.com", SessionDetails: true,
				Settings:        view.Settings{WaitingSLAs: view.SLAs{Default: 600}},
				HeartbeatMillis: 20000,
			}},
			{Type: wire.TypeStatus, Status: &wire.Status{Appliance: wire.ApplianceConnected}},
			{Type: wire.TypeSnapshot, Seq: 1, Snapshot: &wire.Snapshot{Tables: snapshotTables(t, busyRows(now))}},
			{Type: wire.TypeClosed, Closed: closed},
			{Type: wire.TypeCSAT, CSAT: &wire.CSAT{Available: true, Average: 4.4, Count: 57, Question: "satisfaction"}},
		},
	}
	// The options are case-insensitive, and an unknown layout leaves the
	// desk in place with one console message.
	page, console := openScripted(t, chromium, wasmPath, relay, "?theme=LIGHT&layout=kiosk")
	waitPage(t, page, "the busy site",
		`document.querySelectorAll("#panel-waiting tr[data-session-id]").length === 200 &&
		document.querySelectorAll("#panel-closed tr[data-lsid]").length === 60 &&
		document.querySelector("#panel-csat") !== null`)
	options := evaluate[string](t, page, `document.documentElement.dataset.theme + " " +
		document.documentElement.dataset.layout`)
	if options != "light desk" {
		t.Errorf("theme and layout = %q, want \"light desk\"", options)
	}
	ignored := console.matching(`layout="kiosk"`)
	if len(ignored) != 1 || !strings.Contains(ignored[0], `accepted values are "desk" (the default) and "wall"`) {
		t.Errorf("console messages on layout=kiosk = %q, want one naming the accepted values", ignored)
	}

	note := evaluate[string](t, page, `document.querySelector("#panel-waiting .panel-note")?.textContent ?? ""`)
	if want := "Showing the first 200 of 240, longest wait first"; note != want {
		t.Errorf("waiting panel note = %q, want %q", note, want)
	}

	for _, size := range []struct{ width, height int64 }{{1366, 768}, {1440, 757}, {1920, 1080}} {
		name := fmt.Sprintf("%dx%d", size.width, size.height)
		t.Run(name, func(t *testing.T) {
			if err := chromedp.Do(page, chromedp.EmulateViewport(size.width, size.height)); err != nil {
				t.Fatal(err)
			}
			time.Sleep(300 * time.Millisecond) // a layout pass at the new size
			for _, problem := range evaluate[[]string](t, page, overflowScript) {
				t.Error(problem)
			}
			// Waiting sessions fill at least half the screen's height.
			height := evaluate[float64](t, page,
				`document.querySelector("#panel-waiting .table-scroll").getBoundingClientRect().height`)
			if height < float64(size.height)/2 {
				t.Errorf("waiting table is %.0f px high on a %d px screen, want at least half", height, size.height)
			}
			// The page ends below its panels. Hidden row texts placed
			// outside the tables' scroll boxes once made it as tall as
			// every row together.
			extra := evaluate[float64](t, page, `document.documentElement.scrollHeight -
				(document.querySelector("#panels").getBoundingClientRect().bottom + scrollY)`)
			if extra > 1 {
				t.Errorf("page runs %.0f px past the panels", extra)
			}
			if dir := os.Getenv("WASMUI_SCREENSHOTS"); dir != "" {
				saveScreens(t, page, filepath.Join(dir, "desk-"+name))
			}
		})
	}
}

// saveScreens writes one PNG per screen of the page, from the top down, as
// prefix-1.png, prefix-2.png and so on. A full-page screenshot would make
// the window as tall as the page, which changes every height set in vh.
func saveScreens(t *testing.T, page context.Context, prefix string) {
	t.Helper()
	screens := evaluate[int](t, page, `Math.ceil(document.documentElement.scrollHeight / innerHeight)`)
	for i := 0; i < screens; i++ {
		evaluate[bool](t, page, fmt.Sprintf(`(scrollTo(0, %d * innerHeight), true)`, i))
		time.Sleep(100 * time.Millisecond)
		png, err := chromedp.Run(page, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(prefix+"-"+strconv.Itoa(i+1)+".png", png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	evaluate[bool](t, page, `(scrollTo(0, 0), true)`)
}
