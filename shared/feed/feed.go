// Package feed consumes the relay's messages in the browser: it keeps the
// model in step with the relay, checks sequence numbers, tracks the
// appliance's status and learns the clock offsets that turn the browser's
// clock into appliance time.
package feed

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

// ErrOutOfSequence is returned by Handle when a diff does not follow the
// last applied sequence number. The model is then unreliable: the caller
// must reconnect to get a fresh snapshot.
var ErrOutOfSequence = errors.New("relay message out of sequence")

// Change is the set of things a handled message changed.
type Change uint8

// Change flags.
const (
	ChangedHello Change = 1 << iota
	ChangedStatus
	ChangedModel
	ChangedCSAT
	ChangedClosed
)

// offsetSamples is how many recent clock samples the relay offset is
// estimated from.
const offsetSamples = 16

// Feed is the browser's copy of the relay's state. It is not safe for
// concurrent use.
type Feed struct {
	model   *state.Model
	builder *view.Builder
	hello   *wire.Hello
	status  wire.Status
	csat    *wire.CSAT
	closed  []wire.ClosedSession

	seq    uint64
	synced bool

	// lastData is the local time the last message arrived.
	lastData time.Time

	// samples holds recent (relay time − local receive time) values in
	// milliseconds. Network delay only makes a sample smaller, so the
	// largest recent sample is the best estimate of the offset.
	samples     [offsetSamples]int64
	sampleCount int

	// Anomalies counts appliance input the model could not take as it came.
	Anomalies int
}

// New returns an empty feed.
func New() *Feed {
	return &Feed{model: state.NewModel(), builder: view.NewBuilder(view.Settings{})}
}

// Handle applies one relay message received at local time now.
func (f *Feed) Handle(data []byte, now time.Time) (Change, error) {
	// Diffs are most of the traffic: read their envelope without decoding
	// the appliance's message twice. A diff that does not decode goes the
	// slow way, which reports a malformed envelope as an error.
	if bytes.HasPrefix(data, snapshotPrefix) {
		f.lastData = now
		if change, ok := f.loadSnapshotFast(data); ok {
			return change, nil
		}
	}
	if seq, sent, diff, ok := parseDiff(data); ok {
		if msg, err := state.Decode(diff); err == nil {
			f.lastData = now
			f.addSample(sent - now.UnixMilli())
			return f.applyMessage(seq, msg)
		}
	}
	var env wire.Envelope
	if err := json.Unmarshal(data, &env); err != nil {
		return 0, fmt.Errorf("decoding relay message: %w", err)
	}
	f.lastData = now
	if env.Time != 0 {
		f.addSample(env.Time - now.UnixMilli())
	}

	switch env.Type {
	case wire.TypeHello:
		if env.Hello == nil {
			return 0, errors.New("relay hello without content")
		}
		f.hello = env.Hello
		f.builder = view.NewBuilder(env.Hello.Settings)
		return ChangedHello, nil
	case wire.TypeStatus:
		if env.Status == nil {
			return 0, errors.New("relay status without content")
		}
		f.status = *env.Status
		return ChangedStatus, nil
	case wire.TypeSnapshot:
		return f.loadSnapshot(&env)
	case wire.TypeDiff:
		return f.applyDiff(&env)
	case wire.TypeCSAT:
		if env.CSAT == nil {
			return 0, errors.New("relay CSAT message without content")
		}
		f.csat = env.CSAT
		return ChangedCSAT, nil
	case wire.TypeClosed:
		f.closed = env.Closed
		return ChangedClosed, nil
	case wire.TypeHeartbeat:
		if f.synced && env.Seq != f.seq {
			// A diff was lost or repeated, so the model no longer follows
			// the relay, as after a gap between diffs.
			f.synced = false
			return 0, fmt.Errorf("%w: heartbeat at %d, model at %d", ErrOutOfSequence, env.Seq, f.seq)
		}
		return 0, nil
	}
	// Newer relays may send types this browser does not know.
	return 0, nil
}

func (f *Feed) loadSnapshot(env *wire.Envelope) (Change, error) {
	if env.Snapshot == nil {
		return 0, errors.New("relay snapshot without content")
	}
	res, err := f.model.Load(env.Snapshot.Tables)
	if err != nil {
		f.synced = false
		return 0, err
	}
	f.finishSnapshot(env.Seq, res.AnomalyCount, env.Snapshot.TeamQueues)
	return ChangedModel, nil
}

