package reporting

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/relay/appliance"
)

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatalf("gzip: %v", err)
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return buf.Bytes()
}

func TestClientRequestHeaders(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "api_info_rs.xml"))
	client, logs := fake.newClient(testClientSecret)

	info, err := client.APIInfo(context.Background())

	if err != nil {
		t.Fatalf("APIInfo() failed: %v", err)
	}
	if info.Version != "1.22.2" {
		t.Errorf("Version = %q, want 1.22.2", info.Version)
	}
	calls := fake.calls()
	if len(calls) != 1 {
		t.Fatalf("appliance saw %d API calls, want 1", len(calls))
	}
	got := calls[0]
	if got.Path != "/api/command" {
		t.Errorf("path = %q, want /api/command", got.Path)
	}
	if got.Query.Get("action") != "get_api_info" {
		t.Errorf("action = %q, want get_api_info", got.Query.Get("action"))
	}
	if got.Query.Get("locale") != "de-de" {
		t.Errorf("locale = %q, want de-de", got.Query.Get("locale"))
	}
	if got.Authorization != "Bearer token-1" {
		t.Errorf("Authorization = %q, want Bearer token-1", got.Authorization)
	}
	if !got.Close {
		t.Error("request lacks Connection: close")
	}
	assertNoSecrets(t, "log", logs.String())
}

func TestClientFeedsClock(t *testing.T) {
	ahead := time.Now().Add(time.Hour).Truncate(time.Second)
	fake := newFakeAppliance(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", ahead.UTC().Format(http.TimeFormat))
		fmt.Fprintf(w, "<api_information><timestamp>%d</timestamp></api_information>", ahead.Unix())
	})
	client, _ := fake.newClient(testClientSecret)

	if _, err := client.APIInfo(context.Background()); err != nil {
		t.Fatalf("APIInfo() failed: %v", err)
	}

	offset, ok := client.clock.Offset()
	if !ok {
		t.Fatal("clock has no samples after APIInfo()")
	}
	if offset < 59*time.Minute || offset > 61*time.Minute {
		t.Errorf("clock offset = %v, want about 1h", offset)
	}
}

func TestClientRetriesOnceAfter401(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "exit_survey_list_empty.xml"))
	client, logs := fake.newClient(testClientSecret)
	ctx := context.Background()
	if _, err := client.CustomerExitSurveys(ctx, time.Now()); err != nil {
		t.Fatalf("first call failed: %v", err)
	}
	fake.revoke()

	_, err := client.CustomerExitSurveys(ctx, time.Now())

	if err != nil {
		t.Fatalf("call after revocation failed: %v", err)
	}
	var got []string
	for _, c := range fake.calls() {
		got = append(got, fmt.Sprintf("%s %d", c.Authorization, c.Status))
	}
	want := []string{"Bearer token-1 200", "Bearer token-1 401", "Bearer token-2 200"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("API calls mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(logs.String(), "retrying once with a new token") {
		t.Errorf("log lacks the retry: %s", logs.String())
	}
	assertNoSecrets(t, "log", logs.String())
}

