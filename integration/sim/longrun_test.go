package sim_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
)

// envDuration reads a Go duration from an environment variable.
func envDuration(t *testing.T, name string, fallback time.Duration) time.Duration {
	t.Helper()
	text := os.Getenv(name)
	if text == "" {
		return fallback
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		t.Fatalf("invalid %s %q: want a Go duration such as 30s: %v", name, text, err)
	}
	return d
}

// faultClient keeps a model of the simulator across faults: it reconnects
// with a new token after every close and rebuilds its model from each
// snapshot.
type faultClient struct {
	t     *testing.T
	s     *sim.Simulator
	mu    sync.Mutex
	model *tolerantModel // nil while connecting
	conns int
	lines int
}

// run connects again and again until ctx is done.
func (f *faultClient) run(ctx context.Context) {
	for ctx.Err() == nil {
		if err := f.session(ctx); err != nil && ctx.Err() == nil {
			f.t.Logf("long-run client reconnects: %v", err)
			time.Sleep(20 * time.Millisecond)
		}
	}
}

func (f *faultClient) session(ctx context.Context) error {
	f.mu.Lock()
	f.model = nil
	f.conns++
	f.mu.Unlock()
	status, reply := requestTokenNoFatal(f.t, f.s)
	if status != 200 {
		return errString("token request status " + strconv.Itoa(status))
	}
	ws, _, err := websocket.Dial(ctx, "wss://"+f.s.Addr()+"/nw", &websocket.DialOptions{
		HTTPClient: httpClient(f.t, f.s), Subprotocols: []string{"ingredi state api"},
	})
	if err != nil {
		return err
	}
	defer ws.CloseNow()
	ws.SetReadLimit(256 << 20)
	handshake := `{"type":"authenticate","credentials":{"bearer_token":"` + reply + `"}}` + "\n" + `{"type":"subscribe","tables":"all"}` + "\n"
	if err := ws.Write(ctx, websocket.MessageText, []byte(handshake)); err != nil {
		return err
	}
	var buffer []byte
	replies := 0
	model := newTolerantModel()
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return err
		}
		buffer = append(buffer, data...)
		for {
			end := strings.IndexByte(string(buffer), '\n')
			if end < 0 {
				break
			}
			line := string(buffer[:end])
			buffer = buffer[end+1:]
			if replies < 2 {
				var m message
				if json.Unmarshal([]byte(line), &m) != nil || m.Success == nil || !*m.Success {
					return errString("handshake failed: " + line)
				}
				replies++
				continue
			}
			f.mu.Lock()
			if f.model == nil {
				// The first line after the replies is the snapshot.
				f.model = model
			}
			f.model.applyLine(line)
			f.lines++
			f.mu.Unlock()
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func requestTokenNoFatal(t *testing.T, s *sim.Simulator) (int, string) {
	req := url.Values{"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testClientSecret}}
	resp, err := httpClient(t, s).PostForm(baseURL(s)+"/oauth2/token", req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	var reply tokenReply
	_ = json.NewDecoder(resp.Body).Decode(&reply)
	return resp.StatusCode, reply.AccessToken
}

// TestLongRunWithFaults plays LargeSite on an accelerated clock with every
// fault kind injected in turn, then checks that a client which applied
// every message holds ModelJSON. SIM_LONG_RUN sets the host duration
// (default 5s) and SIM_LONG_RUN_SPEED the clock speed (default 10).
func TestLongRunWithFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("long run")
	}
	duration := envDuration(t, "SIM_LONG_RUN", 5*time.Second)
	speed := 10.0
	if text := os.Getenv("SIM_LONG_RUN_SPEED"); text != "" {
		var err error
		if speed, err = strconv.ParseFloat(text, 64); err != nil || speed <= 0 {
			t.Fatalf("invalid SIM_LONG_RUN_SPEED %q: want a number above 0", text)
		}
	}
	s, err := sim.New(sim.Config{
		ClientID: testClientID, ClientSecret: testClientSecret, Company: testCompany, Seed: 3,
		Scenario:   sim.LargeSite(),
		Clock:      sim.NewAcceleratedClock(speed),
		BatchDelay: 100 * time.Millisecond,
		Faults:     sim.FaultConfig{Interval: duration / 16, StallDuration: 200 * time.Millisecond},
		Protocol:   sim.ProtocolConfig{SendBuffer: 1024},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	client := &faultClient{t: t, s: s}
	clientDone := make(chan struct{})
	go func() {
		defer close(clientDone)
		client.run(ctx)
	}()
	// The client logs through t, so it must stop before the test returns.
	defer func() {
		cancel()
		<-clientDone
	}()
	scenarioCtx, stopScenario := context.WithCancel(ctx)
	scenarioDone := make(chan struct{})
	go func() {
		defer close(scenarioDone)
		s.RunScenario(scenarioCtx)
	}()

	time.Sleep(duration)
	stopScenario()
	<-scenarioDone
	s.StopFaults()
	s.Flush()

	want := decodeModel(t, s.ModelJSON())
	deadline := time.Now().Add(30 * time.Second)
	for {
		client.mu.Lock()
		equal := client.model != nil && reflect.DeepEqual(want, client.model.tables)
		var diff string
		if !equal && time.Now().After(deadline) && client.model != nil {
			diff = cmp.Diff(want, client.model.tables)
		}
		conns, lines := client.conns, client.lines
		client.mu.Unlock()
		if equal {
			t.Logf("%v at %gx: %d faults, %d connections, %d lines, %d closed sessions",
				duration, speed, s.FaultsInjected(), conns, lines, len(s.ClosedSessions()))
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("client model differs from ModelJSON after %d connections and %d lines (-model +client):\n%.3000s", conns, lines, diff)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Slow faults on the large site make the ticker skip beats, so fewer
	// than 16 may run. The first six kinds in AllFaults cover drop,
	// truncate, reset, revoke, stall and a malformed line.
	if got := s.FaultsInjected(); got < 6 {
		t.Errorf("FaultsInjected() = %d, want at least 6", got)
	}
}
