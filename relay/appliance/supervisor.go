package appliance

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Phase is the state of the relay's connection to the appliance.
type Phase string

// Connection phases.
const (
	Connecting  Phase = "connecting"  // first attempt, no data yet
	Connected   Phase = "connected"   // snapshot received, updates flow
	Unavailable Phase = "unavailable" // the last attempt failed; retrying
)

// Status describes the connection at one moment.
type Status struct {
	Phase Phase
	// Since is when the phase began. Repeated failed attempts keep the
	// time of the first, which is when the data stopped.
	Since time.Time
	// Reason is why the appliance is unavailable, in a few words fit for a
	// supervisor's screen. Detail is the full error, for logs and /readyz.
	Reason string
	Detail string
}

// Options configure Run.
type Options struct {
	Host          string // host or host:port
	Company       string // for the legacy application chooser line
	LegacyChooser bool

	// IdleTimeout reconnects when nothing was received for this long;
	// 0 turns it off.
	IdleTimeout time.Duration
	// PingInterval is the websocket ping period; 0 means 30 s.
	PingInterval time.Duration
	// MinBackoff and MaxBackoff bound the wait between attempts; zero
	// values mean 1 s and 60 s.
	MinBackoff, MaxBackoff time.Duration

	HTTPClient *http.Client
	Tokens     *Tokens
	Sink       Sink
	// OnStatus, when set, is called on every status change.
	OnStatus func(Status)
	// OnConnect, when set, is called when a connection attempt starts.
	OnConnect func(attempt int)
	Logger    *slog.Logger
}

func (o *Options) defaults() {
	if o.PingInterval == 0 {
		o.PingInterval = 30 * time.Second
	}
	if o.MinBackoff == 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = 60 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.OnStatus == nil {
		o.OnStatus = func(Status) {}
	}
}