func TestClientConcurrent401sFetchOneToken(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "exit_survey_list_empty.xml"))
	client, _ := fake.newClient(testClientSecret)
	ctx := context.Background()
	if _, err := client.CustomerExitSurveys(ctx, time.Now()); err != nil {
		t.Fatalf("first call failed: %v", err)
	}
	fake.revoke()

	var wg sync.WaitGroup
	errs := make(chan error, 10)
	for range 10 {
		wg.Go(func() {
			_, err := client.CustomerExitSurveys(ctx, time.Now())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)

	for err := range errs {
		if err != nil {
			t.Errorf("call after revocation failed: %v", err)
		}
	}
	if n := client.tokens.Requests(); n != 2 {
		t.Errorf("token requests = %d, want 2 (the first token and one replacement)", n)
	}
}

func TestClientGivesUpAfterSecond401(t *testing.T) {
	var fake *fakeAppliance
	fake = newFakeAppliance(t, func(w http.ResponseWriter, r *http.Request) {
		fake.revoke()
		w.WriteHeader(http.StatusUnauthorized)
	})
	client, logs := fake.newClient(testClientSecret)

	_, err := client.Sessions(context.Background(), []string{"4f0c2a9be1d34c7f9a55b0e6d2c81a37"})

	var status *StatusError
	if !errors.As(err, &status) || status.StatusCode != http.StatusUnauthorized {
		t.Fatalf("Sessions() error = %v, want a 401 *StatusError", err)
	}
	if n := len(fake.calls()); n != 2 {
		t.Errorf("appliance saw %d API calls, want 2", n)
	}
	if !strings.Contains(err.Error(), "reporting SupportSession") {
		t.Errorf("error %q does not name the endpoint", err)
	}
	assertNoSecrets(t, "error", err.Error())
	assertNoSecrets(t, "log", logs.String())
}

func TestClientStatusError(t *testing.T) {
	fake := newFakeAppliance(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("stack trace with internal detail"))
	})
	client, _ := fake.newClient(testClientSecret)

	_, err := client.CustomerExitSurveys(context.Background(), time.Now())

	var status *StatusError
	if !errors.As(err, &status) {
		t.Fatalf("error = %v, want *StatusError", err)
	}
	want := StatusError{Endpoint: "reporting SupportCustExitSurvey", StatusCode: 500}
	if diff := cmp.Diff(want, *status); diff != "" {
		t.Errorf("StatusError mismatch (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "HTTP 500") {
		t.Errorf("error %q does not name the status", err)
	}
	if strings.Contains(err.Error(), "internal detail") {
		t.Errorf("error %q contains the response body", err)
	}
}

func TestClientTokenFailureHidesSecret(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "api_info_rs.xml"))
	client, logs := fake.newClient("wrong-" + testClientSecret)

	_, err := client.APIInfo(context.Background())

	var tokenErr *tokenError
	if !errors.As(err, &tokenErr) {
		t.Fatalf("APIInfo() error = %v, want a token error", err)
	}
	if n := len(fake.calls()); n != 0 {
		t.Errorf("appliance saw %d API calls without a token, want 0", n)
	}
	assertNoSecrets(t, "error", err.Error())
	if strings.Contains(err.Error(), "wrong-") {
		t.Errorf("error %q contains the client secret", err)
	}
	assertNoSecrets(t, "log", logs.String())
}

func TestClientSurveyQuery(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "exit_survey_list.xml"))
	client, _ := fake.newClient(testClientSecret)
	since := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)

	surveys, err := client.CustomerExitSurveys(context.Background(), since)

	if err != nil {
		t.Fatalf("CustomerExitSurveys() failed: %v", err)
	}
	if len(surveys) != 4 {
		t.Errorf("got %d surveys, want 4", len(surveys))
	}
	query := fake.calls()[0].Query
	want := map[string]string{
		"generate_report": "SupportCustExitSurvey",
		"report_type":     "rep",
		"id":              "all",
		"end_time":        "1767571200",
		"duration":        "0",
		"locale":          "de-de",
	}
	got := map[string]string{}
	for k := range query {
		got[k] = query.Get(k)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("query mismatch (-want +got):\n%s", diff)
	}
}

func TestClientGzipBodies(t *testing.T) {
	tests := []struct {
		fixture    string
		wantAPIErr bool
		wantCount  int
	}{
		{fixture: "exit_survey_list.xml", wantCount: 4},
		{fixture: "error_no_archives_bomgar.xml", wantCount: 0},
		{fixture: "error_attributes.xml", wantAPIErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			body := gzipBytes(t, readFixture(t, tt.fixture))
			fake := newFakeAppliance(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/octet-stream")
				_, _ = w.Write(body)
			})
			client, _ := fake.newClient(testClientSecret)

			surveys, err := client.CustomerExitSurveys(context.Background(), time.Now())

			var apiErr *APIError
			if got := errors.As(err, &apiErr); got != tt.wantAPIErr {
				t.Fatalf("error = %v, want an *APIError: %v", err, tt.wantAPIErr)
			}
			if !tt.wantAPIErr && err != nil {
				t.Fatalf("CustomerExitSurveys() failed: %v", err)
			}
			if len(surveys) != tt.wantCount {
				t.Errorf("got %d surveys, want %d", len(surveys), tt.wantCount)
			}
		})
	}
}

