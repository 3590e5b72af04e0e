package relay

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/rtdash/rtdash/relay/appliance"
	"github.com/rtdash/rtdash/relay/config"
	"github.com/rtdash/rtdash/relay/reporting"
	"github.com/rtdash/rtdash/shared/state"
)

// checkTimeout bounds each step of Check.
const checkTimeout = 30 * time.Second

// Check tests the configuration against the appliance, step by step, and
// writes one line per step: PASS, FAIL or SKIP, the step and the reason.
// It reports whether every step passed. Nothing it writes contains the
// client secret or a token.
func Check(ctx context.Context, cfg *config.Config, out io.Writer) bool {
	r, err := New(cfg, Options{})
	if err != nil {
		fmt.Fprintf(out, "FAIL  settings: %v\n", err)
		return false
	}
	ok := true
	report := func(result, step, detail string) {
		if result == "FAIL" {
			ok = false
		}
		fmt.Fprintf(out, "%-5s %s: %s\n", result, step, detail)
	}
	report("PASS", "settings", "every RTD_* variable is valid")
	for _, w := range cfg.Warnings {
		report("WARN", "settings", w)
	}
	if cfg.Disabled {
		report("WARN", "settings", "RTD_DISABLED is set: the relay serves the page but will not connect; the steps below test the connection anyway")
	}
	if cfg.AllowInvalidCerts {
		report("WARN", "TLS", "RTD_ALLOW_INVALID_CERTS is set: the appliance's certificate is not verified")
	}

	if _, err := r.tokens.Token(); err != nil {
		report("FAIL", "OAuth token", err.Error())
		report("SKIP", "state API", "needs a token")
		report("SKIP", "get_api_info", "needs a token")
		if cfg.CSATPollInterval > 0 {
			report("SKIP", "CSAT survey report", "needs a token")
		}
		return false
	}
	report("PASS", "OAuth token", "received from https://"+cfg.ApplianceHost+"/oauth2/token")

	probeCtx, cancel := context.WithTimeout(ctx, checkTimeout)
	probe, err := appliance.Probe(probeCtx, appliance.Options{
		Host:          cfg.ApplianceHost,
		Company:       cfg.Company,
		LegacyChooser: cfg.LegacyChooser,
		HTTPClient:    r.client,
		Tokens:        r.tokens,
	})
	cancel()
	if err != nil {
		report("FAIL", "state API", err.Error())
	} else {
		detail := fmt.Sprintf("snapshot of %d rows in %v", probe.Rows, probe.Elapsed.Round(time.Millisecond))
		if probe.Anomalies > 0 {
			detail += fmt.Sprintf(", with %d deviations from the documented protocol", probe.Anomalies)
		}
		report("PASS", "state API", detail)
		checkFilters(cfg, probe.Model, report)
	}

	infoCtx, cancel := context.WithTimeout(ctx, checkTimeout)
	info, err := r.reports.APIInfo(infoCtx)
	cancel()
	switch {
	case err != nil:
		report("FAIL", "get_api_info", err.Error()+" (check that the XML API is enabled and the account has command API access)")
	default:
		offset, _ := r.clock.Offset()
		report("PASS", "get_api_info", fmt.Sprintf("API version %s, appliance clock %+.1f s from this host", info.Version, offset.Seconds()))
		checkCompany(cfg, info, report)
	}

	if cfg.CSATPollInterval > 0 {
		csatCtx, cancel := context.WithTimeout(ctx, checkTimeout)
		surveys, err := r.reports.CustomerExitSurveys(csatCtx, time.Now().Add(-24*time.Hour))
		cancel()
		if err != nil {
			report("FAIL", "CSAT survey report", err.Error()+" (the account needs access to support session reports)")
		} else {
			report("PASS", "CSAT survey report", fmt.Sprintf("%d exit surveys of sessions that ended in the last 24 hours", len(surveys)))
			checkQuestion(cfg, surveys, report)
		}
	}
	return ok
}

// checkCompany compares RTD_COMPANY with the appliance's company API name,
// which RS 24.3 and later no longer return.
func checkCompany(cfg *config.Config, info *reporting.APIInfo, report func(result, step, detail string)) {
	switch {
	case cfg.Company == "":
		report("SKIP", "company name", "RTD_COMPANY is not set")
	case info.CompanyName == "":
		report("SKIP", "company name", "the appliance does not report its company API name (RS 24.3 and later)")
	case !strings.EqualFold(info.CompanyName, cfg.Company):
		report("FAIL", "company name", fmt.Sprintf("RTD_COMPANY is %q but the appliance's company API name is %q", cfg.Company, info.CompanyName))
	default:
		report("PASS", "company name", "RTD_COMPANY matches the appliance")
	}
}

// checkFilters warns about team code names and start methods in the
// filters that the appliance's snapshot does not show, because a misspelt
// filter silently empties the dashboard.
func checkFilters(cfg *config.Config, m *state.Model, report func(result, step, detail string)) {
	teams := map[string]bool{}
	for _, q := range m.Queues.All() {
		if q.IsTeam() && q.CodeName != "" {
			teams[strings.ToLower(q.CodeName)] = true
		}
	}
	for _, list := range []struct {
		variable string
		values   []string
	}{{"RTD_ALLOWED_TEAMS", cfg.Display.AllowedTeams}, {"RTD_IGNORED_TEAMS", cfg.Display.IgnoredTeams}} {
		for _, code := range list.values {
			if !teams[code] {
				report("WARN", "filters", fmt.Sprintf("%s lists %q, which is not the code name of any team queue now (team queues: %s)",
					list.variable, code, joinSorted(teams)))
			}
		}
	}
	if len(cfg.Display.StartMethods) == 0 {
		return
	}
	methods := map[string]bool{}
	for _, s := range m.SupportSessions.All() {
		if s.StartMethod != "" {
			methods[strings.ToLower(s.StartMethod)] = true
		}
	}
	for _, method := range cfg.Display.StartMethods {
		if !methods[method] {
			report("WARN", "filters", fmt.Sprintf("RTD_START_METHODS lists %q, which no current session was started with; check the spelling (current start methods: %s)",
				method, joinSorted(methods)))
		}
	}
}

// checkQuestion warns when no survey answers the CSAT question.
func checkQuestion(cfg *config.Config, surveys []reporting.Survey, report func(result, step, detail string)) {
	names := map[string]bool{}
	for _, s := range surveys {
		for _, q := range s.Questions {
			names[strings.ToLower(q.Name)] = true
			if strings.EqualFold(q.Name, cfg.CSATQuestion) || strings.EqualFold(q.ReportHeader, cfg.CSATQuestion) ||
				strings.EqualFold(q.Label, cfg.CSATQuestion) {
				return
			}
		}
	}
	if len(surveys) == 0 {
		return
	}
	report("WARN", "CSAT question", fmt.Sprintf("no survey of the last 24 hours has the question %q (questions seen: %s)",
		cfg.CSATQuestion, joinSorted(names)))
}

func joinSorted(set map[string]bool) string {
	if len(set) == 0 {
		return "none"
	}
	items := make([]string, 0, len(set))
	for item := range set {
		items = append(items, item)
	}
	sort.Strings(items)
	return strings.Join(items, ", ")
}
