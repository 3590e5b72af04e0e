package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/rtdash/rtdash/relay/hub"
	"github.com/rtdash/rtdash/relay/metrics"
)

// writeTimeout bounds one websocket write to a browser.
var writeTimeout = 10 * time.Second

// Close codes the relay sends browsers, in the range for applications.
const (
	closeSlow     websocket.StatusCode = 4000 // fell behind; reconnect for a snapshot
	closeShutdown websocket.StatusCode = 4001 // relay stopping
)

type socketHandler struct {
	hub            *hub.Hub
	allowedOrigins []string
	metrics        *metrics.Metrics
	log            *slog.Logger
}

// dropStalled labels browsers whose connection the relay closed because a
// write did not finish within writeTimeout.
const dropStalled = metrics.DropStalled

func (s *socketHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		OriginPatterns: s.allowedOrigins,
	})
	if err != nil {
		// Accept has written the HTTP error.
		s.log.Warn("browser websocket rejected", "remote", r.RemoteAddr, "origin", r.Header.Get("Origin"), "error", err.Error())
		return
	}
	defer conn.CloseNow()

	client, first := s.hub.Join()
	defer s.hub.Leave(client)
	s.log.Debug("browser connected", "remote", r.RemoteAddr)

	// Browsers send nothing; CloseRead handles their close and pings.
	ctx := conn.CloseRead(r.Context())
	sw := &socketWriter{conn: conn, onStall: func() {
		s.log.Info("browser websocket closed: a write stalled", "remote", r.RemoteAddr, "timeout", writeTimeout.String())
		if s.metrics != nil {
			s.metrics.BrowsersDropped.WithLabelValues(dropStalled).Inc()
		}
	}}
	go sw.watch(ctx, client)
	for _, msg := range first {
		if err := sw.write(ctx, msg); err != nil {
			s.log.Debug("browser write failed", "remote", r.RemoteAddr, "error", err.Error())
			return
		}
	}
	for {
		select {
		case <-ctx.Done():
			s.log.Debug("browser disconnected", "remote", r.RemoteAddr)
			return
		case <-client.Done():
			// watch closes the connection with the reason.
			return
		case msg := <-client.Messages():
			if err := sw.write(ctx, msg); err != nil {
				if !errors.Is(err, context.Canceled) {
					s.log.Debug("browser write failed", "remote", r.RemoteAddr, "error", err.Error())
				}
				return
			}
		}
	}
}

// socketWriter writes to one browser. A write that takes longer than
// writeTimeout closes the connection. One watchdog per connection enforces
// that, because a timer per message costs more CPU than the write itself
// when hundreds of browsers receive every diff.
type socketWriter struct {
	conn    *websocket.Conn
	onStall func()
	// since is when the write in progress started, Unix nanoseconds, or 0.
	since atomic.Int64
}

func (w *socketWriter) write(ctx context.Context, msg []byte) error {
	w.since.Store(time.Now().UnixNano())
	err := w.conn.Write(ctx, websocket.MessageText, msg)
	w.since.Store(0)
	return err
}

// watch closes the connection when the hub drops the browser or a write
// stalls, until ctx ends.
func (w *socketWriter) watch(ctx context.Context, client *hub.Client) {
	ticker := time.NewTicker(writeTimeout / 4)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-client.Done():
			code, reason := closeSlow, "fell behind; reconnect"
			if client.Reason() == hub.DropShutdown {
				code, reason = closeShutdown, "relay stopping"
			}
			w.conn.Close(code, reason)
			return
		case now := <-ticker.C:
			if since := w.since.Load(); since != 0 && now.Sub(time.Unix(0, since)) > writeTimeout {
				w.onStall()
				w.conn.CloseNow()
				return
			}
		}
	}
}
