package state

import (
	"encoding/json"
	"sort"
)

// Model is the appliance's state: one Table per table of the system state
// model, plus what the dashboard remembers across updates.
type Model struct {
	CustomerClients               *Table[CustomerClient, *CustomerClient]
	Queues                        *Table[Queue, *Queue]
	Representatives               *Table[Representative, *Representative]
	RepresentativeQueues          *Table[RepresentativeQueue, *RepresentativeQueue]
	RepresentativeSupportSessions *Table[RepresentativeSupportSession, *RepresentativeSupportSession]
	SupportSessions               *Table[SupportSession, *SupportSession]
	SupportSessionAttributes      *Table[SupportSessionAttribute, *SupportSessionAttribute]
	SupportSessionSkills          *Table[SupportSessionSkill, *SupportSessionSkill]
	PresentationSessions          *Table[OpaqueRow, *OpaqueRow]
	Attendees                     *Table[OpaqueRow, *OpaqueRow]
	Presenters                    *Table[OpaqueRow, *OpaqueRow]

	order      []tableOps     // in TableNames order
	tableIndex map[string]int // table name → index in order

	// scratch and sessions are reused by every Apply to read tables and
	// collect support session ids without allocating.
	scratch  tableScratch
	sessions []int64

	// teamQueues maps a support session id to the last team queue it sat in.
	// Once a representative picks a session up, it moves to the
	// representative's personal queue and the team would otherwise be lost.
	teamQueues map[int64]int64
}

// NewModel returns an empty model.
func NewModel() *Model {
	m := &Model{
		CustomerClients:               newTable[CustomerClient](TableCustomerClient, customerClientSchema),
		Queues:                        newTable[Queue](TableQueue, queueSchema),
		Representatives:               newTable[Representative](TableRepresentative, representativeSchema),
		RepresentativeQueues:          newTable[RepresentativeQueue](TableRepresentativeQueue, representativeQueueSchema),
		RepresentativeSupportSessions: newTable[RepresentativeSupportSession](TableRepresentativeSupportSession, representativeSupportSessionSchema),
		SupportSessions:               newTable[SupportSession](TableSupportSession, supportSessionSchema),
		SupportSessionAttributes:      newTable[SupportSessionAttribute](TableSupportSessionAttribute, supportSessionAttributeSchema),
		SupportSessionSkills:          newTable[SupportSessionSkill](TableSupportSessionSkill, supportSessionSkillSchema),
		PresentationSessions:          newTable[OpaqueRow](TablePresentationSession, opaqueSchema),
		Attendees:                     newTable[OpaqueRow](TableAttendee, opaqueSchema),
		Presenters:                    newTable[OpaqueRow](TablePresenter, opaqueSchema),
		teamQueues:                    make(map[int64]int64),
	}
	m.order = []tableOps{
		m.CustomerClients, m.Queues, m.Representatives, m.RepresentativeQueues,
		m.RepresentativeSupportSessions, m.SupportSessions, m.SupportSessionAttributes,
		m.SupportSessionSkills, m.PresentationSessions, m.Attendees, m.Presenters,
	}
	if len(m.order) != tableCount {
		panic("state: tableCount differs from the number of tables of Model")
	}
	m.tableIndex = make(map[string]int, len(m.order))
	for i, t := range m.order {
		m.tableIndex[t.Name()] = i
	}
	return m
}

// Reset empties every table, as truncate_model or a fresh snapshot does.
func (m *Model) Reset() {
	for _, t := range m.order {
		t.reset()
	}
	clear(m.teamQueues)
}

// Rows returns the total number of rows in all tables.
func (m *Model) Rows() int {
	n := 0
	for _, t := range m.order {
		n += t.Len()
	}
	return n
}

// Apply applies one state API message: model_update (or its older name
// update_model) and truncate_model. Other types are reported as
// UnknownType and change nothing.
func (m *Model) Apply(msg *Message) Result {
	var res Result
	switch {
	case msg.IsModelUpdate():
		m.applyUpdate(msg, &res)
	case msg.Type == TypeTruncateModel:
		m.Reset()
		res.Truncated = true
	default:
		res.reportf(UnknownType, "", "", "", "message type %q ignored", msg.Type)
	}
	return res
}

