package server

import (
	"bufio"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rtdash/rtdash/relay/hub"
	"github.com/rtdash/rtdash/relay/metrics"
	"github.com/rtdash/rtdash/shared/state"
)

// TestStalledStreamClosed opens the event stream with a client that never
// reads and checks that the relay closes the connection once a write
// stalls, and counts it.
func TestStalledStreamClosed(t *testing.T) {
	old := writeTimeout
	writeTimeout = 200 * time.Millisecond
	t.Cleanup(func() { writeTimeout = old })

	m := metrics.New("test", func() float64 { return 0 })
	h := hub.New(hub.Options{Metrics: m, QueueSize: 1 << 16})
	srv := httptest.NewServer(New(Options{Hub: h, Metrics: m}))
	t.Cleanup(srv.Close)

	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetReadBuffer(4096)
	}
	fmt.Fprintf(conn, "GET /api/v1/stream HTTP/1.1\r\nHost: %s\r\n\r\n", strings.TrimPrefix(srv.URL, "http://"))
	status, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(status, "200") {
		t.Fatalf("stream response %q, %v", status, err)
	}

	// Fill the kernel's buffers with large diffs the client never reads.
	big := `{"type":"model_update","insert":{"queue":{"1":{"name":"` + strings.Repeat("x", 64<<10) + `"}}}}`
	msg, err := state.Decode([]byte(big))
	if err != nil {
		t.Fatal(err)
	}
	h.Snapshot(msg, []byte(big), time.Now())
	deadline := time.Now().Add(20 * time.Second)
	for droppedStalled(t, m) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the stalled stream was never closed; browsers %d", h.Browsers())
		}
		h.Update(msg, []byte(big), time.Now())
		time.Sleep(5 * time.Millisecond)
	}
	if n := h.Browsers(); n != 0 {
		t.Errorf("hub still has %d browsers after the stalled stream closed", n)
	}
}

// droppedStalled returns the browsers-dropped counter for stalled writes.
func droppedStalled(t *testing.T, m *metrics.Metrics) float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "rtd_browsers_dropped_total" {
			continue
		}
		for _, metric := range f.GetMetric() {
			for _, l := range metric.GetLabel() {
				if l.GetName() == "reason" && l.GetValue() == dropStalled {
					return metric.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
