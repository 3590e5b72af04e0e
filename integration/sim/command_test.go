package sim_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
)

type apiInfoReply struct {
	XMLName     xml.Name
	APIVersion  string  `xml:"api_version"`
	CompanyName *string `xml:"company_name"`
	Timestamp   string  `xml:"timestamp"`
	Permissions []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	} `xml:"permissions>permission"`
}

func command(t *testing.T, s *sim.Simulator, query, bearer string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, baseURL(s)+"/api/command?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := httpClient(t, s).Do(req)
	if err != nil {
		t.Fatalf("command %s: %v", query, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func getAPIInfo(t *testing.T, s *sim.Simulator, bearer string) (*http.Response, apiInfoReply) {
	t.Helper()
	resp, body := command(t, s, "action=get_api_info", bearer)
	var info apiInfoReply
	if err := xml.Unmarshal(body, &info); err != nil {
		t.Fatalf("decode get_api_info %q: %v", body, err)
	}
	return resp, info
}

func TestAPIInfoFollowsManualClock(t *testing.T) {
	s, clock := startSim(t, nil)
	bearer := token(t, s)

	resp, info := getAPIInfo(t, s, bearer)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", resp.StatusCode)
	}
	wantName := xml.Name{Space: "http://www.beyondtrust.com/namespaces/API/command", Local: "api_information"}
	if info.XMLName != wantName {
		t.Errorf("root = %v, want %v", info.XMLName, wantName)
	}
	if info.APIVersion != "1.24.1" {
		t.Errorf("api_version = %q, want 1.24.1", info.APIVersion)
	}
	if info.CompanyName == nil || *info.CompanyName != testCompany {
		t.Errorf("company_name = %v, want %q", info.CompanyName, testCompany)
	}
	if want := strconv.FormatInt(testStart.Unix(), 10); info.Timestamp != want {
		t.Errorf("timestamp = %s, want %s", info.Timestamp, want)
	}
	if len(info.Permissions) == 0 {
		t.Error("permissions list is empty")
	}

	// Less than the token lifetime of one hour, so the token stays valid.
	later := clock.Advance(50 * time.Minute)
	resp, info = getAPIInfo(t, s, bearer)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status after Advance = %d, want 200", resp.StatusCode)
	}
	if want := strconv.FormatInt(later.Unix(), 10); info.Timestamp != want {
		t.Errorf("timestamp after Advance = %s, want %s", info.Timestamp, want)
	}
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		t.Fatalf("Date header %q: %v", resp.Header.Get("Date"), err)
	}
	if !date.Equal(later) {
		t.Errorf("Date header = %v, want appliance time %v", date, later)
	}
}

func TestAPIInfoWithoutCompanyName(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) { cfg.Protocol.OmitCompanyName = true })
	_, info := getAPIInfo(t, s, token(t, s))
	if info.CompanyName != nil {
		t.Errorf("company_name = %q, want the element left out", *info.CompanyName)
	}
}

func TestCommandRejectsExpiredToken(t *testing.T) {
	s, clock := startSim(t, nil)
	bearer := token(t, s)
	clock.Advance(time.Hour + time.Second)
	if resp, _ := command(t, s, "action=get_api_info", bearer); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status with an expired token = %d, want 401", resp.StatusCode)
	}
}

func TestCommandRejectsMissingToken(t *testing.T) {
	s, _ := startSim(t, nil)
	for _, bearer := range []string{"", "not-a-token"} {
		resp, _ := command(t, s, "action=get_api_info", bearer)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("bearer %q: status = %d, want 401", bearer, resp.StatusCode)
		}
	}
}

func TestCommandUnknownAction(t *testing.T) {
	s, _ := startSim(t, nil)
	resp, body := command(t, s, "action=launch_rockets", token(t, s))
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status = %d, want 200", resp.StatusCode)
	}
	var reply struct {
		XMLName xml.Name
		Text    string `xml:",chardata"`
	}
	if err := xml.Unmarshal(body, &reply); err != nil {
		t.Fatalf("decode %q: %v", body, err)
	}
	if diff := cmp.Diff("error", reply.XMLName.Local); diff != "" {
		t.Errorf("root element (-want +got):\n%s", diff)
	}
	if reply.Text == "" {
		t.Error("error element has no message")
	}
}
