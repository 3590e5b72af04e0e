package appliance

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"

	"github.com/coder/websocket"
)

// Summarize turns a connection error into a few words a supervisor can act
// on or pass on, without addresses, settings or the library's error chain.
func Summarize(err error) string {
	var (
		auth         *AuthError
		token        *TokenError
		dns          *net.DNSError
		opErr        *net.OpError
		closeErr     websocket.CloseError
		verification *tls.CertificateVerificationError
		unknown      x509.UnknownAuthorityError
		hostname     x509.HostnameError
	)
	switch {
	case errors.As(err, &auth) && auth.Step == stepChooser:
		return "the appliance rejected the company name in RTD_COMPANY"
	case errors.As(err, &auth) && auth.Step == "subscribe":
		return "the appliance rejected the subscription to its state"
	case errors.As(err, &auth):
		return "the appliance rejected the relay's credentials"
	case errors.As(err, &token) && token.Rejected():
		return "the appliance rejected the relay's API account"
	case errors.As(err, &token):
		return "the appliance's OAuth token service failed"
	case errors.As(err, &verification), errors.As(err, &unknown), errors.As(err, &hostname):
		return "the appliance's certificate is not trusted"
	case errors.Is(err, errIdle):
		return "no data from the appliance within the idle timeout"
	case errors.Is(err, errPolicyClose):
		return "the appliance revoked the relay's access"
	case errors.Is(err, context.DeadlineExceeded):
		return "the appliance did not respond in time"
	case errors.As(err, &dns), errors.As(err, &opErr):
		return "cannot reach the appliance"
	case errors.As(err, &closeErr):
		return "the appliance closed the connection"
	}
	return "the connection to the appliance failed"
}
