package appliance

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/coder/websocket"
)

func TestSummarize(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{&AuthError{Step: "authenticate", Message: "Invalid credentials"}, "the appliance rejected the relay's credentials"},
		{&AuthError{Step: stepChooser, Message: "1 Unknown application"}, "the appliance rejected the company name in RTD_COMPANY"},
		{&AuthError{Step: "subscribe"}, "the appliance rejected the subscription to its state"},
		{fmt.Errorf("getting OAuth token: %w", &TokenError{Status: 401, Code: "invalid_client"}), "the appliance rejected the relay's API account"},
		{&TokenError{Status: 500}, "the appliance's OAuth token service failed"},
		{fmt.Errorf("dial: %w", x509.UnknownAuthorityError{}), "the appliance's certificate is not trusted"},
		{errIdle, "no data from the appliance within the idle timeout"},
		{fmt.Errorf("%w: token revoked", errPolicyClose), "the appliance revoked the relay's access"},
		{fmt.Errorf("waiting: %w", context.DeadlineExceeded), "the appliance did not respond in time"},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, "cannot reach the appliance"},
		{&net.DNSError{Name: "support.example.com", Err: "no such host"}, "cannot reach the appliance"},
		{websocket.CloseError{Code: websocket.StatusGoingAway}, "the appliance closed the connection"},
		{errors.New("something else"), "the connection to the appliance failed"},
	}
	for _, tc := range tests {
		if got := Summarize(tc.err); got != tc.want {
			t.Errorf("Summarize(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
