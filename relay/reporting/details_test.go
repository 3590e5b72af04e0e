package reporting

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

const knownLSID = "4f0c2a9be1d34c7f9a55b0e6d2c81a37"

// detailsAppliance serves SupportSession with the RS fixture for
// knownLSID and with "no data" for any other LSID.
func detailsAppliance(t *testing.T) *fakeAppliance {
	sessions := readFixture(t, "session_list_rs.xml")
	noData := readFixture(t, "error_no_data_fragment.xml")
	return newFakeAppliance(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.URL.Query().Get("lsid"), knownLSID) {
			_, _ = w.Write(sessions)
			return
		}
		_, _ = w.Write(noData)
	})
}

// serveDetails sends GET /api/v1/sessions/{lsid} through handler.
func serveDetails(handler http.Handler, lsid string) *httptest.ResponseRecorder {
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/sessions/{lsid}", handler)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/sessions/"+lsid, nil))
	return rec
}

func TestSessionDetailsCachesResult(t *testing.T) {
	fake := detailsAppliance(t)
	client, _ := fake.newClient(testClientSecret)
	ctx := context.Background()

	first, err := client.SessionDetails(ctx, knownLSID)
	if err != nil {
		t.Fatalf("SessionDetails() failed: %v", err)
	}
	second, err := client.SessionDetails(ctx, strings.ToUpper(knownLSID))
	if err != nil {
		t.Fatalf("second SessionDetails() failed: %v", err)
	}

	if first != second {
		t.Error("second call returned a different value, want the cached one")
	}
	if first.Customer.Company != "Fjord Freight AS" {
		t.Errorf("Customer.Company = %q, want Fjord Freight AS", first.Customer.Company)
	}
	calls := fake.calls()
	if len(calls) != 1 {
		t.Fatalf("appliance saw %d API calls, want 1", len(calls))
	}
	if got := calls[0].Query.Get("generate_report"); got != "SupportSession" {
		t.Errorf("generate_report = %q, want SupportSession", got)
	}
}

func TestSessionDetailsSharesConcurrentCalls(t *testing.T) {
	release := make(chan struct{})
	sessions := readFixture(t, "session_list_rs.xml")
	fake := newFakeAppliance(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
		_, _ = w.Write(sessions)
	})
	client, _ := fake.newClient(testClientSecret)

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := client.SessionDetails(context.Background(), knownLSID)
			errs <- err
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	close(errs)

	for err := range errs {
		if err != nil {
			t.Errorf("SessionDetails() failed: %v", err)
		}
	}
	if n := len(fake.calls()); n != 1 {
		t.Errorf("appliance saw %d API calls for 20 callers, want 1", n)
	}
}

func TestSessionDetailsNotFound(t *testing.T) {
	fake := detailsAppliance(t)
	client, _ := fake.newClient(testClientSecret)
	other := "00000000000000000000000000000001"

	_, err := client.SessionDetails(context.Background(), other)
	_, again := client.SessionDetails(context.Background(), other)

	if !errors.Is(err, ErrNotFound) {
		t.Errorf("SessionDetails() error = %v, want ErrNotFound", err)
	}
	if !errors.Is(again, ErrNotFound) {
		t.Errorf("second SessionDetails() error = %v, want ErrNotFound", again)
	}
	if n := len(fake.calls()); n != 1 {
		t.Errorf("appliance saw %d API calls, want 1 with the second answered from the cache", n)
	}
}

func TestSessionDetailsInvalidLSID(t *testing.T) {
	fake := detailsAppliance(t)
	client, _ := fake.newClient(testClientSecret)

	_, err := client.SessionDetails(context.Background(), "../../etc/passwd")

	if !errors.Is(err, ErrInvalidLSID) {
		t.Errorf("SessionDetails() error = %v, want ErrInvalidLSID", err)
	}
	if n := len(fake.calls()); n != 0 {
		t.Errorf("appliance saw %d API calls, want 0", n)
	}
}

func TestSessionDetailsCallerCancel(t *testing.T) {
	release := make(chan struct{})
	fake := newFakeAppliance(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
		_, _ = w.Write(readFixture(t, "session_list_rs.xml"))
	})
	client, _ := fake.newClient(testClientSecret)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := client.SessionDetails(ctx, knownLSID)
	close(release)
	details, later := client.SessionDetails(context.Background(), knownLSID)

	if !errors.Is(err, context.Canceled) {
		t.Errorf("SessionDetails() error = %v, want context.Canceled", err)
	}
	if later != nil || details == nil {
		t.Errorf("later SessionDetails() = %v, %v, want the session", details, later)
	}
}

