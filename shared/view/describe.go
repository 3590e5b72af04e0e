package view

import (
	"slices"

	"github.com/rtdash/rtdash/shared/state"
)

// Describe returns support sessions as the sessions-in-progress panel
// would show them, whether or not a representative holds them, ignoring the
// filters, in the order of ids. Ids the model does not hold are left out.
// It builds the joins once per call, so describing many sessions costs one
// pass over the link tables. That suits occasional calls such as sessions
// closing, not rendering.
func (b *Builder) Describe(m *state.Model, ids ...int64) []InProgress {
	wanted := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if m.SupportSessions.Get(id) != nil {
			wanted[id] = true
		}
	}
	if len(wanted) == 0 {
		return nil
	}
	ix := &index{
		repsOfSession:   make(map[int64][]int64, len(wanted)),
		queuesOfRep:     make(map[int64][]int64),
		clientOfSession: make(map[int64]*state.CustomerClient, len(wanted)),
	}
	reps := make(map[int64]bool)
	for _, l := range m.RepresentativeSupportSessions.All() {
		if wanted[l.SupportSessionID] {
			ix.repsOfSession[l.SupportSessionID] = append(ix.repsOfSession[l.SupportSessionID], l.RepresentativeID)
			reps[l.RepresentativeID] = true
		}
	}
	for _, l := range m.RepresentativeQueues.All() {
		if reps[l.RepresentativeID] {
			ix.queuesOfRep[l.RepresentativeID] = append(ix.queuesOfRep[l.RepresentativeID], l.QueueID)
		}
	}
	for _, c := range m.CustomerClients.All() {
		if prev := ix.clientOfSession[c.SupportSessionID]; wanted[c.SupportSessionID] && (prev == nil || c.ID < prev.ID) {
			ix.clientOfSession[c.SupportSessionID] = c
		}
	}
	ix.addTeamNames(m)

	out := make([]InProgress, 0, len(wanted))
	for _, id := range ids {
		if !wanted[id] {
			continue
		}
		wanted[id] = false // a repeated id is described once
		out = append(out, b.describe(m, ix, m.SupportSessions.Get(id)))
	}
	return out
}

// describe builds one session's entry from the joins in ix.
func (b *Builder) describe(m *state.Model, ix *index, s *state.SupportSession) InProgress {
	reps := ix.repsOfSession[s.ID]
	slices.Sort(reps)
	return b.inProgress(m, ix, s, reps, b.teamOf(m, ix, s, reps))
}
