package sim

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// PublicSite is a public portal of the appliance. Reports name the site of
// each session as <public_site id="ID">Name</public_site>.
type PublicSite struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// DefaultPublicSites is the site list used when Config.PublicSites is
// empty: the portal every appliance has, id 1.
var DefaultPublicSites = []PublicSite{{ID: 1, Name: "Default"}}

// HistoryConfig bounds the closed-session history that the Reporting API
// serves, so long runs do not grow without limit.
type HistoryConfig struct {
	// MaxSessions is the number of closed sessions kept; 0 means 10,000.
	// The oldest are dropped first.
	MaxSessions int
	// Retention drops sessions that ended longer ago than this, measured on
	// the appliance clock; 0 means 7 days.
	Retention time.Duration
}

// ClosedSession is one support session as the Reporting API reports it.
// Reports of sessions still in progress use the same type with a zero End.
type ClosedSession struct {
	LSID       string
	Sequence   int64 // <lseq>: the session's number since the simulator started
	Start      time.Time
	End        time.Time // zero while the session is in progress
	PublicSite PublicSite
	// Team is the team whose queue the session was last routed to.
	Team        Team
	ExternalKey string            // the external_key attribute, or ""
	Attributes  map[string]string // the other support_session_attribute values
	Customer    SessionCustomer
	// Reps lists every rep who took part, in the order they joined.
	Reps   []SessionRep
	Events []SessionEvent
	// CustomerSurvey and RepSurvey are nil when nobody answered.
	CustomerSurvey *ExitSurvey
	RepSurvey      *ExitSurvey
}

// Duration returns End minus Start, or 0 for a session in progress.
func (c ClosedSession) Duration() time.Duration {
	if c.End.IsZero() {
		return 0
	}
	return c.End.Sub(c.Start)
}

// PrimaryRep returns the rep flagged primary, or nil when no rep took part.
func (c ClosedSession) PrimaryRep() *SessionRep {
	for i := range c.Reps {
		if c.Reps[i].Primary {
			return &c.Reps[i]
		}
	}
	return nil
}

// SessionCustomer is the customer of a session. GSNumber is the
// participant number that events and surveys refer to.
type SessionCustomer struct {
	GSNumber  int
	Name      string
	Company   string
	Issue     string // the customer's problem description
	Hostname  string
	OS        string
	PublicIP  string // address:port, as the appliance writes it
	PrivateIP string
}

// SessionRep is a rep who took part in a session.
type SessionRep struct {
	GSNumber        int
	UserID          int64 // the rep's user id, the id in reports
	Username        string
	PublicName      string
	PrivateName     string
	Hostname        string
	OS              string
	PublicIP        string
	PrivateIP       string
	SecondsInvolved int64
	// Owner marks the rep who owned the session last; Primary marks the
	// first rep who owned it.
	Owner   bool
	Primary bool
}

// Participant names who performed an event or received it. Type is
// "system", "customer" or "representative"; the system has GSNumber 0.
type Participant struct {
	Type     string
	GSNumber int
	Name     string
}

// SessionEvent is one entry of a session's <session_details>.
type SessionEvent struct {
	Time        time.Time
	Type        string // "Session Start", "Conference Owner Changed", …
	PerformedBy *Participant
	Destination *Participant
	Data        []EventValue
}

// EventValue is one <value name=… value=…/> of an event.
type EventValue struct {
	Name  string
	Value string
}

// Event types the simulator records.
const (
	EventSessionStart   = "Session Start"
	EventOwnerChanged   = "Conference Owner Changed"
	EventMemberAdded    = "Conference Member Added"
	EventMemberDeparted = "Conference Member Departed"
	EventSessionEnd     = "Session End"
)

// sessionHistory contains the closed sessions in the order they ended.
type sessionHistory struct {
	sessions []ClosedSession
	byLSID   map[string]int // index into sessions, offset by dropped
	dropped  int            // sessions removed from the front so far
	limits   HistoryConfig
}

func newSessionHistory(limits HistoryConfig) *sessionHistory {
	if limits.MaxSessions <= 0 {
		limits.MaxSessions = 10000
	}
	if limits.Retention <= 0 {
		limits.Retention = 7 * 24 * time.Hour
	}
	return &sessionHistory{byLSID: map[string]int{}, limits: limits}
}

// add stores a closed session and drops sessions past the limits.
func (h *sessionHistory) add(session ClosedSession, now time.Time) {
	h.byLSID[session.LSID] = h.dropped + len(h.sessions)
	h.sessions = append(h.sessions, session)
	cutoff := now.Add(-h.limits.Retention)
	drop := 0
	for drop < len(h.sessions) && (len(h.sessions)-drop > h.limits.MaxSessions || h.sessions[drop].End.Before(cutoff)) {
		delete(h.byLSID, h.sessions[drop].LSID)
		drop++
	}
	if drop > 0 {
		h.sessions = slices.Clone(h.sessions[drop:])
		h.dropped += drop
	}
}

func (h *sessionHistory) lookup(lsid string) (ClosedSession, bool) {
	i, ok := h.byLSID[lsid]
	if !ok {
		return ClosedSession{}, false
	}
	return h.sessions[i-h.dropped], true
}

// cloneClosed returns a deep copy, so callers cannot change the history.
func cloneClosed(c ClosedSession) ClosedSession {
	c.Attributes = maps.Clone(c.Attributes)
	c.Reps = slices.Clone(c.Reps)
	c.Events = slices.Clone(c.Events)
	if c.CustomerSurvey != nil {
		survey := c.CustomerSurvey.clone()
		c.CustomerSurvey = &survey
	}
	if c.RepSurvey != nil {
		survey := c.RepSurvey.clone()
		c.RepSurvey = &survey
	}
	return c
}

// ClosedSessions returns the recorded closed sessions, oldest end first.
func (s *Simulator) ClosedSessions() []ClosedSession {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ClosedSession, 0, len(s.site.history.sessions))
	for _, c := range s.site.history.sessions {
		out = append(out, cloneClosed(c))
	}
	return out
}

// CloseSessionWithSurvey ends a session like EndSession and records a
// customer exit survey with exactly these answers, keyed by question code
// name. Names of CustomerSurveyQuestions take that question's type and
// label, other names become textarea questions, and an empty value is a
// question left unanswered. No rep survey is recorded. It returns the
// session's LSID.
func (s *Simulator) CloseSessionWithSurvey(sessionID int64, answers map[string]string) (lsid string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entry, err := s.site.session(sessionID)
	if err != nil {
		return "", err
	}
	lsid = entry.lsid
	if answers == nil {
		answers = map[string]string{}
	}
	if err := s.site.finishSession(sessionID, answers); err != nil {
		return "", err
	}
	s.changedLocked()
	return lsid, nil
}

func validateSites(sites []PublicSite) error {
	seen := map[int64]bool{}
	for _, site := range sites {
		if site.ID <= 0 {
			return fmt.Errorf("sim: public site %q has id %d, want an id above 0", site.Name, site.ID)
		}
		if seen[site.ID] {
			return fmt.Errorf("sim: public site id %d is used twice", site.ID)
		}
		seen[site.ID] = true
	}
	return nil
}
