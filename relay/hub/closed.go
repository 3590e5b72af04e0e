package hub

import (
	"encoding/json"
	"time"

	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/wire"
)

// ClosedLimit is how many recently closed sessions the hub keeps.
const ClosedLimit = 50

// captureClosed describes the support sessions that msg deletes, from the
// model as it is before msg applies, and returns them newest first.
func (h *Hub) captureClosed(msg *state.Message, received time.Time) []wire.ClosedSession {
	raw, ok := msg.Delete[state.TableSupportSession]
	if !ok {
		return nil
	}
	var ids []json.RawMessage
	if err := json.Unmarshal(raw, &ids); err != nil {
		// Apply reports the malformed section.
		return nil
	}
	ended := received.Add(h.opts.ApplianceOffset()).Unix()
	// The last id of the delete list is taken as the newest.
	wanted := make([]int64, 0, len(ids))
	for i := len(ids) - 1; i >= 0; i-- {
		if id, err := state.ParseID(ids[i]); err == nil {
			wanted = append(wanted, id)
		}
	}
	var closed []wire.ClosedSession
	for _, s := range h.builder.Describe(h.model, wanted...) {
		closed = append(closed, wire.ClosedSession{
			ID:          s.ID,
			LSID:        s.LSID,
			Customer:    s.Customer,
			Company:     s.Company,
			Issue:       s.Issue,
			Team:        s.Team,
			TeamCode:    s.TeamCode,
			StartMethod: s.StartMethod,
			Reps:        s.Reps,
			Started:     s.Started,
			Ended:       max(ended, s.Started),
		})
	}
	return closed
}

// addClosedLocked puts newly closed sessions at the front of the list and
// sends the list to every browser.
func (h *Hub) addClosedLocked(closed []wire.ClosedSession) {
	if len(closed) == 0 {
		return
	}
	list := make([]wire.ClosedSession, 0, min(ClosedLimit, len(closed)+len(h.closed)))
	list = append(list, closed...)
	list = append(list, h.closed...)
	if len(list) > ClosedLimit {
		list = list[:ClosedLimit]
	}
	h.closed = list
	h.closedMsg = h.encode(wire.Envelope{Type: wire.TypeClosed, Closed: list})
	h.broadcast(h.closedMsg)
}

// SetCSAT records the latest CSAT figure and sends it to every browser.
func (h *Hub) SetCSAT(c wire.CSAT) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.csatMsg = h.encode(wire.Envelope{Type: wire.TypeCSAT, CSAT: &c})
	h.broadcast(h.csatMsg)
}

// Closed returns the recently closed sessions, newest first.
func (h *Hub) Closed() []wire.ClosedSession {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]wire.ClosedSession(nil), h.closed...)
}
