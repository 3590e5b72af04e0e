// Command simulator runs the BeyondTrust Remote Support appliance simulator
// on a local address until SIGINT or SIGTERM. It is a local test tool: it
// serves a generated TLS certificate and plays a seeded scenario.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "simulator:", err)
		os.Exit(1)
	}
}

func run() error {
	listen := flag.String("listen", "127.0.0.1:8443", "address to listen on (host:port; use a loopback address)")
	seed := flag.Int64("seed", 1, "scenario seed")
	preset := flag.String("preset", "small", "scenario preset: small, mid or large")
	clientID := flag.String("client-id", "rtdash", "OAuth client id")
	clientSecret := flag.String("client-secret", "", "OAuth client secret; empty generates one and prints it to stderr once")
	company := flag.String("company", "example", "company API name")
	speed := flag.Float64("speed", 1, "appliance clock speed relative to the host clock (2 runs twice as fast)")
	batchDelay := flag.Duration("batch-delay", 200*time.Millisecond, "time changes are collected into one model_update")
	caFile := flag.String("ca-file", "simulator-ca.pem", "file to write the CA certificate (PEM) to")
	verbose := flag.Bool("v", false, "log at debug level (includes the HTTP server error log)")
	opts := defineOptions()
	flag.Parse()

	scenario, ok := sim.Preset(*preset)
	if !ok {
		return fmt.Errorf("invalid -preset %q: use small, mid or large", *preset)
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	secret := *clientSecret
	generated := secret == ""
	if generated {
		secret = rand.Text()
	}
	var clock sim.Clock
	if *speed != 1 {
		clock = sim.NewAcceleratedClock(*speed)
	}
	cfg := sim.Config{
		ClientID:     *clientID,
		ClientSecret: secret,
		Company:      *company,
		Seed:         *seed,
		Scenario:     scenario,
		Clock:        clock,
		BatchDelay:   *batchDelay,
		Logger:       logger,
	}
	closeRecord, err := opts.apply(&cfg)
	if err != nil {
		return err
	}
	defer func() {
		if err := closeRecord(); err != nil {
			logger.Error("closing the record file failed", "err", err)
		}
	}()
	simulator, err := sim.New(cfg)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*caFile, simulator.CAPEM(), 0o644); err != nil {
		return fmt.Errorf("write CA certificate: %w", err)
	}
	if err := simulator.Start(*listen); err != nil {
		return err
	}
	defer simulator.Close()

	printSummary(summary{
		addr: simulator.Addr(), preset: *preset, scenario: scenario, speed: *speed,
		caFile: *caFile, clientID: *clientID, company: *company, cfg: cfg, opts: opts,
	})
	if generated {
		fmt.Fprintf(os.Stderr, "Generated OAuth client secret: %s\n", secret)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	simulator.RunScenario(ctx)
	logger.Info("shutting down")
	return nil
}

// summary contains the values the start banner lists.
type summary struct {
	addr, preset, caFile, clientID, company string
	scenario                                sim.ScenarioConfig
	speed                                   float64
	cfg                                     sim.Config
	opts                                    *options
}

// printSummary prints the endpoints served and the settings in effect.
func printSummary(sum summary) {
	base := "https://" + sum.addr
	sc := sum.scenario
	fmt.Printf("Appliance simulator, preset %s: %d teams, %d reps, %d waiting and %d in-progress sessions at start, "+
		"%.0f arrivals per appliance minute, clock speed %gx.\n",
		sum.preset, sc.Teams, sc.Reps, sc.InitialWaiting, sc.InitialInProgress, sc.ArrivalsPerMinute, sum.speed)
	fmt.Printf("Trust the CA certificate in %s. OAuth client id %q, company %q.\n", sum.caFile, sum.clientID, sum.company)
	fmt.Println("Endpoints:")
	endpoints := [][2]string{
		{"POST " + base + "/oauth2/token", "OAuth client credentials grant"},
		{"wss://" + sum.addr + "/nw", `Real-Time State API (subprotocol "ingredi state api")`},
		{"GET|POST " + base + "/api/command", "get_api_info, get_logged_in_reps, get_support_teams, check_health"},
		{"GET|POST " + base + "/api/reporting", "SupportSession, SupportSessionListing, SupportCustExitSurvey, SupportRepExitSurvey"},
		{"GET|HEAD " + base + "/api/config/v1/team[/{id}]", "support teams"},
		{"GET|HEAD " + base + "/api/config/v1/public-portal[/{id}]", "public sites"},
	}
	for _, e := range endpoints {
		fmt.Printf("  %-68s %s\n", e[0], e[1])
	}
	cfg := sum.cfg
	fmt.Printf("Reporting namespace %s; public sites %v; survey rates %g customer, %g rep.\n",
		cfg.Reporting.Namespace, cfg.PublicSites, *sum.opts.surveyRate, *sum.opts.repSurveyRate)
	fmt.Printf("Rate limits %d/s and %d/h, enforced: %v.\n", cfg.RateLimit.PerSecond, cfg.RateLimit.PerHour, cfg.RateLimit.Enforce)
	if cfg.Faults.Interval > 0 {
		fmt.Printf("Faults every %v: %v.\n", cfg.Faults.Interval, cfg.Faults.Kinds)
	}
	if *sum.opts.recordFile != "" {
		fmt.Printf("Recording every /nw frame to %s.\n", *sum.opts.recordFile)
	}
	if cfg.Replay != nil {
		fmt.Printf("Replaying %s (%d frames) at %gx to every /nw client.\n", *sum.opts.replayFile, len(cfg.Replay.Frames), *sum.opts.replaySpeed)
	}
}
