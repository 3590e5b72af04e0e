// Package appliance connects the relay to a B Series Appliance: OAuth
// client credentials, the Real-Time State API websocket with its
// reconnecting supervisor, and the appliance's clock.
package appliance

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"time"
)

// TLSOptions selects how the appliance's certificate is checked.
type TLSOptions struct {
	// RootCAs, when set, replaces the system roots (callers add the system
	// roots to it themselves).
	RootCAs *x509.CertPool
	// InsecureSkipVerify accepts any certificate. The relay logs a warning
	// at start when it is set.
	InsecureSkipVerify bool
}

// NewHTTPClient returns the client for every call to the appliance. The
// appliance documentation asks API clients to close the connection after
// each call, so keep-alives are off; the websocket dials its own connection.
func NewHTTPClient(opts TLSOptions) *http.Client {
	transport := &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		TLSClientConfig: &tls.Config{
			RootCAs:            opts.RootCAs,
			InsecureSkipVerify: opts.InsecureSkipVerify, //nolint:gosec // the administrator's explicit choice, logged at start
			MinVersion:         tls.VersionTLS12,
		},
		DisableKeepAlives:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
	}
	return &http.Client{Transport: transport, Timeout: 60 * time.Second}
}
