package reporting

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// maxCachedSites bounds the per-day cache of public sites by LSID.
const maxCachedSites = 50000

// CSAT is the customer satisfaction average of today's exit surveys.
type CSAT struct {
	// Average is the mean of the numeric answers. It has a meaning only
	// when Available is true and Count is above 0.
	Average float64
	// Count is the number of answers averaged.
	Count int
	// Available is false when the last poll failed.
	Available bool
	// Reason explains to a supervisor why the value is unavailable. The
	// relay log contains the error itself.
	Reason string
	// UpdatedAt is when the poll finished, on the relay's clock.
	UpdatedAt time.Time
	// Window describes the surveys covered, such as "support sessions that
	// ended since 2024-12-03 00:00 UTC".
	Window string
}

// CSATOptions configure RunCSAT.
type CSATOptions struct {
	// Interval is the time between polls (RTD_CSAT_POLL_MINUTES). It must
	// be positive.
	Interval time.Duration
	// Question is the code name of the survey question whose answers are
	// averaged (RTD_CSAT_QUESTION). A question whose code name differs but
	// whose report header or label matches is used when no code name
	// matches. The comparison ignores case.
	Question string
	// PublicSites limits the surveys to these public site ids
	// (RTD_CSAT_PUBLIC_SITES). Empty means all sites.
	PublicSites []int
	// Location is the time zone in which the appliance's day starts. Nil
	// means UTC.
	Location *time.Location
	// OnResult receives the result of every poll. It is required.
	OnResult func(CSAT)
	// Logger receives the start, the stop and every failed poll. Nil
	// discards them.
	Logger *slog.Logger
}

// RunCSAT polls the exit surveys of today's support sessions every
// Interval, starting at once, and passes each result to OnResult until ctx
// is done. It returns nil then, or an error at once for invalid options.
//
// The window is by session end (end_time=<midnight>&duration=0), not by
// session start, because a customer submits the exit survey when the
// session closes. A window by start would leave a session that started
// before midnight and ended after it out of every day's average. It would
// also include sessions still in progress, which have no survey yet.
//
// Midnight is taken in Location on the appliance's clock: the relay's
// clock plus the client's Clock offset, when the client has a Clock with
// samples.
func RunCSAT(ctx context.Context, client *Client, opts CSATOptions) error {
	switch {
	case client == nil:
		return errors.New("CSAT: missing client")
	case opts.Interval <= 0:
		return fmt.Errorf("CSAT: invalid interval %v: want a positive duration", opts.Interval)
	case strings.TrimSpace(opts.Question) == "":
		return errors.New("CSAT: missing question name: set the survey question's code name")
	case opts.OnResult == nil:
		return errors.New("CSAT: missing OnResult callback")
	}
	p := newCSATPoller(client, opts)
	p.log.Info("CSAT polling started", "interval", opts.Interval, "question", opts.Question,
		"public_sites", opts.PublicSites, "location", p.location.String())

	ticker := time.NewTicker(opts.Interval)
	defer ticker.Stop()
	for {
		// A poll may take one interval, and at least a minute.
		pollCtx, cancel := context.WithTimeout(ctx, max(opts.Interval, time.Minute))
		result := p.poll(pollCtx)
		cancel()
		if ctx.Err() != nil {
			p.log.Info("CSAT polling stopped")
			return nil
		}
		opts.OnResult(result)

		select {
		case <-ctx.Done():
			p.log.Info("CSAT polling stopped")
			return nil
		case <-ticker.C:
		}
	}
}

// csatPoller holds the state kept between polls.
type csatPoller struct {
	client   *Client
	question string
	sites    []int
	location *time.Location
	log      *slog.Logger
	now      func() time.Time

	// siteByLSID caches the public site of sessions whose surveys lack
	// one. It is cleared when the day changes.
	siteByLSID map[string]int
	siteDay    time.Time
	failures   int
}

func newCSATPoller(client *Client, opts CSATOptions) *csatPoller {
	p := &csatPoller{
		client:     client,
		question:   strings.TrimSpace(opts.Question),
		sites:      opts.PublicSites,
		location:   opts.Location,
		log:        opts.Logger,
		now:        time.Now,
		siteByLSID: map[string]int{},
	}
	if p.location == nil {
		p.location = time.UTC
	}
	if p.log == nil {
		p.log = slog.New(slog.DiscardHandler)
	}
	return p
}

