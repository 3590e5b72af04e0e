// Package relay wires the relay together: configuration, the appliance
// connection, the hub that keeps the model and serves browsers, and the
// HTTP server.
package relay

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/rtdash/rtdash/relay/appliance"
	"github.com/rtdash/rtdash/relay/config"
	"github.com/rtdash/rtdash/relay/hub"
	"github.com/rtdash/rtdash/relay/metrics"
	"github.com/rtdash/rtdash/relay/reporting"
	"github.com/rtdash/rtdash/relay/server"
	"github.com/rtdash/rtdash/shared/wire"
	"github.com/rtdash/rtdash/wasmui"
)

// HeartbeatInterval is how often browsers get a heartbeat.
const HeartbeatInterval = 5 * time.Second

// Options are what the relay needs beyond its configuration.
type Options struct {
	Logger *slog.Logger
	// Web holds the WebAssembly app's files under web/.
	Web fs.FS
}

// Relay is one running relay.
type Relay struct {
	cfg     *config.Config
	log     *slog.Logger
	hub     *hub.Hub
	metrics *metrics.Metrics
	clock   *appliance.Clock
	tokens  *appliance.Tokens
	client  *http.Client
	reports *reporting.Client
	handler http.Handler
}

// New builds a relay from a validated configuration. It opens no
// connection.
func New(cfg *config.Config, opts Options) (*Relay, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	r := &Relay{
		cfg:   cfg,
		log:   opts.Logger.With("config", cfg.ConfigName, "appliance_id", cfg.ApplianceID),
		clock: &appliance.Clock{},
	}
	r.client = appliance.NewHTTPClient(appliance.TLSOptions{
		RootCAs:            cfg.RootCAs,
		InsecureSkipVerify: cfg.AllowInvalidCerts,
	})
	r.tokens = appliance.NewTokens(cfg.ApplianceHost, cfg.ClientID, cfg.ClientSecret, r.client, r.clock)
	r.metrics = metrics.New(cfg.ApplianceID, func() float64 { return float64(r.tokens.Requests()) })
	r.hub = hub.New(hub.Options{
		Hello: wire.Hello{
			ConfigName:      cfg.ConfigName,
			ApplianceID:     cfg.ApplianceID,
			Settings:        cfg.Display,
			SessionDetails:  cfg.SessionDetails,
			HeartbeatMillis: HeartbeatInterval.Milliseconds(),
		},
		Metrics: r.metrics,
		Logger:  r.log,
		ApplianceOffset: func() time.Duration {
			offset, _ := r.clock.Offset()
			return offset
		},
	})

	reports, err := reporting.NewClient(reporting.Options{
		Host:       cfg.ApplianceHost,
		Tokens:     r.tokens,
		HTTPClient: r.client,
		Clock:      r.clock,
		Locale:     cfg.Locale,
		Logger:     r.log,
	})
	if err != nil {
		return nil, err
	}
	r.reports = reports

	wasmui.Register()
	var appHandler http.Handler
	if opts.Web != nil {
		h, found := server.NewApp(server.AppOptions{BasePath: cfg.BasePath, Title: title(cfg), Web: opts.Web})
		if !found {
			r.log.Error("web/app.wasm is missing from the relay's files: the page will not start; build it with make")
		}
		appHandler = h
	}
	r.handler = server.New(server.Options{
		BasePath:       cfg.BasePath,
		AllowedOrigins: cfg.AllowedOrigins,
		Hub:            r.hub,
		Metrics:        r.metrics,
		App:            appHandler,
		Details:        reporting.DetailsHandler(reports, cfg.SessionDetails, r.log),
		Logger:         r.log,
	})
	return r, nil
}

func title(cfg *config.Config) string {
	if cfg.ConfigName == "" || cfg.ConfigName == "default" {
		return "Real-Time Dashboard"
	}
	return "Real-Time Dashboard: " + cfg.ConfigName
}

// Handler returns the relay's HTTP handler.
func (r *Relay) Handler() http.Handler { return r.handler }

// Hub returns the relay's hub.
func (r *Relay) Hub() *hub.Hub { return r.hub }

// Run listens on the configured address and serves until ctx is done.
func (r *Relay) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", r.cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listening on RTD_LISTEN_ADDR %s: %w", r.cfg.ListenAddr, err)
	}
	return r.Serve(ctx, ln)
}

// Serve serves on ln and follows the appliance until ctx is done, then
// shuts down gracefully.
func (r *Relay) Serve(ctx context.Context, ln net.Listener) error {
	r.log.Info("relay started", "listen", ln.Addr().String(), "base_path", r.cfg.BasePath+"/",
		"appliance", r.cfg.ApplianceHost, "disabled", r.cfg.Disabled)
	if r.cfg.AllowInvalidCerts {
		r.log.Warn("RTD_ALLOW_INVALID_CERTS is set: the appliance's TLS certificate is not verified; set RTD_CA_FILE to trust a private certificate instead")
	}
	for _, w := range r.cfg.Warnings {
		r.log.Warn("setting probably not meant", "warning", w)
	}

	srv := &http.Server{
		Handler:           r.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(r.log.Handler(), slog.LevelWarn),
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	for _, task := range []func(context.Context){r.follow, r.heartbeat, r.pollCSAT, r.readClock} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			task(ctx)
		}()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
		cancel()
	}
	shutdownCtx, shutdownCancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer shutdownCancel()
	r.hub.Close()
	if serr := srv.Shutdown(shutdownCtx); serr != nil && err == nil {
		err = serr
	}
	wg.Wait()
	r.log.Info("relay stopped")
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// follow keeps the state API connection, or reports the relay disabled.
func (r *Relay) follow(ctx context.Context) {
	if r.cfg.Disabled {
		r.log.Info("RTD_DISABLED is set: serving the page without connecting to the appliance")
		r.hub.SetStatus(wire.Status{Appliance: wire.ApplianceDisabled, Since: time.Now().UnixMilli()})
		<-ctx.Done()
		return
	}
	appliance.Run(ctx, appliance.Options{
		Host:          r.cfg.ApplianceHost,
		Company:       r.cfg.Company,
		LegacyChooser: r.cfg.LegacyChooser,
		IdleTimeout:   r.cfg.IdleTimeout,
		HTTPClient:    r.client,
		Tokens:        r.tokens,
		Sink:          r.hub,
		Logger:        r.log,
		OnConnect: func(attempt int) {
			if attempt > 1 {
				r.metrics.Reconnects.Inc()
			}
		},
		OnStatus: r.setStatus,
	})
}

func (r *Relay) setStatus(s appliance.Status) {
	connected := 0.0
	if s.Phase == appliance.Connected {
		connected = 1
	}
	r.metrics.ApplianceConnected.Set(connected)
	offset, _ := r.clock.Offset()
	r.hub.SetStatus(wire.Status{
		Appliance:         string(s.Phase),
		Since:             s.Since.UnixMilli(),
		Reason:            s.Reason,
		Detail:            s.Detail,
		ClockOffsetMillis: offset.Milliseconds(),
	})
}

func (r *Relay) heartbeat(ctx context.Context) {
	t := time.NewTicker(HeartbeatInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.hub.Heartbeat()
		}
	}
}
