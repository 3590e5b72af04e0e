package hub

import (
	"log/slog"

	"github.com/rtdash/rtdash/relay/internal/logrepeat"
	"github.com/rtdash/rtdash/relay/metrics"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/wire"
)

func statusEnvelope(s *wire.Status) wire.Envelope {
	return wire.Envelope{Type: wire.TypeStatus, Status: s}
}

// anomalyLog counts anomalies and logs them without flooding the log: the
// first of each kind, table and column, then every time its count reaches
// the next power of ten.
type anomalyLog struct {
	log    *slog.Logger
	counts logrepeat.Counter
}

func (a *anomalyLog) record(res *state.Result, m *metrics.Metrics) {
	if res.AnomalyCount == 0 {
		return
	}
	for _, an := range res.Anomalies {
		if m != nil {
			m.Malformed.WithLabelValues(string(an.Kind)).Inc()
		}
		key := string(an.Kind) + "/" + an.Table + "/" + an.Column
		if n, ok := a.counts.Count(key); ok {
			a.log.Warn("appliance data deviates from the protocol",
				"kind", string(an.Kind), "table", an.Table, "id", an.ID,
				"column", an.Column, "detail", an.Detail, "occurrences", n)
		}
	}
	if extra := res.AnomalyCount - len(res.Anomalies); extra > 0 && m != nil {
		m.Malformed.WithLabelValues(metrics.MoreInMessage).Add(float64(extra))
	}
}

func (a *anomalyLog) malformed(line []byte, kind state.AnomalyKind, err error, m *metrics.Metrics) {
	if m != nil {
		m.Malformed.WithLabelValues(string(kind)).Inc()
	}
	if n, ok := a.counts.Count(string(kind)); ok {
		preview := line
		if len(preview) > 120 {
			preview = preview[:120]
		}
		a.log.Warn("state API message skipped", "kind", string(kind), "error", err.Error(),
			"message_start", string(preview), "occurrences", n)
	}
}
