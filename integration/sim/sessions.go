package sim

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// errNotFound wraps every "no such row" error of the test controls.
var errNotFound = errors.New("not found")

func (s *site) session(id int64) (*sessionEntry, error) {
	e, ok := s.sessions[id]
	if !ok {
		return nil, fmt.Errorf("support session %d: %w", id, errNotFound)
	}
	return e, nil
}

func (s *site) rep(id int64) (*repEntry, error) {
	r, ok := s.reps[id]
	if !ok {
		return nil, fmt.Errorf("representative %d: %w", id, errNotFound)
	}
	return r, nil
}

func (s *site) team(codeName string) (*teamEntry, error) {
	t, ok := s.teamsByCode[codeName]
	if !ok {
		return nil, fmt.Errorf("team with code name %q: %w", codeName, errNotFound)
	}
	return t, nil
}

// addCustomer creates a waiting support session in a team queue, with one
// customer client and the customer's attributes and skills.
func (s *site) addCustomer(c Customer) (*sessionEntry, error) {
	if c.TeamCodeName == "" {
		if len(s.teams) == 0 {
			return nil, errors.New("the site has no teams to queue the customer in")
		}
		c.TeamCodeName = s.teams[0].codeName
	}
	team, err := s.team(c.TeamCodeName)
	if err != nil {
		return nil, err
	}
	if c.PublicSiteID == 0 {
		c.PublicSiteID = s.publicSites[0].ID
	} else if s.publicSite(c.PublicSiteID).ID != c.PublicSiteID {
		return nil, fmt.Errorf("public site %d: %w", c.PublicSiteID, errNotFound)
	}
	if c.Name == "" {
		c.Name = s.personName()
	}
	if c.StartMethod == "" {
		c.StartMethod = "issue_submission"
	}
	if c.ClientType == "" {
		c.ClientType = "desktop"
	}
	if c.Priority == 0 {
		c.Priority = 2
	}

	now := s.unix()
	entry := &sessionEntry{lsid: s.lsid(), teamCode: team.codeName, reps: map[int64]int64{}}
	entry.id = s.model.insert(TableSupportSession, row{
		"lsid":                       entry.lsid,
		"queue_id":                   team.queueID,
		"queue_entry_timestamp":      now,
		"customer_name":              c.Name,
		"customer_company":           c.Company,
		"customer_company_code":      c.CompanyCode,
		"customer_description":       c.Description,
		"start_method":               c.StartMethod,
		"priority":                   int64(c.Priority),
		"estimated_pickup_timestamp": now + int64(s.estimatedWait.Seconds()),
		"created_timestamp":          now,
	})

	clientID := s.model.insert(TableCustomerClient, row{
		"support_session_id": entry.id,
		"client_type":        c.ClientType,
		"elevated":           boolColumn(c.Elevated),
		"hostname":           c.Hostname,
		"operating_system":   c.OS,
		"private_ip":         s.privateIP(),
		"public_ip":          s.publicIP(),
		"created_timestamp":  now,
	})
	entry.clients = append(entry.clients, clientID)

	for _, code := range slices.Sorted(maps.Keys(c.Attributes)) {
		entry.attributes = append(entry.attributes, s.model.insert(TableSupportSessionAttribute, row{
			"support_session_id": entry.id,
			"code_name":          code,
			"value":              c.Attributes[code],
			"created_timestamp":  now,
		}))
	}
	for _, skill := range c.Skills {
		entry.skills = append(entry.skills, s.model.insert(TableSupportSessionSkill, row{
			"support_session_id": entry.id,
			"code_name":          skill,
			"created_timestamp":  now,
		}))
	}
	s.sessions[entry.id] = entry
	s.startTrack(entry, c, team)
	return entry, nil
}

// pickup makes a rep the owner of a waiting session: one
// representative_support_session row, and the session moves to the rep's
// personal queue.
func (s *site) pickup(sessionID, repID int64) error {
	entry, err := s.session(sessionID)
	if err != nil {
		return err
	}
	r, err := s.rep(repID)
	if err != nil {
		return err
	}
	if !entry.waiting() {
		return fmt.Errorf("support session %d is not waiting because a representative already holds it", sessionID)
	}
	s.link(entry, r)
	s.moveToQueue(entry, r.queueID)
	return nil
}

