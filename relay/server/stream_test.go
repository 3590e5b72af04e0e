package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rtdash/rtdash/relay/server"
	"github.com/rtdash/rtdash/shared/wire"
)

// readEvents reads n server-sent events from the stream and returns their
// envelopes.
func readEvents(t *testing.T, r *bufio.Reader, n int) []wire.Envelope {
	t.Helper()
	var out []wire.Envelope
	for len(out) < n {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the event stream: %v", err)
		}
		data, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "data: ")
		if !ok {
			continue
		}
		var env wire.Envelope
		if err := json.Unmarshal([]byte(data), &env); err != nil {
			t.Fatalf("event data is not an envelope: %v: %s", err, data)
		}
		out = append(out, env)
	}
	return out
}

func TestEventStream(t *testing.T) {
	srv, h := newServer(t, "/dash")
	snapshotInto(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/dash/api/v1/stream", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q, want text/event-stream", ct)
	}
	if got := resp.Header.Get("X-Accel-Buffering"); got != "no" {
		t.Errorf("X-Accel-Buffering = %q, want no", got)
	}
	r := bufio.NewReader(resp.Body)
	var types []string
	for _, env := range readEvents(t, r, 3) {
		types = append(types, env.Type)
	}
	if strings.Join(types, ",") != "hello,status,snapshot" {
		t.Errorf("first events = %v, want hello, status, snapshot", types)
	}
	h.Heartbeat()
	if got := readEvents(t, r, 1)[0]; got.Type != wire.TypeHeartbeat || got.Seq != 1 {
		t.Errorf("event after a heartbeat = %+v, want a heartbeat at seq 1", got)
	}
}

func TestEventStreamRejectsOtherOrigin(t *testing.T) {
	srv, _ := newServer(t, "")
	resp, body := get(t, srv.URL+"/api/v1/stream", map[string]string{"Origin": "https://evil.example"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin stream = %d %q, want 403", resp.StatusCode, body)
	}
	if !strings.Contains(body, "RTD_ALLOWED_ORIGINS") {
		t.Errorf("rejection %q does not name RTD_ALLOWED_ORIGINS", body)
	}
}

func TestOriginPatterns(t *testing.T) {
	tests := []struct {
		origin, host string
		patterns     []string
		want         bool
	}{
		{"", "relay:8080", nil, true},
		{"https://relay:8080", "relay:8080", nil, true},
		{"https://dash.example.com", "127.0.0.1:53487", nil, false},
		{"https://dash.example.com", "127.0.0.1:53487", []string{"dash.example.com"}, true},
		{"http://dash.example.com", "127.0.0.1:53487", []string{"https://dash.example.com"}, false},
		{"https://dash.example.com", "127.0.0.1:53487", []string{"https://dash.example.com"}, true},
		{"https://a.corp.example", "127.0.0.1:53487", []string{"*.corp.example"}, true},
		{"null", "127.0.0.1:53487", []string{"*.corp.example"}, false},
	}
	for _, tc := range tests {
		r, _ := http.NewRequest(http.MethodGet, "http://"+tc.host+"/api/v1/stream", nil)
		if tc.origin != "" {
			r.Header.Set("Origin", tc.origin)
		}
		if got := server.OriginAllowed(r, tc.patterns); got != tc.want {
			t.Errorf("origin %q on host %q with %v: allowed %t, want %t", tc.origin, tc.host, tc.patterns, got, tc.want)
		}
	}
}
