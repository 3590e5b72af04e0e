package sim_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/rtdash/rtdash/integration/sim"
)

// cmpSortSlices sorts slices before comparing them.
func cmpSortSlices[T any](less func(a, b T) bool) cmp.Option {
	return cmpopts.SortSlices(less)
}

type configTeam struct {
	ID              int64   `json:"id"`
	Name            string  `json:"name"`
	CodeName        string  `json:"code_name"`
	Comments        *string `json:"comments"`
	PublicPortalIDs []int64 `json:"public_portal_ids"`
}

func TestConfigTeamPagination(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) {
		cfg.Scenario = sim.ScenarioConfig{Teams: 12, Reps: 1}
		cfg.PublicSites = []sim.PublicSite{{ID: 1, Name: "Default"}, {ID: 4, Name: "Partners"}}
	})
	bearer := token(t, s)
	var all []configTeam
	for page := 1; page <= 3; page++ {
		resp, body := get(t, s, http.MethodGet, "/api/config/v1/team?per_page=5&current_page="+strconv.Itoa(page), bearer)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("page %d: status %d, body %s", page, resp.StatusCode, body)
		}
		headers := map[string]string{
			"X-BT-Pagination-Current-Page": strconv.Itoa(page),
			"X-BT-Pagination-Per-Page":     "5",
			"X-BT-Pagination-Last-Page":    "3",
			"X-BT-Pagination-Total":        "12",
			"X-RateLimit-Limit":            "15000",
		}
		for name, want := range headers {
			if got := resp.Header.Get(name); got != want {
				t.Errorf("page %d: %s = %q, want %q", page, name, got, want)
			}
		}
		link := resp.Header.Get("Link")
		for rel, present := range map[string]bool{"first": true, "last": true, "previous": page > 1, "next": page < 3} {
			if strings.Contains(link, `rel="`+rel+`"`) != present {
				t.Errorf("page %d: Link %q, rel %s present = %v, want %v", page, link, rel, !present, present)
			}
		}
		var items []configTeam
		if err := json.Unmarshal(body, &items); err != nil {
			t.Fatalf("page %d: body %s is not an array of teams: %v", page, body, err)
		}
		all = append(all, items...)
	}
	var want []configTeam
	for _, team := range s.Teams() {
		want = append(want, configTeam{ID: team.ID, Name: team.Name, CodeName: team.CodeName, PublicPortalIDs: []int64{1, 4}})
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("teams over all pages (-want +got):\n%s", diff)
	}

	resp, body := get(t, s, http.MethodGet, "/api/config/v1/team?current_page=4&per_page=5", bearer)
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != "[]" {
		t.Errorf("page past the last: status %d, body %s, want 200 and []", resp.StatusCode, body)
	}
	resp, body = get(t, s, http.MethodGet, "/api/config/v1/team", bearer)
	if resp.Header.Get("X-BT-Pagination-Per-Page") != "100" || resp.Header.Get("X-BT-Pagination-Last-Page") != "1" {
		t.Errorf("default page headers %v, want per page 100 and last page 1", resp.Header)
	}
	var items []configTeam
	if err := json.Unmarshal(body, &items); err != nil || len(items) != 12 {
		t.Errorf("default page has %d teams (err %v), want 12", len(items), err)
	}
}

