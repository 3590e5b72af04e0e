package wasmui

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// sessionDetails is the relay's response to GET {base}/api/v1/sessions/{lsid}:
// one support session from the appliance's SupportSession report. It
// declares only the fields the pop-up shows.
type sessionDetails struct {
	Start           detailsTimestamp `json:"start"`
	End             detailsTimestamp `json:"end"`
	DurationSeconds int64            `json:"duration_seconds"`
	PublicSite      detailsSite      `json:"public_site"`
	Customer        detailsCustomer  `json:"customer"`
	Reps            []detailsRep     `json:"reps"`
	CustomerSurveys []detailsSurvey  `json:"customer_surveys"`
	RepSurveys      []detailsSurvey  `json:"rep_surveys"`
}

// detailsTimestamp is a point in time; Unix is 0 when it is unknown.
type detailsTimestamp struct {
	Unix int64 `json:"unix"`
}

type detailsSite struct {
	Name string `json:"name"`
}

type detailsCustomer struct {
	Name    string `json:"name"`
	Company string `json:"company"`
	Issue   string `json:"issue"`
}

type detailsRep struct {
	Username    string `json:"username"`
	PublicName  string `json:"public_name"`
	PrivateName string `json:"private_name"`
	Owner       bool   `json:"owner"`
}

// detailsSurvey is the answer to one exit-survey question.
type detailsSurvey struct {
	Question string   `json:"question"` // code name
	Label    string   `json:"label"`    // the question's text, when known
	Answers  []string `json:"answers"`
}

// detailsURL returns the relay's session details address for an LSID,
// below the go-app root prefix ("/" or "/dash/"). The address is relative
// to the page's origin.
func detailsURL(rootPrefix, lsid string) string {
	return strings.TrimSuffix(rootPrefix, "/") + "/api/v1/sessions/" + url.PathEscape(lsid)
}

// HTTP status codes the pop-up words. The package avoids net/http, which
// would add megabytes to app.wasm.
const (
	statusOK                 = 200
	statusNotFound           = 404
	statusBadGateway         = 502
	statusServiceUnavailable = 503
	statusGatewayTimeout     = 504
)

// decodeDetails turns the relay's response into session details, or into the
// reason they are unavailable, worded for a supervisor. The reason never
// repeats the request address.
func decodeDetails(status int, body string) (*sessionDetails, string) {
	if status == statusOK {
		var d sessionDetails
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			return nil, "the relay's response could not be read"
		}
		return &d, ""
	}

	var problem struct {
		Error  string `json:"error"`
		Detail string `json:"detail"`
	}
	if json.Unmarshal([]byte(body), &problem) == nil && problem.Error != "" {
		reason := problem.Error
		if problem.Detail != "" {
			reason += " (" + problem.Detail + ")"
		}
		return nil, reason
	}
	switch status {
	case statusNotFound:
		return nil, "the relay does not offer session details (HTTP 404)"
	case statusBadGateway, statusServiceUnavailable, statusGatewayTimeout:
		return nil, "the appliance did not return them (HTTP " + strconv.Itoa(status) + ")"
	}
	return nil, "the relay answered HTTP " + strconv.Itoa(status)
}
