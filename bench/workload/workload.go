// Package workload generates Real-Time State API messages of a large
// support site for the benchmarks: 2,000 logged-in representatives, 150
// team queues, 1,000 waiting sessions and 3,000 sessions in progress, then
// a steady flow of row changes that keeps those counts constant.
//
// The relay, native Apply, WebAssembly Apply and the JavaScript baseline
// all read these messages, so their figures compare.
package workload

import (
	"fmt"
	"strconv"
	"strings"
)

// Sizes of the large site.
const (
	Reps        = 2000
	TeamQueues  = 150
	Waiting     = 1000
	InProgress  = 3000
	TeamsPerRep = 3

	// BurstRowsPerSecond is the rate of row changes a large site sends in
	// its busiest minutes.
	BurstRowsPerSecond = 500

	// UnitRows is the number of row changes in one unit of a message that
	// Next writes.
	UnitRows = 20

	// SnapshotRows is the number of rows in Snapshot: team and personal
	// queues, representatives, their team links, sessions, one customer
	// client per session and the links of the sessions in progress.
	SnapshotRows = TeamQueues + Reps + Reps + TeamsPerRep*Reps + 2*(Waiting+InProgress) + InProgress
)

// startTime is the appliance clock, Unix seconds, of the snapshot.
const startTime = 1733230000

// session is a support session of the site with the rows that belong to
// it.
type session struct {
	id     int64
	client int64 // customer_client row
	link   int64 // representative_support_session row; 0 while waiting
}

// Site is a large site and the position of its flow of changes. The zero
// value is not usable; call NewSite. A Site is not safe for concurrent use.
type Site struct {
	lastID int64
	now    int64 // appliance clock, Unix seconds

	teamQueues []int64
	reps       []int64
	personal   []int64 // personal queue row of reps[i]

	waiting    []session // oldest first
	inProgress []session // oldest first

	// Turns pick the next team queue, representative and status value, so
	// that the flow spreads over the whole site.
	arrivalTurn, pickupTurn, statusTurn int

	snapshot []byte
}

// NewSite returns a large site. The same calls on two sites return the
// same messages.
func NewSite() *Site {
	s := &Site{now: startTime}
	msg := newMessage()
	for q := range TeamQueues {
		id := s.newID()
		s.teamQueues = append(s.teamQueues, id)
		msg.insert("queue", id, fmt.Sprintf(
			`{"name":"Team %d","code_name":"team_%d","type":"team","support_team_id":%d,"created_timestamp":%d}`,
			q+1, q+1, q+1, startTime))
	}
	for r := range Reps {
		queue := s.newID()
		rep := s.newID()
		s.personal = append(s.personal, queue)
		s.reps = append(s.reps, rep)
		msg.insert("queue", queue, fmt.Sprintf(
			`{"name":"Rep %d","code_name":"","type":"personal","support_team_id":0,"created_timestamp":%d}`,
			r+1, startTime))
		msg.insert("representative", rep, repRow(r, queue))
		for t := range TeamsPerRep {
			team := s.teamQueues[(r*TeamsPerRep+t)%TeamQueues]
			msg.insert("representative_queue", s.newID(), fmt.Sprintf(
				`{"representative_id":%d,"queue_id":%d,"created_timestamp":%d}`, rep, team, startTime))
		}
	}
	for range Waiting {
		s.arrive(msg)
	}
	for i := range InProgress {
		rep := i % Reps
		sess := s.addSession(msg, s.personal[rep])
		sess.link = s.newID()
		msg.insert("representative_support_session", sess.link, linkRow(sess.id, s.reps[rep], s.now))
		s.inProgress = append(s.inProgress, sess)
	}
	s.snapshot = msg.encode()
	return s
}

// Snapshot returns the first model_update of a subscription: every row of
// the site as NewSite made it. The caller must not modify it.
func (s *Site) Snapshot() []byte { return s.snapshot }

// Next returns the next model_update of the flow, with units×UnitRows row
// changes. Each unit holds:
//
//   - 2 customers arriving: 2 support sessions and 2 customer clients
//     inserted;
//   - the 2 longest-waiting sessions picked up: 2 session updates, 2
//     representative_support_session inserts and 2 representative
//     updates;
//   - the 2 oldest sessions in progress ending: their session, customer
//     client and representative link deleted;
//   - 4 representative status changes.
//
// The counts of waiting sessions and sessions in progress stay as they
// were. units must be at most 250, so that no row changes twice in one
// message.
func (s *Site) Next(units int) []byte {
	if units < 1 || units > 250 {
		panic("workload: Next needs 1 to 250 units, got " + strconv.Itoa(units))
	}
	s.now++
	msg := newMessage()
	for range units {
		for range 2 {
			s.arrive(msg)
		}
		for range 2 {
			s.pickUp(msg)
		}
		for range 2 {
			s.end(msg)
		}
		for range 4 {
			// The second half of the representatives changes status, so
			// these rows never collide with a pickup's in one message.
			rep := s.reps[Reps/2+s.statusTurn%(Reps/2)]
			msg.update("representative", rep, fmt.Sprintf(`{"routing_idle":%d}`, (s.statusTurn/(Reps/2))%2))
			s.statusTurn++
		}
	}
	return msg.encode()
}

func (s *Site) newID() int64 {
	s.lastID++
	return s.lastID
}