// poll computes one CSAT result. It returns no error. A failure is logged
// and reported as Available false with a Reason.
func (p *csatPoller) poll(ctx context.Context) CSAT {
	midnight := p.midnight()
	window := "support sessions that ended since " + midnight.Format("2006-01-02 15:04 MST")

	surveys, err := p.client.CustomerExitSurveys(ctx, midnight)
	if err == nil {
		surveys, err = p.filterSites(ctx, midnight, surveys)
	}
	if err != nil {
		p.failures++
		p.log.Error("CSAT poll failed", "error", err, "consecutive_failures", p.failures)
		return CSAT{Reason: csatReason(err), UpdatedAt: p.now(), Window: window}
	}
	if p.failures > 0 {
		p.log.Info("CSAT poll succeeded again", "after_failures", p.failures)
		p.failures = 0
	}

	sum, count := sumAnswers(surveys, p.question)
	result := CSAT{Count: count, Available: true, UpdatedAt: p.now(), Window: window}
	if count > 0 {
		result.Average = sum / float64(count)
	}
	return result
}

// midnight returns the start of today in p.location on the appliance's
// clock.
func (p *csatPoller) midnight() time.Time {
	now := p.now()
	if p.client.clock != nil {
		if offset, ok := p.client.clock.Offset(); ok {
			now = now.Add(offset)
		}
	}
	y, m, d := now.In(p.location).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, p.location)
}

// filterSites keeps the customer surveys of the configured public sites.
// A survey without <submitted_by> counts as a customer survey, because the
// report holds customer surveys. Surveys without a <public_site> get the
// site of their session, looked up with the SupportSession report and
// cached for the day.
func (p *csatPoller) filterSites(ctx context.Context, day time.Time, surveys []Survey) ([]Survey, error) {
	if !day.Equal(p.siteDay) || len(p.siteByLSID) > maxCachedSites {
		p.siteByLSID = map[string]int{}
		p.siteDay = day
	}

	kept := surveys[:0:0]
	var missing []string
	queued := map[string]bool{}
	for _, s := range surveys {
		if s.SubmittedBy != "customer" && s.SubmittedBy != "" {
			continue
		}
		kept = append(kept, s)
		lsid := strings.ToLower(s.LSID)
		if len(p.sites) > 0 && s.PublicSiteID == 0 && ValidLSID(lsid) {
			if _, ok := p.siteByLSID[lsid]; !ok && !queued[lsid] {
				missing = append(missing, lsid)
				queued[lsid] = true
			}
		}
	}
	if len(p.sites) == 0 {
		return kept, nil
	}

	if len(missing) > 0 {
		sessions, err := p.client.Sessions(ctx, missing)
		if err != nil {
			return nil, fmt.Errorf("looking up the public sites of %d sessions: %w", len(missing), err)
		}
		for _, s := range sessions {
			p.siteByLSID[strings.ToLower(s.LSID)] = s.PublicSite.ID
		}
	}

	filtered := kept[:0]
	for _, s := range kept {
		site := s.PublicSiteID
		if site == 0 {
			site = p.siteByLSID[strings.ToLower(s.LSID)]
		}
		if slices.Contains(p.sites, site) {
			filtered = append(filtered, s)
		}
	}
	return filtered, nil
}

// csatReason words a poll failure for a supervisor.
func csatReason(err error) string {
	var status *StatusError
	var apiErr *APIError
	var tokenErr *tokenError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "The appliance did not respond in time."
	case isNetworkError(err):
		return "The relay could not connect to the appliance. The relay log has the details."
	case errors.As(err, &tokenErr):
		return "The relay could not get an OAuth token from the appliance. Check the API account's client ID and secret."
	case errors.As(err, &status) && status.StatusCode == http.StatusUnauthorized:
		return "The appliance rejected the relay's OAuth token."
	case errors.As(err, &status) && status.StatusCode == http.StatusForbidden:
		return "The API account is not allowed to read exit-survey reports."
	case errors.As(err, &status):
		return fmt.Sprintf("The appliance returned HTTP %d for the survey report.", status.StatusCode)
	case errors.As(err, &apiErr):
		return "The appliance reported an error: " + truncate(apiErr.Message, 200)
	}
	return "The survey report could not be read. The relay log has the details."
}

// isNetworkError reports whether err is a failure to reach the appliance
// or to read its response at the transport level.
func isNetworkError(err error) bool {
	var urlErr *url.Error
	var netErr net.Error
	return errors.As(err, &urlErr) || errors.As(err, &netErr)
}

// truncate shortens s to at most n runes, marking the cut with an
// ellipsis.
func truncate(s string, n int) string {
	runes := []rune(s)
	if len(runes) <= n {
		return s
	}
	return string(runes[:n]) + "…"
}
