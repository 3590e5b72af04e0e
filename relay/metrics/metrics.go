// Package metrics defines the relay's Prometheus metrics.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/rtdash/rtdash/shared/state"
)

// Label values of the metrics with labels.
const (
	// MoreInMessage counts anomalies beyond those a model update lists one
	// by one, whose kinds are not known.
	MoreInMessage = "more_in_message"

	DropSlow     = "slow"     // the browser's queue was full
	DropShutdown = "shutdown" // the relay is stopping
	DropStalled  = "stalled"  // a write to the browser did not finish in time

	CSATOK    = "ok"
	CSATError = "error"
)

// Metrics are the relay's counters and gauges, registered in their own
// registry so that tests can create as many relays as they like.
type Metrics struct {
	Registry *prometheus.Registry

	ApplianceConnected prometheus.Gauge
	Reconnects         prometheus.Counter
	DiffsApplied       prometheus.Counter
	RowChanges         prometheus.Counter
	Malformed          *prometheus.CounterVec // by kind
	BrowsersConnected  prometheus.Gauge
	BrowsersDropped    *prometheus.CounterVec // by reason
	TokenRequests      prometheus.CounterFunc
	CSATPolls          *prometheus.CounterVec // by result
}

// New creates and registers the metrics. tokenRequests reports the number
// of OAuth token requests sent so far.
func New(applianceID string, tokenRequests func() float64) *Metrics {
	labels := prometheus.Labels{"appliance": applianceID}
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		ApplianceConnected: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "rtd_appliance_connected", ConstLabels: labels,
			Help: "1 while the state API connection is up and its snapshot received, else 0.",
		}),
		Reconnects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rtd_appliance_reconnects_total", ConstLabels: labels,
			Help: "State API connection attempts after the first.",
		}),
		DiffsApplied: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rtd_diffs_applied_total", ConstLabels: labels,
			Help: "State API model updates applied to the relay's model.",
		}),
		RowChanges: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rtd_row_changes_total", ConstLabels: labels,
			Help: "Rows inserted, updated or deleted by applied model updates.",
		}),
		Malformed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rtd_malformed_messages_total", ConstLabels: labels,
			Help: "Appliance input that deviated from the protocol, by kind.",
		}, []string{"kind"}),
		BrowsersConnected: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "rtd_browsers_connected", ConstLabels: labels,
			Help: "Browsers currently receiving updates.",
		}),
		BrowsersDropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rtd_browsers_dropped_total", ConstLabels: labels,
			Help: "Browser connections closed by the relay, by reason.",
		}, []string{"reason"}),
		TokenRequests: prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "rtd_token_requests_total", ConstLabels: labels,
			Help: "OAuth token requests sent to the appliance.",
		}, tokenRequests),
		CSATPolls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rtd_csat_polls_total", ConstLabels: labels,
			Help: "Exit-survey report polls, by result.",
		}, []string{"result"}),
	}
	// Every series exists from the start, at 0, so that alert rules and
	// rate() see a value before the first event.
	for _, kind := range state.AnomalyKinds {
		m.Malformed.WithLabelValues(string(kind))
	}
	m.Malformed.WithLabelValues(MoreInMessage)
	for _, reason := range []string{DropSlow, DropShutdown, DropStalled} {
		m.BrowsersDropped.WithLabelValues(reason)
	}
	for _, result := range []string{CSATOK, CSATError} {
		m.CSATPolls.WithLabelValues(result)
	}
	m.Registry.MustRegister(
		m.ApplianceConnected, m.Reconnects, m.DiffsApplied, m.RowChanges, m.Malformed,
		m.BrowsersConnected, m.BrowsersDropped, m.TokenRequests, m.CSATPolls,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}
