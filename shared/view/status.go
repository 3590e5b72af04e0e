package view

import "github.com/rtdash/rtdash/shared/state"

// RepStatus is a representative's routing status, in the vocabulary of the
// representative console's dashboard.
type RepStatus string

// Representative statuses.
const (
	StatusAvailable     RepStatus = "available"
	StatusBusy          RepStatus = "busy"
	StatusIdle          RepStatus = "idle"
	StatusAutoAssignOff RepStatus = "auto_assign_off"
	StatusUnavailable   RepStatus = "unavailable"
)

// Label returns the status as shown to a supervisor.
func (s RepStatus) Label() string {
	switch s {
	case StatusAvailable:
		return "Available"
	case StatusBusy:
		return "Busy"
	case StatusIdle:
		return "Idle"
	case StatusAutoAssignOff:
		return "Auto-assign off"
	}
	return "Unavailable"
}

// StatusOf derives a representative's status from the routing flags. Auto
// assignment switched off wins, then idle, then busy, then available.
func StatusOf(r *state.Representative) RepStatus {
	switch {
	case !r.RoutingEnabled:
		return StatusAutoAssignOff
	case r.RoutingIdle:
		return StatusIdle
	case r.RoutingBusy:
		return StatusBusy
	case r.RoutingAvailable:
		return StatusAvailable
	}
	return StatusUnavailable
}

// SLAState is a waiting session's position against its team's SLA.
type SLAState int

// SLA states.
const (
	SLANone        SLAState = iota // the team has no SLA
	SLAWithin                      // under 80 % of the SLA
	SLAApproaching                 // at 80 % of the SLA or more
	SLABreached                    // waiting longer than the SLA
)

// ApproachingShare is the part of an SLA after which a wait is shown as
// approaching it.
const ApproachingShare = 0.8

// CheckSLA returns the state of a wait of the given seconds against an SLA
// in seconds; 0 means no SLA.
func CheckSLA(waited, sla int64) SLAState {
	switch {
	case sla <= 0:
		return SLANone
	case waited > sla:
		return SLABreached
	case float64(waited) >= ApproachingShare*float64(sla):
		return SLAApproaching
	}
	return SLAWithin
}