// Run holds one state API connection to the appliance until ctx is done,
// reconnecting with capped exponential backoff and jitter. Every
// connection starts with a fresh snapshot.
func Run(ctx context.Context, o Options) {
	o.defaults()
	log := o.Logger.With("appliance", o.Host)
	o.OnStatus(Status{Phase: Connecting, Since: time.Now()})

	failures := 0
	var unavailableSince time.Time // zero while connected or connecting
	retriedToken := false
	for attempt := 1; ctx.Err() == nil; attempt++ {
		if o.OnConnect != nil {
			o.OnConnect(attempt)
		}
		log.Info("connecting to the state API", "attempt", attempt)
		gotSnapshot, err := connectOnce(ctx, &o, log)
		if ctx.Err() != nil {
			log.Info("state API connection closed", "reason", "relay stopping")
			return
		}
		if gotSnapshot {
			failures = 0
			unavailableSince = time.Time{}
		}
		if errors.Is(err, errResync) && gotSnapshot {
			// Reconnect at once, but never faster than MinBackoff, so that
			// an appliance repeating truncate_model cannot make the relay
			// reconnect in a tight loop.
			log.Info("state API resynchronising", "reason", err.Error())
			sleep(ctx, o.MinBackoff)
			continue
		}

		wait := backoff(failures+1, o.MinBackoff, o.MaxBackoff)
		if tokenRejected(err) {
			// A rejected token is most likely revoked or evicted: fetch a
			// new one next time. Other failures keep the cached token,
			// because every new token may evict one of another
			// integration's (an API account holds 30). The first retry
			// with a new token comes at once.
			o.Tokens.Invalidate()
			if !retriedToken {
				wait = o.MinBackoff
				failures--
			}
			retriedToken = !retriedToken
		} else {
			retriedToken = false
		}
		failures++

		if unavailableSince.IsZero() {
			unavailableSince = time.Now()
		}
		what := "state API connection failed"
		if gotSnapshot {
			what = "state API connection lost"
		}
		log.Warn(what, "reason", err.Error(), "retry_in", wait.Round(time.Millisecond).String())
		o.OnStatus(Status{Phase: Unavailable, Since: unavailableSince, Reason: Summarize(err), Detail: err.Error()})
		sleep(ctx, wait)
	}
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// tokenRejected reports whether a connection ended because the appliance
// refused its token: a rejected authenticate, or a close with the policy
// violation code, which appliances use for revoked tokens.
func tokenRejected(err error) bool {
	var auth *AuthError
	if errors.As(err, &auth) {
		return true
	}
	return errors.Is(err, errPolicyClose)
}

// backoff returns the wait before retry number n (from 1): min·2^(n-1)
// capped at max, with jitter that takes up to half of it away, so that
// relays restarted together do not retry in step.
func backoff(n int, lo, hi time.Duration) time.Duration {
	d := hi
	if n < 31 {
		d = min(hi, lo<<(n-1))
	}
	return d/2 + rand.N(d/2+1)
}

// connectOnce runs one connection and reports whether it delivered a
// snapshot before it ended.
func connectOnce(ctx context.Context, o *Options, log *slog.Logger) (bool, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	token, err := o.Tokens.Token()
	if err != nil {
		return false, err
	}
	dialCtx, dialCancel := context.WithTimeout(ctx, 30*time.Second)
	s, err := dial(dialCtx, o.Host, o.HTTPClient)
	dialCancel()
	if err != nil {
		return false, err
	}
	defer s.conn.CloseNow()
	s.received = time.Now()

	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel(nil)
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.watch(ctx, cancel, o)
	}()

	handshakeCtx, handshakeCancel := context.WithTimeout(ctx, 60*time.Second)
	err = s.handshake(handshakeCtx, o, token)
	handshakeCancel()
	if err != nil {
		return false, cause(ctx, err)
	}
	log.Info("state API subscribed; waiting for the snapshot")

	gotSnapshot := false
	err = s.follow(ctx, o.Sink, func() {
		gotSnapshot = true
		log.Info("state API snapshot received")
		o.OnStatus(Status{Phase: Connected, Since: time.Now()})
	})
	if errors.Is(err, errResync) {
		s.conn.Close(websocket.StatusNormalClosure, "resynchronising")
	}
	return gotSnapshot, cause(ctx, err)
}

// cause prefers the reason a connection was cancelled for over the read
// error the cancellation produced.
func cause(ctx context.Context, err error) error {
	if c := context.Cause(ctx); c != nil && !errors.Is(c, context.Canceled) {
		return c
	}
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		if ce.Code == websocket.StatusPolicyViolation {
			return fmt.Errorf("%w: %s", errPolicyClose, closeText(ce))
		}
		return errors.New("the appliance closed the connection: " + closeText(ce))
	}
	return err
}

func closeText(ce websocket.CloseError) string {
	if ce.Reason != "" {
		return ce.Reason + " (" + ce.Code.String() + ")"
	}
	return ce.Code.String()
}

// watch pings the appliance and enforces the idle timeout until ctx ends.
func (s *stream) watch(ctx context.Context, cancel context.CancelCauseFunc, o *Options) {
	tick := o.PingInterval
	if o.IdleTimeout > 0 {
		tick = min(tick, max(o.IdleTimeout/4, 10*time.Millisecond))
	}
	ticker := time.NewTicker(tick)
	defer ticker.Stop()
	lastPing := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-ticker.C:
			if o.IdleTimeout > 0 && now.Sub(s.lastReceived()) > o.IdleTimeout {
				cancel(errIdle)
				return
			}
			if now.Sub(lastPing) < o.PingInterval {
				continue
			}
			lastPing = now
			pingCtx, pingCancel := context.WithTimeout(ctx, 15*time.Second)
			err := s.conn.Ping(pingCtx)
			pingCancel()
			if err != nil && ctx.Err() == nil {
				cancel(errors.New("the appliance did not respond to a websocket ping within 15 s"))
				return
			}
		}
	}
}
