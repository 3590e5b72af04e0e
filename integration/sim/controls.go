package sim

import (
	"encoding/json"
)

// Each control below changes the model at once and queues the change for
// the next model_update batch, which goes out after Config.BatchDelay or
// at the next Flush.

// AddCustomer creates a waiting support session with one customer client in
// the team queue named by c.TeamCodeName (the first team when empty). It
// returns the session row id and LSID, or 0 and "" when the team does not
// exist.
func (s *Simulator) AddCustomer(c Customer) (sessionID int64, lsid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, err := s.site.addCustomer(c)
	if err != nil {
		s.log.Warn("add customer failed", "team", c.TeamCodeName, "err", err)
		return 0, ""
	}
	s.changedLocked()
	return entry.id, entry.lsid
}

// Pickup lets a rep take a waiting session: it inserts a
// representative_support_session row and moves the session to the rep's
// personal queue, which updates queue_id and queue_entry_timestamp.
func (s *Simulator) Pickup(sessionID, repID int64) error {
	return s.apply(func() error { return s.site.pickup(sessionID, repID) })
}

// JoinSession adds a rep to a session as a further participant; the owner
// and the queue stay unless the session was waiting.
func (s *Simulator) JoinSession(sessionID, repID int64) error {
	return s.apply(func() error { return s.site.join(sessionID, repID) })
}

// TransferToRep makes another rep the owner of a session. The previous
// owner leaves the session.
func (s *Simulator) TransferToRep(sessionID, repID int64) error {
	return s.apply(func() error { return s.site.transferToRep(sessionID, repID) })
}

// TransferToTeam moves a session into a team queue. Every rep leaves it, so
// it waits again.
func (s *Simulator) TransferToTeam(sessionID int64, teamCodeName string) error {
	return s.apply(func() error { return s.site.transferToTeam(sessionID, teamCodeName) })
}

// EndSession deletes a session with its customer clients, rep links,
// attributes and skills, all in one batch.
func (s *Simulator) EndSession(sessionID int64) error {
	return s.apply(func() error { return s.site.endSession(sessionID) })
}

// DisconnectCustomer deletes a session's customer clients but keeps the
// session, as when the customer closes the client first.
func (s *Simulator) DisconnectCustomer(sessionID int64) error {
	return s.apply(func() error { return s.site.disconnectCustomer(sessionID) })
}

// LoginRep logs a rep in: a representative row, a personal queue and one
// representative_queue row per team in r.TeamCodeNames. Unknown team code
// names are logged and skipped. It returns the representative row id.
func (s *Simulator) LoginRep(r Rep) (repID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, unknown := s.site.loginRep(r)
	for _, code := range unknown {
		s.log.Warn("login rep: unknown team code name skipped", "rep", entry.id, "team", code)
	}
	s.changedLocked()
	return entry.id
}

// LogoutRep logs a rep out. Sessions it owns pass to another participant or
// return to their team queue.
func (s *Simulator) LogoutRep(repID int64) error {
	return s.apply(func() error { return s.site.logoutRep(repID) })
}

// SetRepStatus sets a rep's manual routing state; the routing_* columns
// follow.
func (s *Simulator) SetRepStatus(repID int64, status RepStatus) error {
	return s.apply(func() error { return s.site.setRepStatus(repID, status) })
}

func (s *Simulator) apply(change func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := change(); err != nil {
		return err
	}
	s.changedLocked()
	return nil
}

// Teams returns the support teams with their team queue row ids.
func (s *Simulator) Teams() []Team {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.site.teamList()
}

// Reps returns the logged-in reps, ordered by row id.
func (s *Simulator) Reps() []Rep {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.site.repList()
}

// ModelJSON returns the simulator's current model as
// {"<table>": {"<id>": {"<column>": value}}} with all eleven tables, empty
// ones as {}. It includes changes still waiting for the next batch.
func (s *Simulator) ModelJSON() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	data, err := json.Marshal(wireTables(s.model.tables, AllTables))
	if err != nil {
		// The model contains only maps, strings and integers.
		panic(err)
	}
	return data
}
