package integration_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/feed"
	"github.com/rtdash/rtdash/shared/wire"
)

// viewer is a native stand-in for a browser: it reads the relay's websocket
// into a feed.Feed, the same code the WebAssembly app runs.
type viewer struct {
	mu       sync.Mutex
	feed     *feed.Feed
	statuses []string // every appliance status received, in order
	full     []wire.Status
	err      error // why the connection ended
	closed   chan struct{}
	// minRows is the fewest rows seen after a model change, -1 for none.
	minRows int
}

func (s *site) connectViewer(t *testing.T) *viewer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	url := "ws" + strings.TrimPrefix(s.relayURL, "http") + "/api/v1/ws"
	conn, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		cancel()
		t.Fatalf("dialing %s: %v", url, err)
	}
	conn.SetReadLimit(64 << 20)
	v := &viewer{feed: feed.New(), closed: make(chan struct{}), minRows: -1}
	go func() {
		defer close(v.closed)
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				v.fail(err)
				return
			}
			v.mu.Lock()
			change, err := v.feed.Handle(data, time.Now())
			if change&feed.ChangedStatus != 0 {
				v.statuses = append(v.statuses, v.feed.Status().Appliance)
				v.full = append(v.full, v.feed.Status())
			}
			if change&feed.ChangedModel != 0 {
				if n := v.feed.Model().Rows(); v.minRows < 0 || n < v.minRows {
					v.minRows = n
				}
			}
			v.mu.Unlock()
			if err != nil {
				v.fail(err)
				return
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		conn.CloseNow()
		<-v.closed
	})
	return v
}

func (v *viewer) fail(err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.err == nil {
		v.err = err
	}
}

// tables returns the viewer's model as JSON tables, and its error if the
// connection ended.
func (v *viewer) tables() ([]byte, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.err != nil && !errors.Is(v.err, context.Canceled) {
		return nil, v.err
	}
	return v.feed.Model().AppendJSON(nil), nil
}

func (v *viewer) status() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.feed.Status().Appliance
}

func (v *viewer) sawStatus(want string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, s := range v.statuses {
		if s == want {
			return true
		}
	}
	return false
}

// waitMatches waits until the viewer's model equals the simulator's and
// reports the difference when it never does.
func (v *viewer) waitMatches(t *testing.T, s *site, what string) {
	t.Helper()
	v.waitMatchesIgnoring(t, s, what)
}

// waitMatchesIgnoring is waitMatches with the given column names left out
// of the viewer's model.
func (v *viewer) waitMatchesIgnoring(t *testing.T, s *site, what string, columns ...string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err := v.tables()
		if err != nil {
			t.Fatalf("%s: viewer connection ended: %v", what, err)
		}
		want := decodeTables(t, s.sim.ModelJSON())
		gotTables := decodeTables(t, got)
		for _, table := range gotTables {
			for _, row := range table {
				for _, c := range columns {
					delete(row, c)
				}
			}
		}
		diff := cmp.Diff(want, gotTables)
		if diff == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: viewer model mismatch (-simulator +viewer):\n%s", what, diff)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// minRowsSince returns the fewest rows the viewer's model held after a
// model change since the last call.
func (v *viewer) minRowsSince() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := v.minRows
	v.minRows = -1
	return n
}

func (v *viewer) reason() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.feed.Status().Reason
}

func (v *viewer) csat() *wire.CSAT {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.feed.CSAT()
}

func (v *viewer) closedSessions() []wire.ClosedSession {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.feed.Closed()
}

func (v *viewer) applianceNow(now time.Time) int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.feed.ApplianceNow(now)
}

// unavailableStatuses returns the unavailable statuses received so far.
func (v *viewer) unavailableStatuses() []wire.Status {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []wire.Status
	for _, s := range v.full {
		if s.Appliance == wire.ApplianceUnavailable {
			out = append(out, s)
		}
	}
	return out
}
