// Package hub keeps the relay's model and fans the appliance's updates out
// to browsers.
//
// Every snapshot and diff gets the next sequence number under one lock, and
// a joining browser receives the snapshot at the current number under the
// same lock, so it sees every later diff exactly once. Sends never block:
// each browser has a bounded queue, and a browser whose queue is full is
// dropped; it reconnects and starts again from a snapshot.
package hub

import (
	"encoding/json"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/rtdash/rtdash/relay/metrics"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

// DefaultQueueSize is the number of messages a browser may fall behind
// before it is dropped.
const DefaultQueueSize = 512

// Options configure a Hub.
type Options struct {
	Hello     wire.Hello
	QueueSize int // 0 means DefaultQueueSize
	Metrics   *metrics.Metrics
	Logger    *slog.Logger
	// Now returns the relay's clock; nil means time.Now.
	Now func() time.Time
	// ApplianceOffset returns the appliance's clock minus the relay's; nil
	// means 0.
	ApplianceOffset func() time.Duration
}

// Hub is the relay's model and its browsers. It is safe for concurrent use.
type Hub struct {
	opts    Options
	log     *slog.Logger
	hello   []byte
	builder *view.Builder

	mu       sync.Mutex
	model    *state.Model
	hasModel bool
	seq      uint64
	status   wire.Status
	clients  map[*Client]struct{}

	// snapshot caches the encoded snapshot envelope at snapshotSeq.
	snapshot    []byte
	snapshotSeq uint64

	// closed lists recently closed sessions, newest first; closedMsg and
	// csatMsg are the last closed and CSAT messages, for joining browsers.
	closed    []wire.ClosedSession
	closedMsg []byte
	csatMsg   []byte

	anomalies anomalyLog
}

// New returns a hub with an empty model and no browsers.
func New(opts Options) *Hub {
	if opts.QueueSize <= 0 {
		opts.QueueSize = DefaultQueueSize
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ApplianceOffset == nil {
		opts.ApplianceOffset = func() time.Duration { return 0 }
	}
	h := &Hub{
		opts:    opts,
		log:     opts.Logger,
		model:   state.NewModel(),
		clients: make(map[*Client]struct{}),
		status:  wire.Status{Appliance: wire.ApplianceConnecting, Since: opts.Now().UnixMilli()},
		builder: view.NewBuilder(opts.Hello.Settings),
	}
	h.hello = h.encode(wire.Envelope{Type: wire.TypeHello, Hello: &opts.Hello})
	h.anomalies.log = opts.Logger
	return h
}

func (h *Hub) now() int64 { return h.opts.Now().UnixMilli() }

func (h *Hub) encode(env wire.Envelope) []byte {
	if env.Time == 0 {
		env.Time = h.now()
	}
	b, err := json.Marshal(env)
	if err != nil {
		// Envelopes hold only encodable values.
		panic("hub: encoding envelope: " + err.Error())
	}
	return b
}

// Snapshot replaces the model with the first model_update of a new
// subscription and sends the new snapshot to every browser.
func (h *Hub) Snapshot(msg *state.Message, raw []byte, received time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	memory := h.model.TeamQueuesByLSID()
	h.model.Reset()
	res := h.model.Apply(msg)
	h.model.RestoreTeamQueuesByLSID(memory)
	h.hasModel = true
	h.seq++
	h.anomalies.record(&res, h.opts.Metrics)
	h.log.Info("model replaced from snapshot", "rows", h.model.Rows(), "seq", h.seq)
	h.broadcast(h.snapshotLocked())
}

// Update applies a model_update and forwards it to every browser.
func (h *Hub) Update(msg *state.Message, raw []byte, received time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.hasModel {
		// Updates before a snapshot have no model to apply to.
		return
	}
	closed := h.captureClosed(msg, received)
	res := h.model.Apply(msg)
	h.seq++
	h.anomalies.record(&res, h.opts.Metrics)
	if m := h.opts.Metrics; m != nil {
		m.DiffsApplied.Inc()
		m.RowChanges.Add(float64(res.Changes()))
	}
	h.broadcast(appendDiff(nil, h.seq, received.UnixMilli(), raw))
	h.addClosedLocked(closed)
}

// appendDiff encodes a diff envelope around the appliance's message as
// received, which Decode has already checked to be a JSON object.
func appendDiff(dst []byte, seq uint64, received int64, raw []byte) []byte {
	dst = append(dst, `{"type":"diff","seq":`...)
	dst = strconv.AppendUint(dst, seq, 10)
	dst = append(dst, `,"time":`...)
	dst = strconv.AppendInt(dst, received, 10)
	dst = append(dst, `,"diff":`...)
	dst = append(dst, raw...)
	return append(dst, '}')
}

// Malformed counts and logs appliance input that was not a valid message
// or had a type the relay does not handle.
func (h *Hub) Malformed(line []byte, kind state.AnomalyKind, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.anomalies.malformed(line, kind, err, h.opts.Metrics)
}

// SetStatus records the appliance's status and sends it to every browser.
func (h *Hub) SetStatus(s wire.Status) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status = s
	h.broadcast(h.encode(wire.Envelope{Type: wire.TypeStatus, Status: &s}))
}

// Status returns the last status set.
func (h *Hub) Status() wire.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.status
}

