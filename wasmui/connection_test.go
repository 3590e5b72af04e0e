package wasmui

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rtdash/rtdash/shared/wire"
)

func TestDescribeConnection(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	fresh := now.Add(-2 * time.Second)
	connected := wire.Status{Appliance: wire.ApplianceConnected}

	tests := []struct {
		name string
		in   connectionInput
		want Connection
	}{
		{
			name: "first load",
			in:   connectionInput{Now: now},
			want: Connection{StateConnecting, "Connecting…", "Connecting"},
		},
		{
			name: "socket down with old data",
			in:   connectionInput{LastData: now.Add(-45 * time.Second), Now: now, Status: connected, Synced: true},
			want: Connection{StateReconnecting, "Reconnecting… data 45 s old", "Reconnecting"},
		},
		{
			name: "socket down for long",
			in:   connectionInput{LastData: now.Add(-10 * time.Minute), Now: now},
			want: Connection{StateReconnecting, "Reconnecting… data 10 min old", "Reconnecting"},
		},
		{
			name: "live",
			in:   connectionInput{SocketOpen: true, LastData: fresh, Now: now, Status: connected, Synced: true},
			want: Connection{StateLive, "Live", "Live"},
		},
		{
			name: "connected before the snapshot",
			in:   connectionInput{SocketOpen: true, LastData: fresh, Now: now, Status: connected},
			want: Connection{StateConnecting, "Connecting to the appliance…", "Connecting to the appliance"},
		},
		{
			name: "relay still connecting to the appliance",
			in: connectionInput{SocketOpen: true, LastData: fresh, Now: now, Synced: true,
				Status: wire.Status{Appliance: wire.ApplianceConnecting}},
			want: Connection{StateConnecting, "Connecting to the appliance…", "Connecting to the appliance"},
		},
		{
			name: "appliance unavailable with reason",
			in: connectionInput{SocketOpen: true, LastData: fresh, Now: now, Synced: true,
				Status: wire.Status{Appliance: wire.ApplianceUnavailable, Reason: "login rejected"}},
			want: Connection{StateUnavailable, "Appliance unavailable: login rejected", "Appliance unavailable: login rejected"},
		},
		{
			name: "appliance unavailable with old data",
			in: connectionInput{SocketOpen: true, LastData: fresh, Now: now, HasModel: true,
				StatusSince: now.Add(-75 * time.Second),
				Status:      wire.Status{Appliance: wire.ApplianceUnavailable, Reason: "connection reset"}},
			want: Connection{StateUnavailable, "Appliance unavailable: connection reset · data 75 s old",
				"Appliance unavailable: connection reset"},
		},
		{
			name: "appliance unavailable without reason",
			in: connectionInput{SocketOpen: true, LastData: fresh, Now: now,
				Status: wire.Status{Appliance: wire.ApplianceUnavailable}},
			want: Connection{StateUnavailable, "Appliance unavailable", "Appliance unavailable"},
		},
		{
			name: "disabled",
			in: connectionInput{SocketOpen: true, LastData: fresh, Now: now,
				Status: wire.Status{Appliance: wire.ApplianceDisabled}},
			want: Connection{StateDisabled, "Disabled", "Disabled"},
		},
		{
			name: "silent at the limit is not stale",
			in:   connectionInput{SocketOpen: true, LastData: now.Add(-StaleAfter), Now: now, Status: connected, Synced: true},
			want: Connection{StateLive, "Live", "Live"},
		},
		{
			name: "silent past the limit",
			in:   connectionInput{SocketOpen: true, LastData: now.Add(-31 * time.Second), Now: now, Status: connected, Synced: true},
			want: Connection{StateStale, "Stale: no data for 31 s", "Stale data"},
		},
		{
			name: "silence outranks unavailable",
			in: connectionInput{SocketOpen: true, LastData: now.Add(-40 * time.Second), Now: now,
				Status: wire.Status{Appliance: wire.ApplianceUnavailable, Reason: "down"}},
			want: Connection{StateStale, "Stale: no data for 40 s", "Stale data"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describeConnection(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("describeConnection mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSocketURL(t *testing.T) {
	tests := []struct {
		page, prefix, want string
	}{
		{"http://127.0.0.1:53487/", "/", "ws://127.0.0.1:53487/api/v1/ws"},
		{"https://dash.example.test/", "/", "wss://dash.example.test/api/v1/ws"},
		{"https://dash.example.test/dash/", "/dash/", "wss://dash.example.test/dash/api/v1/ws"},
		{"http://[::1]:8080/x?y=1#z", "", "ws://[::1]:8080/api/v1/ws"},
	}
	for _, tt := range tests {
		page := mustParseURL(t, tt.page)
		if got := socketURL(page, tt.prefix); got != tt.want {
			t.Errorf("socketURL(%q, %q) = %q, want %q", tt.page, tt.prefix, got, tt.want)
		}
	}
}