// arrive inserts a session waiting in a team queue.
func (s *Site) arrive(msg *message) {
	queue := s.teamQueues[s.arrivalTurn%TeamQueues]
	s.arrivalTurn++
	s.waiting = append(s.waiting, s.addSession(msg, queue))
}

// addSession inserts a session in a queue, with its customer client.
func (s *Site) addSession(msg *message, queue int64) session {
	sess := session{id: s.newID(), client: s.newID()}
	msg.insert("support_session", sess.id, sessionRow(sess.id, queue, s.now))
	msg.insert("customer_client", sess.client, clientRow(sess.client, sess.id, s.now))
	return sess
}

// pickUp moves the longest-waiting session to a representative of the
// first half.
func (s *Site) pickUp(msg *message) {
	sess := s.waiting[0]
	s.waiting = s.waiting[1:]
	rep := s.pickupTurn % (Reps / 2)
	s.pickupTurn++
	sess.link = s.newID()
	msg.insert("representative_support_session", sess.link, linkRow(sess.id, s.reps[rep], s.now))
	msg.update("support_session", sess.id, fmt.Sprintf(`{"queue_id":%d,"queue_entry_timestamp":%d}`, s.personal[rep], s.now))
	msg.update("representative", s.reps[rep], `{"routing_busy":1}`)
	s.inProgress = append(s.inProgress, sess)
}

// end deletes the oldest session in progress with its rows.
func (s *Site) end(msg *message) {
	sess := s.inProgress[0]
	s.inProgress = s.inProgress[1:]
	msg.remove("support_session", sess.id)
	msg.remove("customer_client", sess.client)
	msg.remove("representative_support_session", sess.link)
}

func repRow(r int, queue int64) string {
	return fmt.Sprintf(`{"user_id":%d,"username":"rep%d","public_display_name":"Rep %d","private_display_name":"Rep %d (desk %d)",`+
		`"routing_available":1,"routing_busy":%d,"routing_idle":0,"routing_enabled":1,"skill_code_names":"","queue_id":%d,`+
		`"hostname":"REP-%d","operating_system":"Windows 11","private_ip":"10.1.%d.%d","public_ip":"203.0.113.%d:%d","created_timestamp":%d}`,
		5000+r, r+1, r+1, r+1, r%40, r%2, queue, r+1, r/250, r%250, r%250, 40000+r, startTime)
}

func sessionRow(id, queue, now int64) string {
	return fmt.Sprintf(`{"lsid":"%032x","queue_id":%d,"queue_entry_timestamp":%d,"customer_name":"Customer %d",`+
		`"customer_company":"Company %d","customer_company_code":"","customer_description":"Cannot reach the file share from laptop %d",`+
		`"start_method":"issue_submission","priority":2,"estimated_pickup_timestamp":%d,"created_timestamp":%d}`,
		id, queue, now, id, id%97, id, now+300, now)
}

func clientRow(id, session, now int64) string {
	return fmt.Sprintf(`{"support_session_id":%d,"client_type":"desktop","elevated":0,"hostname":"PC-%d",`+
		`"operating_system":"Windows 11","private_ip":"192.168.%d.%d","public_ip":"198.51.100.%d:%d","created_timestamp":%d}`,
		session, id, id/250%250, id%250, id%250, 20000+id%40000, now)
}

func linkRow(session, rep, now int64) string {
	return fmt.Sprintf(`{"support_session_id":%d,"representative_id":%d,"created_timestamp":%d}`, session, rep, now)
}

// tableOrder is the order tables are written in. Apply does not depend on
// it; it only makes the messages reproducible.
var tableOrder = []string{
	"queue", "representative", "representative_queue", "support_session",
	"customer_client", "representative_support_session",
}

// message collects the rows of one model_update.
type message struct {
	inserts, updates map[string][]row
	deletes          map[string][]int64
}

// row is one row of an insert or update section: its id and its columns as
// JSON object members without the braces.
type row struct {
	id      int64
	columns string
}

func newMessage() *message {
	return &message{
		inserts: make(map[string][]row),
		updates: make(map[string][]row),
		deletes: make(map[string][]int64),
	}
}

func (m *message) insert(table string, id int64, object string) {
	m.inserts[table] = append(m.inserts[table], row{id, members(object)})
}

func (m *message) update(table string, id int64, object string) {
	m.updates[table] = append(m.updates[table], row{id, members(object)})
}

func (m *message) remove(table string, id int64) {
	m.deletes[table] = append(m.deletes[table], id)
}

func members(object string) string {
	return object[1 : len(object)-1]
}

func (m *message) encode() []byte {
	var b strings.Builder
	b.WriteString(`{"type":"model_update"`)
	writeRows(&b, "insert", m.inserts)
	writeRows(&b, "update", m.updates)
	if len(m.deletes) > 0 {
		b.WriteString(`,"delete":{`)
		first := true
		for _, table := range tableOrder {
			ids, ok := m.deletes[table]
			if !ok {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			b.WriteString(`"` + table + `":[`)
			for i, id := range ids {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(`"` + strconv.FormatInt(id, 10) + `"`)
			}
			b.WriteByte(']')
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return []byte(b.String())
}

func writeRows(b *strings.Builder, name string, section map[string][]row) {
	if len(section) == 0 {
		return
	}
	b.WriteString(`,"` + name + `":{`)
	first := true
	for _, table := range tableOrder {
		rows, ok := section[table]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(`"` + table + `":{`)
		for i, r := range rows {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + strconv.FormatInt(r.id, 10) + `":{` + r.columns + `}`)
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
}
