package config

import (
	"reflect"
	"sort"
	"strings"
)

// knownVariables lists the environment variables the relay reads.
var knownVariables = func() map[string]bool {
	known := map[string]bool{}
	t := reflect.TypeOf(raw{})
	for i := range t.NumField() {
		if name := t.Field(i).Tag.Get("env"); name != "" {
			known[name] = true
		}
	}
	return known
}()

// unknownVariables warns about RTD_ variables the relay does not read,
// which are most likely misspelt, and names the closest known one.
func (p *parser) unknownVariables(environment map[string]string) {
	var unknown []string
	for name := range environment {
		if strings.HasPrefix(name, "RTD_") && !knownVariables[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		if guess := closestVariable(name); guess != "" {
			p.warn("%s is not a setting of the relay and is ignored; did you mean %s?", name, guess)
		} else {
			p.warn("%s is not a setting of the relay and is ignored", name)
		}
	}
}

// closestVariable returns the known variable nearest to name by edit
// distance, or "" when none is within a few typing mistakes.
func closestVariable(name string) string {
	best, bestDistance := "", 4
	for known := range knownVariables {
		if d := editDistance(name, known); d < bestDistance || d == bestDistance && known < best {
			best, bestDistance = known, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
