package appliance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// tokenRefreshMargin is how long before expiry a token is replaced. An API
// account holds at most 30 tokens and a 31st evicts the oldest, so tokens
// are reused for as long as possible instead of fetched per call.
const tokenRefreshMargin = 60 * time.Second

// Tokens fetches and caches OAuth access tokens with the client credentials
// grant. It is safe for concurrent use; one Tokens serves the whole process.
type Tokens struct {
	config *clientcredentials.Config
	client *http.Client

	mu     sync.Mutex
	source oauth2.TokenSource

	requests atomic.Int64
	// onRequest, when set, is called after every token request.
	onRequest func(err error)
}

// NewTokens returns a token cache for the appliance at host. When clock is
// not nil, the Date header of every token response feeds it.
func NewTokens(host, clientID, clientSecret string, client *http.Client, clock *Clock) *Tokens {
	t := &Tokens{
		config: &clientcredentials.Config{
			ClientID:     clientID,
			ClientSecret: clientSecret,
			TokenURL:     "https://" + host + "/oauth2/token",
			AuthStyle:    oauth2.AuthStyleInHeader,
		},
	}
	// Count every request that reaches the token endpoint.
	t.client = &http.Client{
		Transport: countingTransport{next: client.Transport, count: &t.requests, clock: clock},
		Timeout:   client.Timeout,
	}
	t.source = t.newSource()
	return t
}

func (t *Tokens) newSource() oauth2.TokenSource {
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, t.client)
	return oauth2.ReuseTokenSourceWithExpiry(nil, t.config.TokenSource(ctx), tokenRefreshMargin)
}

// Token returns a valid access token, fetching one only when the cached
// token is missing or about to expire.
func (t *Tokens) Token() (string, error) {
	t.mu.Lock()
	src := t.source
	t.mu.Unlock()
	tok, err := src.Token()
	if t.onRequest != nil {
		t.onRequest(err)
	}
	if err != nil {
		return "", fmt.Errorf("getting OAuth token from %s: %w", t.config.TokenURL, explainTLS(redactTokenError(err)))
	}
	return tok.AccessToken, nil
}

// Invalidate drops the cached token, for when the appliance rejected it
// (revoked, or evicted by a 31st token of the same API account).
func (t *Tokens) Invalidate() {
	t.mu.Lock()
	t.source = t.newSource()
	t.mu.Unlock()
}

// Requests returns how many token requests were sent to the appliance.
func (t *Tokens) Requests() int64 { return t.requests.Load() }

// TokenError is a token request the appliance answered with an error. It
// keeps the status and the OAuth error code and drops the response body,
// which a misbehaving server could fill with anything.
type TokenError struct {
	Status int    // HTTP status
	Code   string // OAuth error code, such as invalid_client
}

func (e *TokenError) Error() string {
	code := e.Code
	if code == "" {
		code = "no OAuth error code"
	}
	if e.Rejected() {
		return fmt.Sprintf("HTTP %d (%s): check RTD_CLIENT_ID and the client secret", e.Status, code)
	}
	return fmt.Sprintf("HTTP %d (%s)", e.Status, code)
}

// Rejected reports whether the appliance refused the client credentials.
func (e *TokenError) Rejected() bool {
	return e.Status == http.StatusUnauthorized || e.Code == "invalid_client"
}

func redactTokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return err
	}
	te := &TokenError{Code: re.ErrorCode}
	if re.Response != nil {
		te.Status = re.Response.StatusCode
	}
	return te
}

type countingTransport struct {
	next  http.RoundTripper
	count *atomic.Int64
	clock *Clock
}

func (c countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.count.Add(1)
	sent := time.Now()
	resp, err := c.next.RoundTrip(req)
	if err == nil && c.clock != nil {
		c.clock.ObserveResponse(resp, sent, time.Now())
	}
	return resp, err
}
