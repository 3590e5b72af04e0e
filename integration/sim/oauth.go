package sim

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// tokenAlphabet is the character set of access tokens: the vendor example
// is 40 characters of [A-Za-z0-9].
const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

type grantedToken struct {
	value   string
	expires time.Time // appliance time
}

// tokenStore holds the live tokens of the one API account, oldest first.
type tokenStore struct {
	live     []grantedToken
	requests int
}

// add stores a token and returns the tokens evicted to keep at most max
// live ones. Expired tokens are dropped first and do not count.
func (t *tokenStore) add(token grantedToken, now time.Time, max int) (evicted []string) {
	kept := t.live[:0]
	for _, live := range t.live {
		if now.Before(live.expires) {
			kept = append(kept, live)
		}
	}
	t.live = append(kept, token)
	for len(t.live) > max {
		evicted = append(evicted, t.live[0].value)
		t.live = t.live[1:]
	}
	return evicted
}

// lookup returns the expiry of a live token.
func (t *tokenStore) lookup(value string, now time.Time) (time.Time, bool) {
	for _, live := range t.live {
		if live.value == value && now.Before(live.expires) {
			return live.expires, true
		}
	}
	return time.Time{}, false
}

func (t *tokenStore) revokeAll() []string {
	values := make([]string, 0, len(t.live))
	for _, live := range t.live {
		values = append(values, live.value)
	}
	t.live = nil
	return values
}

// randomToken returns n characters of tokenAlphabet from crypto/rand.
func randomToken(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, 64)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			// crypto/rand.Read does not fail on supported platforms.
			panic(err)
		}
		for _, b := range buf {
			// 248 is the largest multiple of 62 below 256; rejecting
			// larger bytes keeps the characters uniform.
			if b < 248 && len(out) < n {
				out = append(out, tokenAlphabet[int(b)%len(tokenAlphabet)])
			}
		}
	}
	return string(out)
}

type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// handleToken serves POST /oauth2/token with the client credentials grant.
// Credentials come from Basic auth or the client_id and client_secret form
// fields; grant_type may be in the body or the query string.
func (s *Simulator) handleToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.tokens.requests++
	s.mu.Unlock()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request", "message": "use POST"})
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "message": "invalid form body"})
		return
	}
	clientID, clientSecret, ok := r.BasicAuth()
	if !ok {
		clientID, clientSecret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	secret := s.secret
	s.mu.Unlock()
	if !equalStrings(clientID, s.cfg.ClientID) || !equalStrings(clientSecret, secret) {
		s.log.Info("token request rejected: invalid client", "remote", r.RemoteAddr)
		w.Header().Set("WWW-Authenticate", `Basic realm="oauth2"`)
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	switch grant := r.Form.Get("grant_type"); grant {
	case "client_credentials":
	case "":
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request", "message": "grant_type is missing"})
		return
	default:
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "unsupported_grant_type"})
		return
	}

	token := grantedToken{value: randomToken(40)}
	s.mu.Lock()
	now := s.now()
	token.expires = now.Add(s.cfg.TokenLifetime)
	evicted := s.tokens.add(token, now, s.cfg.Protocol.MaxTokens)
	s.closeSocketsForTokensLocked(evicted, "evicted")
	s.mu.Unlock()
	if len(evicted) > 0 {
		s.log.Info("token limit reached: oldest token evicted", "evicted", len(evicted))
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken: token.value,
		TokenType:   "Bearer",
		ExpiresIn:   int64(s.cfg.TokenLifetime / time.Second),
	})
}

func equalStrings(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// validBearer reports whether the request carries a live bearer token.
func (s *Simulator) validBearer(r *http.Request) bool {
	const prefix = "bearer "
	header := r.Header.Get("Authorization")
	if len(header) <= len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.tokens.lookup(header[len(prefix):], s.now())
	return ok
}

// TokenRequests returns the number of requests made to /oauth2/token,
// including rejected ones.
func (s *Simulator) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens.requests
}

// RevokeTokens invalidates every granted token, as saving a regenerated
// client secret does, and closes the sockets that authenticated with them
// unless KeepSocketsOnRevoke is set. The configured secret stays valid so
// clients can fetch new tokens; RegenerateSecret also replaces it.
func (s *Simulator) RevokeTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	revoked := s.tokens.revokeAll()
	s.closeSocketsForTokensLocked(revoked, "revoked")
	s.log.Info("tokens revoked", "count", len(revoked))
}

// RegenerateSecret replaces the client secret with a new random one,
// revokes every token as RevokeTokens does, and returns the new secret.
func (s *Simulator) RegenerateSecret() string {
	secret := randomToken(40)
	s.mu.Lock()
	s.secret = secret
	s.mu.Unlock()
	s.RevokeTokens()
	return secret
}
