//go:build !js

package wasmui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/assets"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
	"github.com/rtdash/rtdash/wasmui"
)

// LSIDs of the closed sessions the stand-in lists, one per response of its
// session details endpoint.
const (
	lsidFound    = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	lsidMissing  = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	lsidBadGate  = "cccccccccccccccccccccccccccccccc"
	detailsReply = `{"lsid":"` + lsidFound + `",
		"start":{"unix":1700000000,"iso":"2023-11-14T22:13:20Z"},
		"end":{"unix":1700000900,"iso":"2023-11-14T22:28:20Z"},
		"duration_seconds":900,
		"public_site":{"id":1,"name":"Support <Portal>"},
		"customer":{"name":"Ada Found","company":"Analytical & Co","issue":"Printer on fire"},
		"reps":[{"id":5,"username":"alice","public_name":"Alice Public","private_name":"Alice Private","owner":true},
			{"id":6,"username":"bob","public_name":"Bob Public","private_name":"","owner":false}],
		"customer_surveys":[{"question":"csat","label":"How satisfied were you?","answers":["5"]},
			{"question":"comments","label":"","answers":["Quick","friendly"]}],
		"rep_surveys":[]}`
)

// popupStandIn plays a relay with session details on: a hello, a status, a
// snapshot, three closed sessions and an available CSAT figure, then
// heartbeats. Closing next sends an unavailable CSAT figure; closing quiet
// stops the heartbeats, so the page must mark its data stale.
type popupStandIn struct {
	t           *testing.T
	ctx         context.Context
	next, quiet chan struct{}
	paths       chan string // paths of the details requests, in order
}

func (s *popupStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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

	now := time.Now().Unix()
	closed := []wire.ClosedSession{
		{ID: 301, LSID: lsidFound, Customer: "Ada Found", Company: "Analytical & Co", Team: "Windows Support",
			TeamCode: "windows", Reps: []string{"Alice Public"}, Started: now - 900, Ended: now - 60},
		{ID: 302, LSID: lsidMissing, Customer: "Max Missing", Started: now - 400, Ended: now - 120},
		{ID: 303, LSID: lsidBadGate, Customer: "Gia Gateway", Started: now - 300, Ended: now - 180},
	}
	messages := []wire.Envelope{
		{Type: wire.TypeHello, Hello: &wire.Hello{
			ConfigName:      "Popup desk",
			ApplianceID:     "appliance-popup",
			Settings:        view.Settings{RepNameFormat: view.NamePrivateUsername},
			SessionDetails:  true,
			HeartbeatMillis: 20000, // the client gives up after 60 s of silence, later than stale
		}},
		{Type: wire.TypeStatus, Status: &wire.Status{Appliance: wire.ApplianceConnected}},
		{Type: wire.TypeSnapshot, Seq: 1, Snapshot: &wire.Snapshot{Tables: snapshotTables(s.t, deskRows(now))}},
		{Type: wire.TypeClosed, Closed: closed},
		{Type: wire.TypeCSAT, CSAT: &wire.CSAT{Available: true, Average: 4.25, Count: 12, Question: "csat"}},
	}
	for _, env := range messages {
		if err := send(env); err != nil {
			return
		}
	}

	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	next, quiet := s.next, s.quiet
	for {
		select {
		case <-s.ctx.Done():
			conn.Close(websocket.StatusGoingAway, "test finished")
			return
		case <-next:
			next = nil
			unavailable := &wire.CSAT{Reason: "reporting API rejected the token", Question: "csat"}
			if err := send(wire.Envelope{Type: wire.TypeCSAT, CSAT: unavailable}); err != nil {
				return
			}
		case <-quiet:
			quiet = nil
			ticker.Stop()
		case <-ticker.C:
			if err := send(wire.Envelope{Type: wire.TypeHeartbeat, Seq: 1}); err != nil {
				return
			}
		}
	}
}

// details serves GET /api/v1/sessions/{lsid} with the relay's response format.
func (s *popupStandIn) details(w http.ResponseWriter, r *http.Request) {
	s.paths <- r.URL.Path
	w.Header().Set("Content-Type", "application/json")
	switch r.PathValue("lsid") {
	case lsidFound:
		w.Write([]byte(detailsReply))
	case lsidBadGate:
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte(`{"error":"the appliance could not return the session details","detail":"Invalid <token>"}`))
	default:
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":"support session not found on the appliance"}`))
	}
}

