package sim

import "slices"

// renumber rewrites every row id in the site index with newID.
func (s *site) renumber(newID func(int64) int64) {
	for _, t := range s.teams {
		t.queueID = newID(t.queueID)
	}
	reps := make(map[int64]*repEntry, len(s.reps))
	for _, r := range s.reps {
		r.id = newID(r.id)
		r.queueID = newID(r.queueID)
		for i, id := range r.queueLinks {
			r.queueLinks[i] = newID(id)
		}
		r.sessions = renumberLinks(r.sessions, newID)
		reps[r.id] = r
	}
	s.reps = reps
	for code, ids := range s.teamReps {
		for i, id := range ids {
			ids[i] = newID(id)
		}
		slices.Sort(ids)
		s.teamReps[code] = ids
	}
	sessions := make(map[int64]*sessionEntry, len(s.sessions))
	for _, e := range s.sessions {
		e.id = newID(e.id)
		for _, list := range [][]int64{e.clients, e.attributes, e.skills} {
			for i, id := range list {
				list[i] = newID(id)
			}
		}
		e.reps = renumberLinks(e.reps, newID)
		for _, rt := range e.track.reps {
			if rt.joinedRow != 0 {
				rt.joinedRow = newID(rt.joinedRow)
			}
		}
		sessions[e.id] = e
	}
	s.sessions = sessions
}

func renumberLinks(links map[int64]int64, newID func(int64) int64) map[int64]int64 {
	out := make(map[int64]int64, len(links))
	for key, value := range links {
		out[newID(key)] = newID(value)
	}
	return out
}
