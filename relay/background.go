package relay

import (
	"context"
	"time"

	"github.com/rtdash/rtdash/relay/metrics"
	"github.com/rtdash/rtdash/relay/reporting"
	"github.com/rtdash/rtdash/shared/wire"
)

// clockInterval is how often the relay reads the appliance's clock with
// get_api_info. Response Date headers refine the estimate in between.
const clockInterval = 10 * time.Minute

// pollCSAT reads today's exit surveys every RTD_CSAT_POLL_MINUTES and sends
// the average to browsers. It does nothing when CSAT is off or the relay
// is disabled.
func (r *Relay) pollCSAT(ctx context.Context) {
	if r.cfg.Disabled || r.cfg.CSATPollInterval <= 0 {
		return
	}
	err := reporting.RunCSAT(ctx, r.reports, reporting.CSATOptions{
		Interval:    r.cfg.CSATPollInterval,
		Question:    r.cfg.CSATQuestion,
		PublicSites: r.cfg.CSATPublicSites,
		Location:    r.cfg.TimeZone,
		Logger:      r.log,
		OnResult: func(c reporting.CSAT) {
			result := metrics.CSATOK
			if !c.Available {
				result = metrics.CSATError
			}
			r.metrics.CSATPolls.WithLabelValues(result).Inc()
			r.hub.SetCSAT(wire.CSAT{
				Available: c.Available,
				Average:   c.Average,
				Count:     c.Count,
				Reason:    c.Reason,
				Question:  r.cfg.CSATQuestion,
				Updated:   c.UpdatedAt.UnixMilli(),
			})
		},
	})
	if err != nil {
		r.log.Error("CSAT polling not started", "error", err.Error())
	}
}

// readClock reads the appliance's clock at start and every clockInterval,
// and tells browsers when the estimated offset moves.
func (r *Relay) readClock(ctx context.Context) {
	if r.cfg.Disabled {
		return
	}
	for {
		callCtx, cancel := context.WithTimeout(ctx, time.Minute)
		info, err := r.reports.APIInfo(callCtx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			r.log.Warn("reading the appliance clock with get_api_info failed; durations use the last estimate", "error", err.Error())
		} else {
			offset, _ := r.clock.Offset()
			r.log.Info("appliance clock read", "api_version", info.Version, "offset_ms", offset.Milliseconds())
			r.hub.SetClockOffset(offset)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(clockInterval):
		}
	}
}