func (m *Model) applyUpdate(msg *Message, res *Result) {
	sc := &m.scratch
	defer sc.release()
	for _, insert := range [...]bool{true, false} {
		section := msg.Update
		if insert {
			section = msg.Insert
		}
		m.forEachTable(section, res, func(t tableOps, raw json.RawMessage) {
			if isNull(raw) {
				return
			}
			if !sc.readRows(raw) {
				res.reportf(InvalidRow, t.Name(), "", "", "want an object of rows keyed by id, got %s", abbreviate(raw))
				return
			}
			var stored *[]int64
			if t == tableOps(m.SupportSessions) {
				stored = &m.sessions
			}
			t.upsertRows(sc, insert, res, stored)
		})
		// Remember after each section: a session inserted into a team queue
		// and moved to a personal queue by the update of the same message
		// still waited in that team queue.
		m.rememberTeamQueues(m.sessions)
		m.sessions = m.sessions[:0]
	}

	m.forEachTable(msg.Delete, res, func(t tableOps, raw json.RawMessage) {
		if isNull(raw) {
			return
		}
		if !sc.readIDs(raw) {
			res.reportf(InvalidRow, t.Name(), "", "", "want an array of row ids, got %s", abbreviate(raw))
			return
		}
		var removed *[]int64
		if t == tableOps(m.SupportSessions) {
			removed = &m.sessions
		}
		t.removeIDs(sc, res, removed)
		for _, id := range m.sessions {
			delete(m.teamQueues, id)
		}
		m.sessions = m.sessions[:0]
	})
}

// forEachTable calls fn for each table of a section in TableNames order, so
// that queues are known before the support sessions that refer to them, and
// reports tables the model does not have.
func (m *Model) forEachTable(section map[string]json.RawMessage, res *Result, fn func(tableOps, json.RawMessage)) {
	if len(section) == 0 {
		return
	}
	// Look up each name of the section once, instead of each table of the
	// model in the section.
	var tables [tableCount]json.RawMessage
	var present [tableCount]bool
	var unknown []string
	for name, raw := range section {
		i, ok := m.tableIndex[name]
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		tables[i], present[i] = raw, true
	}
	for i, t := range m.order {
		if present[i] {
			fn(t, tables[i])
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		res.reportf(UnknownTable, name, "", "", "table ignored")
	}
}

func (m *Model) rememberTeamQueues(sessions []int64) {
	for _, id := range sessions {
		s := m.SupportSessions.Get(id)
		if s == nil {
			continue
		}
		if q := m.Queues.Get(s.QueueID); q != nil && q.IsTeam() {
			m.teamQueues[id] = q.ID
		}
	}
}

// TeamQueueOf returns the id of the last team queue the support session sat
// in, and false when no team queue of it is known.
func (m *Model) TeamQueueOf(sessionID int64) (int64, bool) {
	q, ok := m.teamQueues[sessionID]
	return q, ok
}

// TeamQueues returns a copy of the remembered team queue of each support
// session, for handing to a model built from a snapshot.
func (m *Model) TeamQueues() map[int64]int64 {
	out := make(map[int64]int64, len(m.teamQueues))
	for k, v := range m.teamQueues {
		out[k] = v
	}
	return out
}

// RestoreTeamQueues adds remembered team queues taken from another model,
// for support sessions this model holds.
func (m *Model) RestoreTeamQueues(queues map[int64]int64) {
	for session, queue := range queues {
		if m.SupportSessions.Get(session) != nil {
			m.teamQueues[session] = queue
		}
	}
}

// TeamQueuesByLSID returns the remembered team queue of each support
// session as LSID → queue code name. Unlike row ids, LSIDs and code names
// survive an appliance restart, so this form carries the memory into a
// model built from a later snapshot.
func (m *Model) TeamQueuesByLSID() map[string]string {
	out := make(map[string]string, len(m.teamQueues))
	for session, queue := range m.teamQueues {
		s := m.SupportSessions.Get(session)
		q := m.Queues.Get(queue)
		if s != nil && q != nil && s.LSID != "" {
			out[s.LSID] = q.CodeName
		}
	}
	return out
}

// RestoreTeamQueuesByLSID remembers team queues given by
// TeamQueuesByLSID for the support sessions and team queues of this model.
// Sessions that already have a remembered team queue keep it.
func (m *Model) RestoreTeamQueuesByLSID(byLSID map[string]string) {
	if len(byLSID) == 0 {
		return
	}
	queueByCode := make(map[string]int64)
	for id, q := range m.Queues.All() {
		if q.IsTeam() {
			queueByCode[q.CodeName] = id
		}
	}
	for id, s := range m.SupportSessions.All() {
		if _, known := m.teamQueues[id]; known {
			continue
		}
		if code, ok := byLSID[s.LSID]; ok {
			if queue, ok := queueByCode[code]; ok {
				m.teamQueues[id] = queue
			}
		}
	}
}
