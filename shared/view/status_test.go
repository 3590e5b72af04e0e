package view_test

import (
	"testing"

	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
)

func TestStatusOfPrecedence(t *testing.T) {
	tests := []struct {
		name                           string
		enabled, idle, busy, available bool
		want                           view.RepStatus
	}{
		{name: "auto-assign off wins", enabled: false, idle: true, busy: true, available: true, want: view.StatusAutoAssignOff},
		{name: "auto-assign off alone", enabled: false, want: view.StatusAutoAssignOff},
		{name: "idle over busy", enabled: true, idle: true, busy: true, available: true, want: view.StatusIdle},
		{name: "busy over available", enabled: true, busy: true, available: true, want: view.StatusBusy},
		{name: "available", enabled: true, available: true, want: view.StatusAvailable},
		{name: "no flag", enabled: true, want: view.StatusUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &state.Representative{
				RoutingEnabled:   tt.enabled,
				RoutingIdle:      tt.idle,
				RoutingBusy:      tt.busy,
				RoutingAvailable: tt.available,
			}
			if got := view.StatusOf(r); got != tt.want {
				t.Errorf("StatusOf(%+v) = %q, want %q", r, got, tt.want)
			}
		})
	}
}

func TestRepStatusLabel(t *testing.T) {
	tests := map[view.RepStatus]string{
		view.StatusAvailable:     "Available",
		view.StatusBusy:          "Busy",
		view.StatusIdle:          "Idle",
		view.StatusAutoAssignOff: "Auto-assign off",
		view.StatusUnavailable:   "Unavailable",
		view.RepStatus("away"):   "Unavailable",
	}
	for status, want := range tests {
		if got := status.Label(); got != want {
			t.Errorf("%q.Label() = %q, want %q", status, got, want)
		}
	}
}

func TestCheckSLA(t *testing.T) {
	tests := []struct {
		waited, sla int64
		want        view.SLAState
	}{
		{waited: 10000, sla: 0, want: view.SLANone},
		{waited: 10000, sla: -5, want: view.SLANone},
		{waited: 0, sla: 300, want: view.SLAWithin},
		{waited: 239, sla: 300, want: view.SLAWithin},
		{waited: 240, sla: 300, want: view.SLAApproaching},
		{waited: 300, sla: 300, want: view.SLAApproaching},
		{waited: 301, sla: 300, want: view.SLABreached},
		{waited: 0, sla: 1, want: view.SLAWithin},
		{waited: 1, sla: 1, want: view.SLAApproaching},
		{waited: 2, sla: 1, want: view.SLABreached},
	}
	for _, tt := range tests {
		if got := view.CheckSLA(tt.waited, tt.sla); got != tt.want {
			t.Errorf("CheckSLA(%d, %d) = %d, want %d", tt.waited, tt.sla, got, tt.want)
		}
	}
}

func TestWaitingWaitedNeverNegative(t *testing.T) {
	w := view.Waiting{Entered: 1000, SLA: 100}
	tests := []struct {
		now        int64
		wantWaited int64
		wantState  view.SLAState
	}{
		{now: 900, wantWaited: 0, wantState: view.SLAWithin},
		{now: 1000, wantWaited: 0, wantState: view.SLAWithin},
		{now: 1080, wantWaited: 80, wantState: view.SLAApproaching},
		{now: 1101, wantWaited: 101, wantState: view.SLABreached},
	}
	for _, tt := range tests {
		if got := w.Waited(tt.now); got != tt.wantWaited {
			t.Errorf("Waited(%d) = %d, want %d", tt.now, got, tt.wantWaited)
		}
		if got := w.SLAState(tt.now); got != tt.wantState {
			t.Errorf("SLAState(%d) = %d, want %d", tt.now, got, tt.wantState)
		}
	}
}

func TestRepName(t *testing.T) {
	full := &state.Representative{Username: "bob", PublicDisplayName: "Bob", PrivateDisplayName: "Bob (T2)"}
	noPrivate := &state.Representative{Username: "bob", PublicDisplayName: "Bob"}
	onlyUsername := &state.Representative{Username: "bob"}
	noUsername := &state.Representative{PublicDisplayName: "Bob", PrivateDisplayName: "Bob (T2)"}
	nameless := &state.Representative{}
	tests := []struct {
		name   string
		rep    *state.Representative
		format view.NameFormat
		want   string
	}{
		{"public", full, view.NamePublic, "Bob"},
		{"private", full, view.NamePrivate, "Bob (T2)"},
		{"username", full, view.NameUsername, "bob"},
		{"private_username", full, view.NamePrivateUsername, "Bob (T2) (bob)"},
		{"empty format is public", full, "", "Bob"},
		{"unknown format is public", full, "nickname", "Bob"},
		{"private falls back to public", noPrivate, view.NamePrivate, "Bob"},
		{"private_username falls back to public", noPrivate, view.NamePrivateUsername, "Bob"},
		{"private_username without username", noUsername, view.NamePrivateUsername, "Bob (T2)"},
		{"username falls back to public", noUsername, view.NameUsername, "Bob"},
		{"public falls back to username", onlyUsername, view.NamePublic, "bob"},
		{"private falls back to username", onlyUsername, view.NamePrivate, "bob"},
		{"private_username falls back to username", onlyUsername, view.NamePrivateUsername, "bob"},
		{"no names", nameless, view.NamePrivateUsername, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := view.RepName(tt.rep, tt.format); got != tt.want {
				t.Errorf("RepName(%+v, %q) = %q, want %q", tt.rep, tt.format, got, tt.want)
			}
		})
	}
}
