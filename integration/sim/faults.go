package sim

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FaultKind names a fault the simulator can inject into /nw traffic.
type FaultKind string

// Fault kinds. The malformed-line kinds send one extra line to every
// subscribed socket and never change the simulator's model, so ModelJSON
// is what a correct client holds after ignoring that line.
const (
	// FaultDrop closes every socket with status 1001, like DropConnections.
	// ModelJSON is unchanged.
	FaultDrop FaultKind = "drop"
	// FaultTruncate sends truncate_model and a full insert, like
	// TruncateModel. ModelJSON is unchanged.
	FaultTruncate FaultKind = "truncate_model"
	// FaultReset renumbers every row, like ResetModel. ModelJSON contains
	// the same rows under new ids.
	FaultReset FaultKind = "reset"
	// FaultRevoke revokes every token, like RevokeTokens. ModelJSON is
	// unchanged.
	FaultRevoke FaultKind = "revoke"
	// FaultStall stops writing to the sockets open now for
	// FaultConfig.StallDuration without closing them. Changes keep
	// queueing; a socket whose queue fills up is dropped as too slow.
	FaultStall FaultKind = "stall"
	// FaultBadJSON sends a line that is not valid JSON.
	FaultBadJSON FaultKind = "bad_json"
	// FaultUnknownTable sends a model_update that inserts a row into the
	// table UnknownTable. ModelJSON never contains that table.
	FaultUnknownTable FaultKind = "unknown_table"
	// FaultUnknownColumn sends a model_update that sets the column
	// UnknownColumn on one existing row. ModelJSON never contains that
	// column, so a client that keeps unknown columns must drop names with
	// UnknownNamePrefix before comparing.
	FaultUnknownColumn FaultKind = "unknown_column"
	// FaultUnknownUpdate sends an update of a support_session id that
	// never exists. A client that creates rows from such updates holds a
	// row that ModelJSON does not contain.
	FaultUnknownUpdate FaultKind = "unknown_update"
	// FaultUnknownDelete sends a delete of a support_session id that never
	// exists.
	FaultUnknownDelete FaultKind = "unknown_delete"
	// FaultUnknownType sends a message of the type UnknownMessageType.
	FaultUnknownType FaultKind = "unknown_type"
)

// Names the malformed-line faults put on the wire. They all start with
// UnknownNamePrefix.
const (
	UnknownNamePrefix  = "x_sim_"
	UnknownTable       = "x_sim_unknown_table"
	UnknownColumn      = "x_sim_unknown_column"
	UnknownMessageType = "x_sim_unknown_message"
)

// AllFaults lists every fault kind.
var AllFaults = []FaultKind{
	FaultDrop, FaultTruncate, FaultReset, FaultRevoke, FaultStall, FaultBadJSON,
	FaultUnknownTable, FaultUnknownColumn, FaultUnknownUpdate, FaultUnknownDelete, FaultUnknownType,
}

// MalformedFaults lists the kinds that send one malformed or unknown line.
var MalformedFaults = []FaultKind{
	FaultBadJSON, FaultUnknownTable, FaultUnknownColumn, FaultUnknownUpdate, FaultUnknownDelete, FaultUnknownType,
}

// FaultConfig schedules faults. With an Interval above 0, Start injects
// one fault per Interval of host time, taking Kinds in turn.
type FaultConfig struct {
	Interval time.Duration
	// Kinds are injected in this order, then from the start again; nil
	// means AllFaults.
	Kinds []FaultKind
	// StallDuration is how long FaultStall stops writes; 0 means 30 s.
	StallDuration time.Duration
}

// ParseFaultKinds parses a comma-separated list of fault kind names, or
// "all".
func ParseFaultKinds(list string) ([]FaultKind, error) {
	if list == "all" {
		return slices.Clone(AllFaults), nil
	}
	var kinds []FaultKind
	for _, name := range splitList(list) {
		kind := FaultKind(name)
		if !slices.Contains(AllFaults, kind) {
			return nil, fmt.Errorf("unknown fault kind %q: use all or any of %v", name, AllFaults)
		}
		kinds = append(kinds, kind)
	}
	return kinds, nil
}

// InjectFault injects one fault now.
func (s *Simulator) InjectFault(kind FaultKind) error {
	s.log.Info("injecting fault", "kind", kind)
	switch kind {
	case FaultDrop:
		s.DropConnections()
	case FaultTruncate:
		s.TruncateModel()
	case FaultReset:
		s.ResetModel()
	case FaultRevoke:
		s.RevokeTokens()
	case FaultStall:
		s.Stall(s.stallDuration())
	default:
		if !slices.Contains(MalformedFaults, kind) {
			return fmt.Errorf("sim: unknown fault kind %q", kind)
		}
		s.sendMalformed(kind)
	}
	s.mu.Lock()
	s.faultCount++
	s.mu.Unlock()
	return nil
}

