package view

import (
	"slices"

	"github.com/rtdash/rtdash/shared/state"
)

// Describe returns one support session as the sessions-in-progress panel
// would show it, whether or not a representative holds it, ignoring the
// filters. It reports false when the model has no such session. It scans
// the link tables, so it suits occasional calls such as a session closing,
// not rendering.
func (b *Builder) Describe(m *state.Model, sessionID int64) (InProgress, bool) {
	s := m.SupportSessions.Get(sessionID)
	if s == nil {
		return InProgress{}, false
	}
	ix := &index{
		queuesOfRep: make(map[int64][]int64),
		teamNames:   make(map[string]string),
	}
	var reps []int64
	for _, l := range m.RepresentativeSupportSessions.All() {
		if l.SupportSessionID == sessionID {
			reps = append(reps, l.RepresentativeID)
		}
	}
	slices.Sort(reps)
	for _, l := range m.RepresentativeQueues.All() {
		if slices.Contains(reps, l.RepresentativeID) {
			ix.queuesOfRep[l.RepresentativeID] = append(ix.queuesOfRep[l.RepresentativeID], l.QueueID)
		}
	}
	ix.addTeamNames(m)
	team := b.teamOf(m, ix, s, reps)
	p := InProgress{
		ID:          sessionID,
		LSID:        s.LSID,
		Customer:    s.CustomerName,
		Company:     s.CustomerCompany,
		Issue:       s.CustomerDescription,
		Team:        team.name,
		TeamCode:    team.code,
		StartMethod: s.StartMethod,
		Started:     s.CreatedTimestamp,
	}
	var first *state.CustomerClient
	for _, c := range m.CustomerClients.All() {
		if c.SupportSessionID == sessionID && (first == nil || c.ID < first.ID) {
			first = c
		}
	}
	if first != nil {
		p.ClientType = first.ClientType
	}
	for _, rid := range reps {
		if r := m.Representatives.Get(rid); r != nil {
			p.Reps = append(p.Reps, RepName(r, b.settings.RepNameFormat))
			p.RepIDs = append(p.RepIDs, rid)
		}
	}
	slices.Sort(p.Reps)
	return p, true
}
