package wasmui

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		seconds int64
		want    string
	}{
		{-5, "0:00"},
		{0, "0:00"},
		{9, "0:09"},
		{59, "0:59"},
		{60, "1:00"},
		{245, "4:05"},
		{3599, "59:59"},
		{3600, "1:00:00"},
		{3723, "1:02:03"},
		{36000, "10:00:00"},
		{100*3600 + 61, "100:01:01"},
	}
	for _, tt := range tests {
		if got := formatDuration(tt.seconds); got != tt.want {
			t.Errorf("formatDuration(%d) = %q, want %q", tt.seconds, got, tt.want)
		}
	}
}

func TestFormatPickup(t *testing.T) {
	const now = 100_000
	tests := []struct {
		estimate int64
		want     string
	}{
		{now + 3600, "in 1:00:00"},
		{now + 80, "in 1:20"},
		{now + 6, "in 0:06"},
		{now + 5, "due"},
		{now, "due"},
		{now - 5, "due"},
		{now - 6, "overdue 0:06"},
		{now - 80, "overdue 1:20"},
		{now - 3723, "overdue 1:02:03"},
	}
	for _, tt := range tests {
		if got := formatPickup(tt.estimate, now); got != tt.want {
			t.Errorf("formatPickup(now%+d) = %q, want %q", tt.estimate-now, got, tt.want)
		}
	}
}

func TestFormatAge(t *testing.T) {
	tests := []struct {
		seconds int64
		want    string
	}{
		{-1, "0 s"},
		{0, "0 s"},
		{45, "45 s"},
		{119, "119 s"},
		{120, "2 min"},
		{7199, "119 min"},
		{7200, "2 h"},
		{90000, "25 h"},
	}
	for _, tt := range tests {
		if got := formatAge(tt.seconds); got != tt.want {
			t.Errorf("formatAge(%d) = %q, want %q", tt.seconds, got, tt.want)
		}
	}
}

func TestCapRows(t *testing.T) {
	tests := []struct {
		name  string
		rows  []int
		limit int
		want  []int
	}{
		{"nil rows", nil, 3, nil},
		{"under the limit", []int{1, 2}, 3, []int{1, 2}},
		{"at the limit", []int{1, 2, 3}, 3, []int{1, 2, 3}},
		{"over the limit", []int{1, 2, 3, 4, 5}, 3, []int{1, 2, 3}},
		{"zero keeps all", []int{1, 2, 3}, 0, []int{1, 2, 3}},
		{"negative keeps all", []int{1, 2, 3}, -1, []int{1, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := capRows(tt.rows, tt.limit)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("capRows mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// An append to the capped rows must not overwrite the board's rows past
// the limit.
func TestCapRowsAppendKeepsSource(t *testing.T) {
	rows := []int{1, 2, 3, 4}
	capped := capRows(rows, 2)
	_ = append(capped, 99)
	if diff := cmp.Diff([]int{1, 2, 3, 4}, rows); diff != "" {
		t.Errorf("source rows changed (-want +got):\n%s", diff)
	}
}

func TestClientTypeLabel(t *testing.T) {
	tests := map[string]string{
		"desktop":   "Desktop",
		"web_chat":  "Web chat",
		"RDP":       "RDP",
		"vpro":      "vPro",
		"new_thing": "New thing",
		"":          "",
	}
	for in, want := range tests {
		if got := clientTypeLabel(in); got != want {
			t.Errorf("clientTypeLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHumanize(t *testing.T) {
	tests := map[string]string{
		"issue_submission":      "Issue submission",
		"session_key":           "Session key",
		"push_and_start_remote": "Push and start remote",
		"button":                "Button",
		" _ ":                   "",
		"":                      "",
	}
	for in, want := range tests {
		if got := humanize(in); got != want {
			t.Errorf("humanize(%q) = %q, want %q", in, got, want)
		}
	}
}
