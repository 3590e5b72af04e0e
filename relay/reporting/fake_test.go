package reporting

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/rtdash/rtdash/relay/appliance"
)

const (
	testClientID     = "rtd-test-client"
	testClientSecret = "s3cret-never-shown"
)

// fakeAppliance is a TLS server on the loopback address that replaces the
// appliance's OAuth, Reporting and Command endpoints. It hands out
// tokens "token-1", "token-2", … and accepts only the newest one, unless
// the test revokes it.
type fakeAppliance struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	issued   int
	revoked  bool
	requests []apiRequest
	// respond writes the response to an API call that passed the token
	// check.
	respond http.HandlerFunc
}

// apiRequest records what the fake saw of one API call.
type apiRequest struct {
	Path          string
	Query         url.Values
	Authorization string
	Close         bool
	// Status is the HTTP status the fake sent.
	Status int
}

func newFakeAppliance(t *testing.T, respond http.HandlerFunc) *fakeAppliance {
	t.Helper()
	f := &fakeAppliance{t: t, respond: respond}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/token", f.token)
	mux.HandleFunc("GET /api/reporting", f.api)
	mux.HandleFunc("GET /api/command", f.api)
	f.srv = httptest.NewTLSServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAppliance) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != testClientID || secret != testClientSecret {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"invalid_client"}`))
		return
	}
	f.mu.Lock()
	f.issued++
	f.revoked = false
	n := f.issued
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	// Real appliances write the token type in lower case.
	fmt.Fprintf(w, `{"access_token":"token-%d","expires_in":1799,"token_type":"bearer"}`, n)
}

func (f *fakeAppliance) api(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	valid := !f.revoked && r.Header.Get("Authorization") == fmt.Sprintf("Bearer token-%d", f.issued)
	rec := apiRequest{
		Path:          r.URL.Path,
		Query:         r.URL.Query(),
		Authorization: r.Header.Get("Authorization"),
		Close:         r.Close,
		Status:        http.StatusOK,
	}
	if !valid {
		rec.Status = http.StatusUnauthorized
	}
	f.requests = append(f.requests, rec)
	f.mu.Unlock()

	if !valid {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	f.respond(w, r)
}

// revoke makes the fake reject the current token until it issues another.
func (f *fakeAppliance) revoke() {
	f.mu.Lock()
	f.revoked = true
	f.mu.Unlock()
}

// calls returns the API calls seen so far.
func (f *fakeAppliance) calls() []apiRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]apiRequest(nil), f.requests...)
}

func (f *fakeAppliance) host() string {
	return strings.TrimPrefix(f.srv.URL, "https://")
}

// newClient returns a client for the fake, with its own clock, and the
// buffer its logger writes to.
func (f *fakeAppliance) newClient(secret string) (*Client, *bytes.Buffer) {
	f.t.Helper()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clock := &appliance.Clock{}
	tokens := appliance.NewTokens(f.host(), testClientID, secret, f.srv.Client(), clock)
	c, err := NewClient(Options{
		Host:       f.host(),
		Tokens:     tokens,
		HTTPClient: f.srv.Client(),
		Clock:      clock,
		Locale:     "de-de",
		Logger:     logger,
	})
	if err != nil {
		f.t.Fatalf("NewClient() failed: %v", err)
	}
	return c, &logs
}

// lockedWriter serialises writes from concurrent goroutines to a buffer.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// serveFixture returns a handler that writes a testdata fixture as XML.
func serveFixture(t *testing.T, name string) http.HandlerFunc {
	data := readFixture(t, name)
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		_, _ = w.Write(data)
	}
}

// assertNoSecrets fails when text contains the client secret or a token.
func assertNoSecrets(t *testing.T, what, text string) {
	t.Helper()
	for _, secret := range []string{testClientSecret, "token-1", "token-2", "token-3"} {
		if strings.Contains(text, secret) {
			t.Errorf("%s contains the secret %q: %s", what, secret, text)
		}
	}
}
