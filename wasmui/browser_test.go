//go:build !js

package wasmui_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/assets"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
	"github.com/rtdash/rtdash/wasmui"
)

// TestBrowserDashboard builds the WebAssembly program and serves it with a
// relay stand-in on loopback. In headless Chromium it checks that the rows
// of a snapshot and a later diff land in the right panels and that times
// tick. It then drops the socket and checks that the page resynchronises.
// Set WASMUI_SCREENSHOT to a file path to keep PNGs of the page.
func TestBrowserDashboard(t *testing.T) {
	chromium := findChromium(t)
	wasmPath := buildWasm(t)

	wasmui.Register()
	relayCtx, stopRelay := context.WithCancel(context.Background())
	drop := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("/api/v1/ws", relayStandIn(t, relayCtx, time.Now(), drop))
	mux.Handle("/", &app.Handler{
		Name:  "Dashboard test",
		Title: "Dashboard test",
		Icon: app.Icon{
			Default: "/web/icon-192.png",
			Large:   "/web/icon-512.png",
			SVG:     "/web/icon.svg",
		},
		Styles:    []string{"/web/app.css"},
		Version:   "browser-test",
		Resources: testResources{wasm: wasmPath, static: http.FileServerFS(assets.Web)},
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(stopRelay) // runs before srv.Close, which waits for the socket handler

	ctx := newBrowser(t, chromium)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitNotPresent(chromedp.ID("app-wasm-loader")),
	); err != nil {
		t.Fatalf("loading the page: %v", err)
	}

	const ready = `document.querySelectorAll("#panel-waiting tr[data-session-id]").length === 2 &&
		document.querySelector("#connection-state")?.dataset.state === "live"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](ready, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
		t.Fatalf("dashboard never showed two waiting sessions while live: %v\npage:\n%s", err, html)
	}

	got, err := chromedp.Run(ctx, chromedp.Evaluate[pageSummary](summaryScript))
	if err != nil {
		t.Fatalf("reading the page: %v", err)
	}
	want := pageSummary{
		State:          "live",
		StateText:      "Live",
		ConfigName:     "Service desk",
		ApplianceID:    "appliance-e2e",
		Counts:         []string{"2", "1", "0", "1", "1"}, // waiting, in progress, closed, queues, reps
		Queues:         []string{"1"},
		Waiting:        []string{"100", "102"},
		InProgress:     []string{"101"},
		Reps:           []string{"10"},
		Breached:       []string{"100"},
		BreachLabel:    "SLA exceeded",
		RepStatus:      "Available",
		InProgressReps: "Alice Example",
		IconsHidden:    true,
		Transport:      "websocket",
		TransportText:  "WebSocket",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("page mismatch (-want +got):\n%s", diff)
	}

	// The wait times tick without any relay message but heartbeats.
	const waitCell = `document.querySelector("#panel-waiting tr[data-session-id='102'] td.time").textContent`
	before, err := chromedp.Run(ctx, chromedp.Evaluate[string](waitCell))
	if err != nil {
		t.Fatalf("reading the wait time: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
		waitCell+` !== `+strconv.Quote(before),
		chromedp.WithPollingTimeout(5*time.Second),
	)); err != nil {
		t.Errorf("wait time stayed %q for 5 s: %v", before, err)
	}

	if path := os.Getenv("WASMUI_SCREENSHOT"); path != "" {
		saveScreenshots(t, ctx, path)
	}

	// The relay drops the socket. The page must show it, reconnect and show
	// the fresh snapshot, in which session 100 no longer exists.
	close(drop)
	const reconnecting = `document.querySelector("#connection-state")?.dataset.state === "reconnecting"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](reconnecting, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("page never showed reconnecting after the relay closed the socket: %v", err)
	}
	const resynced = `document.querySelector("#connection-state")?.dataset.state === "live" &&
		[...document.querySelectorAll("#panel-waiting tr[data-session-id]")]
			.map(e => e.dataset.sessionId).join() === "102"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](resynced, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.ID("panels")))
		t.Fatalf("page never resynchronised from the second snapshot: %v\npanels:\n%s", err, html)
	}
}

// saveScreenshots writes the page in the light theme to path and in the
// dark theme to path with "-dark" before its extension.
func saveScreenshots(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	dark := strings.TrimSuffix(path, filepath.Ext(path)) + "-dark" + filepath.Ext(path)
	for _, shot := range []struct{ scheme, path string }{{"light", path}, {"dark", dark}} {
		media := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{
			{Name: "prefers-color-scheme", Value: shot.scheme},
		}}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, media); err != nil {
			t.Fatalf("emulating the %s theme: %v", shot.scheme, err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("taking a screenshot: %v", err)
		}
		if err := os.WriteFile(shot.path, png, 0o644); err != nil {
			t.Fatalf("writing the screenshot: %v", err)
		}
	}
}

// pageSummary is what the test reads back from the page.
type pageSummary struct {
	State          string   `json:"state"`
	StateText      string   `json:"stateText"`
	ConfigName     string   `json:"configName"`
	ApplianceID    string   `json:"applianceID"`
	Counts         []string `json:"counts"`
	Queues         []string `json:"queues"`
	Waiting        []string `json:"waiting"`
	InProgress     []string `json:"inProgress"`
	Reps           []string `json:"reps"`
	Breached       []string `json:"breached"`
	BreachLabel    string   `json:"breachLabel"`
	RepStatus      string   `json:"repStatus"`
	InProgressReps string   `json:"inProgressReps"`
	IconsHidden    bool     `json:"iconsHidden"`
	Transport      string   `json:"transport"`
	TransportText  string   `json:"transportText"`
}

const summaryScript = `(() => {
	const attrs = (sel, name) => [...document.querySelectorAll(sel)].map(e => e.getAttribute(name));
	const text = sel => (document.querySelector(sel)?.textContent ?? "").trim();
	return {
		state: document.querySelector("#connection-state")?.dataset.state ?? "",
		stateText: text("#connection-state .connection-text"),
		configName: text("#config-name"),
		applianceID: text("#appliance-id .value"),
		counts: [...document.querySelectorAll(".panel-title .count")].map(e => e.textContent),
		queues: attrs("#panel-queues tr[data-queue-id]", "data-queue-id"),
		waiting: attrs("#panel-waiting tr[data-session-id]", "data-session-id"),
		inProgress: attrs("#panel-inprogress tr[data-session-id]", "data-session-id"),
		reps: attrs("#panel-reps tr[data-rep-id]", "data-rep-id"),
		breached: attrs("#panel-waiting tr[data-sla=breached]", "data-session-id"),
		breachLabel: text("#panel-waiting tr[data-session-id='100'] .sla-flag .visually-hidden"),
		repStatus: text("#panel-reps tr[data-rep-id='10'] .status-text"),
		inProgressReps: text("#panel-inprogress tr[data-session-id='101'] td"),
		iconsHidden: [...document.querySelectorAll(".status-icon, .connection-icon, .sla-icon")]
			.every(e => e.getAttribute("aria-hidden") === "true"),
		transport: document.querySelector("#transport")?.dataset.transport ?? "",
		transportText: text("#transport .transport-text"),
	};
})()`

// findChromium returns the browser's path. Without one the test fails in
// CI and is skipped elsewhere.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium not found on PATH or at /usr/bin/chromium; install it to run the browser test")
	}
	t.Skip("chromium not found; install it to run the browser test")
	return ""
}

// buildWasm builds the dashboard's WebAssembly program as the Makefile does
// and returns its path.
func buildWasm(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "app.wasm")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out,
		"github.com/rtdash/rtdash/wasmui/cmd/app")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building app.wasm: %v\n%s", err, output)
	}
	return out
}

func newBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1600, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
}

// testResources serves /web/app.wasm from the build and every other /web/
// file from the assets package.
type testResources struct {
	wasm   string
	static http.Handler
}

func (r testResources) Resolve(p string) string {
	if strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://") || strings.HasPrefix(p, "/") {
		return p
	}
	return "/" + p
}

func (r testResources) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path == "/web/app.wasm" {
		http.ServeFile(w, req, r.wasm)
		return
	}
	r.static.ServeHTTP(w, req)
}

// relayStandIn plays the relay for the page. The first connection gets a
// hello, a status, a snapshot at sequence 1 and a diff that adds waiting
// session 102, then heartbeats until drop is closed, when the stand-in
// closes it. Later connections get a fresh snapshot at sequence 10 in which
// session 100 is gone. Timestamps are relative to start.
func relayStandIn(t *testing.T, ctx context.Context, start time.Time, drop <-chan struct{}) http.Handler {
	now := start.Unix()
	first := snapshotTables(t, deskRows(now))
	later := deskRows(now)
	delete(later[state.TableSupportSession], "100")
	later[state.TableSupportSession]["102"] = diffSession(now)
	resync := snapshotTables(t, later)
	diff := diffMessage(t, now)
	var connections atomic.Int32

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := websocket.Accept(w, r, nil)
		if err != nil {
			t.Errorf("accepting the websocket: %v", err)
			return
		}
		defer conn.CloseNow()
		n := connections.Add(1)

		send := func(env wire.Envelope) error {
			env.Time = time.Now().UnixMilli()
			data, err := json.Marshal(env)
			if err != nil {
				return err
			}
			return conn.Write(ctx, websocket.MessageText, data)
		}
		messages := []wire.Envelope{
			{Type: wire.TypeHello, Hello: &wire.Hello{
				ConfigName:      "Service desk",
				ApplianceID:     "appliance-e2e",
				Settings:        view.Settings{WaitingSLAs: view.SLAs{Default: 120}},
				HeartbeatMillis: 1000,
			}},
			{Type: wire.TypeStatus, Status: &wire.Status{
				Appliance: wire.ApplianceConnected,
				Since:     start.UnixMilli(),
			}},
		}
		seq := uint64(10)
		closeOnDrop := drop
		if n == 1 {
			seq = 2
			messages = append(messages,
				wire.Envelope{Type: wire.TypeSnapshot, Seq: 1, Snapshot: &wire.Snapshot{Tables: first}},
				wire.Envelope{Type: wire.TypeDiff, Seq: 2, Diff: diff},
			)
		} else {
			closeOnDrop = nil
			messages = append(messages,
				wire.Envelope{Type: wire.TypeSnapshot, Seq: seq, Snapshot: &wire.Snapshot{Tables: resync}})
		}
		for _, env := range messages {
			if err := send(env); err != nil {
				return
			}
		}

		ticker := time.NewTicker(500 * time.Millisecond)
		defer ticker.Stop()
		for {
			select {
			case <-ctx.Done():
				conn.Close(websocket.StatusGoingAway, "test finished")
				return
			case <-closeOnDrop:
				conn.Close(websocket.StatusGoingAway, "relay restarting")
				return
			case <-ticker.C:
				if err := send(wire.Envelope{Type: wire.TypeHeartbeat, Seq: seq}); err != nil {
					return
				}
			}
		}
	})
}

// deskRows returns a small site as state API rows keyed by table, row id
// and column: one team queue, one representative's personal queue, one
// available representative, one waiting session (100) and one session in
// progress (101) held by the representative.
func deskRows(now int64) map[string]map[string]map[string]any {
	return map[string]map[string]map[string]any{
		state.TableQueue: {
			"1": {"name": "Windows Support", "code_name": "windows", "type": "team", "support_team_id": 7},
			"2": {"name": "Alice Example", "code_name": "alice", "type": "personal"},
		},
		state.TableRepresentative: {
			"10": {
				"username": "alice", "public_display_name": "Alice Example",
				"routing_available": 1, "routing_enabled": 1, "routing_busy": 0, "routing_idle": 0,
				"queue_id": 2, "created_timestamp": now - 3600,
			},
		},
		state.TableRepresentativeQueue: {
			"20": {"representative_id": 10, "queue_id": 1},
		},
		state.TableSupportSession: {
			"100": {
				"lsid": "0123456789abcdef0123456789abcdef", "queue_id": 1,
				"queue_entry_timestamp": now - 300, "customer_name": "Bob Waiting",
				"customer_company": "Acme", "customer_description": "Printer offline",
				"start_method": "issue_submission", "created_timestamp": now - 300,
			},
			"101": {
				"lsid": "fedcba9876543210fedcba9876543210", "queue_id": 2,
				"queue_entry_timestamp": now - 900, "customer_name": "Carol Helped",
				"start_method": "session_key", "created_timestamp": now - 900,
			},
		},
		state.TableRepresentativeSupportSession: {
			"30": {"support_session_id": 101, "representative_id": 10},
		},
		state.TableCustomerClient: {
			"40": {"support_session_id": 101, "client_type": "desktop"},
		},
	}
}

// diffSession is waiting session 102, which entered the team queue a
// minute ago.
func diffSession(now int64) map[string]any {
	return map[string]any{
		"lsid": "00112233445566778899aabbccddeeff", "queue_id": 1,
		"queue_entry_timestamp": now - 60, "customer_name": "Dave Diff",
		"start_method": "session_key", "created_timestamp": now - 60,
	}
}

// snapshotTables builds a model from rows with the state package and
// returns it in the snapshot form.
func snapshotTables(t *testing.T, rows map[string]map[string]map[string]any) json.RawMessage {
	t.Helper()
	model := state.NewModel()
	res := model.Apply(&state.Message{Type: state.TypeModelUpdate, Insert: section(t, rows)})
	if res.AnomalyCount != 0 {
		t.Fatalf("snapshot model has %d anomalies: %+v", res.AnomalyCount, res)
	}
	return model.AppendJSON(nil)
}

// diffMessage returns a state API message that adds waiting session 102.
func diffMessage(t *testing.T, now int64) json.RawMessage {
	t.Helper()
	rows := map[string]map[string]map[string]any{
		state.TableSupportSession: {"102": diffSession(now)},
	}
	data, err := json.Marshal(state.Message{Type: state.TypeModelUpdate, Insert: section(t, rows)})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func section(t *testing.T, rows map[string]map[string]map[string]any) map[string]json.RawMessage {
	t.Helper()
	out := make(map[string]json.RawMessage, len(rows))
	for table, tableRows := range rows {
		raw, err := json.Marshal(tableRows)
		if err != nil {
			t.Fatal(err)
		}
		out[table] = raw
	}
	return out
}