// join adds a rep to a session without changing its owner.
func (s *site) join(sessionID, repID int64) error {
	entry, err := s.session(sessionID)
	if err != nil {
		return err
	}
	r, err := s.rep(repID)
	if err != nil {
		return err
	}
	if _, ok := entry.reps[repID]; ok {
		return fmt.Errorf("representative %d is already in support session %d", repID, sessionID)
	}
	waiting := entry.waiting()
	s.link(entry, r)
	if waiting {
		s.moveToQueue(entry, r.queueID)
	}
	return nil
}

// transferToRep hands a session to another rep: the previous owner leaves,
// the new rep joins, and the session moves to the new rep's personal queue.
func (s *site) transferToRep(sessionID, repID int64) error {
	entry, err := s.session(sessionID)
	if err != nil {
		return err
	}
	target, err := s.rep(repID)
	if err != nil {
		return err
	}
	if owner := s.owner(entry); owner != nil && owner.id != repID {
		s.unlink(entry, owner)
	}
	if _, ok := entry.reps[repID]; !ok {
		s.link(entry, target)
	}
	s.moveToQueue(entry, target.queueID)
	return nil
}

// transferToTeam puts a session back into a team queue: every rep leaves it
// and it waits again.
func (s *site) transferToTeam(sessionID int64, teamCodeName string) error {
	entry, err := s.session(sessionID)
	if err != nil {
		return err
	}
	team, err := s.team(teamCodeName)
	if err != nil {
		return err
	}
	for _, repID := range slices.Sorted(maps.Keys(entry.reps)) {
		s.unlink(entry, s.reps[repID])
	}
	entry.teamCode = team.codeName
	s.moveToQueue(entry, team.queueID)
	return nil
}

// endSession ends a session: its report goes to the history, with
// surveys drawn at the configured rates, and its rows are deleted.
func (s *site) endSession(sessionID int64) error {
	return s.finishSession(sessionID, nil)
}

// deleteSession deletes the session with its clients, rep links,
// attributes and skills.
func (s *site) deleteSession(entry *sessionEntry) {
	for _, id := range entry.clients {
		s.model.remove(TableCustomerClient, id)
	}
	for _, repID := range slices.Sorted(maps.Keys(entry.reps)) {
		s.unlink(entry, s.reps[repID])
	}
	for _, id := range entry.attributes {
		s.model.remove(TableSupportSessionAttribute, id)
	}
	for _, id := range entry.skills {
		s.model.remove(TableSupportSessionSkill, id)
	}
	s.model.remove(TableSupportSession, entry.id)
	delete(s.sessions, entry.id)
}

// disconnectCustomer deletes the session's customer clients. The session
// stays, as it does when a customer closes the client before the rep ends it.
func (s *site) disconnectCustomer(sessionID int64) error {
	entry, err := s.session(sessionID)
	if err != nil {
		return err
	}
	for _, id := range entry.clients {
		s.model.remove(TableCustomerClient, id)
	}
	entry.clients = nil
	return nil
}

// owner returns the rep whose personal queue holds the session, or nil.
func (s *site) owner(entry *sessionEntry) *repEntry {
	queueID, _ := s.model.get(TableSupportSession, entry.id)["queue_id"].(int64)
	for repID := range entry.reps {
		if r := s.reps[repID]; r.queueID == queueID {
			return r
		}
	}
	return nil
}

func (s *site) link(entry *sessionEntry, r *repEntry) {
	id := s.model.insert(TableRepresentativeSupportSession, row{
		"support_session_id": entry.id,
		"representative_id":  r.id,
		"created_timestamp":  s.unix(),
	})
	entry.reps[r.id] = id
	r.sessions[entry.id] = id
	s.trackJoin(entry, r, id)
	s.refreshRep(r)
}

func (s *site) unlink(entry *sessionEntry, r *repEntry) {
	s.trackLeave(entry, r)
	s.model.remove(TableRepresentativeSupportSession, entry.reps[r.id])
	delete(entry.reps, r.id)
	delete(r.sessions, entry.id)
	s.refreshRep(r)
}

func (s *site) moveToQueue(entry *sessionEntry, queueID int64) {
	s.model.update(TableSupportSession, entry.id, row{
		"queue_id":              queueID,
		"queue_entry_timestamp": s.unix(),
	})
	s.trackOwner(entry, queueID)
}