// TestBrowserPopupAndCSAT opens the closed sessions' details pop-up from
// the keyboard for a session the endpoint returns, one it does not find
// (404) and one the appliance failed (502), and checks the CSAT panel in
// both states and the stale indicator.
func TestBrowserPopupAndCSAT(t *testing.T) {
	chromium := findChromium(t)
	wasmPath := buildWasm(t)

	wasmui.Register()
	ctx, stop := context.WithCancel(context.Background())
	relay := &popupStandIn{t: t, ctx: ctx, next: make(chan struct{}), quiet: make(chan struct{}),
		paths: make(chan string, 10)}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/ws", relay)
	mux.HandleFunc("GET /api/v1/sessions/{lsid}", relay.details)
	mux.Handle("/", &app.Handler{
		Name:      "Popup test",
		Icon:      app.Icon{Default: "/web/icon-192.png", Large: "/web/icon-512.png", SVG: "/web/icon.svg"},
		Styles:    []string{"/web/app.css"},
		Version:   "popup-test",
		Resources: testResources{wasm: wasmPath, static: http.FileServerFS(assets.Web)},
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(stop)

	page := newBrowser(t, chromium)
	if err := chromedp.Do(page,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitNotPresent(chromedp.ID("app-wasm-loader")),
	); err != nil {
		t.Fatalf("loading the page: %v", err)
	}
	waitPage(t, page, "closed sessions and CSAT shown",
		`document.querySelectorAll("#panel-closed tr[data-lsid] button.details-button").length === 3 &&
		document.querySelector("#panel-csat")?.dataset.csat === "available"`)

	csat, err := chromedp.Run(page, chromedp.Evaluate[[]string](`[".csat-average", ".csat-count", ".csat-question"]
		.map(s => document.querySelector("#panel-csat " + s)?.textContent.trim() ?? "")`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"4.3", "12 answers today", "csat"}, csat); diff != "" {
		t.Errorf("CSAT panel mismatch (-want +got):\n%s", diff)
	}

	t.Run("found", func(t *testing.T) {
		openFromKeyboard(t, page, lsidFound)
		if got := <-relay.paths; got != "/api/v1/sessions/"+lsidFound {
			t.Errorf("details request path = %q, want /api/v1/sessions/%s", got, lsidFound)
		}
		waitPage(t, page, "details loaded", `document.querySelector("#details-dialog")?.dataset.state === "loaded"`)
		facts, err := chromedp.Run(page, chromedp.Evaluate[map[string]string](`Object.fromEntries(
			[...document.querySelectorAll("#details-dialog [data-fact], #details-dialog [data-question]")]
				.map(e => [e.dataset.fact ?? "q:" + e.dataset.question, e.querySelector("dd").textContent]))`))
		if err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]string{
			"customer":   "Ada Found",
			"company":    "Analytical & Co",
			"issue":      "Printer on fire",
			"reps":       "Alice Private (alice) (owner), Bob Public",
			"duration":   "15:00",
			"site":       "Support <Portal>",
			"q:csat":     "5",
			"q:comments": "Quick, friendly",
		} {
			if facts[key] != want {
				t.Errorf("fact %s = %q, want %q", key, facts[key], want)
			}
		}
		if !strings.HasPrefix(facts["start"], "20") || facts["end"] == "" {
			t.Errorf("start and end = %q and %q, want dates", facts["start"], facts["end"])
		}
		checkDialogKeyboard(t, page)
		closeWith(t, page, kb.Escape, lsidFound)
	})

	t.Run("not found", func(t *testing.T) {
		openFromKeyboard(t, page, lsidMissing)
		<-relay.paths
		waitPage(t, page, "error shown", `document.querySelector("#details-dialog")?.dataset.state === "error"`)
		checkStatusText(t, page, "Details unavailable: support session not found on the appliance")
		closeWith(t, page, kb.Escape, lsidMissing)
	})

	t.Run("appliance failed", func(t *testing.T) {
		openFromKeyboard(t, page, lsidBadGate)
		<-relay.paths
		waitPage(t, page, "error shown", `document.querySelector("#details-dialog")?.dataset.state === "error"`)
		checkStatusText(t, page,
			"Details unavailable: the appliance could not return the session details (Invalid <token>)")
		// Enter on the focused Close button closes the dialog.
		closeWith(t, page, kb.Enter, lsidBadGate)
	})

	close(relay.next)
	waitPage(t, page, "CSAT unavailable", `document.querySelector("#panel-csat")?.dataset.csat === "unavailable"`)
	reason, err := chromedp.Run(page, chromedp.Evaluate[string](
		`document.querySelector("#panel-csat .csat-reason").textContent.trim()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "▲ CSAT unavailable: reporting API rejected the token"; reason != want {
		t.Errorf("CSAT reason = %q, want %q", reason, want)
	}

	// With heartbeats stopped the page marks the data stale after 30 s.
	close(relay.quiet)
	start := time.Now()
	if _, err := chromedp.Run(page, chromedp.Poll[bool](
		`document.querySelector("#connection-state")?.dataset.state === "stale"`,
		chromedp.WithPollingTimeout(45*time.Second))); err != nil {
		t.Fatalf("page never marked the data stale: %v", err)
	}
	if waited := time.Since(start); waited < 29*time.Second {
		t.Errorf("data marked stale after %v of silence, want about 30 s", waited.Round(time.Second))
	}
	text, err := chromedp.Run(page, chromedp.Evaluate[string](
		`document.querySelector("#connection-state .connection-text").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "Stale: no data for 3") {
		t.Errorf("stale text = %q, want \"Stale: no data for 3x s\"", text)
	}
}

// openFromKeyboard focuses the details button of a closed session, presses
// Enter and checks that the dialog opened with the focus on its Close
// button.
func openFromKeyboard(t *testing.T, page context.Context, lsid string) {
	t.Helper()
	button := "details-button-" + lsid
	if err := chromedp.Do(page,
		chromedp.Focus(chromedp.ID(button)),
		chromedp.KeyEvent(kb.Enter),
	); err != nil {
		t.Fatalf("pressing Enter on %s: %v", button, err)
	}
	waitPage(t, page, "dialog open with the focus on Close",
		`document.querySelector("#details-dialog")?.open === true &&
		document.activeElement?.id === "details-close"`)
	title, err := chromedp.Run(page, chromedp.Evaluate[string](`(() => {
		const d = document.querySelector("#details-dialog");
		return d.getAttribute("aria-labelledby") + "|" + d.getAttribute("aria-modal") + "|" +
			document.getElementById(d.getAttribute("aria-labelledby"))?.textContent;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(title, "details-title|true|Session details: ") {
		t.Errorf("dialog labelling = %q, want aria-labelledby=details-title, aria-modal=true and a title", title)
	}
}

// checkDialogKeyboard presses Tab and Shift+Tab and checks that the focus
// stays inside the dialog.
func checkDialogKeyboard(t *testing.T, page context.Context) {
	t.Helper()
	for i, key := range []chromedp.Action[chromedp.Void]{
		chromedp.KeyEvent(kb.Tab),
		chromedp.KeyEvent(kb.Tab),
		chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)),
	} {
		if err := chromedp.Do(page, key); err != nil {
			t.Fatal(err)
		}
		inside, err := chromedp.Run(page, chromedp.Evaluate[bool](
			`document.querySelector("#details-dialog").contains(document.activeElement)`))
		if err != nil {
			t.Fatal(err)
		}
		if !inside {
			t.Errorf("key %d moved the focus out of the dialog", i+1)
		}
	}
}

// closeWith presses key and checks that the dialog closed and the focus
// returned to the details button of lsid.
func closeWith(t *testing.T, page context.Context, key, lsid string) {
	t.Helper()
	if err := chromedp.Do(page, chromedp.KeyEvent(key)); err != nil {
		t.Fatal(err)
	}
	waitPage(t, page, "dialog closed with the focus back on its opener",
		`document.querySelector("#details-dialog")?.open === false &&
		document.querySelector("#details-dialog").dataset.state === "closed" &&
		document.activeElement?.id === "details-button-`+lsid+`"`)
}

func checkStatusText(t *testing.T, page context.Context, want string) {
	t.Helper()
	got, err := chromedp.Run(page, chromedp.Evaluate[string](
		`document.querySelector("#details-status")?.textContent.replace("▲ ", "") ?? ""`))
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("dialog text = %q, want %q", got, want)
	}
}

// waitPage polls a JavaScript condition for up to 15 s.
func waitPage(t *testing.T, page context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(page, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		state, _ := chromedp.Run(page, chromedp.Evaluate[string](`"focus on #" + document.activeElement?.id +
			", dialog " + (document.querySelector("#details-dialog")?.outerHTML ?? "missing").slice(0, 600)`))
		t.Fatalf("waiting for %s: %v\n%s", what, err, state)
	}
}
