package sim

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
)

// Table names of the Real-Time State API system state model.
const (
	TableCustomerClient               = "customer_client"
	TableQueue                        = "queue"
	TableRepresentative               = "representative"
	TableRepresentativeQueue          = "representative_queue"
	TableRepresentativeSupportSession = "representative_support_session"
	TableSupportSession               = "support_session"
	TableSupportSessionAttribute      = "support_session_attribute"
	TableSupportSessionSkill          = "support_session_skill"
	TablePresentationSession          = "presentation_session"
	TableAttendee                     = "attendee"
	TablePresenter                    = "presenter"
)

// AllTables lists the eleven tables in the order the vendor documents them.
// The presentation tables exist but the simulator never fills them.
var AllTables = []string{
	TableCustomerClient,
	TableQueue,
	TableRepresentative,
	TableRepresentativeQueue,
	TableRepresentativeSupportSession,
	TableSupportSession,
	TableSupportSessionAttribute,
	TableSupportSessionSkill,
	TablePresentationSession,
	TableAttendee,
	TablePresenter,
}

// row maps column names to values. Values are int64 (ids, foreign keys,
// timestamps, 1/0 booleans) or string, exactly as they go on the wire.
type row map[string]any

// tableSet contains rows by table name, then by row id.
type tableSet map[string]map[int64]row

func newTableSet() tableSet {
	tables := make(tableSet, len(AllTables))
	for _, name := range AllTables {
		tables[name] = map[int64]row{}
	}
	return tables
}

// changeBatch collects the changes that go out in the next model_update.
// An insert followed by updates of the same row in one batch travels as one
// insert of the final row. A row inserted and deleted in one batch appears
// in both the insert and the delete part, as the appliance may send it.
type changeBatch struct {
	insert tableSet
	update tableSet
	delete map[string][]int64
}

func newChangeBatch() *changeBatch {
	return &changeBatch{insert: tableSet{}, update: tableSet{}, delete: map[string][]int64{}}
}

func (b *changeBatch) empty() bool {
	return len(b.insert) == 0 && len(b.update) == 0 && len(b.delete) == 0
}

// model is the simulator's own copy of the state model plus the pending
// batch. It is not safe for concurrent use; the Simulator locks around it.
type model struct {
	tables  tableSet
	pending *changeBatch
	lastID  int64
}

func newModel() *model {
	return &model{tables: newTableSet(), pending: newChangeBatch()}
}

// nextID returns a new row id. One counter serves every table, so ids are
// unique across the model and never reused until the model is reset.
func (m *model) nextID() int64 {
	m.lastID++
	return m.lastID
}

// insert adds a row under a new id and returns the id.
func (m *model) insert(table string, values row) int64 {
	id := m.nextID()
	stored := maps.Clone(values)
	m.tables[table][id] = stored
	if m.pending.insert[table] == nil {
		m.pending.insert[table] = map[int64]row{}
	}
	m.pending.insert[table][id] = maps.Clone(stored)
	return id
}

// update sets columns of an existing row and queues only the columns whose
// value changed. It reports whether the row exists.
func (m *model) update(table string, id int64, values row) bool {
	stored, ok := m.tables[table][id]
	if !ok {
		return false
	}
	changed := row{}
	for column, value := range values {
		if stored[column] != value {
			stored[column] = value
			changed[column] = value
		}
	}
	if len(changed) == 0 {
		return true
	}
	if inserted, ok := m.pending.insert[table][id]; ok {
		maps.Copy(inserted, changed)
		return true
	}
	if m.pending.update[table] == nil {
		m.pending.update[table] = map[int64]row{}
	}
	if queued, ok := m.pending.update[table][id]; ok {
		maps.Copy(queued, changed)
	} else {
		m.pending.update[table][id] = changed
	}
	return true
}

// remove deletes a row and queues its id for the delete part. A queued
// update of the row is dropped because the delete supersedes it.
func (m *model) remove(table string, id int64) bool {
	if _, ok := m.tables[table][id]; !ok {
		return false
	}
	delete(m.tables[table], id)
	if updates := m.pending.update[table]; updates != nil {
		delete(updates, id)
		if len(updates) == 0 {
			delete(m.pending.update, table)
		}
	}
	m.pending.delete[table] = append(m.pending.delete[table], id)
	return true
}

func (m *model) get(table string, id int64) row {
	return m.tables[table][id]
}

// takePending returns the pending batch and starts a new one.
func (m *model) takePending() *changeBatch {
	batch := m.pending
	m.pending = newChangeBatch()
	return batch
}

// wireTables converts tables to the JSON shape with string ids as keys. Only
// the named tables are included, each as an object even when empty.
func wireTables(tables tableSet, names []string) map[string]map[string]row {
	out := make(map[string]map[string]row, len(names))
	for _, name := range names {
		rows := make(map[string]row, len(tables[name]))
		for id, values := range tables[name] {
			rows[strconv.FormatInt(id, 10)] = values
		}
		out[name] = rows
	}
	return out
}

// modelUpdate is the JSON body of a model_update message.
type modelUpdate struct {
	Type   string                    `json:"type"`
	Insert map[string]map[string]row `json:"insert,omitempty"`
	Update map[string]map[string]row `json:"update,omitempty"`
	Delete map[string][]string       `json:"delete,omitempty"`
}

// encodeBatch builds the model_update line for the subscribed tables, or
// returns nil when the batch touches none of them. Delete lists hold the
// ids as strings, equal to the insert keys.
func encodeBatch(batch *changeBatch, messageType string, subscribed map[string]bool) []byte {
	message := modelUpdate{Type: messageType}
	for _, part := range []struct {
		source tableSet
		target *map[string]map[string]row
	}{{batch.insert, &message.Insert}, {batch.update, &message.Update}} {
		for table := range part.source {
			if !subscribed[table] || len(part.source[table]) == 0 {
				continue
			}
			if *part.target == nil {
				*part.target = map[string]map[string]row{}
			}
			(*part.target)[table] = wireTables(part.source, []string{table})[table]
		}
	}
	for table, ids := range batch.delete {
		if !subscribed[table] || len(ids) == 0 {
			continue
		}
		if message.Delete == nil {
			message.Delete = map[string][]string{}
		}
		sorted := slices.Clone(ids)
		slices.Sort(sorted)
		for _, id := range sorted {
			message.Delete[table] = append(message.Delete[table], strconv.FormatInt(id, 10))
		}
	}
	if message.Insert == nil && message.Update == nil && message.Delete == nil {
		return nil
	}
	return encodeLine(message)
}

// encodeSnapshot builds the model_update line whose insert part contains
// every row of the subscribed tables.
func encodeSnapshot(tables tableSet, messageType string, names []string) []byte {
	return encodeLine(modelUpdate{Type: messageType, Insert: wireTables(tables, names)})
}

// encodeLine marshals a message and terminates it with "\n".
func encodeLine(message any) []byte {
	data, err := json.Marshal(message)
	if err != nil {
		// The messages contain only maps, strings and integers.
		panic(err)
	}
	return append(data, '\n')
}