func TestConfigItemsAndErrors(t *testing.T) {
	s, _ := startSim(t, nil)
	bearer := token(t, s)
	team := s.Teams()[1]
	cases := []struct {
		name, method, path, bearer string
		wantStatus                 int
		wantBody                   string // part of the body
	}{
		{"team by id", http.MethodGet, "/api/config/v1/team/" + strconv.FormatInt(team.ID, 10), bearer, 200, `"code_name":"` + team.CodeName + `"`},
		{"unknown team", http.MethodGet, "/api/config/v1/team/999", bearer, 404, "999"},
		{"portal list", http.MethodGet, "/api/config/v1/public-portal", bearer, 200, `[{"id":1,"name":"Default"}]`},
		{"portal by id", http.MethodGet, "/api/config/v1/public-portal/1", bearer, 200, `{"id":1,"name":"Default"}`},
		{"head list", http.MethodHead, "/api/config/v1/team", bearer, 200, ""},
		{"unknown parameter", http.MethodGet, "/api/config/v1/team?name=x", bearer, 401, "name"},
		{"pagination on an item", http.MethodGet, "/api/config/v1/public-portal/1?per_page=5", bearer, 401, "per_page"},
		{"per_page too small", http.MethodGet, "/api/config/v1/team?per_page=4", bearer, 401, "per_page"},
		{"per_page too large", http.MethodGet, "/api/config/v1/team?per_page=101", bearer, 401, "per_page"},
		{"current_page zero", http.MethodGet, "/api/config/v1/team?current_page=0", bearer, 401, "current_page"},
		{"bad token", http.MethodGet, "/api/config/v1/team", "wrong", 401, "token"},
		{"no token", http.MethodGet, "/api/config/v1/public-portal", "", 401, "token"},
		{"post", http.MethodPost, "/api/config/v1/team", bearer, 405, "POST"},
		{"delete item", http.MethodDelete, "/api/config/v1/team/1", bearer, 405, "DELETE"},
		{"unknown resource", http.MethodGet, "/api/config/v1/user", bearer, 404, "unknown resource"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(t, s, tc.method, tc.path, tc.bearer)
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d (body %s)", resp.StatusCode, tc.wantStatus, body)
			}
			if !strings.Contains(string(body), tc.wantBody) {
				t.Errorf("body %s, want it to contain %s", body, tc.wantBody)
			}
			if tc.method == http.MethodHead && len(body) != 0 {
				t.Errorf("HEAD returned a body: %s", body)
			}
			if tc.method == http.MethodHead && resp.Header.Get("X-BT-Pagination-Total") != "2" {
				t.Errorf("HEAD X-BT-Pagination-Total = %q, want 2", resp.Header.Get("X-BT-Pagination-Total"))
			}
			if resp.StatusCode == http.StatusMethodNotAllowed && resp.Header.Get("Allow") != "GET,HEAD" {
				t.Errorf("Allow = %q, want GET,HEAD", resp.Header.Get("Allow"))
			}
		})
	}
}

func TestConfigBadPageStatusSwitch(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) { cfg.ConfigAPI.BadPageStatus = http.StatusBadRequest })
	resp, _ := get(t, s, http.MethodGet, "/api/config/v1/team?per_page=500", token(t, s))
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status %d, want 400", resp.StatusCode)
	}
}

func TestRateLimitHeadersAndEnforcement(t *testing.T) {
	s, clock := startSim(t, func(cfg *sim.Config) {
		cfg.RateLimit = sim.RateLimitConfig{PerSecond: 5, PerHour: 8, Enforce: true}
	})
	bearer := token(t, s)
	for i := 1; i <= 5; i++ {
		resp, _ := get(t, s, http.MethodGet, "/api/command?action=get_api_info", bearer)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request %d: status %d, want 200", i, resp.StatusCode)
		}
		if got, want := resp.Header.Get("X-RateLimit-Remaining"), strconv.Itoa(8-i); got != want {
			t.Errorf("request %d: X-RateLimit-Remaining = %q, want %q", i, got, want)
		}
	}
	resp, _ := get(t, s, http.MethodGet, "/api/config/v1/team", bearer)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "1" {
		t.Errorf("6th request in one second: status %d, Retry-After %q, want 429 and 1", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	clock.Advance(time.Second)
	for i := 6; i <= 8; i++ {
		if resp, _ := get(t, s, http.MethodGet, "/api/reporting?generate_report=x", bearer); resp.StatusCode != http.StatusOK {
			t.Errorf("request %d after a second: status %d, want 200", i, resp.StatusCode)
		}
	}
	clock.Advance(time.Second)
	resp, _ = get(t, s, http.MethodGet, "/api/command?action=get_api_info", bearer)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("9th request in one hour: status %d, want 429", resp.StatusCode)
	}
	if got := s.RateLimitRejections(); got != 2 {
		t.Errorf("RateLimitRejections() = %d, want 2", got)
	}
}

func TestRateLimitNotEnforcedByDefault(t *testing.T) {
	s, _ := startSim(t, nil)
	bearer := token(t, s)
	var last *http.Response
	for range 25 {
		last, _ = get(t, s, http.MethodGet, "/api/command?action=get_api_info", bearer)
		if last.StatusCode != http.StatusOK {
			t.Fatalf("status %d, want 200 without enforcement", last.StatusCode)
		}
	}
	if got := last.Header.Get("X-RateLimit-Remaining"); got != "14975" {
		t.Errorf("X-RateLimit-Remaining after 25 requests = %q, want 14975", got)
	}
}