func TestDetailsHandler(t *testing.T) {
	failing := newFakeAppliance(t, serveFixture(t, "error_attributes.xml"))
	failingClient, _ := failing.newClient(testClientSecret)
	broken := newFakeAppliance(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
	})
	brokenClient, _ := broken.newClient(testClientSecret)
	good := detailsAppliance(t)
	goodClient, _ := good.newClient(testClientSecret)

	tests := []struct {
		name       string
		client     *Client
		enabled    bool
		lsid       string
		wantStatus int
		wantError  string
		wantDetail string
	}{
		{"disabled", goodClient, false, knownLSID, http.StatusNotFound,
			"session details are disabled: set RTD_SESSION_DETAILS=true on the relay to enable them", ""},
		{"malformed", goodClient, true, "abc", http.StatusBadRequest,
			"invalid LSID: want 32 hexadecimal characters", ""},
		{"unknown", goodClient, true, "00000000000000000000000000000001", http.StatusNotFound,
			"support session not found on the appliance", ""},
		{"appliance error", failingClient, true, knownLSID, http.StatusBadGateway,
			"the appliance could not return the session details", "The API account lacks the reporting permission."},
		{"appliance status", brokenClient, true, knownLSID, http.StatusBadGateway,
			"the appliance could not return the session details", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serveDetails(DetailsHandler(tt.client, tt.enabled, nil), tt.lsid)

			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			var body struct {
				Error  string `json:"error"`
				Detail string `json:"detail"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q is not JSON: %v", rec.Body, err)
			}
			if body.Error != tt.wantError {
				t.Errorf("error = %q, want %q", body.Error, tt.wantError)
			}
			if body.Detail != tt.wantDetail {
				t.Errorf("detail = %q, want %q", body.Detail, tt.wantDetail)
			}
			assertNoSecrets(t, "body", rec.Body.String())
		})
	}
}

func TestDetailsHandlerOK(t *testing.T) {
	fake := detailsAppliance(t)
	client, _ := fake.newClient(testClientSecret)

	rec := serveDetails(DetailsHandler(client, true, nil), knownLSID)

	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	var got struct {
		LSID            string `json:"lsid"`
		DurationSeconds int64  `json:"duration_seconds"`
		PublicSite      struct {
			ID   int    `json:"id"`
			Name string `json:"name"`
		} `json:"public_site"`
		Customer struct {
			Name string `json:"name"`
		} `json:"customer"`
		Reps []struct {
			PublicName string `json:"public_name"`
		} `json:"reps"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("body is not JSON: %v", err)
	}
	if got.LSID != knownLSID {
		t.Errorf("lsid = %q, want %q", got.LSID, knownLSID)
	}
	if got.DurationSeconds != 1530 {
		t.Errorf("duration_seconds = %d, want 1530", got.DurationSeconds)
	}
	if got.PublicSite.ID != 3 || got.PublicSite.Name != "Partner Portal" {
		t.Errorf("public_site = %+v, want id 3, Partner Portal", got.PublicSite)
	}
	if got.Customer.Name != "Ola Nordmann" {
		t.Errorf("customer.name = %q, want Ola Nordmann", got.Customer.Name)
	}
	if len(got.Reps) != 2 {
		t.Errorf("got %d reps, want 2", len(got.Reps))
	}
}

func TestDetailsHandlerRejectsPost(t *testing.T) {
	fake := detailsAppliance(t)
	client, _ := fake.newClient(testClientSecret)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions/"+knownLSID, nil)
	req.SetPathValue("lsid", knownLSID)

	DetailsHandler(client, true, nil).ServeHTTP(rec, req)

	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("status = %d, want 405", rec.Code)
	}
}

func TestLRUCache(t *testing.T) {
	now := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	cache := newLRUCache[string, int](2)
	cache.now = func() time.Time { return now }

	cache.Add("a", 1, time.Minute)
	cache.Add("b", 2, time.Minute)
	if _, ok := cache.Get("a"); !ok {
		t.Fatal(`Get("a") missed before eviction`)
	}
	cache.Add("c", 3, time.Minute)

	got := map[string]int{}
	for _, key := range []string{"a", "b", "c"} {
		if v, ok := cache.Get(key); ok {
			got[key] = v
		}
	}
	if diff := cmp.Diff(map[string]int{"a": 1, "c": 3}, got); diff != "" {
		t.Errorf("entries after eviction mismatch (-want +got):\n%s", diff)
	}

	now = now.Add(time.Minute)
	if _, ok := cache.Get("a"); ok {
		t.Error(`Get("a") hit after its time to live`)
	}
	if n := cache.Len(); n != 1 {
		t.Errorf("Len() = %d after dropping an expired entry, want 1", n)
	}

	cache.Add("c", 30, 2*time.Minute)
	now = now.Add(time.Minute)
	if v, ok := cache.Get("c"); !ok || v != 30 {
		t.Errorf(`Get("c") = %d, %v after replacing it, want 30, true`, v, ok)
	}
}
