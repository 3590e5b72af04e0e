package wasmui

import (
	"strconv"
	"strings"

	"github.com/rtdash/rtdash/shared/view"
)

// namedBreaches is how many newly breached sessions one announcement names.
// A burst of breaches would otherwise make an announcement too long to
// follow, so the rest are counted.
const namedBreaches = 3

// breachAnnouncement words the announcement of waiting sessions that just
// exceeded their SLA, or returns "" for none. It names the first
// namedBreaches sessions, as "Ada Lovelace in Windows Support has waited
// longer than the 5-minute SLA", and counts the others. It holds no
// ticking numbers, so screen readers hear each breach once.
func breachAnnouncement(fresh []*view.Waiting) string {
	var sentences []string
	for i, w := range fresh {
		if i == namedBreaches {
			rest := len(fresh) - namedBreaches
			noun := " more waiting sessions have"
			if rest == 1 {
				noun = " more waiting session has"
			}
			sentences = append(sentences, strconv.Itoa(rest)+noun+" exceeded their SLA")
			break
		}
		sentences = append(sentences, breachSentence(w))
	}
	return strings.Join(sentences, ". ")
}

func breachSentence(w *view.Waiting) string {
	text := w.Customer
	if text == "" {
		text = "A customer"
	}
	if w.Team != "" {
		text += " in " + w.Team
	}
	return text + " has waited longer than the " + formatMinutes(w.SLA) + "-minute SLA"
}
