package sim

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// stateSubprotocol is the websocket subprotocol of the Real-Time State API,
// a literal string with spaces.
const stateSubprotocol = "ingredi state api"

// maxClientLine caps the bytes buffered for one client line.
const maxClientLine = 1 << 20

// writeTimeout bounds one websocket write; a client that does not read for
// this long is dropped.
const writeTimeout = 10 * time.Second

// outbound is one server message on a socket's queue. When closeAfter is
// set, the socket is closed with closeCode once the data is written.
type outbound struct {
	data        []byte
	closeAfter  bool
	closeCode   websocket.StatusCode
	closeReason string
	// raw marks a replayed frame: it is written alone, unsplit, as a
	// binary frame when binary is set and a text frame otherwise.
	raw    bool
	binary bool
}

// stateConn is one /nw socket.
type stateConn struct {
	sim       *Simulator
	ws        *websocket.Conn
	remote    string
	out       chan outbound
	ctx       context.Context // cancelled when the socket shuts down
	cancel    context.CancelFunc
	closeOnce sync.Once

	// Guarded by sim.mu.
	tables      []string        // sorted subscribed tables; nil until subscribed
	filter      map[string]bool // tables as a set
	token       string          // bearer token the socket authenticated with
	tokenExpiry time.Time
	dropped     bool      // queued for shutdown; nothing more is sent
	number      int       // 1 for the first socket since Start, for recordings
	stallUntil  time.Time // host time until which writes wait (FaultStall)

	// Used only by the read loop.
	phase   connPhase
	buffer  []byte
	company string // company from the NS01 line
}

func (c *stateConn) subscribed() map[string]bool { return c.filter }

// handleState upgrades GET /nw to the state API websocket and runs the
// socket until either side closes it.
func (s *Simulator) handleState(w http.ResponseWriter, r *http.Request) {
	if !offersSubprotocol(r) && !s.cfg.Protocol.AllowMissingSubprotocol {
		s.log.Info("state socket rejected: subprotocol missing", "remote", r.RemoteAddr)
		http.Error(w, "the websocket subprotocol \""+stateSubprotocol+"\" is required", s.cfg.Protocol.SubprotocolRejectStatus)
		return
	}
	s.mu.Lock()
	if s.closed || len(s.conns) >= s.cfg.Protocol.MaxConnections {
		open := len(s.conns)
		s.mu.Unlock()
		s.log.Warn("state socket rejected: connection limit reached", "remote", r.RemoteAddr, "open", open)
		// NOTE: how the appliance rejects the 31st integration is not
		// documented; 503 is a guess.
		http.Error(w, "too many real-time state connections", http.StatusServiceUnavailable)
		return
	}
	s.lastConnNumber++
	c := &stateConn{sim: s, remote: r.RemoteAddr, out: make(chan outbound, s.cfg.Protocol.SendBuffer), number: s.lastConnNumber}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	// The slot is taken before the upgrade so concurrent upgrades cannot
	// exceed the limit; broadcasts skip the socket until it subscribes.
	s.conns[c] = struct{}{}
	s.writers.Add(1)
	s.mu.Unlock()
	writing := false
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
		c.cancel()
		if !writing {
			s.writers.Done()
		}
	}()

	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:    []string{stateSubprotocol},
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		s.log.Warn("state socket upgrade failed", "remote", r.RemoteAddr, "err", err)
		return
	}
	ws.SetReadLimit(maxClientLine)
	s.mu.Lock()
	c.ws = ws
	if s.closed {
		// Close ran DropConnections during the upgrade and skipped this
		// socket because c.ws was still nil.
		s.dropLocked(c, websocket.StatusGoingAway, "simulator closed")
	}
	s.mu.Unlock()
	s.log.Info("state socket opened", "remote", c.remote)
	writing = true
	go func() {
		defer s.writers.Done()
		c.writeLoop()
	}()
	c.readLoop()
	c.shutdown(websocket.StatusNormalClosure, "")
	s.log.Info("state socket closed", "remote", c.remote)
}

func offersSubprotocol(r *http.Request) bool {
	for _, header := range r.Header.Values("Sec-WebSocket-Protocol") {
		for _, offered := range strings.Split(header, ",") {
			if strings.TrimSpace(offered) == stateSubprotocol {
				return true
			}
		}
	}
	return false
}

// readLoop reads client messages, text or binary, until the socket closes.
// The read context is not c.ctx, because cancelling a read makes the
// websocket library drop the connection without a close frame.
func (c *stateConn) readLoop() {
	for {
		_, data, err := c.ws.Read(context.Background())
		if err != nil {
			return
		}
		if !c.consume(data) {
			return
		}
	}
}

