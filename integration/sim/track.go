package sim

import (
	"maps"
	"slices"
	"time"
)

// sessionTrack collects what the Reporting API needs about a session while
// it runs: participants with their time in the session, and events.
type sessionTrack struct {
	sequence   int64
	siteID     int64
	customer   SessionCustomer
	nextGS     int
	reps       map[int64]*repTrack // by user id
	order      []int64             // user ids in join order
	events     []SessionEvent
	ownerUser  int64 // user id of the current or last owner; 0 when none yet
	primary    int64 // user id of the first owner
	attributes map[string]string
}

// repTrack is one rep's part in a session. joinedRow is the
// representative_support_session row of the current stint, 0 when the rep
// has left.
type repTrack struct {
	rep       SessionRep
	joinedRow int64
}

func (t *sessionTrack) gsnumber() int {
	t.nextGS++
	return t.nextGS
}

func (t *sessionTrack) event(at int64, kind string, by, to *Participant, data ...EventValue) {
	t.events = append(t.events, SessionEvent{Time: time.Unix(at, 0).UTC(), Type: kind, PerformedBy: by, Destination: to, Data: data})
}

func (t *sessionTrack) customerParticipant() *Participant {
	return &Participant{Type: "customer", GSNumber: t.customer.GSNumber, Name: t.customer.Name}
}

func (t *sessionTrack) repParticipant(userID int64) *Participant {
	r := t.reps[userID]
	if r == nil {
		return &Participant{Type: "system"}
	}
	return &Participant{Type: "representative", GSNumber: r.rep.GSNumber, Name: r.rep.PublicName}
}

// startTrack creates the track of a new session. The caller has inserted
// the session and customer client rows.
func (s *site) startTrack(entry *sessionEntry, c Customer, team *teamEntry) {
	s.lastSequence++
	client := s.model.get(TableCustomerClient, entry.clients[0])
	t := &sessionTrack{
		sequence:   s.lastSequence,
		siteID:     c.PublicSiteID,
		reps:       map[int64]*repTrack{},
		attributes: maps.Clone(c.Attributes),
	}
	t.customer = SessionCustomer{
		GSNumber:  t.gsnumber(),
		Name:      c.Name,
		Company:   c.Company,
		Issue:     c.Description,
		Hostname:  c.Hostname,
		OS:        c.OS,
		PublicIP:  stringColumn(client, "public_ip"),
		PrivateIP: stringColumn(client, "private_ip"),
	}
	now := s.unix()
	t.event(now, EventSessionStart, nil, nil)
	t.event(now, EventMemberAdded, t.customerParticipant(), nil)
	queue := &Participant{Type: "system", Name: team.name}
	t.event(now, EventOwnerChanged, &Participant{Type: "system"}, queue, EventValue{Name: "owner", Value: team.name})
	entry.track = t
}

func stringColumn(values row, column string) string {
	text, _ := values[column].(string)
	return text
}

func int64Column(values row, column string) int64 {
	number, _ := values[column].(int64)
	return number
}

// trackJoin records that a rep joined; linkRow is the new
// representative_support_session row.
func (s *site) trackJoin(entry *sessionEntry, r *repEntry, linkRow int64) {
	t := entry.track
	rt := t.reps[r.userID]
	if rt == nil {
		values := s.model.get(TableRepresentative, r.id)
		rt = &repTrack{rep: SessionRep{
			GSNumber:    t.gsnumber(),
			UserID:      r.userID,
			Username:    r.username,
			PublicName:  r.publicName,
			PrivateName: r.privateName,
			Hostname:    stringColumn(values, "hostname"),
			OS:          stringColumn(values, "operating_system"),
			PublicIP:    stringColumn(values, "public_ip"),
			PrivateIP:   stringColumn(values, "private_ip"),
		}}
		t.reps[r.userID] = rt
		t.order = append(t.order, r.userID)
	}
	rt.joinedRow = linkRow
	t.event(s.unix(), EventMemberAdded, t.repParticipant(r.userID), nil)
}

// trackLeave adds the rep's time since joining. The caller calls it before
// the link row is removed, so a backdated created_timestamp counts.
func (s *site) trackLeave(entry *sessionEntry, r *repEntry) {
	t := entry.track
	rt := t.reps[r.userID]
	if rt == nil || rt.joinedRow == 0 {
		return
	}
	rt.rep.SecondsInvolved += s.secondsSince(rt.joinedRow)
	rt.joinedRow = 0
	t.event(s.unix(), EventMemberDeparted, t.repParticipant(r.userID), nil)
}

