// Package reporting reads the appliance's XML Reporting API
// (/api/reporting) and XML Command API (/api/command): API information,
// support session details, exit surveys and the CSAT average built from
// them.
//
// The parsers match elements by local name only, because appliances
// declare different default namespaces (bomgar.com, beyondtrust.com and
// the PRA /sra/ form). They skip unknown elements and trim whitespace.
//
// Errors: an <error> element, whether it is the document root or a child
// of the list root, becomes an *APIError in the Parse functions. The
// appliance also sends an empty report as such an error, and IsNoData
// recognises its known texts. The Client methods that return reports
// (Sessions, CustomerExitSurveys, SessionDetails) and RunCSAT read a "no
// data" error as an empty result and every other <error> as a failure.
package reporting

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/rtdash/rtdash/relay/appliance"
)

// maxBodyBytes bounds a response body, before and after gzip
// decompression. A day's exit surveys or 50 full support sessions stay far
// below it.
const maxBodyBytes = 64 << 20

// Options configure a Client.
type Options struct {
	// Host is the appliance's host name, optionally with ":port", without
	// a scheme or path.
	Host string
	// Tokens supplies the OAuth bearer tokens. It is required.
	Tokens *appliance.Tokens
	// HTTPClient sends the requests. Nil means appliance.NewHTTPClient with
	// default TLS options.
	HTTPClient *http.Client
	// Clock, when set, receives the Date header of every response and the
	// get_api_info timestamp.
	Clock *appliance.Clock
	// Locale is sent as the locale parameter of every call (RTD_LOCALE,
	// such as "en-us"). It also selects the language of error texts.
	Locale string
	// Logger receives token retries. Nil discards them.
	Logger *slog.Logger
}

// Client calls the appliance's Reporting and Command APIs. It is safe for
// concurrent use.
type Client struct {
	host    string
	tokens  *appliance.Tokens
	http    *http.Client
	clock   *appliance.Clock
	locale  string
	log     *slog.Logger
	details *detailsCache
	// detailsLimit bounds the uncached session details calls.
	detailsLimit *tokenBucket

	// invalidateMu serialises token invalidation after 401 responses.
	invalidateMu sync.Mutex
}

// NewClient returns a client for the appliance in o. It opens no
// connection.
func NewClient(o Options) (*Client, error) {
	if o.Host == "" || strings.ContainsAny(o.Host, "/?#@") {
		return nil, fmt.Errorf("invalid appliance host %q: want host or host:port without a scheme or path", o.Host)
	}
	if o.Tokens == nil {
		return nil, errors.New("missing token source: Options.Tokens is required")
	}
	if o.HTTPClient == nil {
		o.HTTPClient = appliance.NewHTTPClient(appliance.TLSOptions{})
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Client{
		host:         o.Host,
		tokens:       o.Tokens,
		http:         o.HTTPClient,
		clock:        o.Clock,
		locale:       o.Locale,
		log:          o.Logger,
		details:      newDetailsCache(detailsCacheSize, detailsTTL, notFoundTTL),
		detailsLimit: newTokenBucket(detailsRate, detailsBurst),
	}, nil
}

// StatusError is an API response with an HTTP status other than 200.
type StatusError struct {
	// Endpoint names the call, such as "reporting SupportSession".
	Endpoint   string
	StatusCode int
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: appliance returned HTTP %d %s", e.Endpoint, e.StatusCode, http.StatusText(e.StatusCode))
	switch e.StatusCode {
	case http.StatusUnauthorized:
		msg += ", also with a freshly fetched OAuth token: check that the API account may use this API"
	case http.StatusForbidden:
		msg += ": check the API account's permissions"
	}
	return msg
}

// tokenError is a failure to get an OAuth token. Its text comes from
// appliance.Tokens, which leaves the client secret and the response body out.
type tokenError struct{ err error }

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// reporting sends GET /api/reporting?generate_report=report&… and returns
// the decompressed body.
func (c *Client) reporting(ctx context.Context, report string, params url.Values) (*response, error) {
	query := url.Values{"generate_report": {report}}
	for k, v := range params {
		query[k] = v
	}
	return c.get(ctx, "/api/reporting", query, "reporting "+report)
}

// command sends GET /api/command?action=action&… and returns the
// decompressed body.
func (c *Client) command(ctx context.Context, action string, params url.Values) (*response, error) {
	query := url.Values{"action": {action}}
	for k, v := range params {
		query[k] = v
	}
	return c.get(ctx, "/api/command", query, "command "+action)
}

// response is a successful API response.
type response struct {
	body []byte
	// sent and received bracket the request, for clock samples.
	sent, received time.Time
}

// get sends one API request. When the appliance responds 401 it drops the
// cached token and retries once with a new one, because the token may have
// been revoked or evicted by another client of the same API account.
func (c *Client) get(ctx context.Context, path string, query url.Values, endpoint string) (*response, error) {
	if c.locale != "" {
		query.Set("locale", c.locale)
	}
	target := (&url.URL{Scheme: "https", Host: c.host, Path: path, RawQuery: query.Encode()}).String()

	for attempt := 1; ; attempt++ {
		token, err := c.tokens.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", endpoint, &tokenError{err})
		}

		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: building request: %w", endpoint, err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Accept", "application/xml, text/xml")
		// The appliance documentation requires clients to close the
		// connection after each API call.
		req.Close = true

		sent := time.Now()
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", endpoint, err)
		}
		received := time.Now()
		if c.clock != nil {
			c.clock.ObserveResponse(resp, sent, received)
		}

		if resp.StatusCode == http.StatusUnauthorized && attempt == 1 {
			discard(resp.Body)
			c.invalidate(token)
			c.log.Warn("appliance rejected the OAuth token; retrying once with a new token", "endpoint", endpoint)
			continue
		}
		if resp.StatusCode != http.StatusOK {
			discard(resp.Body)
			return nil, &StatusError{Endpoint: endpoint, StatusCode: resp.StatusCode}
		}

		body, err := readBody(resp.Body, maxBodyBytes)
		_ = resp.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: reading response body: %w", endpoint, err)
		}
		return &response{body: body, sent: sent, received: received}, nil
	}
}

// invalidate drops the rejected token from the cache unless a concurrent
// call has already replaced it, so that a burst of 401 responses fetches
// one new token instead of one per call. An API account holds at most 30
// tokens, so extra token requests would evict other integrations' tokens.
func (c *Client) invalidate(rejected string) {
	c.invalidateMu.Lock()
	defer c.invalidateMu.Unlock()
	current, err := c.tokens.Token()
	if err == nil && current != rejected {
		return
	}
	c.tokens.Invalidate()
}

// discard reads a little of an unwanted body and closes it.
func discard(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	_ = body.Close()
}

// readBody reads at most limit bytes and decompresses a gzip body, again
// to at most limit bytes. The appliance sends archive reports
// gzip-compressed without a Content-Encoding header, and their "no
// archives" error may arrive the same way, so the magic bytes 1f 8b decide.
func readBody(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("body exceeds the limit of %d bytes", limit)
	}
	if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		return body, nil
	}

	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("invalid gzip body: %w", err)
	}
	plain, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, fmt.Errorf("invalid gzip body: %w", err)
	}
	if int64(len(plain)) > limit {
		return nil, fmt.Errorf("decompressed body exceeds the limit of %d bytes", limit)
	}
	return plain, nil
}
