package reporting

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// maxEvents caps the events kept per session. A long session can log
// thousands of events, and a details pop-up shows the first ones only.
const maxEvents = 200

// maxLSIDsPerCall is the batch size for SupportSession&lsids=…, which keeps
// the URL and the response small.
const maxLSIDsPerCall = 50

var lsidPattern = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// ValidLSID reports whether lsid has the form of a support session id:
// 32 hexadecimal characters.
func ValidLSID(lsid string) bool {
	return lsidPattern.MatchString(lsid)
}

// SessionDetails is one support session from the SupportSession report,
// ready to encode as JSON. Parts the appliance leaves out keep their zero
// values, and lists are empty rather than null.
type SessionDetails struct {
	LSID  string    `json:"lsid"`
	Start Timestamp `json:"start"`
	// End is zero while the session is in progress.
	End Timestamp `json:"end"`
	// DurationSeconds comes from <duration> (HH:MM:SS), or from End - Start
	// when that is missing.
	DurationSeconds  int64             `json:"duration_seconds"`
	PublicSite       PublicSite        `json:"public_site"`
	Customer         Customer          `json:"customer"`
	Reps             []Rep             `json:"reps"`
	ExternalKey      string            `json:"external_key"`
	CustomAttributes []CustomAttribute `json:"custom_attributes"`
	// Events holds the first maxEvents (200) events in report order.
	Events []Event `json:"events"`
	// EventsOmitted counts the events left out of Events.
	EventsOmitted int `json:"events_omitted"`
	// CustomerSurveys and RepSurveys come from the session's survey lists.
	// NOTE: only older appliances are known to embed exit surveys in the
	// SupportSession report, so on newer ones both lists may stay empty.
	CustomerSurveys []SurveyAnswer `json:"customer_surveys"`
	RepSurveys      []SurveyAnswer `json:"rep_surveys"`
}

// Timestamp is a point in time as UNIX seconds and as RFC 3339 text. Both
// are zero values when the time is unknown.
type Timestamp struct {
	Unix int64  `json:"unix"`
	ISO  string `json:"iso"`
}

// Time returns t as a time.Time, or the zero time.
func (t Timestamp) Time() time.Time {
	if t.Unix == 0 {
		return time.Time{}
	}
	return time.Unix(t.Unix, 0).UTC()
}

func newTimestamp(t time.Time) Timestamp {
	if t.IsZero() {
		return Timestamp{}
	}
	return Timestamp{Unix: t.Unix(), ISO: t.Format(time.RFC3339)}
}

// PublicSite is the public site (portal) a session came through.
type PublicSite struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// Customer is the session's primary customer.
type Customer struct {
	Name      string `json:"name"`
	Company   string `json:"company"`
	Issue     string `json:"issue"`
	Hostname  string `json:"hostname"`
	OS        string `json:"os"`
	PublicIP  string `json:"public_ip"`
	PrivateIP string `json:"private_ip"`
}

// Rep is a representative who took part in the session.
type Rep struct {
	// ID is the rep's user id.
	ID              int    `json:"id"`
	Username        string `json:"username"`
	PublicName      string `json:"public_name"`
	PrivateName     string `json:"private_name"`
	SecondsInvolved int64  `json:"seconds_involved"`
	// Owner is set for the rep who owned the session.
	Owner bool `json:"owner"`
	// Primary is set for the session's primary rep.
	Primary bool `json:"primary"`
}

// CustomAttribute is one custom session attribute.
type CustomAttribute struct {
	CodeName    string `json:"code_name"`
	DisplayName string `json:"display_name"`
	Value       string `json:"value"`
}

// Event is one entry of the session's event log.
type Event struct {
	Time        Timestamp `json:"time"`
	Type        string    `json:"type"`
	PerformedBy Party     `json:"performed_by"`
	Destination Party     `json:"destination"`
}

// Party is the actor or target of an event.
type Party struct {
	// Type is "system", "customer" or "representative".
	Type string `json:"type"`
	Name string `json:"name"`
}

// SurveyAnswer is the answer to one exit-survey question.
type SurveyAnswer struct {
	// Question is the question's code name.
	Question string `json:"question"`
	// Label is the question's text, when the report has it.
	Label   string   `json:"label"`
	Answers []string `json:"answers"`
}

// ParseSessionList parses a SupportSession report (<session_list>). An
// <error> document or child returns an *APIError. It does not check the
// LSIDs' form.
func ParseSessionList(data []byte) ([]SessionDetails, error) {
	var doc sessionListDocument
	if err := decodeDocument(data, "session_list", &doc); err != nil {
		return nil, err
	}
	if err := listErrors(doc.Errors); err != nil {
		return nil, err
	}

	sessions := make([]SessionDetails, 0, len(doc.Sessions))
	for i := range doc.Sessions {
		sessions = append(sessions, doc.Sessions[i].details())
	}
	return sessions, nil
}

// Sessions fetches the SupportSession report for the given LSIDs, in
// batches of up to 50. Sessions the appliance does not return are missing
// from the result. A "no data" error counts as an empty batch.
func (c *Client) Sessions(ctx context.Context, lsids []string) ([]SessionDetails, error) {
	for _, lsid := range lsids {
		if !ValidLSID(lsid) {
			return nil, fmt.Errorf("invalid LSID %q: want 32 hexadecimal characters", lsid)
		}
	}

	var sessions []SessionDetails
	for start := 0; start < len(lsids); start += maxLSIDsPerCall {
		batch := lsids[start:min(start+maxLSIDsPerCall, len(lsids))]
		params := url.Values{"lsids": {strings.Join(batch, ",")}}
		found, err := c.sessionReport(ctx, params)
		if err != nil {
			return nil, err
		}
		sessions = append(sessions, found...)
	}
	return sessions, nil
}

// sessionReport fetches and parses one SupportSession report, with "no
// data" read as an empty list.
func (c *Client) sessionReport(ctx context.Context, params url.Values) ([]SessionDetails, error) {
	resp, err := c.reporting(ctx, "SupportSession", params)
	if err != nil {
		return nil, err
	}
	sessions, err := ParseSessionList(resp.body)
	if IsNoData(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reporting SupportSession: %w", err)
	}
	return sessions, nil
}
