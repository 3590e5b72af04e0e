package server

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"github.com/rtdash/rtdash/relay/hub"
	"github.com/rtdash/rtdash/relay/metrics"
)

// streamHandler serves the same messages as the websocket as server-sent
// events, for browsers behind proxies that do not pass websockets. Each
// message is one event whose data is the envelope's JSON, which never
// contains a newline.
type streamHandler struct {
	hub            *hub.Hub
	allowedOrigins []string
	metrics        *metrics.Metrics
	log            *slog.Logger
}

func (s *streamHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !originAllowed(r, s.allowedOrigins) {
		s.log.Warn("browser event stream rejected", "remote", r.RemoteAddr, "origin", r.Header.Get("Origin"))
		writeText(w, http.StatusForbidden, "origin not allowed: add it to RTD_ALLOWED_ORIGINS\n")
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	// nginx buffers proxied responses unless told not to.
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	client, first := s.hub.Join()
	defer s.hub.Leave(client)
	// Every write gets a deadline, so that a browser that stops reading
	// frees the connection after writeTimeout instead of holding it open
	// with the hub's backlog queued in the kernel.
	rc := http.NewResponseController(w)
	send := func(prefix string, msgs ...[]byte) error {
		if err := rc.SetWriteDeadline(time.Now().Add(writeTimeout)); err != nil {
			return err
		}
		if _, err := w.Write([]byte(prefix)); err != nil {
			return err
		}
		for _, msg := range msgs {
			if err := writeEvent(w, msg); err != nil {
				return err
			}
		}
		return rc.Flush()
	}
	// A reconnecting EventSource waits this long, in milliseconds.
	if err := send("retry: 2000\n\n", first...); err != nil {
		s.stalled(r, err)
		return
	}
	ctx := r.Context()
	for {
		select {
		case <-ctx.Done():
			return
		case <-client.Done():
			// The browser reconnects and starts again from a snapshot.
			return
		case msg := <-client.Messages():
			// Send what else is queued in the same flush.
			batch := [][]byte{msg}
			for n := len(client.Messages()); n > 0; n-- {
				batch = append(batch, <-client.Messages())
			}
			if err := send("", batch...); err != nil {
				s.stalled(r, err)
				return
			}
		}
	}
}

// stalled counts and logs a stream ended by a write that timed out; other
// write errors mean that the browser went away.
func (s *streamHandler) stalled(r *http.Request, err error) {
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return
	}
	s.log.Info("browser event stream closed: a write stalled", "remote", r.RemoteAddr, "timeout", writeTimeout.String())
	if s.metrics != nil {
		s.metrics.BrowsersDropped.WithLabelValues(dropStalled).Inc()
	}
}

func writeEvent(w http.ResponseWriter, msg []byte) error {
	if _, err := w.Write([]byte("data: ")); err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return err
	}
	_, err := w.Write([]byte("\n\n"))
	return err
}

// originAllowed applies the websocket's origin rule to other requests: no
// Origin header, an Origin whose host is the request's Host, or one that
// matches a pattern of RTD_ALLOWED_ORIGINS.
func originAllowed(r *http.Request, patterns []string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, p := range patterns {
		// A pattern with a scheme matches scheme and host, as the
		// websocket library's origin check does.
		target := u.Host
		if strings.Contains(p, "://") {
			target = u.Scheme + "://" + u.Host
		}
		if ok, err := path.Match(strings.ToLower(p), strings.ToLower(target)); err == nil && ok {
			return true
		}
	}
	return false
}
