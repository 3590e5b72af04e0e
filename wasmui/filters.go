package wasmui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

// Messages of empty panels when the page has no data. They replace the
// usual messages, such as "No customers waiting.", which would state that
// the site is quiet when the page cannot know.
const (
	noDataDisabled    = "No data: the dashboard is disabled."
	noDataUnavailable = "No data: the appliance is unavailable."
	noDataYet         = "No data yet."
)

// noDataText returns why the panels have no data, given the relay's
// appliance status and whether any snapshot arrived, or "" when they show
// the appliance's data. A disabled relay never has data, whatever the page
// kept from an earlier connection.
func noDataText(appliance string, hasModel bool) string {
	switch {
	case appliance == wire.ApplianceDisabled:
		return noDataDisabled
	case hasModel:
		return ""
	case appliance == wire.ApplianceUnavailable:
		return noDataUnavailable
	}
	return noDataYet
}

// activeFilters records which of the relay's filters are set.
type activeFilters struct {
	Teams   bool // an allowed or ignored team list
	Methods bool // a start method list
}

func filtersOf(s view.Settings) activeFilters {
	return activeFilters{Teams: filtersTeams(s), Methods: len(filterNames(s.StartMethods)) > 0}
}

// filtersTeams reports whether the settings list allowed or ignored teams.
func filtersTeams(s view.Settings) bool {
	return len(filterNames(s.AllowedTeams)) > 0 || len(filterNames(s.IgnoredTeams)) > 0
}

// scope returns the words an empty panel's message ends with, such as
// " in the teams shown", for the filters that apply to its rows: the team
// filters to every panel, the start method filter with methods set.
func (f activeFilters) scope(methods bool) string {
	switch {
	case f.Teams && methods && f.Methods:
		return " in the teams and start methods shown"
	case f.Teams:
		return " in the teams shown"
	case methods && f.Methods:
		return " with the start methods shown"
	}
	return ""
}

// emptyTexts are the messages of the panels that have no rows.
type emptyTexts struct {
	Waiting, InProgress, Closed, Queues, Reps string
	// BusiestQueues is the message of the wall's queue list, which shows
	// only the queues with customers waiting.
	BusiestQueues string
}

// emptyTextsFor words the messages of empty panels. noData, when set,
// replaces every message, because without data the page cannot tell an
// empty site from a missing one.
func emptyTextsFor(noData string, f activeFilters) emptyTexts {
	if noData != "" {
		return emptyTexts{noData, noData, noData, noData, noData, noData}
	}
	sessions := f.scope(true)
	texts := emptyTexts{
		Waiting:       "No customers waiting" + sessions + ".",
		InProgress:    "No sessions in progress" + sessions + ".",
		Closed:        "No sessions closed" + sessions + " since the relay started.",
		Queues:        "No support team queues" + f.scope(false) + ".",
		Reps:          "No representatives logged in.",
		BusiestQueues: "No customers waiting in any queue.",
	}
	if f.Teams {
		texts.Reps = "No representatives of the teams shown logged in."
	}
	if f.Teams || f.Methods {
		texts.BusiestQueues = "No customers waiting in any queue" + sessions + "."
	}
	return texts
}

// describeFilters words the relay's filters for the header, as "Filtered:
// 3 teams, 1 team hidden, 2 start methods", or returns "" when none is
// set. teams holds the code names of the appliance's team queues, or is
// nil before the page has a model. With it, the text also names the
// listed teams that the appliance does not have, so a misspelt filter
// shows.
func describeFilters(s view.Settings, teams map[string]bool) string {
	allowed := filterNames(s.AllowedTeams)
	ignored := filterNames(s.IgnoredTeams)
	methods := filterNames(s.StartMethods)
	var parts []string
	if len(allowed) > 0 {
		parts = append(parts, countNoun(len(allowed), "team", "teams"))
	}
	if len(ignored) > 0 {
		parts = append(parts, countNoun(len(ignored), "team", "teams")+" hidden")
	}
	if len(methods) > 0 {
		parts = append(parts, countNoun(len(methods), "start method", "start methods"))
	}
	if len(parts) == 0 {
		return ""
	}
	text := "Filtered: " + strings.Join(parts, ", ")

	if teams == nil {
		return text
	}
	var unknown []string
	for _, code := range append(allowed, ignored...) {
		if !teams[code] && !slices.Contains(unknown, code) {
			unknown = append(unknown, code)
		}
	}
	if len(unknown) > 0 {
		noun := "no team with code name "
		if len(unknown) > 1 {
			noun = "no teams with code names "
		}
		text += " · " + noun + strings.Join(unknown, ", ")
	}
	return text
}

// filterNames returns the distinct names of a filter list, trimmed and in
// lower case as view.Filter compares them. Blank names are dropped.
func filterNames(list []string) []string {
	var names []string
	for _, name := range list {
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "" && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// teamCodeNames returns the code names of the model's team queues, in
// lower case.
func teamCodeNames(m *state.Model) map[string]bool {
	codes := make(map[string]bool)
	for _, q := range m.Queues.All() {
		if q.IsTeam() && q.CodeName != "" {
			codes[strings.ToLower(q.CodeName)] = true
		}
	}
	return codes
}

// countNoun returns n with the singular or plural noun, as "1 team" and
// "3 teams".
func countNoun(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return strconv.Itoa(n) + " " + plural
}