func TestClientErrorElements(t *testing.T) {
	tests := []struct {
		fixture string
		wantMsg string
	}{
		{"error_attributes.xml", "The API account lacks the reporting permission."},
		{"session_list_error_child.xml", "Invalid value for parameter lsid."},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			fake := newFakeAppliance(t, serveFixture(t, tt.fixture))
			client, _ := fake.newClient(testClientSecret)

			_, err := client.Sessions(context.Background(), []string{"4f0c2a9be1d34c7f9a55b0e6d2c81a37"})

			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("Sessions() error = %v, want *APIError", err)
			}
			if apiErr.Message != tt.wantMsg {
				t.Errorf("Message = %q, want %q", apiErr.Message, tt.wantMsg)
			}
		})
	}
}

func TestClientSessionsBatches(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "session_list_empty.xml"))
	client, _ := fake.newClient(testClientSecret)
	var lsids []string
	for i := range 120 {
		lsids = append(lsids, fmt.Sprintf("%032x", i))
	}

	if _, err := client.Sessions(context.Background(), lsids); err != nil {
		t.Fatalf("Sessions() failed: %v", err)
	}

	var sizes []int
	for _, c := range fake.calls() {
		sizes = append(sizes, len(strings.Split(c.Query.Get("lsids"), ",")))
	}
	if diff := cmp.Diff([]int{50, 50, 20}, sizes); diff != "" {
		t.Errorf("batch sizes mismatch (-want +got):\n%s", diff)
	}
}

func TestClientSessionsRejectsInvalidLSID(t *testing.T) {
	fake := newFakeAppliance(t, serveFixture(t, "session_list_empty.xml"))
	client, _ := fake.newClient(testClientSecret)

	_, err := client.Sessions(context.Background(), []string{"4f0c2a9be1d34c7f9a55b0e6d2c81a37", "x,y"})

	if err == nil {
		t.Fatal("Sessions() succeeded, want an error")
	}
	if n := len(fake.calls()); n != 0 {
		t.Errorf("appliance saw %d API calls, want 0", n)
	}
}

func TestReadBodyLimits(t *testing.T) {
	const limit = 1 << 16
	zeros := func(n int64) io.Reader { return io.LimitReader(zeroReader{}, n) }
	bomb := gzipBytes(t, bytes.Repeat([]byte{0}, limit+1))
	small := gzipBytes(t, []byte("<session_list/>"))

	tests := []struct {
		name    string
		body    io.Reader
		want    int
		wantErr bool
	}{
		{"at limit", zeros(limit), limit, false},
		{"over limit", zeros(limit + 1), 0, true},
		{"gzip", bytes.NewReader(small), len("<session_list/>"), false},
		{"gzip over limit", bytes.NewReader(bomb), 0, true},
		{"truncated gzip", bytes.NewReader([]byte{0x1f, 0x8b, 8, 0}), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readBody(tt.body, limit)

			if (err != nil) != tt.wantErr {
				t.Fatalf("readBody() error = %v, want an error: %v", err, tt.wantErr)
			}
			if len(got) != tt.want {
				t.Errorf("readBody() returned %d bytes, want %d", len(got), tt.want)
			}
		})
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestNewClientValidates(t *testing.T) {
	tokens := appliance.NewTokens("127.0.0.1:1", testClientID, testClientSecret, http.DefaultClient, nil)
	tests := []struct {
		name string
		opts Options
	}{
		{"empty host", Options{Tokens: tokens}},
		{"scheme", Options{Host: "https://appliance.example.com", Tokens: tokens}},
		{"path", Options{Host: "appliance.example.com/api", Tokens: tokens}},
		{"no tokens", Options{Host: "appliance.example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewClient(tt.opts); err == nil {
				t.Error("NewClient() succeeded, want an error")
			}
		})
	}
}
