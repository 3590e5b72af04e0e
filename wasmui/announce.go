package wasmui

import (
	"strconv"

	"github.com/rtdash/rtdash/shared/view"
)

// breachAnnouncement words the announcement of waiting sessions that just
// exceeded their SLA, or returns "" for none. It names one session and
// counts several, so a burst of breaches makes one short message.
func breachAnnouncement(fresh []*view.Waiting) string {
	switch len(fresh) {
	case 0:
		return ""
	case 1:
		w := fresh[0]
		text := "SLA exceeded: "
		if w.Customer != "" {
			text += w.Customer
		} else {
			text += "a customer"
		}
		if w.Team != "" {
			text += " waiting for " + w.Team
		}
		return text
	}
	return "SLA exceeded for " + strconv.Itoa(len(fresh)) + " waiting sessions"
}