func (s *site) secondsSince(linkRow int64) int64 {
	joined := int64Column(s.model.get(TableRepresentativeSupportSession, linkRow), "created_timestamp")
	return max(0, s.unix()-joined)
}

// trackOwner records an owner change after the session moved to queueID:
// a rep's personal queue or a team queue.
func (s *site) trackOwner(entry *sessionEntry, queueID int64) {
	t := entry.track
	now := s.unix()
	for repID := range entry.reps {
		r := s.reps[repID]
		if r.queueID != queueID {
			continue
		}
		if t.ownerUser == r.userID {
			return
		}
		t.ownerUser = r.userID
		if t.primary == 0 {
			t.primary = r.userID
		}
		to := t.repParticipant(r.userID)
		t.event(now, EventOwnerChanged, &Participant{Type: "system"}, to, EventValue{Name: "owner", Value: r.publicName})
		return
	}
	for _, team := range s.teams {
		if team.queueID == queueID {
			to := &Participant{Type: "system", Name: team.name}
			t.event(now, EventOwnerChanged, &Participant{Type: "system"}, to, EventValue{Name: "owner", Value: team.name})
			return
		}
	}
}

// record builds the report of a session. A zero end reports it as in
// progress, with the time of reps still in it counted up to now.
func (s *site) record(entry *sessionEntry, end time.Time) ClosedSession {
	t := entry.track
	values := s.model.get(TableSupportSession, entry.id)
	start := time.Unix(int64Column(values, "created_timestamp"), 0).UTC()
	out := ClosedSession{
		LSID:       entry.lsid,
		Sequence:   t.sequence,
		Start:      start,
		End:        end,
		PublicSite: s.publicSite(t.siteID),
		Customer:   t.customer,
		Events:     slices.Clone(t.events),
	}
	if team, ok := s.teamsByCode[entry.teamCode]; ok {
		out.Team = Team{ID: team.supportTeamID, QueueID: team.queueID, Name: team.name, CodeName: team.codeName}
	}
	out.Attributes = maps.Clone(t.attributes)
	if key, ok := out.Attributes["external_key"]; ok {
		out.ExternalKey = key
		delete(out.Attributes, "external_key")
	}
	// Backdated sessions of the starting site began before their first
	// event was recorded.
	for i := range out.Events {
		if out.Events[i].Time.Before(start) || i == 0 {
			out.Events[i].Time = start
		}
	}
	for _, userID := range t.order {
		rt := t.reps[userID]
		rep := rt.rep
		if rt.joinedRow != 0 {
			rep.SecondsInvolved += s.secondsSince(rt.joinedRow)
		}
		rep.Owner = userID == t.ownerUser
		rep.Primary = userID == t.primary
		out.Reps = append(out.Reps, rep)
	}
	return out
}

// finishSession ends a session and stores its report in the history.
// answers nil draws the surveys from SurveyConfig; otherwise answers is
// the customer survey and no rep survey is recorded.
func (s *site) finishSession(sessionID int64, answers map[string]string) error {
	entry, err := s.session(sessionID)
	if err != nil {
		return err
	}
	now := s.now().Truncate(time.Second).UTC()
	t := entry.track
	closer := &Participant{Type: "system"}
	if t.ownerUser != 0 {
		if rt := t.reps[t.ownerUser]; rt != nil && rt.joinedRow != 0 {
			closer = t.repParticipant(t.ownerUser)
		}
	}
	for _, repID := range slices.Sorted(maps.Keys(entry.reps)) {
		s.trackLeave(entry, s.reps[repID])
	}
	t.event(now.Unix(), EventSessionEnd, closer, nil)
	closed := s.record(entry, now)
	if answers != nil {
		survey := customerSurvey(closed, answers)
		closed.CustomerSurvey = &survey
	} else {
		s.drawSurveys(&closed)
	}
	s.deleteSession(entry)
	s.history.add(closed, now)
	return nil
}

// publicSite returns the site with the id, or the first site.
func (s *site) publicSite(id int64) PublicSite {
	for _, site := range s.publicSites {
		if site.ID == id {
			return site
		}
	}
	return s.publicSites[0]
}
