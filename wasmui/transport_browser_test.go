//go:build !js

package wasmui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/assets"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
	"github.com/rtdash/rtdash/wasmui"
)

// TestBrowserFallsBackToStream serves the page with a relay stand-in whose
// websocket endpoint responds with 400, as the relay does behind a proxy
// that strips the upgrade, and whose event stream works. The page must go live through
// the stream and say so in #transport. A diff out of sequence must then
// make the page close the stream and resynchronise from a new one.
func TestBrowserFallsBackToStream(t *testing.T) {
	chromium := findChromium(t)
	wasmPath := buildWasm(t)

	wasmui.Register()
	relayCtx, stopRelay := context.WithCancel(context.Background())
	gap := make(chan struct{})
	stream := &streamStandIn{t: t, ctx: relayCtx, start: time.Now(), gap: gap, firstClosed: make(chan struct{})}
	var socketAttempts atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/ws", func(w http.ResponseWriter, r *http.Request) {
		socketAttempts.Add(1)
		http.Error(w, "websocket upgrade missing", http.StatusBadRequest)
	})
	mux.Handle("/api/v1/stream", stream)
	mux.Handle("/", &app.Handler{
		Name:      "Fallback test",
		Title:     "Fallback test",
		Icon:      app.Icon{Default: "/web/icon-192.png", SVG: "/web/icon.svg"},
		Styles:    []string{"/web/app.css"},
		Version:   "fallback-test",
		Resources: testResources{wasm: wasmPath, static: http.FileServerFS(assets.Web)},
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(stopRelay) // runs before srv.Close, which waits for the stream handler

	ctx := newBrowser(t, chromium)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitNotPresent(chromedp.ID("app-wasm-loader")),
	); err != nil {
		t.Fatalf("loading the page: %v", err)
	}

	const live = `document.querySelector("#connection-state")?.dataset.state === "live" &&
		[...document.querySelectorAll("#panel-waiting tr[data-session-id]")]
			.map(e => e.dataset.sessionId).join() === "100,102"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](live, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
		t.Fatalf("page never went live with sessions 100 and 102 over the stream: %v\npage:\n%s", err, html)
	}
	checkTransport(t, ctx, "stream", "HTTP stream (fallback)")
	if n := socketAttempts.Load(); n < 2 {
		t.Errorf("websocket attempts before the fallback = %d, want at least 2", n)
	}

	// A diff out of sequence: the page must drop the stream itself and
	// show the snapshot of a new one, in which session 100 is gone.
	close(gap)
	select {
	case <-stream.firstClosed:
	case <-time.After(15 * time.Second):
		t.Fatal("page kept the first event stream open after a diff out of sequence")
	}
	const resynced = `document.querySelector("#connection-state")?.dataset.state === "live" &&
		[...document.querySelectorAll("#panel-waiting tr[data-session-id]")]
			.map(e => e.dataset.sessionId).join() === "102"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](resynced, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.ID("panels")))
		t.Fatalf("page never resynchronised from the second stream: %v\npanels:\n%s", err, html)
	}
	checkTransport(t, ctx, "stream", "HTTP stream (fallback)")
	if n := stream.connections.Load(); n != 2 {
		t.Errorf("event stream connections = %d, want 2", n)
	}
}

// checkTransport checks the transport the header shows.
func checkTransport(t *testing.T, ctx context.Context, want, wantText string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const el = document.querySelector("#transport");
		return [el?.dataset.transport ?? "", (el?.querySelector(".transport-text")?.textContent ?? "").trim()];
	})()`))
	if err != nil {
		t.Fatalf("reading #transport: %v", err)
	}
	if got[0] != want {
		t.Errorf("#transport data-transport = %q, want %q", got[0], want)
	}
	if got[1] != wantText {
		t.Errorf("#transport text = %q, want %q", got[1], wantText)
	}
}

// streamStandIn plays the relay's event stream. The first connection gets
// a hello, a status, a snapshot at sequence 1 and a diff at 2 that adds
// waiting session 102, then heartbeats. Once gap is closed it gets a diff
// at sequence 5, which the page must reject; firstClosed is closed when the
// page then ends that stream. Later connections get a snapshot at sequence
// 10 in which session 100 is gone.
type streamStandIn struct {
	t           *testing.T
	ctx         context.Context
	start       time.Time
	gap         <-chan struct{}
	firstClosed chan struct{}
	connections atomic.Int32
}

func (s *streamStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.connections.Add(1)
	if n == 1 {
		defer close(s.firstClosed)
	}
	now := s.start.Unix()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	flusher := w.(http.Flusher)
	send := func(env wire.Envelope) bool {
		env.Time = time.Now().UnixMilli()
		data, err := json.Marshal(env)
		if err != nil {
			s.t.Errorf("encoding %s envelope: %v", env.Type, err)
			return false
		}
		if _, err := fmt.Fprintf(w, "data: %s\n\n", data); err != nil {
			return false
		}
		flusher.Flush()
		return true
	}
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil {
		return
	}

	messages := []wire.Envelope{
		{Type: wire.TypeHello, Hello: &wire.Hello{
			ConfigName:      "Stream desk",
			ApplianceID:     "appliance-stream",
			Settings:        view.Settings{WaitingSLAs: view.SLAs{Default: 120}},
			HeartbeatMillis: 1000,
		}},
		{Type: wire.TypeStatus, Status: &wire.Status{Appliance: wire.ApplianceConnected, Since: s.start.UnixMilli()}},
	}
	seq := uint64(10)
	gap := s.gap
	if n == 1 {
		seq = 2
		messages = append(messages,
			wire.Envelope{Type: wire.TypeSnapshot, Seq: 1, Snapshot: &wire.Snapshot{Tables: snapshotTables(s.t, deskRows(now))}},
			wire.Envelope{Type: wire.TypeDiff, Seq: 2, Diff: diffMessage(s.t, now)},
		)
	} else {
		gap = nil
		rows := deskRows(now)
		delete(rows[state.TableSupportSession], "100")
		rows[state.TableSupportSession]["102"] = diffSession(now)
		messages = append(messages,
			wire.Envelope{Type: wire.TypeSnapshot, Seq: seq, Snapshot: &wire.Snapshot{Tables: snapshotTables(s.t, rows)}})
	}
	for _, env := range messages {
		if !send(env) {
			return
		}
	}

	ticker := time.NewTicker(500 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-r.Context().Done():
			return
		case <-gap:
			gap = nil
			seq = 5
			if !send(wire.Envelope{Type: wire.TypeDiff, Seq: seq, Diff: diffMessage(s.t, now)}) {
				return
			}
		case <-ticker.C:
			if !send(wire.Envelope{Type: wire.TypeHeartbeat, Seq: seq}) {
				return
			}
		}
	}
}
