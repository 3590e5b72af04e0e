// Package appliance connects the relay to a B Series Appliance: OAuth
// client credentials, the Real-Time State API websocket with its
// reconnecting supervisor, and the appliance's clock.
package appliance

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
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

// explainTLS adds the fix to an error caused by the appliance's certificate.
func explainTLS(err error) error {
	var verification *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	switch {
	case errors.As(err, &hostname):
		return fmt.Errorf("%w (RTD_APPLIANCE_HOST must be a name the appliance's certificate lists)", err)
	case errors.As(err, &unknown), errors.As(err, &verification):
		return fmt.Errorf("%w (trust the appliance's certificate with RTD_CA_FILE, or for a test only set RTD_ALLOW_INVALID_CERTS=true)", err)
	}
	return err
}
