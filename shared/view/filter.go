package view

import "strings"

// Filter decides which teams and start methods the panels show.
type Filter struct {
	allowed map[string]bool
	ignored map[string]bool
	methods map[string]bool
}

// NewFilter builds the filter of the given settings.
func NewFilter(s Settings) Filter {
	return Filter{
		allowed: lowerSet(s.AllowedTeams),
		ignored: lowerSet(s.IgnoredTeams),
		methods: lowerSet(s.StartMethods),
	}
}

// lowerSet returns the items lowercased and trimmed, or nil when no item is
// left, because a list of blank items means "no list".
func lowerSet(items []string) map[string]bool {
	var set map[string]bool
	for _, item := range items {
		if item = strings.ToLower(strings.TrimSpace(item)); item != "" {
			if set == nil {
				set = make(map[string]bool, len(items))
			}
			set[item] = true
		}
	}
	return set
}

// Team reports whether the team with the given code name is shown: it is not
// ignored, and the allow list is empty or contains it.
func (f Filter) Team(code string) bool {
	code = strings.ToLower(code)
	if f.ignored[code] {
		return false
	}
	return f.allowed == nil || f.allowed[code]
}

// AnyTeam reports whether an item that belongs to the given teams is shown.
// An item of no team is shown only when no allow list is set.
func (f Filter) AnyTeam(codes []string) bool {
	if len(codes) == 0 {
		return f.allowed == nil
	}
	for _, code := range codes {
		if f.Team(code) {
			return true
		}
	}
	return false
}

// StartMethod reports whether sessions started this way are shown.
func (f Filter) StartMethod(method string) bool {
	return f.methods == nil || f.methods[strings.ToLower(method)]
}
