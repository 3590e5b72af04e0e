package sim

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// loginRep creates the rep row, its personal queue and one
// representative_queue row per known team. Unknown team code names are
// returned so the caller can log them.
func (s *site) loginRep(r Rep) (*repEntry, []string) {
	if r.UserID == 0 {
		s.lastUserID++
		r.UserID = s.lastUserID
	} else if r.UserID > s.lastUserID {
		s.lastUserID = r.UserID
	}
	if r.Username == "" {
		r.Username = fmt.Sprintf("rep%d", r.UserID)
	}
	if r.PublicName == "" {
		r.PublicName = s.personName()
	}
	if r.PrivateName == "" {
		r.PrivateName = r.PublicName
	}

	now := s.unix()
	entry := &repEntry{
		userID:      r.UserID,
		username:    r.Username,
		publicName:  r.PublicName,
		privateName: r.PrivateName,
		sessions:    map[int64]int64{},
	}
	entry.queueID = s.model.insert(TableQueue, row{
		"name":              r.PublicName,
		"code_name":         "",
		"type":              "personal",
		"support_team_id":   int64(0),
		"created_timestamp": now,
	})
	entry.id = s.model.insert(TableRepresentative, row{
		"user_id":              r.UserID,
		"username":             r.Username,
		"public_display_name":  r.PublicName,
		"private_display_name": r.PrivateName,
		"routing_available":    int64(1),
		"routing_busy":         int64(0),
		"routing_idle":         int64(0),
		"routing_enabled":      int64(1),
		"skill_code_names":     "",
		"queue_id":             entry.queueID,
		"hostname":             strings.ToUpper(r.Username) + "-PC",
		"operating_system":     "Windows 11",
		"private_ip":           s.privateIP(),
		"public_ip":            s.publicIP(),
		"created_timestamp":    now,
	})

	var unknown []string
	for _, code := range r.TeamCodeNames {
		team, ok := s.teamsByCode[code]
		if !ok {
			unknown = append(unknown, code)
			continue
		}
		entry.teamCodes = append(entry.teamCodes, code)
		entry.queueLinks = append(entry.queueLinks, s.model.insert(TableRepresentativeQueue, row{
			"representative_id": entry.id,
			"queue_id":          team.queueID,
			"created_timestamp": now,
		}))
	}

	s.reps[entry.id] = entry
	for _, code := range entry.teamCodes {
		s.teamReps[code] = append(s.teamReps[code], entry.id)
	}
	return entry, unknown
}

// logoutRep removes the rep. Each session it owns passes to another rep in
// that session or, when none is left, returns to its team queue and waits.
func (s *site) logoutRep(repID int64) error {
	r, err := s.rep(repID)
	if err != nil {
		return err
	}
	for _, sessionID := range slices.Sorted(maps.Keys(r.sessions)) {
		entry := s.sessions[sessionID]
		owned := s.owner(entry) == r
		s.unlink(entry, r)
		if !owned {
			continue
		}
		if remaining := slices.Sorted(maps.Keys(entry.reps)); len(remaining) > 0 {
			s.moveToQueue(entry, s.reps[remaining[0]].queueID)
		} else {
			s.moveToQueue(entry, s.teamQueueFor(entry))
		}
	}
	for _, id := range r.queueLinks {
		s.model.remove(TableRepresentativeQueue, id)
	}
	s.model.remove(TableRepresentative, r.id)
	s.model.remove(TableQueue, r.queueID)
	delete(s.reps, r.id)
	for _, code := range r.teamCodes {
		s.teamReps[code] = slices.DeleteFunc(s.teamReps[code], func(id int64) bool { return id == r.id })
	}
	return nil
}

// teamQueueFor returns the queue of the session's team, or of the first
// team if that team no longer exists.
func (s *site) teamQueueFor(entry *sessionEntry) int64 {
	if team, ok := s.teamsByCode[entry.teamCode]; ok {
		return team.queueID
	}
	entry.teamCode = s.teams[0].codeName
	return s.teams[0].queueID
}

func (s *site) setRepStatus(repID int64, status RepStatus) error {
	r, err := s.rep(repID)
	if err != nil {
		return err
	}
	r.status = status
	s.refreshRep(r)
	return nil
}
