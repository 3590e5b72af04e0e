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

	tables map[string]tableOps
	order  []tableOps // in TableNames order

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
	m.tables = make(map[string]tableOps, len(m.order))
	for _, t := range m.order {
		m.tables[t.Name()] = t
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
	var sessions []int64
	for _, insert := range []bool{true, false} {
		section := msg.Update
		if insert {
			section = msg.Insert
		}
		m.forEachTable(section, res, func(t tableOps, raw json.RawMessage) {
			err := forEachRow(raw, func(key string, row json.RawMessage) {
				id, ok := t.upsert(key, row, insert, res)
				if ok && t == tableOps(m.SupportSessions) {
					sessions = append(sessions, id)
				}
			})
			if err != nil {
				res.reportf(InvalidRow, t.Name(), "", "", "%v", err)
			}
		})
		// Remember after each section: a session inserted into a team queue
		// and moved to a personal queue by the update of the same message
		// still waited in that team queue.
		m.rememberTeamQueues(sessions)
		sessions = sessions[:0]
	}

	m.forEachTable(msg.Delete, res, func(t tableOps, raw json.RawMessage) {
		err := forEachID(raw, func(id json.RawMessage) {
			removed, ok := t.remove(id, res)
			if ok && t == tableOps(m.SupportSessions) {
				delete(m.teamQueues, removed)
			}
		})
		if err != nil {
			res.reportf(InvalidRow, t.Name(), "", "", "%v", err)
		}
	})
}

// forEachTable calls fn for each table of a section in TableNames order, so
// that queues are known before the support sessions that refer to them, and
// reports tables the model does not have.
func (m *Model) forEachTable(section map[string]json.RawMessage, res *Result, fn func(tableOps, json.RawMessage)) {
	if len(section) == 0 {
		return
	}
	for _, t := range m.order {
		if raw, ok := section[t.Name()]; ok {
			fn(t, raw)
		}
	}
	if len(section) == countKnown(m.tables, section) {
		return
	}
	unknown := make([]string, 0, 1)
	for name := range section {
		if _, ok := m.tables[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		res.reportf(UnknownTable, name, "", "", "table ignored")
	}
}

func countKnown(tables map[string]tableOps, section map[string]json.RawMessage) int {
	n := 0
	for name := range section {
		if _, ok := tables[name]; ok {
			n++
		}
	}
	return n
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
