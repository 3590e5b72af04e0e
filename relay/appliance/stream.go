package appliance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/rtdash/rtdash/shared/state"
)

// Subprotocol is the websocket subprotocol of the Real-Time State API.
const Subprotocol = "ingredi state api"

// maxMessageBytes bounds one state API message. The snapshot of a large
// site is one message of a few megabytes; the bound keeps a broken stream
// from exhausting memory.
const maxMessageBytes = 256 << 20

// Sink receives what the state API connection reads. Calls come from one
// goroutine, in stream order.
type Sink interface {
	// Snapshot delivers the first model_update after a subscription: the
	// whole model, which replaces the previous one.
	Snapshot(msg *state.Message, raw []byte, received time.Time)
	// Update delivers every later model_update.
	Update(msg *state.Message, raw []byte, received time.Time)
	// Malformed reports a line that is not a valid state API message
	// (state.InvalidMessage) or has a type the relay does not handle
	// (state.UnknownType).
	Malformed(line []byte, kind state.AnomalyKind, err error)
}

// errResync ends a connection so that the supervisor reconnects at once and
// takes a fresh snapshot.
var errResync = errors.New("appliance truncated its model; resynchronising")

// errPolicyClose marks a close with the policy violation code, which the
// appliance sends when it revokes the connection's token.
var errPolicyClose = errors.New("the appliance closed the connection for a policy violation, such as a revoked token")

// errIdle ends a connection that received nothing for the idle timeout.
var errIdle = errors.New("nothing received within the idle timeout")

// stepChooser is the AuthError step of the legacy application chooser line.
const stepChooser = "the application chooser line (check RTD_COMPANY)"

// AuthError reports that the appliance rejected the credentials or the
// subscription.
type AuthError struct {
	Step    string // "authenticate" or "subscribe"
	Message string // the appliance's message, if any
}

func (e *AuthError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("appliance rejected %s", e.Step)
	}
	return fmt.Sprintf("appliance rejected %s: %s", e.Step, e.Message)
}

// stream is one state API connection.
type stream struct {
	conn    *websocket.Conn
	pending []byte // bytes read but not yet ending in a newline
	lines   [][]byte

	// received is the time the last frame arrived; the watch goroutine
	// reads it through lastReceived.
	mu       sync.Mutex
	received time.Time
}

func (s *stream) lastReceived() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.received
}

func dial(ctx context.Context, host string, client *http.Client) (*stream, error) {
	conn, resp, err := websocket.Dial(ctx, "wss://"+host+"/nw", &websocket.DialOptions{
		HTTPClient:   client,
		Subprotocols: []string{Subprotocol},
	})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("opening wss://%s/nw: HTTP %d: %w", host, resp.StatusCode, err)
		}
		return nil, fmt.Errorf("opening wss://%s/nw: %w", host, explainTLS(err))
	}
	conn.SetReadLimit(maxMessageBytes)
	return &stream{conn: conn}, nil
}

// writeLine sends one client line as a text frame ending in a newline, as
// the protocol requires.
func (s *stream) writeLine(ctx context.Context, line string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return s.conn.Write(ctx, websocket.MessageText, []byte(line+"\n"))
}

// readLine returns the next newline-terminated line. The appliance sends
// binary frames, normally one message each, but a message may be split
// across frames or several packed into one, so frames are buffered and cut
// at newlines.
func (s *stream) readLine(ctx context.Context) ([]byte, error) {
	for len(s.lines) == 0 {
		_, data, err := s.conn.Read(ctx)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.received = time.Now()
		s.mu.Unlock()
		s.pending = append(s.pending, data...)
		if len(s.pending) > maxMessageBytes {
			return nil, fmt.Errorf("state API message exceeds %d bytes without a newline", maxMessageBytes)
		}
		for {
			i := bytes.IndexByte(s.pending, '\n')
			if i < 0 {
				break
			}
			line := bytes.TrimSpace(s.pending[:i])
			if len(line) > 0 {
				s.lines = append(s.lines, append([]byte(nil), line...))
			}
			s.pending = s.pending[i+1:]
		}
		if len(s.pending) == 0 {
			s.pending = nil
		}
	}
	line := s.lines[0]
	s.lines = s.lines[1:]
	return line, nil
}

// readReply reads lines until the reply of the given type, reporting and
// skipping anything else.
func (s *stream) readReply(ctx context.Context, want string, sink Sink) (*state.Message, error) {
	for {
		line, err := s.readLine(ctx)
		if err != nil {
			return nil, fmt.Errorf("waiting for %s: %w", want, err)
		}
		msg, err := state.Decode(line)
		if err != nil {
			sink.Malformed(line, state.InvalidMessage, err)
			continue
		}
		if msg.Type == want {
			return msg, nil
		}
		sink.Malformed(line, state.UnknownType, fmt.Errorf("unexpected %q message while waiting for %s", msg.Type, want))
	}
}

// handshake runs the connection, authentication and subscription phases.
func (s *stream) handshake(ctx context.Context, o *Options, token string) error {
	if o.LegacyChooser {
		if err := s.writeLine(ctx, "NS01"+o.Company+"\n"+Subprotocol); err != nil {
			return fmt.Errorf("sending the application chooser line: %w", err)
		}
		line, err := s.readLine(ctx)
		if err != nil {
			return fmt.Errorf("waiting for the application chooser reply: %w", err)
		}
		if string(line) != "0 Application chosen" {
			return &AuthError{Step: stepChooser, Message: string(line)}
		}
	}

	quoted, _ := json.Marshal(token)
	auth := `{"type":"authenticate","credentials":{"bearer_token":` + string(quoted) + `}}`
	if err := s.writeLine(ctx, auth); err != nil {
		return fmt.Errorf("sending authenticate: %w", err)
	}
	reply, err := s.readReply(ctx, state.TypeAuthenticateResponse, o.Sink)
	if err != nil {
		return err
	}
	if reply.Success == nil || !*reply.Success {
		return &AuthError{Step: "authenticate", Message: reply.Text}
	}

	if err := s.writeLine(ctx, `{"type":"subscribe","tables":"all"}`); err != nil {
		return fmt.Errorf("sending subscribe: %w", err)
	}
	reply, err = s.readReply(ctx, state.TypeSubscribeResponse, o.Sink)
	if err != nil {
		return err
	}
	if reply.Success == nil || !*reply.Success {
		return &AuthError{Step: "subscribe", Message: reply.Text}
	}
	return nil
}

// follow reads model updates until the connection ends. The first
// model_update is the snapshot; onSnapshot runs after it is delivered.
func (s *stream) follow(ctx context.Context, sink Sink, onSnapshot func()) error {
	snapshot := true
	for {
		line, err := s.readLine(ctx)
		if err != nil {
			return err
		}
		msg, err := state.Decode(line)
		if err != nil {
			sink.Malformed(line, state.InvalidMessage, err)
			continue
		}
		switch {
		case msg.IsModelUpdate() && snapshot:
			sink.Snapshot(msg, line, s.lastReceived())
			snapshot = false
			onSnapshot()
		case msg.IsModelUpdate():
			sink.Update(msg, line, s.lastReceived())
		case msg.Type == state.TypeTruncateModel:
			return errResync
		default:
			sink.Malformed(line, state.UnknownType, fmt.Errorf("unexpected message type %q", msg.Type))
		}
	}
}
