package integration_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rtdash/rtdash/assets"
	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/relay"
	"github.com/rtdash/rtdash/relay/config"
)

// site is a simulated appliance with a relay following it.
type site struct {
	sim      *sim.Simulator
	relay    *relay.Relay
	relayURL string // http://127.0.0.1:port with no trailing slash, plus the base path
}

// startSite starts a simulator and a relay connected to it; both stop when
// the test ends. extra adds or overrides RTD_* settings.
func startSite(t *testing.T, simCfg sim.Config, extra map[string]string) *site {
	t.Helper()
	return startSiteAfter(t, simCfg, extra, nil)
}

// startSiteAfter is startSite with a step that runs on the simulator before
// the relay starts.
func startSiteAfter(t *testing.T, simCfg sim.Config, extra map[string]string, before func(*sim.Simulator)) *site {
	t.Helper()
	logger := testLogger(t)
	if simCfg.ClientID == "" {
		simCfg.ClientID = "integration-test"
		simCfg.ClientSecret = "integration-secret-0123456789"
	}
	if simCfg.Logger == nil {
		simCfg.Logger = logger.With("component", "simulator")
	}
	appliance, err := sim.New(simCfg)
	if err != nil {
		t.Fatalf("creating simulator: %v", err)
	}
	if err := appliance.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("starting simulator: %v", err)
	}
	t.Cleanup(func() { appliance.Close() })
	if before != nil {
		before(appliance)
	}

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, appliance.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	environment := map[string]string{
		"RTD_APPLIANCE_HOST": appliance.Addr(),
		"RTD_CLIENT_ID":      simCfg.ClientID,
		"RTD_CLIENT_SECRET":  simCfg.ClientSecret,
		"RTD_CA_FILE":        caFile,
		"RTD_LISTEN_ADDR":    "127.0.0.1:0",
	}
	for k, v := range extra {
		environment[k] = v
	}
	cfg, err := config.Load(environment)
	if err != nil {
		t.Fatalf("loading relay configuration: %v", err)
	}
	r, err := relay.New(cfg, relay.Options{Logger: logger.With("component", "relay"), Web: assets.Web})
	if err != nil {
		t.Fatalf("creating relay: %v", err)
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("relay stopped with an error: %v", err)
		}
	})
	return &site{sim: appliance, relay: r, relayURL: "http://" + ln.Addr().String() + cfg.BasePath}
}

// testLogger sends logs to the test output, shown when a test fails or with
// -v. Goroutines of the simulator and the relay may still log while the
// test ends, and calling t.Log after a test has completed is a data race.
// So the writer stops forwarding once the test's last cleanup runs.
func testLogger(t *testing.T) *slog.Logger {
	w := &testWriter{t: t}
	t.Cleanup(w.stop)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct {
	t       *testing.T
	mu      sync.Mutex
	stopped bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.t.Log(string(p))
	}
	return len(p), nil
}

func (w *testWriter) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
}

// waitReady polls the relay's /readyz until it returns 200.
func (s *site) waitReady(t *testing.T) {
	t.Helper()
	// A large site under the race detector on two busy cores takes seconds
	// to encode and apply.
	waitFor(t, 60*time.Second, "relay ready", func() bool {
		resp, err := http.Get(s.relayURL + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// snapshot fetches the relay's /api/v1/snapshot.
func (s *site) snapshot(t *testing.T) relaySnapshot {
	t.Helper()
	resp, err := http.Get(s.relayURL + "/api/v1/snapshot")
	if err != nil {
		t.Fatalf("GET /api/v1/snapshot: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/snapshot: HTTP %d: %s", resp.StatusCode, body)
	}
	var snap relaySnapshot
	if err := json.Unmarshal(body, &snap); err != nil {
		t.Fatalf("decoding /api/v1/snapshot: %v", err)
	}
	return snap
}

type relaySnapshot struct {
	Seq    uint64          `json:"seq"`
	Tables json.RawMessage `json:"tables"`
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// requireApp fails the test when the WebAssembly build output is missing.
func requireApp(t *testing.T) {
	t.Helper()
	if _, err := fs.Stat(assets.Web, "web/app.wasm"); err != nil {
		t.Fatalf("assets/web/app.wasm is missing: build it with `make wasm` before running the browser tests")
	}
}

// newBrowser starts headless Chromium for one test. Without Chromium the
// test is skipped, except in CI (CI=true), where it fails.
func newBrowser(t *testing.T, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium not found on PATH; install it with: apt-get install -y chromium")
		}
		t.Skip("chromium not found on PATH; install it with: apt-get install -y chromium")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
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
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

func contains(s, substr string) bool { return strings.Contains(s, substr) }

// httpGet fetches a URL and returns the response and its body.
func httpGet(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
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

func mustPool(t *testing.T, pem []byte) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("simulator CA is not PEM")
	}
	return pool
}

// insecureTLS accepts any certificate, for the tests' own self-signed
// proxy certificates only.
func insecureTLS() *tls.Config {
	return &tls.Config{InsecureSkipVerify: true} //nolint:gosec // test proxy with a throwaway certificate
}
