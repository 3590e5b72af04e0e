package sim

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Namespaces seen on Reporting API documents. Clients should match local
// element names only.
const (
	// ReportingNamespaceBeyondTrust is the default of the simulator.
	ReportingNamespaceBeyondTrust = "http://www.beyondtrust.com/namespaces/API/reporting"
	// ReportingNamespaceDocumented is the form printed in the RS API guide.
	ReportingNamespaceDocumented = "https://www.beyondtrust.com/namespaces/API/reporting"
	// ReportingNamespaceBomgar is the form of Bomgar-era appliances.
	ReportingNamespaceBomgar = "http://www.bomgar.com/namespaces/API/reporting"
	// ReportingNamespacePRA is the form Privileged Remote Access cloud
	// appliances send.
	ReportingNamespacePRA = "http://www.beyondtrust.com/sra/namespaces/API/reporting"
)

// Texts of the "no data" error, which follows the appliance language.
const (
	NoDataTextEnglish = "No Support report information matching your chosen criteria is available."
	NoDataTextFrench  = "Aucune information de rapport d’assistance correspondant à vos critères n’est disponible."
)

// EmptyResultStyle selects how a report without matching data reads.
type EmptyResultStyle int

const (
	// EmptyList returns the empty list element, such as <session_list/>.
	EmptyList EmptyResultStyle = iota
	// EmptyError returns an <error> document with ReportingConfig.NoDataText.
	EmptyError
	// EmptyErrorChild returns the list element with one <error> child.
	EmptyErrorChild
)

// ReportingConfig holds the switches of the Reporting API
// (/api/reporting). The zero value selects the defaults named per field.
type ReportingConfig struct {
	// Namespace of every report and error document; "" means
	// ReportingNamespaceBeyondTrust.
	Namespace string
	// PlainXML writes reports with regular two-space indentation. By
	// default reports carry the template whitespace of real appliance
	// output: irregular indentation, a blank line before <primary_rep>,
	// "<event … >" with a space before ">", events that contain only
	// whitespace, and "  />" on listing items.
	PlainXML bool
	// OmitSurveyPublicSite leaves <public_site> out of <exit_survey>. By
	// default it is included.
	OmitSurveyPublicSite bool
	// EmptyResult selects the reply to a report without data.
	EmptyResult EmptyResultStyle
	// NoDataText is the message of "no data" errors; "" means
	// NoDataTextEnglish.
	NoDataText string
}

func (c *ReportingConfig) applyDefaults() {
	if c.Namespace == "" {
		c.Namespace = ReportingNamespaceBeyondTrust
	}
	if c.NoDataText == "" {
		c.NoDataText = NoDataTextEnglish
	}
}

// reportRequest is a parsed Reporting API request.
type reportRequest struct {
	report string
	lsids  []string // set for lsid and lsids requests
	byEnd  bool     // window over end times: closed sessions only
	from   time.Time
	to     time.Time // exclusive
	host   string    // the request host, for URLs in reports
	// Exit-survey reports only.
	reportType string // "rep" or "team"
	id         int64  // 0 means all
}

// handleReporting serves GET and POST /api/reporting. Parameter errors
// are <error> documents with HTTP 200, as the appliance sends them.
func (s *Simulator) handleReporting(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	if s.cfg.Protocol.CloseCommandConnections {
		w.Header().Set("Connection", "close")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		s.writeReport(w, http.StatusMethodNotAllowed, s.reportError(fmt.Sprintf("method %s is not allowed; use GET or POST", r.Method)))
		return
	}
	if !s.validBearer(r) {
		s.log.Info("reporting request rejected: missing or invalid bearer token", "remote", r.RemoteAddr)
		w.Header().Set("WWW-Authenticate", "Bearer")
		s.writeReport(w, http.StatusUnauthorized, s.reportError("invalid or expired access token"))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.writeReport(w, http.StatusOK, s.reportError("invalid request parameters: "+err.Error()))
		return
	}
	body, err := s.buildReport(r.Form, r.Host)
	if err != nil {
		s.log.Info("reporting request rejected", "report", r.Form.Get("generate_report"), "err", err)
		body = s.reportError(err.Error())
	}
	s.writeReport(w, http.StatusOK, body)
}

func (s *Simulator) writeReport(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// buildReport selects the sessions of a request and writes the report.
func (s *Simulator) buildReport(form url.Values, host string) ([]byte, error) {
	report := form.Get("generate_report")
	if report == "" {
		return nil, fmt.Errorf("generate_report is required")
	}
	switch report {
	case "SupportSession", "SupportSessionListing", "SupportCustExitSurvey", "SupportRepExitSurvey":
	default:
		return nil, fmt.Errorf("invalid report type %q: the simulator serves SupportSession, SupportSessionListing, "+
			"SupportCustExitSurvey and SupportRepExitSurvey", report)
	}
	s.mu.Lock()
	now := s.now()
	s.mu.Unlock()
	req, err := parseSelection(form, now)
	if err != nil {
		return nil, err
	}
	req.report, req.host = report, host
	surveys := strings.HasSuffix(report, "ExitSurvey")
	if surveys {
		if err := parseSurveySelection(form, &req); err != nil {
			return nil, err
		}
	}
	sessions := s.selectSessions(req)
	switch report {
	case "SupportSession":
		return s.sessionListXML(req, sessions), nil
	case "SupportSessionListing":
		return s.sessionSummaryXML(sessions), nil
	}
	return s.exitSurveyXML(req, sessions), nil
}

// selectSessions returns the closed and, for start windows and LSIDs, the
// in-progress sessions that match, ordered by start time and LSID.
func (s *Simulator) selectSessions(req reportRequest) []ClosedSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	site := s.site
	var out []ClosedSession
	if req.lsids != nil {
		live := map[string]*sessionEntry{}
		for _, entry := range site.sessions {
			live[entry.lsid] = entry
		}
		seen := map[string]bool{}
		for _, lsid := range req.lsids {
			if seen[lsid] {
				continue
			}
			seen[lsid] = true
			if closed, ok := site.history.lookup(lsid); ok {
				out = append(out, cloneClosed(closed))
			} else if entry, ok := live[lsid]; ok {
				out = append(out, site.record(entry, time.Time{}))
			}
		}
	} else {
		inWindow := func(t time.Time) bool { return !t.Before(req.from) && t.Before(req.to) }
		for _, closed := range site.history.sessions {
			at := closed.Start
			if req.byEnd {
				at = closed.End
			}
			if inWindow(at) {
				out = append(out, cloneClosed(closed))
			}
		}
		if !req.byEnd {
			for _, id := range slices.Sorted(maps.Keys(site.sessions)) {
				record := site.record(site.sessions[id], time.Time{})
				if inWindow(record.Start) {
					out = append(out, record)
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b ClosedSession) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.LSID, b.LSID)
	})
	return out
}
