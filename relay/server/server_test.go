package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/coder/websocket"

	"github.com/rtdash/rtdash/relay/hub"
	"github.com/rtdash/rtdash/relay/metrics"
	"github.com/rtdash/rtdash/relay/server"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/wire"
	"github.com/rtdash/rtdash/wasmui"
)

func newServer(t *testing.T, basePath string) (*httptest.Server, *hub.Hub) {
	t.Helper()
	m := metrics.New("test", func() float64 { return 3 })
	h := hub.New(hub.Options{Metrics: m})
	web := fstest.MapFS{
		"web/app.wasm":    {Data: []byte("raw wasm")},
		"web/app.wasm.br": {Data: []byte("brotli wasm")},
		"web/app.wasm.gz": {Data: []byte("gzip wasm")},
		"web/app.css":     {Data: []byte("body{}")},
	}
	wasmui.Register()
	app, found := server.NewApp(server.AppOptions{BasePath: basePath, Title: "Test", Web: web})
	if !found {
		t.Fatal("NewApp did not find web/app.wasm")
	}
	srv := httptest.NewServer(server.New(server.Options{
		BasePath: basePath, Hub: h, Metrics: m, App: app,
	}))
	t.Cleanup(srv.Close)
	return srv, h
}

func get(t *testing.T, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	// The default transport would ask for gzip and decode it silently.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func snapshotInto(t *testing.T, h *hub.Hub) {
	t.Helper()
	raw := []byte(`{"type":"model_update","insert":{"queue":{"3":{"name":"Tier 1","type":"team","routing":1}}}}`)
	msg, err := state.Decode(raw)
	if err != nil {
		t.Fatal(err)
	}
	h.Snapshot(msg, raw, time.Now())
}

func TestHealthAndReadiness(t *testing.T) {
	srv, h := newServer(t, "")
	if resp, _ := get(t, srv.URL+"/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz = %d, want 200", resp.StatusCode)
	}
	resp, body := get(t, srv.URL+"/readyz", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "connecting") {
		t.Errorf("/readyz before a snapshot = %d %q, want 503 naming the state", resp.StatusCode, body)
	}
	snapshotInto(t, h)
	h.SetStatus(wire.Status{Appliance: wire.ApplianceConnected})
	if resp, _ := get(t, srv.URL+"/readyz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/readyz when connected = %d, want 200", resp.StatusCode)
	}
	h.SetStatus(wire.Status{Appliance: wire.ApplianceUnavailable, Reason: "dial failed"})
	resp, body = get(t, srv.URL+"/readyz", nil)
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "dial failed") {
		t.Errorf("/readyz when unavailable = %d %q, want 503 with the reason", resp.StatusCode, body)
	}
}

func TestSnapshotEndpoint(t *testing.T) {
	srv, h := newServer(t, "")
	if resp, _ := get(t, srv.URL+"/api/v1/snapshot", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("snapshot before data = %d, want 503", resp.StatusCode)
	}
	snapshotInto(t, h)
	resp, body := get(t, srv.URL+"/api/v1/snapshot", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("snapshot = %d, want 200", resp.StatusCode)
	}
	// The unknown column is kept as the appliance sent it.
	for _, want := range []string{`"seq":1`, `"queue":{"3":{"name":"Tier 1","type":"team","routing":1}}`, `"support_session":{}`} {
		if !strings.Contains(body, want) {
			t.Errorf("snapshot does not contain %s:\n%s", want, body)
		}
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	srv, _ := newServer(t, "")
	_, body := get(t, srv.URL+"/metrics", nil)
	for _, name := range []string{
		"rtd_appliance_connected", "rtd_appliance_reconnects_total", "rtd_diffs_applied_total",
		"rtd_browsers_connected", `rtd_token_requests_total{appliance="test"} 3`,
		// Labelled series exist at 0 before their first event.
		`rtd_malformed_messages_total{appliance="test",kind="unknown_column"} 0`,
		`rtd_browsers_dropped_total{appliance="test",reason="stalled"} 0`,
		`rtd_csat_polls_total{appliance="test",result="error"} 0`,
	} {
		if !strings.Contains(body, name) {
			t.Errorf("metrics do not contain %s", name)
		}
	}
}

func TestBasePath(t *testing.T) {
	srv, _ := newServer(t, "/dash")
	if resp, _ := get(t, srv.URL+"/dash/healthz", nil); resp.StatusCode != http.StatusOK {
		t.Errorf("/dash/healthz = %d, want 200", resp.StatusCode)
	}
	if resp, _ := get(t, srv.URL+"/healthz", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/healthz outside the base path = %d, want 404", resp.StatusCode)
	}
	resp, _ := (&http.Transport{}).RoundTrip(mustRequest(t, srv.URL+"/dash"))
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/dash/" {
		t.Errorf("/dash = %d to %q, want a redirect to /dash/", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := get(t, srv.URL+"/dash/", nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/dash/ = %d", resp.StatusCode)
	}
	if !strings.Contains(body, `href="/dash/web/app.css"`) {
		t.Errorf("page does not load the style sheet below the base path:\n%s", body)
	}
}

func mustRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestWasmCompression(t *testing.T) {
	srv, _ := newServer(t, "")
	tests := []struct {
		accept, encoding, body string
	}{
		{"gzip, deflate, br, zstd", "br", "brotli wasm"},
		{"gzip", "gzip", "gzip wasm"},
		{"br;q=0, gzip", "gzip", "gzip wasm"},
		{"", "", "raw wasm"},
	}
	for _, tc := range tests {
		resp, body := get(t, srv.URL+"/web/app.wasm", map[string]string{"Accept-Encoding": tc.accept})
		if got := resp.Header.Get("Content-Encoding"); got != tc.encoding {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want %q", tc.accept, got, tc.encoding)
		}
		if body != tc.body {
			t.Errorf("Accept-Encoding %q: body = %q, want %q", tc.accept, body, tc.body)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	srv, _ := newServer(t, "")
	resp, _ := get(t, srv.URL+"/", nil)
	for header, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	} {
		if got := resp.Header.Get(header); got != want {
			t.Errorf("%s = %q, want %q", header, got, want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q does not contain %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("Content-Security-Policy allows inline scripts: %q", csp)
	}
	for _, p := range []string{"/robots.txt", "/sitemap.xml", "/ads.txt"} {
		if resp, _ := get(t, srv.URL+p, nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s = %d, want 404 answered locally", p, resp.StatusCode)
		}
	}
}

func TestWebsocketRejectsOtherOrigin(t *testing.T) {
	srv, _ := newServer(t, "")
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/api/v1/ws"
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		HTTPHeader: http.Header{"Origin": []string{"https://evil.example"}},
	})
	if err == nil {
		t.Fatal("websocket from another origin was accepted")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin upgrade got %v, want 403", resp)
	}
	conn, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("same-origin websocket: %v", err)
	}
	conn.CloseNow()
}

func TestMethodsAndListings(t *testing.T) {
	srv, _ := newServer(t, "")
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodPost, "/api/v1/snapshot", http.StatusMethodNotAllowed},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/", http.StatusMethodNotAllowed},
		{http.MethodHead, "/healthz", http.StatusOK},
		{http.MethodGet, "/web/", http.StatusNotFound},
		{http.MethodGet, "/api/v1/nothing", http.StatusNotFound},
	} {
		req, err := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, resp.StatusCode, tc.status)
		}
	}
}
