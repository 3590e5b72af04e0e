package integration_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"

	"github.com/rtdash/rtdash/integration/sim"
)

// nginxConfig is the reverse proxy of the deployment guide, with files kept
// in a test directory. Websocket selects whether nginx passes websocket
// upgrades.
const nginxConfig = `daemon off;
master_process off;
worker_processes 1;
pid {{.Dir}}/nginx.pid;
error_log {{.Dir}}/error.log warn;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path {{.Dir}}/body;
    proxy_temp_path {{.Dir}}/proxy;
    fastcgi_temp_path {{.Dir}}/fastcgi;
    uwsgi_temp_path {{.Dir}}/uwsgi;
    scgi_temp_path {{.Dir}}/scgi;
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    server {
        listen 127.0.0.1:{{.Port}} ssl;
        ssl_certificate {{.Dir}}/cert.pem;
        ssl_certificate_key {{.Dir}}/key.pem;
        location /dashboard/ {
            proxy_pass http://{{.Relay}};
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
{{- if .Websocket}}
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
{{- else}}
            proxy_set_header Upgrade "";
            proxy_set_header Connection "";
{{- end}}
            proxy_read_timeout 1h;
            proxy_buffering off;
        }
    }
}
`

// startNginx runs nginx in front of the relay on a free loopback port and
// returns its https address. Without nginx the test is skipped, except in
// CI (CI=true), where it fails.
func startNginx(t *testing.T, relayURL string, websocket bool) string {
	t.Helper()
	binary, err := exec.LookPath("nginx")
	if err != nil {
		if _, statErr := os.Stat("/usr/sbin/nginx"); statErr == nil {
			binary, err = "/usr/sbin/nginx", nil
		}
	}
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("nginx not found; install it with: apt-get install -y nginx")
		}
		t.Skip("nginx not found; install it with: apt-get install -y nginx")
	}
	dir := t.TempDir()
	writeSelfSigned(t, dir)
	port := freePort(t)
	relay := strings.TrimSuffix(strings.TrimPrefix(relayURL, "http://"), "/dashboard")
	var conf strings.Builder
	err = template.Must(template.New("nginx").Parse(nginxConfig)).Execute(&conf, map[string]any{
		"Dir": dir, "Port": port, "Relay": relay, "Websocket": websocket,
	})
	if err != nil {
		t.Fatal(err)
	}
	confFile := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confFile, []byte(conf.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "-p", dir, "-c", confFile, "-e", filepath.Join(dir, "error.log"))
	out, err := os.Create(filepath.Join(dir, "stdout.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting nginx: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			logs, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("nginx error log:\n%s", logs)
		}
	})
	base := fmt.Sprintf("https://127.0.0.1:%d", port)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: insecureTLS()}}
	waitFor(t, 10*time.Second, "nginx serving", func() bool {
		resp, err := client.Get(base + "/dashboard/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return base
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// writeSelfSigned writes cert.pem and key.pem for 127.0.0.1 into dir.
func writeSelfSigned(t *testing.T, dir string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cert.pem"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key.pem"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// proxiedSite is a simulated appliance and a relay below /dashboard behind
// nginx.
func proxiedSite(t *testing.T, websocket bool) (*site, string) {
	t.Helper()
	s := startSite(t, sim.Config{Seed: 8, Scenario: sim.SmallOffice(), BatchDelay: 20 * time.Millisecond},
		map[string]string{"RTD_BASE_PATH": "/dashboard"})
	s.waitReady(t)
	return s, startNginx(t, s.relayURL, websocket)
}

// TestBehindNginx loads the dashboard through nginx, which terminates TLS
// and forwards /dashboard/ with websocket upgrades, and follows a customer
// over the websocket.
func TestBehindNginx(t *testing.T) {
	requireApp(t)
	s, base := proxiedSite(t, true)
	ctx := newBrowser(t, chromedp.Flag("ignore-certificate-errors", true))
	openProxiedDashboard(t, ctx, base)
	checkTransport(t, ctx, "websocket", "WebSocket")
	followCustomer(t, ctx, s, "Proxied Customer")
	checkTransport(t, ctx, "websocket", "WebSocket")
}

// TestBehindNginxWithoutWebsocket runs nginx with the Upgrade and
// Connection headers cleared, as a proxy without websocket support does.
// The page must fall back to the event stream by itself and follow a
// customer through it.
func TestBehindNginxWithoutWebsocket(t *testing.T) {
	requireApp(t)
	s, base := proxiedSite(t, false)

	// The configuration must really stop websockets, or the test proves
	// nothing about the fallback.
	wsURL := "wss" + strings.TrimPrefix(base, "https") + "/dashboard/api/v1/ws"
	dialCtx, cancel := contextWithCancel()
	defer cancel()
	httpClient := &http.Client{Transport: &http.Transport{TLSClientConfig: insecureTLS()}}
	if conn, resp, err := websocket.Dial(dialCtx, wsURL, &websocket.DialOptions{HTTPClient: httpClient}); err == nil {
		conn.CloseNow()
		t.Fatal("nginx without websocket support passed a websocket upgrade")
	} else if resp == nil || resp.StatusCode == http.StatusSwitchingProtocols {
		t.Fatalf("websocket through nginx without upgrades: %v, want an HTTP error status", err)
	}

	ctx := newBrowser(t, chromedp.Flag("ignore-certificate-errors", true))
	openProxiedDashboard(t, ctx, base)
	checkTransport(t, ctx, "stream", "HTTP stream (fallback)")
	followCustomer(t, ctx, s, "Streamed Customer")
	checkTransport(t, ctx, "stream", "HTTP stream (fallback)")
}

// openProxiedDashboard loads the dashboard below /dashboard/ of the proxy
// at base and waits until it shows live data.
func openProxiedDashboard(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/dashboard/"),
		chromedp.WaitNotPresent(chromedp.ID("app-wasm-loader")),
	); err != nil {
		t.Fatalf("loading the dashboard through nginx: %v", err)
	}
	poll(t, ctx, "connection state live", `document.querySelector("#connection-state")?.dataset.state === "live"`)
}

// followCustomer adds a customer to the simulator and waits until the page
// shows it waiting, then in progress once a representative picks it up,
// then nowhere once the session ends.
func followCustomer(t *testing.T, ctx context.Context, s *site, name string) {
	t.Helper()
	id := addCustomer(t, s, name)
	waiting := fmt.Sprintf(`#panel-waiting tr[data-session-id="%d"]`, id)
	inProgress := fmt.Sprintf(`#panel-inprogress tr[data-session-id="%d"]`, id)
	poll(t, ctx, "customer in the waiting panel", fmt.Sprintf(
		`(document.querySelector(%q)?.textContent ?? "").includes(%q)`, waiting, name))

	reps := s.sim.Reps()
	if len(reps) == 0 {
		t.Fatal("simulator has no logged-in representatives")
	}
	if err := s.sim.Pickup(id, reps[0].ID); err != nil {
		t.Fatalf("pickup of session %d: %v", id, err)
	}
	s.sim.Flush()
	poll(t, ctx, "session moved to the sessions in progress", fmt.Sprintf(
		`document.querySelector(%q) === null && document.querySelector(%q) !== null`, waiting, inProgress))

	if err := s.sim.EndSession(id); err != nil {
		t.Fatalf("ending session %d: %v", id, err)
	}
	s.sim.Flush()
	poll(t, ctx, "session gone from every panel", fmt.Sprintf(
		`document.querySelector(%q) === null && document.querySelector(%q) === null`, waiting, inProgress))
}

// checkTransport checks the transport the page's header shows in
// #transport: its data-transport attribute and its text.
func checkTransport(t *testing.T, ctx context.Context, want, wantText string) {
	t.Helper()
	poll(t, ctx, "transport "+want, fmt.Sprintf(
		`document.querySelector("#transport")?.dataset.transport === %q`, want))
	text := evalJS[string](t, ctx, `document.querySelector("#transport .transport-text")?.textContent ?? ""`)
	if text != wantText {
		t.Errorf("#transport text = %q, want %q", text, wantText)
	}
}

// TestCrossOriginRejectedBehindNginx opens the relay's websocket and event
// stream from a page of another origin and checks that both are refused:
// in the browser, and for the event stream also by the relay itself.
func TestCrossOriginRejectedBehindNginx(t *testing.T) {
	_, base := proxiedSite(t, true)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><title>other origin</title>")
	}))
	t.Cleanup(other.Close)

	ctx := newBrowser(t, chromedp.Flag("ignore-certificate-errors", true))
	if err := chromedp.Do(ctx, chromedp.Navigate(other.URL)); err != nil {
		t.Fatal(err)
	}
	wsURL := "wss" + strings.TrimPrefix(base, "https") + "/dashboard/api/v1/ws"
	result, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`new Promise((resolve) => {
		const ws = new WebSocket(%q);
		ws.onopen = () => resolve("opened");
		ws.onerror = () => resolve("refused");
		setTimeout(() => resolve("timeout"), 10000);
	})`, wsURL), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if result != "refused" {
		t.Errorf("websocket from another origin: %s, want refused", result)
	}

	// An EventSource of the other page must get an error and no message.
	// The browser would refuse the response for lack of CORS headers
	// anyway, so the status that nginx passed on shows that the relay
	// refused it. Chromium reports that status of a response blocked by
	// CORS only in the extra information of the request.
	streamURL := base + "/dashboard/api/v1/stream"
	statuses := make(chan int64, 10)
	var streamRequest network.RequestID
	err = chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if ev.Request.URL == streamURL {
				streamRequest = ev.RequestID
			}
		case *network.EventResponseReceivedExtraInfo:
			if ev.RequestID == streamRequest {
				select {
				case statuses <- ev.StatusCode:
				default:
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	result, err = chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`new Promise((resolve) => {
		const source = new EventSource(%q);
		const finish = (outcome) => { source.close(); resolve(outcome); };
		source.onmessage = () => finish("message");
		source.onerror = () => finish("error");
		setTimeout(() => finish("timeout"), 10000);
	})`, streamURL), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if result != "error" {
		t.Errorf("EventSource from another origin: %s, want error", result)
	}
	select {
	case status := <-statuses:
		if status != http.StatusForbidden {
			t.Errorf("EventSource from another origin got HTTP %d, want 403", status)
		}
	case <-time.After(5 * time.Second):
		t.Error("the browser reported no response to the cross-origin EventSource")
	}

	// The relay rejects the event stream request itself, whatever the
	// browser's own cross-origin rules would do with the response.
	req, _ := http.NewRequest(http.MethodGet, base+"/dashboard/api/v1/stream", nil)
	req.Header.Set("Origin", other.URL)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: insecureTLS()}}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("event stream from another origin through nginx = %d, want 403", resp.StatusCode)
	}
}
