package view

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Settings are the display settings that shape the panels. The relay reads
// them from its configuration and sends them to every browser.
type Settings struct {
	// AllowedTeams lists the support team code names to show; empty shows
	// every team.
	AllowedTeams []string `json:"allowed_teams,omitempty"`
	// IgnoredTeams lists team code names whose activity is hidden
	// everywhere, even when AllowedTeams lists them.
	IgnoredTeams []string `json:"ignored_teams,omitempty"`
	// StartMethods lists the session start methods to show; empty shows all.
	StartMethods []string `json:"start_methods,omitempty"`
	// WaitingSLAs are the maximum waiting times per team.
	WaitingSLAs SLAs `json:"waiting_slas"`
	// RepNameFormat selects how representatives are named.
	RepNameFormat NameFormat `json:"rep_name_format,omitempty"`
}

// SLAs maps a support team code name to the longest time, in seconds, a
// customer may wait in its queue. Default applies to teams not listed; 0
// means no SLA.
type SLAs struct {
	Teams   map[string]int64 `json:"teams,omitempty"`
	Default int64            `json:"default,omitempty"`
}

// For returns the SLA in seconds of the team with the given code name, or 0
// when it has none.
func (s SLAs) For(teamCode string) int64 {
	if v, ok := s.Teams[strings.ToLower(teamCode)]; ok {
		return v
	}
	return s.Default
}

// String formats s in the syntax ParseSLAs reads, with minutes.
func (s SLAs) String() string {
	teams := make([]string, 0, len(s.Teams))
	for team := range s.Teams {
		teams = append(teams, team)
	}
	sort.Strings(teams)
	parts := make([]string, 0, len(teams)+1)
	for _, team := range teams {
		parts = append(parts, team+"="+formatMinutes(s.Teams[team]))
	}
	if s.Default > 0 {
		parts = append(parts, "*="+formatMinutes(s.Default))
	}
	return strings.Join(parts, ",")
}

func formatMinutes(seconds int64) string {
	return strconv.FormatFloat(float64(seconds)/60, 'f', -1, 64)
}

// ParseSLAs reads waiting SLAs written as "team=minutes,...", where team is a
// support team code name and "*" sets the default for every other team.
// Minutes may have a fraction ("1.5"). Spaces around items are ignored and
// code names are case-insensitive.
func ParseSLAs(text string) (SLAs, error) {
	var s SLAs
	for _, item := range strings.Split(text, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		team, value, ok := strings.Cut(item, "=")
		team = strings.ToLower(strings.TrimSpace(team))
		value = strings.TrimSpace(value)
		if !ok || team == "" {
			return SLAs{}, fmt.Errorf("invalid SLA %q: want team_code_name=minutes or *=minutes", item)
		}
		minutes, err := strconv.ParseFloat(value, 64)
		// The negated comparison also rejects NaN.
		if err != nil || !(minutes > 0 && minutes <= 7*24*60) {
			return SLAs{}, fmt.Errorf("invalid SLA %q: want a number of minutes above 0 and at most 10080", item)
		}
		// 0 seconds means no SLA, so a positive SLA is at least 1 second.
		seconds := max(1, int64(minutes*60+0.5))
		if team == "*" {
			if s.Default != 0 {
				return SLAs{}, fmt.Errorf("invalid SLA %q: the default * is set twice", item)
			}
			s.Default = seconds
			continue
		}
		if s.Teams == nil {
			s.Teams = make(map[string]int64)
		}
		if _, dup := s.Teams[team]; dup {
			return SLAs{}, fmt.Errorf("invalid SLA %q: team %s is set twice", item, team)
		}
		s.Teams[team] = seconds
	}
	return s, nil
}

// NameFormat selects which names identify a representative.
type NameFormat string

// Representative name formats.
const (
	NamePublic          NameFormat = "public"           // the public display name customers see
	NamePrivate         NameFormat = "private"          // the private display name
	NameUsername        NameFormat = "username"         // the login name
	NamePrivateUsername NameFormat = "private_username" // "Private Name (username)"
)

// NameFormats lists the valid name formats.
var NameFormats = []NameFormat{NamePublic, NamePrivate, NameUsername, NamePrivateUsername}

// ParseNameFormat checks a name format, accepting any letter case.
func ParseNameFormat(text string) (NameFormat, error) {
	f := NameFormat(strings.ToLower(strings.TrimSpace(text)))
	for _, valid := range NameFormats {
		if f == valid {
			return f, nil
		}
	}
	return "", fmt.Errorf("invalid name format %q: want public, private, username or private_username", text)
}
