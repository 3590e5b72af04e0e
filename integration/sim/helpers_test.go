package sim_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/rtdash/rtdash/integration/sim"
)

const (
	testClientID     = "dashboard"
	testClientSecret = "s3cret-value"
	testCompany      = "examplecorp"
)

// testStart is the appliance time tests start from.
var testStart = time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)

// startSim starts a simulator on loopback with a ManualClock and a small
// site without sessions, unless change sets a scenario.
func startSim(t *testing.T, change func(*sim.Config)) (*sim.Simulator, *sim.ManualClock) {
	t.Helper()
	clock := sim.NewManualClock(testStart)
	cfg := sim.Config{
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		Company:      testCompany,
		Seed:         7,
		Scenario:     sim.ScenarioConfig{Teams: 2, Reps: 3, TeamsPerRep: 2},
		Clock:        clock,
		BatchDelay:   time.Hour, // tests send batches with Flush
	}
	if change != nil {
		change(&cfg)
	}
	s, err := sim.New(cfg)
	if err != nil {
		t.Fatalf("sim.New: %v", err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, clock
}

func httpClient(t *testing.T, s *sim.Simulator) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.CAPEM()) {
		t.Fatal("CAPEM holds no certificate")
	}
	return &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
}

func baseURL(s *sim.Simulator) string { return "https://" + s.Addr() }

type tokenReply struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	Error       string `json:"error"`
}

// requestToken posts to /oauth2/token and returns the status and decoded body.
func requestToken(t *testing.T, client *http.Client, target string, form url.Values, basic bool) (int, tokenReply) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(testClientID, testClientSecret)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("token request: %v", err)
	}
	defer resp.Body.Close()
	var reply tokenReply
	if err := json.NewDecoder(resp.Body).Decode(&reply); err != nil {
		t.Fatalf("decode token reply (status %d): %v", resp.StatusCode, err)
	}
	return resp.StatusCode, reply
}

func token(t *testing.T, s *sim.Simulator) string {
	t.Helper()
	status, reply := requestToken(t, httpClient(t, s), baseURL(s)+"/oauth2/token",
		url.Values{"grant_type": {"client_credentials"}}, true)
	if status != http.StatusOK || reply.AccessToken == "" {
		t.Fatalf("token request: status %d, reply %+v", status, reply)
	}
	return reply.AccessToken
}

// stateClient is a test client of /nw that splits the server byte stream
// into lines, whatever the framing.
type stateClient struct {
	t       *testing.T
	ws      *websocket.Conn
	buffer  []byte
	binary  int // binary frames received
	text    int // text frames received
	frames  int
	timeout time.Duration
}

func dialState(t *testing.T, s *sim.Simulator, subprotocols ...string) (*stateClient, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, "wss://"+s.Addr()+"/nw", &websocket.DialOptions{
		HTTPClient:   httpClient(t, s),
		Subprotocols: subprotocols,
	})
	if err != nil {
		return nil, resp, err
	}
	ws.SetReadLimit(64 << 20)
	c := &stateClient{t: t, ws: ws, timeout: 10 * time.Second}
	t.Cleanup(func() { _ = ws.CloseNow() })
	return c, resp, nil
}

func mustDialState(t *testing.T, s *sim.Simulator) *stateClient {
	t.Helper()
	c, _, err := dialState(t, s, "ingredi state api")
	if err != nil {
		t.Fatalf("dial /nw: %v", err)
	}
	return c
}

// sendText sends one text frame.
func (c *stateClient) sendText(text string) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	if err := c.ws.Write(ctx, websocket.MessageText, []byte(text)); err != nil {
		c.t.Fatalf("write %q: %v", text, err)
	}
}

// line returns the next server line without its "\n", or the read error.
func (c *stateClient) line() (string, error) {
	for {
		if i := bytes.IndexByte(c.buffer, '\n'); i >= 0 {
			line := string(c.buffer[:i])
			c.buffer = c.buffer[i+1:]
			return line, nil
		}
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		kind, data, err := c.ws.Read(ctx)
		cancel()
		if err != nil {
			return "", err
		}
		c.frames++
		if kind == websocket.MessageBinary {
			c.binary++
		} else {
			c.text++
		}
		c.buffer = append(c.buffer, data...)
	}
}

func (c *stateClient) mustLine() string {
	c.t.Helper()
	line, err := c.line()
	if err != nil {
		c.t.Fatalf("read line: %v", err)
	}
	return line
}

// message is a decoded server message.
type message struct {
	Type    string                               `json:"type"`
	Success *bool                                `json:"success"`
	Message string                               `json:"message"`
	Insert  map[string]map[string]map[string]any `json:"insert"`
	Update  map[string]map[string]map[string]any `json:"update"`
	Delete  map[string][]any                     `json:"delete"`
}

// next returns the next decoded server message, or the read error.
func (c *stateClient) next() (message, error) {
	line, err := c.line()
	if err != nil {
		return message{}, err
	}
	var m message
	err = json.Unmarshal([]byte(line), &m)
	return m, err
}

func (c *stateClient) mustMessage() message {
	c.t.Helper()
	line := c.mustLine()
	var m message
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		c.t.Fatalf("decode %q: %v", line, err)
	}
	return m
}

// handshake authenticates and subscribes to all tables, sending both lines
// in one frame as a pipelining client does, and returns the snapshot.
func (c *stateClient) handshake(token string) message {
	c.t.Helper()
	c.sendText(`{"type":"authenticate","credentials":{"bearer_token":"` + token + `"}}` + "\n" +
		`{"type":"subscribe","tables":"all"}` + "\n")
	if m := c.mustMessage(); m.Type != "authenticate_response" || m.Success == nil || !*m.Success {
		c.t.Fatalf("authenticate reply = %+v, want success", m)
	}
	if m := c.mustMessage(); m.Type != "subscribe_response" || m.Success == nil || !*m.Success {
		c.t.Fatalf("subscribe reply = %+v, want success", m)
	}
	snapshot := c.mustMessage()
	if snapshot.Type != "model_update" {
		c.t.Fatalf("snapshot type = %q, want model_update", snapshot.Type)
	}
	return snapshot
}

// clientModel is a client-side copy of the model, applied the way the
// protocol reference recommends: insert, then update, then delete.
type clientModel map[string]map[string]map[string]any

func (m clientModel) apply(t *testing.T, msg message) {
	t.Helper()
	switch msg.Type {
	case "truncate_model":
		for table := range m {
			m[table] = map[string]map[string]any{}
		}
		return
	case "model_update":
	default:
		t.Errorf("unexpected message type %q", msg.Type)
		return
	}
	for table, rows := range msg.Insert {
		if m[table] == nil {
			m[table] = map[string]map[string]any{}
		}
		for id, values := range rows {
			m[table][id] = values
		}
	}
	for table, rows := range msg.Update {
		for id, values := range rows {
			stored, ok := m[table][id]
			if !ok {
				t.Errorf("update of unknown row %s/%s", table, id)
				continue
			}
			for column, value := range values {
				stored[column] = value
			}
		}
	}
	for table, ids := range msg.Delete {
		for _, id := range ids {
			key, ok := id.(string)
			if !ok {
				t.Errorf("delete id %v in %s is %T, want string", id, table, id)
				continue
			}
			if _, ok := m[table][key]; !ok {
				t.Errorf("delete of unknown row %s/%s", table, key)
			}
			delete(m[table], key)
		}
	}
}

func decodeModel(t *testing.T, data []byte) clientModel {
	t.Helper()
	var m clientModel
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("decode model: %v", err)
	}
	return m
}
