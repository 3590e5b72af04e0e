package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/coder/websocket"
)

// connPhase is the protocol phase of a /nw socket. The phases are serial:
// optional application chooser, authenticate, subscribe, then updates.
type connPhase int

const (
	phaseConnect         connPhase = iota // expecting NS01 or authenticate
	phaseChooserProtocol                  // NS01 line seen, expecting the protocol name line
	phaseAuthenticate
	phaseSubscribe
	phaseStreaming
	phaseClosing // a failure reply is queued; further lines are ignored
)

// consume appends client bytes to the line buffer and handles every
// complete line in order, which makes pipelined messages work. It returns
// false when the socket must stop reading.
func (c *stateConn) consume(data []byte) bool {
	c.buffer = append(c.buffer, data...)
	for {
		end := bytes.IndexByte(c.buffer, '\n')
		if end < 0 {
			break
		}
		line := strings.TrimSuffix(string(c.buffer[:end]), "\r")
		c.buffer = c.buffer[end+1:]
		c.handleLine(line)
	}
	if len(c.buffer) > 0 && !c.sim.cfg.Protocol.StrictLineEnding && json.Valid(c.buffer) {
		line := string(c.buffer)
		c.buffer = nil
		c.handleLine(line)
	}
	if len(c.buffer) > maxClientLine {
		c.sim.log.Warn("state socket closed: client line too long", "remote", c.remote, "bytes", len(c.buffer))
		c.shutdown(websocket.StatusMessageTooBig, "line too long")
		return false
	}
	c.buffer = slices.Clip(c.buffer)
	return true
}

func (c *stateConn) handleLine(line string) {
	if strings.TrimSpace(line) == "" || c.phase == phaseClosing {
		return
	}
	protocol := c.sim.cfg.Protocol
	switch c.phase {
	case phaseConnect:
		if company, ok := strings.CutPrefix(line, "NS01"); ok {
			c.company = company
			c.phase = phaseChooserProtocol
			return
		}
		if protocol.RequireApplicationChooser {
			c.fail([]byte("1 Unknown application\n"), "application chooser line missing")
			return
		}
		c.phase = phaseAuthenticate
		c.authenticate(line)
	case phaseChooserProtocol:
		if line != stateSubprotocol || c.company != c.sim.cfg.Company {
			c.sim.log.Info("state socket: unknown application", "remote", c.remote, "company", c.company, "protocol", line)
			c.fail([]byte("1 Unknown application\n"), "unknown application")
			return
		}
		c.send(outbound{data: []byte("0 Application chosen\n")})
		c.phase = phaseAuthenticate
	case phaseAuthenticate:
		c.authenticate(line)
	case phaseSubscribe:
		c.subscribe(line)
	case phaseStreaming:
		c.sim.log.Info("state socket: client message after subscribe ignored", "remote", c.remote, "bytes", len(line))
	}
}

// fail queues a last reply, then closes the socket with a policy violation.
func (c *stateConn) fail(reply []byte, reason string) {
	c.phase = phaseClosing
	c.send(outbound{data: reply, closeAfter: true, closeCode: websocket.StatusPolicyViolation, closeReason: reason})
}

type authenticateMessage struct {
	Type        string `json:"type"`
	Credentials struct {
		BearerToken string `json:"bearer_token"`
		Username    string `json:"username"`
		Password    string `json:"password"`
	} `json:"credentials"`
}

type replyMessage struct {
	Success bool   `json:"success"`
	Type    string `json:"type"`
	Message string `json:"message,omitempty"`
}

func (c *stateConn) authenticate(line string) {
	s := c.sim
	replyType := s.cfg.Protocol.AuthenticateResponseType
	var message authenticateMessage
	if err := json.Unmarshal([]byte(line), &message); err != nil || message.Type != "authenticate" {
		c.fail(encodeLine(replyMessage{Type: replyType, Message: "Expected an authenticate message"}), "authenticate expected")
		return
	}
	credentials := message.Credentials
	accepted := false
	s.mu.Lock()
	if credentials.BearerToken != "" {
		if expiry, ok := s.tokens.lookup(credentials.BearerToken, s.now()); ok {
			accepted = true
			c.token = credentials.BearerToken
			c.tokenExpiry = expiry
		}
	} else if legacy := s.cfg.Protocol; legacy.LegacyUsername != "" && legacy.LegacyPassword != "" {
		accepted = credentials.Username == legacy.LegacyUsername && credentials.Password == legacy.LegacyPassword
	}
	s.mu.Unlock()
	if !accepted {
		s.log.Info("state socket: authentication failed", "remote", c.remote)
		c.fail(encodeLine(replyMessage{Type: replyType, Message: "Invalid credentials"}), "authentication failed")
		return
	}
	c.send(outbound{data: encodeLine(replyMessage{Success: true, Type: replyType})})
	c.phase = phaseSubscribe
}

type subscribeMessage struct {
	Type   string          `json:"type"`
	Tables json.RawMessage `json:"tables"`
}

// parseTables reads the subscribe "tables" value: the string "all" or an
// array of table names.
func parseTables(raw json.RawMessage) ([]string, error) {
	var all string
	if err := json.Unmarshal(raw, &all); err == nil {
		if all != "all" {
			return nil, fmt.Errorf("tables must be \"all\" or an array of table names, got %q", all)
		}
		return slices.Sorted(slices.Values(AllTables)), nil
	}
	var names []string
	if err := json.Unmarshal(raw, &names); err != nil {
		return nil, fmt.Errorf("tables must be \"all\" or an array of table names")
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("tables must name at least one table")
	}
	for _, name := range names {
		if !slices.Contains(AllTables, name) {
			return nil, fmt.Errorf("unknown table %q", name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}

// subscribe replies and queues the snapshot: one model update whose insert
// part contains every row of the subscribed tables. The pending batch is
// sent to the other sockets first, so this socket's snapshot already
// contains it and the next batch starts where the snapshot ends.
func (c *stateConn) subscribe(line string) {
	s := c.sim
	replyType := s.cfg.Protocol.SubscribeResponseType
	var message subscribeMessage
	if err := json.Unmarshal([]byte(line), &message); err != nil || message.Type != "subscribe" {
		c.fail(encodeLine(replyMessage{Type: replyType, Message: "Expected a subscribe message"}), "subscribe expected")
		return
	}
	tables, err := parseTables(message.Tables)
	if err != nil {
		s.log.Info("state socket: subscribe rejected", "remote", c.remote, "err", err)
		c.fail(encodeLine(replyMessage{Type: replyType, Message: err.Error()}), "subscribe rejected")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
	if c.dropped {
		return
	}
	if s.replay != nil {
		s.sendLocked(c, outbound{data: encodeLine(replyMessage{Success: true, Type: replyType})})
		c.phase = phaseStreaming
		s.log.Info("state socket subscribed; replaying the recorded trace", "remote", c.remote, "frames", len(s.replay.frames))
		go func() {
			if err := c.replay(s.replay); err != nil {
				s.log.Info("replay stopped", "remote", c.remote, "err", err)
				return
			}
			s.log.Info("replay finished", "remote", c.remote)
		}()
		return
	}
	c.tables = tables
	c.filter = map[string]bool{}
	for _, name := range tables {
		c.filter[name] = true
	}
	s.sendLocked(c, outbound{data: encodeLine(replyMessage{Success: true, Type: replyType})})
	s.sendLocked(c, outbound{data: encodeSnapshot(s.model.tables, s.updateType(), tables)})
	c.phase = phaseStreaming
	s.log.Info("state socket subscribed", "remote", c.remote, "tables", len(tables))
}
