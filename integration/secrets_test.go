package integration_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/relay"
	"github.com/rtdash/rtdash/relay/config"
)

var tokenPattern = regexp.MustCompile(`(^|[^A-Za-z0-9])[A-Za-z0-9]{40}([^A-Za-z0-9]|$)`)

// lockedBuffer is a bytes.Buffer safe for the relay's concurrent logging.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestSecretsStayOutOfLogsAndBrowsers runs a relay at debug level through
// a token revocation, a rejected secret and a browser session, and checks
// that neither the client secret nor any word of a token reaches its logs
// or its browsers.
func TestSecretsStayOutOfLogsAndBrowsers(t *testing.T) {
	const secret = "very-secret-value-0123456789"
	appliance, err := sim.New(sim.Config{ClientID: "secrets", ClientSecret: secret, Seed: 6, BatchDelay: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := appliance.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { appliance.Close() })
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, appliance.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(map[string]string{
		"RTD_APPLIANCE_HOST":    appliance.Addr(),
		"RTD_CLIENT_ID":         "secrets",
		"RTD_CLIENT_SECRET":     secret,
		"RTD_CA_FILE":           caFile,
		"RTD_LISTEN_ADDR":       "127.0.0.1:0",
		"RTD_SESSION_DETAILS":   "true",
		"RTD_CSAT_POLL_MINUTES": "1",
		"RTD_CSAT_QUESTION":     "rating",
	})
	if err != nil {
		t.Fatal(err)
	}
	logs := &lockedBuffer{}
	r, err := relay.New(cfg, relay.Options{Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Serve(ctx, ln) }()
	defer func() {
		cancel()
		<-done
	}()
	s := &site{sim: appliance, relay: r, relayURL: "http://" + ln.Addr().String()}
	s.waitReady(t)
	v := s.connectViewer(t)
	v.waitMatches(t, s, "viewer in step")

	// A revoked token, then a secret the appliance no longer accepts.
	appliance.RevokeTokens()
	waitFor(t, 20*time.Second, "the relay back after the revocation", func() bool { return v.status() == "connected" })
	appliance.RegenerateSecret()
	appliance.DropConnections()
	waitFor(t, 20*time.Second, "the relay reporting the rejected secret", func() bool {
		return strings.Contains(logs.String(), "invalid_client")
	})

	_, page := httpGet(t, s.relayURL+"/api/v1/snapshot")
	browser, _ := v.tables()
	for name, text := range map[string]string{"logs": logs.String(), "snapshot": page, "browser model": string(browser)} {
		if strings.Contains(text, secret) {
			t.Errorf("%s contain the client secret", name)
		}
		if strings.Contains(text, "bearer_token") {
			t.Errorf("%s contain an authenticate message", name)
		}
		// The simulator issues tokens of 40 letters and digits, as the
		// appliance does.
		if token := tokenPattern.FindString(text); token != "" {
			t.Errorf("%s contain what looks like an access token: %s…", name, token[:6])
		}
	}
}
