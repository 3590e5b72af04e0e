package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/rtdash/rtdash/relay/hub"
)

// writeTimeout bounds one websocket write to a browser.
const writeTimeout = 10 * time.Second

// Close codes the relay sends browsers, in the range for applications.
const (
	closeSlow     websocket.StatusCode = 4000 // fell behind; reconnect for a snapshot
	closeShutdown websocket.StatusCode = 4001 // relay stopping
)

type socketHandler struct {
	hub            *hub.Hub
	allowedOrigins []string
	log            *slog.Logger
}

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
	for _, msg := range first {
		if err := write(ctx, conn, msg); err != nil {
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
			code, reason := closeSlow, "fell behind; reconnect"
			if client.Reason() == hub.DropShutdown {
				code, reason = closeShutdown, "relay stopping"
			}
			conn.Close(code, reason)
			return
		case msg := <-client.Messages():
			if err := write(ctx, conn, msg); err != nil {
				if !errors.Is(err, context.Canceled) {
					s.log.Debug("browser write failed", "remote", r.RemoteAddr, "error", err.Error())
				}
				return
			}
		}
	}
}

func write(ctx context.Context, conn *websocket.Conn, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return conn.Write(ctx, websocket.MessageText, msg)
}