// writeLoop sends queued messages, packing and splitting them as the
// switches ask, until the socket shuts down. Replayed frames are written
// one by one as recorded.
func (c *stateConn) writeLoop() {
	protocol := c.sim.cfg.Protocol
	messageType := websocket.MessageBinary
	if protocol.TextFrames {
		messageType = websocket.MessageText
	}
	for {
		var batch []outbound
		select {
		case <-c.ctx.Done():
			return
		case first := <-c.out:
			batch = append(batch, first)
		}
		if !c.waitWhileStalled() {
			return
		}
		var replayed *outbound
		if batch[0].raw {
			replayed, batch = &batch[0], nil
		}
	packing:
		for len(batch) > 0 && len(batch) < protocol.PackMessages && !batch[len(batch)-1].closeAfter {
			select {
			case next := <-c.out:
				if next.raw {
					replayed = &next
					break packing
				}
				batch = append(batch, next)
			default:
				break packing
			}
		}
		if len(batch) > 0 {
			var data []byte
			for _, o := range batch {
				data = append(data, o.data...)
			}
			if err := c.write(messageType, data, protocol.SplitFrameSize); err != nil {
				c.sim.log.Info("state socket write failed", "remote", c.remote, "err", err)
				go c.shutdown(websocket.StatusGoingAway, "write failed")
				return
			}
			if last := batch[len(batch)-1]; last.closeAfter {
				c.shutdown(last.closeCode, last.closeReason)
				return
			}
		}
		if replayed != nil {
			kind := websocket.MessageText
			if replayed.binary {
				kind = websocket.MessageBinary
			}
			if err := c.write(kind, replayed.data, 0); err != nil {
				c.sim.log.Info("state socket write failed", "remote", c.remote, "err", err)
				go c.shutdown(websocket.StatusGoingAway, "write failed")
				return
			}
		}
	}
}

// waitWhileStalled blocks while a stall fault holds the socket. It
// returns false when the socket shuts down meanwhile.
func (c *stateConn) waitWhileStalled() bool {
	for {
		c.sim.mu.Lock()
		wait := time.Until(c.stallUntil)
		c.sim.mu.Unlock()
		if wait <= 0 {
			return true
		}
		timer := time.NewTimer(wait)
		select {
		case <-c.ctx.Done():
			timer.Stop()
			return false
		case <-timer.C:
		}
	}
}

func (c *stateConn) write(messageType websocket.MessageType, data []byte, splitSize int) error {
	for len(data) > 0 {
		chunk := data
		if splitSize > 0 && len(chunk) > splitSize {
			chunk = data[:splitSize]
		}
		ctx, cancel := context.WithTimeout(c.ctx, writeTimeout)
		err := c.ws.Write(ctx, messageType, chunk)
		cancel()
		if err != nil {
			return err
		}
		c.sim.recordFrame(c.number, chunk, messageType == websocket.MessageBinary)
		data = data[len(chunk):]
	}
	return nil
}

// shutdown closes the socket once, with a close frame carrying code and
// reason. It blocks until the peer replies to the close or the library's
// close timeout passes.
func (c *stateConn) shutdown(code websocket.StatusCode, reason string) {
	c.closeOnce.Do(func() {
		// Close before cancelling: the library closes the connection at
		// once when the context of a pending read ends, and the client
		// would then see EOF instead of the close frame with the reason.
		if c.ws != nil {
			_ = c.ws.Close(code, reason)
		}
		c.cancel()
	})
}

// send queues a message for the socket.
func (c *stateConn) send(o outbound) {
	c.sim.mu.Lock()
	defer c.sim.mu.Unlock()
	c.sim.sendLocked(c, o)
}

// sendLocked queues a message without blocking. A socket whose queue is
// full has fallen too far behind and is disconnected, as the appliance
// does. The caller holds s.mu.
func (s *Simulator) sendLocked(c *stateConn, o outbound) {
	if c.dropped {
		return
	}
	select {
	case c.out <- o:
	default:
		s.log.Warn("state socket dropped: client fell too far behind", "remote", c.remote, "queued", len(c.out))
		s.dropLocked(c, websocket.StatusPolicyViolation, "client fell too far behind")
	}
}

// dropLocked closes a socket in the background. The caller holds s.mu.
func (s *Simulator) dropLocked(c *stateConn, code websocket.StatusCode, reason string) {
	c.dropped = true
	c.tables = nil
	go c.shutdown(code, reason)
}

// DropConnections closes every /nw socket with status 1001 (going away),
// for reconnect tests.
func (s *Simulator) DropConnections() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		if c.ws != nil {
			s.dropLocked(c, websocket.StatusGoingAway, "connection dropped by the simulator")
		}
	}
}

// ConnectionCount returns the number of open /nw sockets.
func (s *Simulator) ConnectionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// closeSocketsForTokensLocked closes sockets that authenticated with one of
// the tokens, unless KeepSocketsOnRevoke is set. The caller holds s.mu.
func (s *Simulator) closeSocketsForTokensLocked(tokens []string, reason string) {
	if s.cfg.Protocol.KeepSocketsOnRevoke || len(tokens) == 0 {
		return
	}
	for c := range s.conns {
		if c.token != "" && slices.Contains(tokens, c.token) {
			s.log.Info("state socket closed: token "+reason, "remote", c.remote)
			s.dropLocked(c, websocket.StatusPolicyViolation, "token "+reason)
		}
	}
}

// expireSockets closes sockets whose token has expired, checking once per
// host second until Close. Start runs it only with CloseSocketsOnExpiry.
func (s *Simulator) expireSockets() {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-ticker.C:
		}
		s.mu.Lock()
		now := s.now()
		for c := range s.conns {
			if c.token != "" && !c.dropped && now.After(c.tokenExpiry) {
				s.log.Info("state socket closed: token expired", "remote", c.remote)
				s.dropLocked(c, websocket.StatusPolicyViolation, "token expired")
			}
		}
		s.mu.Unlock()
	}
}
