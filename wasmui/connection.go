package wasmui

import (
	"time"

	"github.com/rtdash/rtdash/shared/wire"
)

// ConnectionState is the state the header's connection indicator shows. Its
// values are the data-state attribute of #connection-state.
type ConnectionState string

// Connection states.
const (
	StateConnecting   ConnectionState = "connecting"   // no live data yet
	StateLive         ConnectionState = "live"         // the model follows the appliance
	StateReconnecting ConnectionState = "reconnecting" // the relay socket is down
	StateUnavailable  ConnectionState = "unavailable"  // the relay is up, the appliance is not
	StateDisabled     ConnectionState = "disabled"     // the relay's configuration is disabled
	StateStale        ConnectionState = "stale"        // the relay socket is silent
)

// StaleAfter is how long the relay may stay silent, heartbeats included,
// before the data is marked stale.
const StaleAfter = 30 * time.Second

// Connection is the content of the connection indicator.
type Connection struct {
	State ConnectionState
	// Text describes the state in words and may include the age of the
	// data, so it changes every second while the data ages.
	Text string
	// Label is Text without any number, for announcements to screen
	// readers that must not repeat every second.
	Label string
}

// connectionInput is the input of describeConnection.
type connectionInput struct {
	SocketOpen bool
	// LastData is the local time of the last relay message, zero before
	// the first one.
	LastData time.Time
	Now      time.Time
	Status   wire.Status
	Synced   bool
	// StatusSince is the local time the relay's status began, zero when
	// unknown, and HasModel is true once any snapshot arrived. Together
	// they give the age of the data while the appliance is unavailable.
	StatusSince time.Time
	HasModel    bool
}

// describeConnection derives the indicator from the socket, the relay's
// status and the age of the data. A closed socket outranks the relay's last
// status, and so does a relay silent for longer than StaleAfter.
func describeConnection(in connectionInput) Connection {
	age := int64(in.Now.Sub(in.LastData) / time.Second)

	if !in.SocketOpen {
		if in.LastData.IsZero() {
			return Connection{State: StateConnecting, Text: "Connecting…", Label: "Connecting"}
		}
		return Connection{
			State: StateReconnecting,
			Text:  "Reconnecting… data " + formatAge(age) + " old",
			Label: "Reconnecting",
		}
	}
	if !in.LastData.IsZero() && in.Now.Sub(in.LastData) > StaleAfter {
		return Connection{
			State: StateStale,
			Text:  "Stale: no data for " + formatAge(age),
			Label: "Stale data",
		}
	}

	switch in.Status.Appliance {
	case wire.ApplianceDisabled:
		return Connection{State: StateDisabled, Text: "Disabled", Label: "Disabled"}
	case wire.ApplianceUnavailable:
		label := "Appliance unavailable"
		if in.Status.Reason != "" {
			label += ": " + in.Status.Reason
		}
		text := label
		if in.HasModel && !in.StatusSince.IsZero() {
			text += " · data " + formatAge(int64(in.Now.Sub(in.StatusSince)/time.Second)) + " old"
		}
		return Connection{State: StateUnavailable, Text: text, Label: label}
	case wire.ApplianceConnected:
		if in.Synced {
			return Connection{State: StateLive, Text: "Live", Label: "Live"}
		}
	}
	return Connection{
		State: StateConnecting,
		Text:  "Connecting to the appliance…",
		Label: "Connecting to the appliance",
	}
}