// Heartbeat sends every browser the current sequence number and the relay's
// time, which keeps idle connections open and lets browsers spot stale data
// and learn the clock offset.
func (h *Hub) Heartbeat() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.broadcast(h.encode(wire.Envelope{Type: wire.TypeHeartbeat, Seq: h.seq}))
}

// Ready reports whether the model holds a snapshot of a connected
// appliance.
func (h *Hub) Ready() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hasModel && h.status.Appliance == wire.ApplianceConnected
}

// snapshotLocked returns the snapshot envelope at the current sequence
// number, encoding it once per sequence number.
func (h *Hub) snapshotLocked() []byte {
	if h.snapshot != nil && h.snapshotSeq == h.seq {
		return h.snapshot
	}
	// The next snapshot is about the size of the last one; sizing the
	// buffer up front saves the copies of growing it.
	h.snapshot = h.appendSnapshot(make([]byte, 0, len(h.snapshot)+len(h.snapshot)/8+4096))
	h.snapshotSeq = h.seq
	return h.snapshot
}

// appendSnapshot encodes the snapshot envelope at the current sequence
// number.
func (h *Hub) appendSnapshot(dst []byte) []byte {
	dst = append(dst, `{"type":"snapshot","seq":`...)
	dst = strconv.AppendUint(dst, h.seq, 10)
	dst = append(dst, `,"time":`...)
	dst = strconv.AppendInt(dst, h.now(), 10)
	dst = append(dst, `,"snapshot":`...)
	dst = h.appendModel(dst)
	return append(dst, '}')
}

// appendModel encodes the model as the object wire.Snapshot describes.
func (h *Hub) appendModel(dst []byte) []byte {
	dst = append(dst, `{"tables":`...)
	dst = h.model.AppendJSON(dst)
	if queues := h.model.TeamQueues(); len(queues) > 0 {
		dst = append(dst, `,"team_queues":{`...)
		first := true
		for session, queue := range queues {
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = append(dst, '"')
			dst = strconv.AppendInt(dst, session, 10)
			dst = append(dst, `":`...)
			dst = strconv.AppendInt(dst, queue, 10)
		}
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// APISnapshotJSON returns the current model for the snapshot endpoint:
// {"seq":N,"time":T,"tables":{...},"team_queues":{...}}, and false before
// the first snapshot.
func (h *Hub) APISnapshotJSON() ([]byte, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.hasModel {
		return nil, false
	}
	dst := append([]byte(nil), `{"seq":`...)
	dst = strconv.AppendUint(dst, h.seq, 10)
	dst = append(dst, `,"time":`...)
	dst = strconv.AppendInt(dst, h.now(), 10)
	dst = append(dst, ',')
	model := h.appendModel(nil)
	dst = append(dst, model[1:]...)
	return dst, true
}

// Seq returns the sequence number of the last snapshot or diff.
func (h *Hub) Seq() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seq
}

// clockOffsetStep is the change of the appliance clock offset worth telling
// browsers about.
const clockOffsetStep = 250 * time.Millisecond

// SetClockOffset records the appliance's clock offset and sends browsers the
// status again when it moved by clockOffsetStep or more.
func (h *Hub) SetClockOffset(offset time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ms := offset.Milliseconds()
	delta := ms - h.status.ClockOffsetMillis
	if delta < 0 {
		delta = -delta
	}
	if time.Duration(delta)*time.Millisecond < clockOffsetStep {
		return
	}
	h.status.ClockOffsetMillis = ms
	s := h.status
	h.broadcast(h.encode(statusEnvelope(&s)))
}
