package appliance

import (
	"context"
	"fmt"
	"time"

	"github.com/rtdash/rtdash/shared/state"
)

// ProbeResult describes one test connection to the state API.
type ProbeResult struct {
	Model     *state.Model  // the snapshot
	Rows      int           // rows in the snapshot
	Anomalies int           // deviations from the protocol in the snapshot
	Elapsed   time.Duration // from dialling to the snapshot
}

// Probe opens one state API connection, authenticates, subscribes, reads
// the snapshot into a model and closes the connection. It is the state API
// part of the relay's check command. Tokens must be able to supply a token.
func Probe(ctx context.Context, o Options) (ProbeResult, error) {
	o.defaults()
	start := time.Now()
	token, err := o.Tokens.Token()
	if err != nil {
		return ProbeResult{}, err
	}
	s, err := dial(ctx, o.Host, o.HTTPClient)
	if err != nil {
		return ProbeResult{}, err
	}
	defer s.conn.CloseNow()
	sink := &probeSink{}
	o.Sink = sink
	if err := s.handshake(ctx, &o, token); err != nil {
		return ProbeResult{}, err
	}
	for {
		line, err := s.readLine(ctx)
		if err != nil {
			return ProbeResult{}, fmt.Errorf("waiting for the snapshot: %w", err)
		}
		msg, err := state.Decode(line)
		if err != nil {
			sink.malformed++
			continue
		}
		if !msg.IsModelUpdate() {
			continue
		}
		m := state.NewModel()
		res := m.Apply(msg)
		return ProbeResult{
			Model:     m,
			Rows:      m.Rows(),
			Anomalies: res.AnomalyCount + sink.malformed,
			Elapsed:   time.Since(start),
		}, nil
	}
}

// probeSink counts what the handshake skipped.
type probeSink struct{ malformed int }

func (p *probeSink) Snapshot(*state.Message, []byte, time.Time) {}
func (p *probeSink) Update(*state.Message, []byte, time.Time)   {}
func (p *probeSink) Malformed([]byte, state.AnomalyKind, error) { p.malformed++ }