// finishSnapshot completes a loaded snapshot: it restores the remembered
// team queues and starts following the relay from seq.
func (f *Feed) finishSnapshot(seq uint64, anomalies int, teamQueues map[string]int64) {
	f.Anomalies += anomalies
	queues := make(map[int64]int64, len(teamQueues))
	for k, v := range teamQueues {
		if id, err := strconv.ParseInt(k, 10, 64); err == nil {
			queues[id] = v
		}
	}
	f.model.RestoreTeamQueues(queues)
	f.seq = seq
	f.synced = true
}

func (f *Feed) applyDiff(env *wire.Envelope) (Change, error) {
	if !f.synced {
		// Diffs before the first snapshot belong to no model yet.
		return 0, nil
	}
	if env.Seq != f.seq+1 {
		f.synced = false
		return 0, fmt.Errorf("%w: got %d after %d", ErrOutOfSequence, env.Seq, f.seq)
	}
	msg, err := state.Decode(env.Diff)
	if err != nil {
		// The relay forwards only messages it decoded, so this is a relay
		// defect; the sequence stays valid.
		f.seq = env.Seq
		f.Anomalies++
		return 0, nil
	}
	return f.applyMessage(env.Seq, msg)
}

// applyMessage applies a decoded diff with sequence number seq.
func (f *Feed) applyMessage(seq uint64, msg *state.Message) (Change, error) {
	if !f.synced {
		return 0, nil
	}
	if seq != f.seq+1 {
		f.synced = false
		return 0, fmt.Errorf("%w: got %d after %d", ErrOutOfSequence, seq, f.seq)
	}
	f.seq = seq
	res := f.model.Apply(msg)
	f.Anomalies += res.AnomalyCount
	return ChangedModel, nil
}

func (f *Feed) addSample(offset int64) {
	f.samples[f.sampleCount%offsetSamples] = offset
	f.sampleCount++
}

// RelayOffset returns the relay's clock minus the local clock, estimated
// from recent messages.
func (f *Feed) RelayOffset() time.Duration {
	n := min(f.sampleCount, offsetSamples)
	if n == 0 {
		return 0
	}
	best := f.samples[0]
	for _, s := range f.samples[1:n] {
		best = max(best, s)
	}
	return time.Duration(best) * time.Millisecond
}

// ApplianceNow converts a local time to appliance Unix seconds, using the
// relay's offset to this browser and the appliance's offset to the relay.
func (f *Feed) ApplianceNow(now time.Time) int64 {
	t := now.Add(f.RelayOffset()).Add(time.Duration(f.status.ClockOffsetMillis) * time.Millisecond)
	return t.Unix()
}

// Board derives the panels from the current model.
func (f *Feed) Board() *view.Board { return f.builder.Build(f.model) }

// Model returns the feed's model. Callers must not modify it.
func (f *Feed) Model() *state.Model { return f.model }

// Hello returns the last hello, or nil before the first one.
func (f *Feed) Hello() *wire.Hello { return f.hello }

// CSAT returns the last CSAT figure, or nil when the relay sent none (CSAT
// is off).
func (f *Feed) CSAT() *wire.CSAT { return f.csat }

// Closed returns the recently closed sessions the filters show, newest
// first.
func (f *Feed) Closed() []wire.ClosedSession {
	filter := view.NewFilter(f.builder.Settings())
	var shown []wire.ClosedSession
	for _, c := range f.closed {
		var teams []string
		if c.TeamCode != "" {
			teams = []string{c.TeamCode}
		}
		if filter.AnyTeam(teams) && filter.StartMethod(c.StartMethod) {
			shown = append(shown, c)
		}
	}
	return shown
}

// Status returns the last status.
func (f *Feed) Status() wire.Status { return f.status }

// Synced reports whether the model follows the relay: a snapshot arrived
// and no sequence gap was seen since.
func (f *Feed) Synced() bool { return f.synced }

// Seq returns the sequence number of the last applied snapshot or diff.
func (f *Feed) Seq() uint64 { return f.seq }

// LastData returns the local time the last message arrived.
func (f *Feed) LastData() time.Time { return f.lastData }

// Disconnected marks the model as no longer following the relay. The model
// keeps its rows, so the panels can show them as stale until the next
// snapshot.
func (f *Feed) Disconnected() { f.synced = false }
