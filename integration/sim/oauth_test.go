package sim_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9]{40}$`)

func TestTokenGrantForms(t *testing.T) {
	s, _ := startSim(t, nil)
	client := httpClient(t, s)
	endpoint := baseURL(s) + "/oauth2/token"
	cases := []struct {
		name   string
		target string
		form   url.Values
		basic  bool
	}{
		{"basic auth, grant in body", endpoint, url.Values{"grant_type": {"client_credentials"}}, true},
		{"form credentials", endpoint, url.Values{
			"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {testClientSecret},
		}, false},
		{"grant in query", endpoint + "?grant_type=client_credentials", url.Values{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, reply := requestToken(t, client, tc.target, tc.form, tc.basic)
			if status != http.StatusOK {
				t.Fatalf("status = %d, want 200 (reply %+v)", status, reply)
			}
			if !tokenPattern.MatchString(reply.AccessToken) {
				t.Errorf("access_token = %q, want 40 characters of [A-Za-z0-9]", reply.AccessToken)
			}
			if reply.TokenType != "Bearer" {
				t.Errorf("token_type = %q, want Bearer", reply.TokenType)
			}
			if reply.ExpiresIn != 3600 {
				t.Errorf("expires_in = %d, want 3600", reply.ExpiresIn)
			}
		})
	}
	if got := s.TokenRequests(); got != len(cases) {
		t.Errorf("TokenRequests() = %d, want %d", got, len(cases))
	}
}

func TestTokenRejections(t *testing.T) {
	s, _ := startSim(t, nil)
	client := httpClient(t, s)
	endpoint := baseURL(s) + "/oauth2/token"
	cases := []struct {
		name       string
		form       url.Values
		basic      bool
		wantStatus int
		wantError  string
	}{
		{"wrong secret", url.Values{
			"grant_type": {"client_credentials"}, "client_id": {testClientID}, "client_secret": {"wrong"},
		}, false, http.StatusUnauthorized, "invalid_client"},
		{"no credentials", url.Values{"grant_type": {"client_credentials"}}, false, http.StatusUnauthorized, "invalid_client"},
		{"other grant", url.Values{"grant_type": {"password"}}, true, http.StatusBadRequest, "unsupported_grant_type"},
		{"missing grant", url.Values{}, true, http.StatusBadRequest, "invalid_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, reply := requestToken(t, client, endpoint, tc.form, tc.basic)
			if status != tc.wantStatus {
				t.Errorf("status = %d, want %d", status, tc.wantStatus)
			}
			if reply.Error != tc.wantError {
				t.Errorf("error = %q, want %q", reply.Error, tc.wantError)
			}
			if reply.AccessToken != "" {
				t.Errorf("access_token = %q, want none", reply.AccessToken)
			}
		})
	}
}

// apiInfoStatus calls get_api_info with token and returns the HTTP status.
func apiInfoStatus(t *testing.T, client *http.Client, base, token string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+"/api/command?action=get_api_info", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("get_api_info: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestToken31stEvictsOldest(t *testing.T) {
	s, _ := startSim(t, nil)
	client := httpClient(t, s)
	var tokens []string
	for range 31 {
		tokens = append(tokens, token(t, s))
	}
	if got := apiInfoStatus(t, client, baseURL(s), tokens[0]); got != http.StatusUnauthorized {
		t.Errorf("oldest token after 31 requests: status %d, want 401", got)
	}
	for _, i := range []int{1, 30} {
		if got := apiInfoStatus(t, client, baseURL(s), tokens[i]); got != http.StatusOK {
			t.Errorf("token %d of 31: status %d, want 200", i+1, got)
		}
	}
}

func TestRevokeTokensClosesSocket(t *testing.T) {
	s, _ := startSim(t, nil)
	bearer := token(t, s)
	c := mustDialState(t, s)
	c.handshake(bearer)

	s.RevokeTokens()

	if _, err := c.line(); err == nil || !strings.Contains(err.Error(), "token revoked") {
		t.Errorf("read after RevokeTokens: err = %v, want close with reason \"token revoked\"", err)
	}
	if got := apiInfoStatus(t, httpClient(t, s), baseURL(s), bearer); got != http.StatusUnauthorized {
		t.Errorf("revoked token on get_api_info: status %d, want 401", got)
	}
	// The configured secret still works after a revocation.
	token(t, s)
}
