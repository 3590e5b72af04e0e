package view_test

import (
	"testing"

	"github.com/rtdash/rtdash/shared/view"
)

func TestFilterTeam(t *testing.T) {
	tests := []struct {
		name     string
		settings view.Settings
		shown    []string
		hidden   []string
	}{
		{
			name:  "no lists show every team",
			shown: []string{"tech", "billing", ""},
		},
		{
			name:     "allow list",
			settings: view.Settings{AllowedTeams: []string{"tech", "billing"}},
			shown:    []string{"tech", "billing"},
			hidden:   []string{"sales", ""},
		},
		{
			name:     "ignore list",
			settings: view.Settings{IgnoredTeams: []string{"sales"}},
			shown:    []string{"tech", ""},
			hidden:   []string{"sales"},
		},
		{
			name:     "ignore wins over allow",
			settings: view.Settings{AllowedTeams: []string{"tech", "sales"}, IgnoredTeams: []string{"sales"}},
			shown:    []string{"tech"},
			hidden:   []string{"sales", "billing"},
		},
		{
			name:     "case-insensitive",
			settings: view.Settings{AllowedTeams: []string{"Tech"}, IgnoredTeams: []string{"SALES"}},
			shown:    []string{"tech", "TECH", "Tech"},
			hidden:   []string{"sales", "Sales"},
		},
		{
			name:     "spaces around items",
			settings: view.Settings{AllowedTeams: []string{" tech "}, IgnoredTeams: []string{"\tsales"}},
			shown:    []string{"tech"},
			hidden:   []string{"sales", " tech "},
		},
		{
			name:     "blank items are no allow list",
			settings: view.Settings{AllowedTeams: []string{"", " "}, IgnoredTeams: []string{""}},
			shown:    []string{"tech", ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := view.NewFilter(tt.settings)
			for _, team := range tt.shown {
				if !f.Team(team) {
					t.Errorf("Team(%q) = false, want true", team)
				}
			}
			for _, team := range tt.hidden {
				if f.Team(team) {
					t.Errorf("Team(%q) = true, want false", team)
				}
			}
		})
	}
}

func TestFilterAnyTeam(t *testing.T) {
	tests := []struct {
		name     string
		settings view.Settings
		teams    []string
		want     bool
	}{
		{name: "no team, no lists", teams: nil, want: true},
		{name: "no team, ignore list", settings: view.Settings{IgnoredTeams: []string{"sales"}}, teams: nil, want: true},
		{name: "no team, allow list", settings: view.Settings{AllowedTeams: []string{"tech"}}, teams: nil, want: false},
		{name: "allowed team", settings: view.Settings{AllowedTeams: []string{"tech"}}, teams: []string{"tech"}, want: true},
		{name: "one of two allowed", settings: view.Settings{AllowedTeams: []string{"tech"}}, teams: []string{"billing", "tech"}, want: true},
		{name: "none allowed", settings: view.Settings{AllowedTeams: []string{"tech"}}, teams: []string{"billing", "sales"}, want: false},
		{name: "only ignored team", settings: view.Settings{IgnoredTeams: []string{"sales"}}, teams: []string{"sales"}, want: false},
		{
			name:     "allowed and ignored teams",
			settings: view.Settings{AllowedTeams: []string{"tech"}, IgnoredTeams: []string{"sales"}},
			teams:    []string{"sales", "tech"},
			want:     true,
		},
		{
			name:     "ignored team also allowed",
			settings: view.Settings{AllowedTeams: []string{"sales"}, IgnoredTeams: []string{"sales"}},
			teams:    []string{"sales"},
			want:     false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := view.NewFilter(tt.settings).AnyTeam(tt.teams); got != tt.want {
				t.Errorf("AnyTeam(%q) = %t, want %t", tt.teams, got, tt.want)
			}
		})
	}
}

func TestFilterStartMethod(t *testing.T) {
	tests := []struct {
		name    string
		methods []string
		shown   []string
		hidden  []string
	}{
		{name: "empty list shows all", shown: []string{"session_key", "issue_submission", ""}},
		{
			name:    "list",
			methods: []string{"session_key", " Issue_Submission "},
			shown:   []string{"session_key", "issue_submission", "SESSION_KEY"},
			hidden:  []string{"rep_list", ""},
		},
		{name: "blank items are no list", methods: []string{" "}, shown: []string{"rep_list"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := view.NewFilter(view.Settings{StartMethods: tt.methods})
			for _, method := range tt.shown {
				if !f.StartMethod(method) {
					t.Errorf("StartMethod(%q) = false, want true", method)
				}
			}
			for _, method := range tt.hidden {
				if f.StartMethod(method) {
					t.Errorf("StartMethod(%q) = true, want false", method)
				}
			}
		})
	}
}
