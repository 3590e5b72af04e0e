package reporting

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/rtdash/rtdash/relay/internal/logrepeat"
)

const (
	// detailsCacheSize and detailsTTL bound the session details cache, so
	// that a pop-up opened by many browsers costs one appliance call.
	detailsCacheSize = 256
	detailsTTL       = 5 * time.Minute
	// notFoundTTL is shorter because the appliance may not have written
	// the report of a session that has just ended.
	notFoundTTL = 30 * time.Second
	// detailsFetchTimeout bounds one shared SupportSession call, which no
	// single browser can cancel.
	detailsFetchTimeout = 60 * time.Second
)

// ErrNotFound means that the appliance has no support session with the
// requested LSID.
var ErrNotFound = errors.New("support session not found")

// ErrInvalidLSID means that a value is not 32 hexadecimal characters.
var ErrInvalidLSID = errors.New("invalid LSID")

// detailsCache holds recent SessionDetails results and the calls in
// flight. A nil *SessionDetails in entries records "not found".
type detailsCache struct {
	entries     *lruCache[string, *SessionDetails]
	ttl         time.Duration
	notFoundTTL time.Duration

	mu       sync.Mutex
	inflight map[string]*detailsCall
}

// detailsCall is one SupportSession call shared by every caller that asks
// for the same LSID while it runs.
type detailsCall struct {
	done    chan struct{}
	details *SessionDetails
	err     error
}

func newDetailsCache(size int, ttl, notFoundTTL time.Duration) *detailsCache {
	return &detailsCache{
		entries:     newLRUCache[string, *SessionDetails](size),
		ttl:         ttl,
		notFoundTTL: notFoundTTL,
		inflight:    map[string]*detailsCall{},
	}
}

// SessionDetails returns the support session with the given LSID. It
// returns an error wrapping ErrInvalidLSID for a malformed LSID and
// ErrNotFound when the appliance has no such session. Results are cached
// for 5 minutes ("not found" for 30 seconds), and concurrent callers for
// one LSID share one appliance call. Callers share the result and must not
// modify it.
func (c *Client) SessionDetails(ctx context.Context, lsid string) (*SessionDetails, error) {
	if !ValidLSID(lsid) {
		return nil, fmt.Errorf("%w %q: want 32 hexadecimal characters", ErrInvalidLSID, lsid)
	}
	key := strings.ToLower(lsid)

	cache := c.details
	cache.mu.Lock()
	if d, ok := cache.entries.Get(key); ok {
		cache.mu.Unlock()
		if d == nil {
			return nil, ErrNotFound
		}
		return d, nil
	}
	call, ok := cache.inflight[key]
	if !ok {
		if !c.detailsLimit.take() {
			cache.mu.Unlock()
			return nil, ErrRateLimited
		}
		call = &detailsCall{done: make(chan struct{})}
		cache.inflight[key] = call
		// The call outlives the caller that started it, because other
		// callers may wait for it.
		fetchCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), detailsFetchTimeout)
		go func() {
			defer cancel()
			c.fetchDetails(fetchCtx, key, call)
		}()
	}
	cache.mu.Unlock()

	select {
	case <-call.done:
		return call.details, call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// fetchDetails runs one shared call, caches its result and wakes the
// callers waiting for it.
func (c *Client) fetchDetails(ctx context.Context, key string, call *detailsCall) {
	sessions, err := c.sessionReport(ctx, url.Values{"lsid": {key}})
	if err == nil {
		call.err = ErrNotFound
		for i := range sessions {
			if strings.EqualFold(sessions[i].LSID, key) {
				call.details, call.err = &sessions[i], nil
				break
			}
		}
	} else {
		call.err = err
	}

	cache := c.details
	cache.mu.Lock()
	switch {
	case call.err == nil:
		cache.entries.Add(key, call.details, cache.ttl)
	case errors.Is(call.err, ErrNotFound):
		cache.entries.Add(key, nil, cache.notFoundTTL)
	}
	delete(cache.inflight, key)
	cache.mu.Unlock()
	close(call.done)
}

// DetailsHandler serves GET …/api/v1/sessions/{lsid} with the session's
// details as JSON. Mount it on a pattern with an {lsid} wildcard. When
// enabled is false (RTD_SESSION_DETAILS off) or client is nil it responds
// 404. Other responses: 400 for a malformed LSID, 404 when the appliance
// has no such session, 502 when the appliance call fails. Every response
// is JSON with Cache-Control: no-store. Error bodies are {"error": "…"},
// plus "detail" with the appliance's <error> text when there is one. They
// contain no tokens and no raw appliance response bodies.
func DetailsHandler(client *Client, enabled bool, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	failures := &logrepeat.Counter{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !enabled || client == nil {
			writeJSONError(w, http.StatusNotFound, "session details are disabled: set RTD_SESSION_DETAILS=true on the relay to enable them", "")
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeJSONError(w, http.StatusMethodNotAllowed, "method not allowed: use GET", "")
			return
		}
		lsid := r.PathValue("lsid")
		if !ValidLSID(lsid) {
			writeJSONError(w, http.StatusBadRequest, "invalid LSID: want 32 hexadecimal characters", "")
			return
		}

		details, err := client.SessionDetails(r.Context(), lsid)
		if errors.Is(err, ErrNotFound) {
			writeJSONError(w, http.StatusNotFound, "support session not found on the appliance", "")
			return
		}
		if errors.Is(err, ErrRateLimited) {
			if n, ok := failures.Count("rate limited"); ok {
				logger.Warn("session details requests rate limited", "lsid", lsid, "occurrences", n)
			}
			w.Header().Set("Retry-After", "1")
			writeJSONError(w, http.StatusTooManyRequests, ErrRateLimited.Error(), "")
			return
		}
		if err != nil {
			if r.Context().Err() != nil {
				logger.Debug("session details request cancelled by the browser", "lsid", lsid)
			} else if n, ok := failures.Count("failed"); ok {
				logger.Error("session details failed", "lsid", lsid, "error", err, "occurrences", n)
			}
			detail := ""
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				detail = truncate(apiErr.Message, 200)
			}
			writeJSONError(w, http.StatusBadGateway, "the appliance could not return the session details", detail)
			return
		}

		body, err := json.Marshal(details)
		if err != nil {
			logger.Error("encoding session details failed", "lsid", lsid, "error", err)
			writeJSONError(w, http.StatusInternalServerError, "the session details could not be encoded", "")
			return
		}
		writeJSON(w, http.StatusOK, body)
	})
}

func writeJSONError(w http.ResponseWriter, status int, message, detail string) {
	payload := struct {
		Error  string `json:"error"`
		Detail string `json:"detail,omitempty"`
	}{message, detail}
	body, _ := json.Marshal(payload)
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
