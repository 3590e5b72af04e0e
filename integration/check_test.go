package integration_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/relay"
	"github.com/rtdash/rtdash/relay/config"
)

// runCheck runs the relay's check command against a simulator and returns
// its output and verdict.
func runCheck(t *testing.T, simCfg sim.Config, extra map[string]string) (string, bool) {
	t.Helper()
	if simCfg.ClientID == "" {
		simCfg.ClientID = "check-client"
		simCfg.ClientSecret = "check-secret-never-printed"
	}
	appliance, err := sim.New(simCfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := appliance.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { appliance.Close() })
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, appliance.CAPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	environment := map[string]string{
		"RTD_APPLIANCE_HOST": appliance.Addr(),
		"RTD_CLIENT_ID":      simCfg.ClientID,
		"RTD_CLIENT_SECRET":  simCfg.ClientSecret,
		"RTD_CA_FILE":        caFile,
	}
	for k, v := range extra {
		environment[k] = v
	}
	cfg, err := config.Load(environment)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	ok := relay.Check(context.Background(), cfg, &out)
	if strings.Contains(out.String(), simCfg.ClientSecret) {
		t.Errorf("check output contains the client secret:\n%s", out.String())
	}
	return out.String(), ok
}

func TestCheckPasses(t *testing.T) {
	out, ok := runCheck(t, sim.Config{Seed: 1, Company: "example"}, map[string]string{
		"RTD_COMPANY":           "example",
		"RTD_CSAT_POLL_MINUTES": "5",
		"RTD_CSAT_QUESTION":     "rating",
	})
	if !ok {
		t.Errorf("check failed:\n%s", out)
	}
	for _, want := range []string{
		"PASS  settings", "PASS  OAuth token", "PASS  state API: snapshot of",
		"PASS  get_api_info", "PASS  company name", "PASS  CSAT survey report",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckReportsFailures(t *testing.T) {
	tests := []struct {
		name   string
		simCfg sim.Config
		extra  map[string]string
		want   []string
	}{
		{
			name:   "wrong secret",
			simCfg: sim.Config{ClientID: "check-client", ClientSecret: "the-real-secret"},
			extra:  map[string]string{"RTD_CLIENT_SECRET": "a-wrong-secret"},
			want:   []string{"FAIL  OAuth token", "HTTP 401", "SKIP  state API"},
		},
		{
			name:   "company mismatch",
			simCfg: sim.Config{Company: "example"},
			extra:  map[string]string{"RTD_COMPANY": "other"},
			want:   []string{"PASS  state API", `FAIL  company name: RTD_COMPANY is "other"`},
		},
		{
			name:   "misspelt filters and question",
			simCfg: sim.Config{Seed: 3, Scenario: sim.SmallOffice()},
			extra: map[string]string{
				"RTD_START_METHODS": "sesion_key", "RTD_ALLOWED_TEAMS": "no_such_team",
				"RTD_CSAT_POLL_MINUTES": "5", "RTD_CSAT_QUESTION": "nosuchquestion",
				"RTD_WAITNG_SLAS": "*=5",
			},
			want: []string{
				`WARN  filters: RTD_START_METHODS lists "sesion_key", which no current session was started with`,
				`WARN  filters: RTD_ALLOWED_TEAMS lists "no_such_team", which is not the code name of any team queue`,
				"WARN  settings: RTD_WAITNG_SLAS is not a setting of the relay and is ignored; did you mean RTD_WAITING_SLAS?",
			},
		},
		{
			name:   "company name not reported",
			simCfg: sim.Config{Company: "example", Protocol: sim.ProtocolConfig{OmitCompanyName: true}},
			extra:  map[string]string{"RTD_COMPANY": "example"},
			want:   []string{"SKIP  company name: the appliance does not report"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, ok := runCheck(t, tc.simCfg, tc.extra)
			for _, want := range tc.want {
				if !strings.Contains(out, want) {
					t.Errorf("check output lacks %q:\n%s", want, out)
				}
			}
			wantOK := !strings.Contains(strings.Join(tc.want, " "), "FAIL")
			if ok != wantOK {
				t.Errorf("check verdict = %t, want %t:\n%s", ok, wantOK, out)
			}
		})
	}
}
