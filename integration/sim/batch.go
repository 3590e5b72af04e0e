package sim

import (
	"maps"
	"slices"
	"strings"
	"time"
)

// updateType returns the message type of model updates.
func (s *Simulator) updateType() string {
	if s.cfg.Protocol.UseUpdateModelType {
		return "update_model"
	}
	return "model_update"
}

// changedLocked arms the batch timer after a change. The caller holds s.mu.
func (s *Simulator) changedLocked() {
	if s.flushTimer != nil || s.closed || s.model.pending.empty() {
		return
	}
	s.flushTimer = time.AfterFunc(s.cfg.BatchDelay, s.Flush)
}

// Flush sends the pending batch to every subscribed socket now.
func (s *Simulator) Flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
}

// flushLocked sends the pending batch as one model_update per socket,
// filtered to the socket's tables. The caller holds s.mu.
func (s *Simulator) flushLocked() {
	if s.flushTimer != nil {
		s.flushTimer.Stop()
		s.flushTimer = nil
	}
	batch := s.model.takePending()
	if batch.empty() {
		return
	}
	encoded := map[string][]byte{}
	for c := range s.conns {
		if c.tables == nil {
			continue
		}
		key := strings.Join(c.tables, ",")
		data, ok := encoded[key]
		if !ok {
			data = encodeBatch(batch, s.updateType(), c.subscribed())
			encoded[key] = data
		}
		if data != nil {
			s.sendLocked(c, outbound{data: data})
		}
	}
}

// TruncateModel sends {"type":"truncate_model"} followed by a full insert
// of the current model to every subscribed socket. Ids stay the same.
func (s *Simulator) TruncateModel() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
	s.resendModelLocked()
}

// ResetModel simulates an appliance restart: every row gets a new id, and
// subscribed sockets receive truncate_model followed by a full insert.
// LSIDs, user ids and support team ids stay, as they live outside the model.
func (s *Simulator) ResetModel() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
	s.renumberLocked()
	s.resendModelLocked()
}

func (s *Simulator) resendModelLocked() {
	truncate := encodeLine(map[string]string{"type": "truncate_model"})
	for c := range s.conns {
		if c.tables == nil {
			continue
		}
		s.sendLocked(c, outbound{data: truncate})
		s.sendLocked(c, outbound{data: encodeSnapshot(s.model.tables, s.updateType(), c.tables)})
	}
}

// renumberLocked gives every row a new id and rewrites the foreign keys and
// the site index to match. New ids come from the same counter, so no id of
// the old model returns.
func (s *Simulator) renumberLocked() {
	m := s.model
	mapping := map[int64]int64{}
	for _, table := range AllTables {
		for _, id := range slices.Sorted(maps.Keys(m.tables[table])) {
			mapping[id] = m.nextID()
		}
	}
	renumbered := newTableSet()
	for _, table := range AllTables {
		for id, values := range m.tables[table] {
			for _, column := range []string{"support_session_id", "representative_id", "queue_id"} {
				if old, ok := values[column].(int64); ok {
					if replacement, ok := mapping[old]; ok {
						values[column] = replacement
					}
				}
			}
			renumbered[table][mapping[id]] = values
		}
	}
	m.tables = renumbered
	s.site.renumber(func(old int64) int64 { return mapping[old] })
}
