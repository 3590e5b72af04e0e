package view_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/view"
)

func TestParseSLAs(t *testing.T) {
	tests := []struct {
		text string
		want view.SLAs
	}{
		{text: "", want: view.SLAs{}},
		{text: " , ,", want: view.SLAs{}},
		{text: "tech_support=5", want: view.SLAs{Teams: map[string]int64{"tech_support": 300}}},
		{text: "*=10", want: view.SLAs{Default: 600}},
		{
			text: " Tech_Support = 1.5 , billing=30,*=10 ",
			want: view.SLAs{Teams: map[string]int64{"tech_support": 90, "billing": 1800}, Default: 600},
		},
		{text: "a=5,,b=6", want: view.SLAs{Teams: map[string]int64{"a": 300, "b": 360}}},
		{text: "a=0.01", want: view.SLAs{Teams: map[string]int64{"a": 1}}},
		{text: "a=10080", want: view.SLAs{Teams: map[string]int64{"a": 604800}}},
		{text: "a=1e1", want: view.SLAs{Teams: map[string]int64{"a": 600}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := view.ParseSLAs(tt.text)

			if err != nil {
				t.Fatalf("ParseSLAs(%q) failed: %v", tt.text, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseSLAs(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestParseSLAsSubMinuteNeverMeansNone(t *testing.T) {
	// 0 seconds means "no SLA", so a positive number of minutes must not
	// round down to it.
	got, err := view.ParseSLAs("a=0.001,*=0.002")

	if err != nil {
		t.Fatalf("ParseSLAs() failed: %v", err)
	}
	if got.For("a") < 1 {
		t.Errorf("For(a) = %d, want at least 1 second", got.For("a"))
	}
	if got.Default < 1 {
		t.Errorf("Default = %d, want at least 1 second", got.Default)
	}
}

func TestParseSLAsErrors(t *testing.T) {
	tests := []struct {
		text   string
		item   string // the item the error must name
		reason string // a part of the error that names the problem
	}{
		{text: "tech", item: "tech", reason: "team_code_name=minutes"},
		{text: "=5", item: "=5", reason: "team_code_name=minutes"},
		{text: " = 5", item: "= 5", reason: "team_code_name=minutes"},
		{text: "a=5,tech=", item: "tech=", reason: "number of minutes"},
		{text: "tech=abc", item: "tech=abc", reason: "number of minutes"},
		{text: "tech=5min", item: "tech=5min", reason: "number of minutes"},
		{text: "tech=5=6", item: "tech=5=6", reason: "number of minutes"},
		{text: "tech=0", item: "tech=0", reason: "above 0"},
		{text: "tech=-1", item: "tech=-1", reason: "above 0"},
		{text: "tech=10081", item: "tech=10081", reason: "at most 10080"},
		{text: "tech=NaN", item: "tech=NaN", reason: "number of minutes"},
		{text: "tech=Inf", item: "tech=Inf", reason: "number of minutes"},
		{text: "tech=-Inf", item: "tech=-Inf", reason: "number of minutes"},
		{text: "*=5,*=6", item: "*=6", reason: "default * is set twice"},
		{text: "tech=5,TECH=6", item: "TECH=6", reason: "team tech is set twice"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, err := view.ParseSLAs(tt.text)

			if err == nil {
				t.Fatalf("ParseSLAs(%q) = %+v, want an error", tt.text, got)
			}
			if !strings.Contains(err.Error(), `"`+tt.item+`"`) {
				t.Errorf("error %q does not name the item %q", err, tt.item)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q does not say %q", err, tt.reason)
			}
			if diff := cmp.Diff(view.SLAs{}, got); diff != "" {
				t.Errorf("SLAs returned with the error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSLAsFor(t *testing.T) {
	slas := view.SLAs{Teams: map[string]int64{"tech_support": 300}, Default: 600}
	tests := map[string]int64{
		"tech_support": 300,
		"TECH_SUPPORT": 300,
		"billing":      600,
		"":             600,
	}
	for team, want := range tests {
		if got := slas.For(team); got != want {
			t.Errorf("For(%q) = %d, want %d", team, got, want)
		}
	}
	if got := (view.SLAs{}).For("tech_support"); got != 0 {
		t.Errorf("For() without SLAs = %d, want 0", got)
	}
}

func TestSLAsStringRoundTrip(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"", ""},
		{"b=1.5, A=30, *=10", "a=30,b=1.5,*=10"},
		{"*=0.5", "*=0.5"},
	}
	for _, tt := range tests {
		parsed, err := view.ParseSLAs(tt.text)
		if err != nil {
			t.Fatalf("ParseSLAs(%q) failed: %v", tt.text, err)
		}

		got := parsed.String()

		if got != tt.want {
			t.Errorf("ParseSLAs(%q).String() = %q, want %q", tt.text, got, tt.want)
		}
		again, err := view.ParseSLAs(got)
		if err != nil {
			t.Fatalf("ParseSLAs(%q) of String() failed: %v", got, err)
		}
		if diff := cmp.Diff(parsed, again); diff != "" {
			t.Errorf("ParseSLAs(String()) mismatch (-want +got):\n%s", diff)
		}
	}
}

func TestParseNameFormat(t *testing.T) {
	tests := map[string]view.NameFormat{
		"public":           view.NamePublic,
		"Private":          view.NamePrivate,
		" USERNAME ":       view.NameUsername,
		"private_username": view.NamePrivateUsername,
	}
	for text, want := range tests {
		got, err := view.ParseNameFormat(text)
		if err != nil {
			t.Errorf("ParseNameFormat(%q) failed: %v", text, err)
			continue
		}
		if got != want {
			t.Errorf("ParseNameFormat(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestParseNameFormatErrors(t *testing.T) {
	for _, text := range []string{"", "display", "private-username", "public,private"} {
		got, err := view.ParseNameFormat(text)

		if err == nil {
			t.Errorf("ParseNameFormat(%q) = %q, want an error", text, got)
			continue
		}
		if !strings.Contains(err.Error(), `"`+text+`"`) {
			t.Errorf("error %q does not name the value %q", err, text)
		}
		if !strings.Contains(err.Error(), "public, private, username or private_username") {
			t.Errorf("error %q does not list the valid formats", err)
		}
	}
}
