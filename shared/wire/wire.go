// Package wire defines the messages the relay sends to browsers over the
// websocket (or the HTTP stream that replaces it behind proxies without
// websocket support). Each message is one JSON object, an Envelope, in one
// websocket text message or one stream event.
//
// A browser receives, in order: a hello with the display settings, a status,
// a snapshot of the model at sequence number N, then every diff from N+1 on
// without gap or duplicate, with heartbeats and status changes in between.
// After the relay reconnects to the appliance it sends a fresh snapshot with
// the next sequence number; browsers replace their model with it.
package wire

import (
	"encoding/json"

	"github.com/rtdash/rtdash/shared/view"
)

// Message types.
const (
	TypeHello     = "hello"
	TypeStatus    = "status"
	TypeSnapshot  = "snapshot"
	TypeDiff      = "diff"
	TypeHeartbeat = "heartbeat"
	TypeCSAT      = "csat"
	TypeClosed    = "closed"
)

// Envelope is one message from the relay. Seq orders snapshots and diffs;
// Time is the relay's clock in Unix milliseconds when it received the data
// (diffs) or sent the message (everything else).
type Envelope struct {
	Type string `json:"type"`
	Seq  uint64 `json:"seq,omitempty"`
	Time int64  `json:"time"`

	Hello    *Hello    `json:"hello,omitempty"`
	Status   *Status   `json:"status,omitempty"`
	Snapshot *Snapshot `json:"snapshot,omitempty"`
	// Diff is the appliance's state API message exactly as received.
	Diff json.RawMessage `json:"diff,omitempty"`
	// CSAT is the latest customer satisfaction figure.
	CSAT *CSAT `json:"csat,omitempty"`
	// Closed lists the recently closed support sessions, newest first; each
	// closed message replaces the previous list.
	Closed []ClosedSession `json:"closed,omitempty"`
}

// Hello carries what a browser needs before the first snapshot.
type Hello struct {
	ConfigName     string        `json:"config_name"`
	ApplianceID    string        `json:"appliance_id"`
	Settings       view.Settings `json:"settings"`
	SessionDetails bool          `json:"session_details"`
	// HeartbeatMillis is the interval of heartbeats; a browser that hears
	// nothing for three intervals reconnects.
	HeartbeatMillis int64 `json:"heartbeat_ms"`
}

// Appliance connection states reported in Status.
const (
	ApplianceConnecting  = "connecting"  // the relay is connecting, no data yet
	ApplianceConnected   = "connected"   // live data flows
	ApplianceUnavailable = "unavailable" // the relay lost the appliance and retries
	ApplianceDisabled    = "disabled"    // RTD_DISABLED is set
)

// Status reports the relay's view of the appliance.
type Status struct {
	Appliance string `json:"appliance"`
	// Since is when the state began, relay Unix milliseconds.
	Since int64 `json:"since"`
	// Reason explains an unavailable state in words fit for a supervisor.
	Reason string `json:"reason,omitempty"`
	// Detail is the full error behind Reason. The relay keeps it for its
	// logs and /readyz and never sends it to browsers, because it names
	// addresses and settings.
	Detail string `json:"-"`
	// ClockOffsetMillis is the appliance's clock minus the relay's clock.
	ClockOffsetMillis int64 `json:"clock_offset_ms"`
}

// Snapshot is the whole model at Envelope.Seq.
type Snapshot struct {
	// Tables is the model in the form of state.Model.AppendJSON.
	Tables json.RawMessage `json:"tables"`
	// TeamQueues maps a support session id to the last team queue it sat
	// in, which the tables alone no longer show once a representative
	// holds the session.
	TeamQueues map[string]int64 `json:"team_queues,omitempty"`
}

// CSAT is the average of today's numeric answers to the configured
// exit-survey question.
type CSAT struct {
	// Available is false when the relay could not read the surveys; the
	// browser then shows Reason instead of a figure.
	Available bool    `json:"available"`
	Average   float64 `json:"average"`
	Count     int     `json:"count"` // answers averaged; 0 means none yet today
	Reason    string  `json:"reason,omitempty"`
	Question  string  `json:"question"`
	// Updated is when the relay last read the surveys, relay Unix
	// milliseconds.
	Updated int64 `json:"updated"`
}

// ClosedSession is a support session that ended while the relay watched,
// as the model showed it just before it closed.
type ClosedSession struct {
	ID          int64    `json:"id"`
	LSID        string   `json:"lsid"`
	Customer    string   `json:"customer"`
	Company     string   `json:"company,omitempty"`
	Issue       string   `json:"issue,omitempty"`
	Team        string   `json:"team,omitempty"`
	TeamCode    string   `json:"team_code,omitempty"`
	StartMethod string   `json:"start_method,omitempty"`
	Reps        []string `json:"reps,omitempty"`
	// Started and Ended are appliance Unix seconds; Ended is estimated from
	// the time the relay received the deletion.
	Started int64 `json:"started"`
	Ended   int64 `json:"ended"`
}