// sendMalformed flushes the pending batch, so the line goes out between
// two complete batches, then queues the line on every subscribed socket.
func (s *Simulator) sendMalformed(kind FaultKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flushLocked()
	line := s.malformedLineLocked(kind)
	for c := range s.conns {
		if c.tables != nil {
			s.sendLocked(c, outbound{data: line})
		}
	}
}

func (s *Simulator) stallDuration() time.Duration {
	if s.cfg.Faults.StallDuration > 0 {
		return s.cfg.Faults.StallDuration
	}
	return 30 * time.Second
}

// Stall stops writing to every open /nw socket for d of host time without
// closing it. Messages keep queueing and go out when the stall ends;
// sockets opened during the stall are not stalled.
func (s *Simulator) Stall(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	until := time.Now().Add(d)
	for c := range s.conns {
		c.stallUntil = until
	}
}

// FaultsInjected returns the number of faults injected so far.
func (s *Simulator) FaultsInjected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faultCount
}

// malformedLineLocked builds the line of a malformed-line fault. Ids come
// from the model's counter, so no real row ever gets them. The caller
// holds s.mu.
func (s *Simulator) malformedLineLocked(kind FaultKind) []byte {
	messageType := s.updateType()
	switch kind {
	case FaultBadJSON:
		return []byte(`{"type":"` + messageType + `","insert":{"support_session":{` + "\n")
	case FaultUnknownTable:
		id := strconv.FormatInt(s.model.nextID(), 10)
		return encodeLine(modelUpdate{Type: messageType, Insert: map[string]map[string]row{
			UnknownTable: {id: {"name": "injected", "created_timestamp": s.now().Unix()}},
		}})
	case FaultUnknownColumn:
		table, id, ok := s.anyRowLocked()
		if !ok {
			return encodeLine(map[string]string{"type": UnknownMessageType})
		}
		return encodeLine(modelUpdate{Type: messageType, Update: map[string]map[string]row{
			table: {strconv.FormatInt(id, 10): {UnknownColumn: "injected"}},
		}})
	case FaultUnknownUpdate:
		id := strconv.FormatInt(s.model.nextID(), 10)
		return encodeLine(modelUpdate{Type: messageType, Update: map[string]map[string]row{
			TableSupportSession: {id: {"priority": int64(1)}},
		}})
	case FaultUnknownDelete:
		id := strconv.FormatInt(s.model.nextID(), 10)
		return encodeLine(modelUpdate{Type: messageType, Delete: map[string][]string{TableSupportSession: {id}}})
	}
	return encodeLine(map[string]any{"type": UnknownMessageType, "data": map[string]int64{"sequence": int64(s.faultCount)}})
}

// anyRowLocked returns the lowest id of the first table in AllTables that
// has rows.
func (s *Simulator) anyRowLocked() (string, int64, bool) {
	for _, table := range AllTables {
		if rows := s.model.tables[table]; len(rows) > 0 {
			return table, slices.Min(slices.Collect(maps.Keys(rows))), true
		}
	}
	return "", 0, false
}

// StopFaults ends the fault schedule of FaultConfig.Interval. A stall in
// progress runs to its end. InjectFault keeps working.
func (s *Simulator) StopFaults() {
	s.mu.Lock()
	stop, done := s.stopRuns, s.faultsDone
	s.mu.Unlock()
	if stop == nil {
		return
	}
	stop()
	// A fault that was due when the schedule stopped may still be on its
	// way; no fault is injected once StopFaults returns.
	<-done
}

// runFaults injects scheduled faults until Close or StopFaults. Start runs it when
// FaultConfig.Interval is above 0.
func (s *Simulator) runFaults(ctx context.Context) {
	kinds := s.cfg.Faults.Kinds
	if len(kinds) == 0 {
		kinds = AllFaults
	}
	ticker := time.NewTicker(s.cfg.Faults.Interval)
	defer ticker.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		case <-ticker.C:
		}
		if err := s.InjectFault(kinds[i%len(kinds)]); err != nil {
			s.log.Error("scheduled fault failed", "kind", kinds[i%len(kinds)], "err", err)
		}
	}
}

// splitList splits a comma-separated list and drops empty items.
func splitList(list string) []string {
	var items []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	return items
}
