// Command simulator runs the BeyondTrust Remote Support appliance simulator
// on a local address until SIGINT or SIGTERM. It is a local test tool: it
// serves a generated TLS certificate and plays a seeded scenario.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/rtdash/rtdash/integration/sim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2) // the flag package has printed the error and the usage
	default:
		fmt.Fprintln(os.Stderr, "simulator:", err)
		os.Exit(1)
	}
}

// run starts the simulator with the command-line arguments args, prints
// the start banner to stdout and logs to stderr. It returns when ctx is
// done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	set, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	scenario, _ := sim.Preset(set.preset)
	if set.busy != 1 {
		scenario = scenario.Scaled(set.busy)
	}
	level := slog.LevelInfo
	if set.verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	secret := set.clientSecret
	generated := secret == ""
	if generated {
		secret = rand.Text()
	}
	var clock sim.Clock
	if set.speed != 1 {
		clock = sim.NewAcceleratedClock(set.speed)
	}
	var ca *sim.CertificateAuthority
	if set.caDir != "" {
		if ca, err = sim.LoadOrCreateCA(set.caDir); err != nil {
			return fmt.Errorf("invalid -ca-dir: %w", err)
		}
	}
	cfg := sim.Config{
		ClientID:     set.clientID,
		ClientSecret: secret,
		Company:      set.company,
		Seed:         set.seed,
		Scenario:     scenario,
		Clock:        clock,
		BatchDelay:   set.batchDelay,
		Logger:       logger,
		CA:           ca,
	}
	closeRecord, err := set.opts.apply(&cfg)
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
	if err := os.WriteFile(set.caFile, simulator.CAPEM(), 0o644); err != nil {
		return fmt.Errorf("write CA certificate: %w", err)
	}
	if err := simulator.Start(set.listen); err != nil {
		return err
	}
	defer simulator.Close()

	printSummary(stdout, summary{addr: simulator.Addr(), scenario: scenario, set: set, cfg: cfg})
	if generated {
		fmt.Fprintf(stderr, "Generated OAuth client secret: %s\n", secret)
	}

	simulator.RunScenario(ctx)
	logger.Info("shutting down")
	return nil
}

// summary contains the values the start banner lists.
type summary struct {
	addr     string
	scenario sim.ScenarioConfig
	set      *settings
	cfg      sim.Config
}

// printSummary prints the endpoints served and the settings in effect.
func printSummary(out io.Writer, sum summary) {
	base := "https://" + sum.addr
	sc, set := sum.scenario, sum.set
	fmt.Fprintf(out, "Appliance simulator, preset %s: %d teams, %d reps, %d waiting and %d in-progress sessions at start, "+
		"%g arrivals per appliance minute (busy factor %g), appliance clock speed %gx.\n",
		set.preset, sc.Teams, sc.Reps, sc.InitialWaiting, sc.InitialInProgress, sc.ArrivalsPerMinute, set.busy, set.speed)
	fmt.Fprintf(out, "Trust the CA certificate in %s. OAuth client id %q, company %q.\n", set.caFile, set.clientID, set.company)
	if set.caDir != "" {
		fmt.Fprintf(out, "The CA is kept in %s and reused on the next start.\n", set.caDir)
	}

	fmt.Fprintln(out, "Endpoints:")
	endpoints := [][2]string{
		{"POST " + base + "/oauth2/token", "OAuth client credentials grant"},
		{"wss://" + sum.addr + "/nw", `Real-Time State API (subprotocol "ingredi state api")`},
		{"GET|POST " + base + "/api/command", "get_api_info, get_logged_in_reps, get_support_teams, check_health"},
		{"GET|POST " + base + "/api/reporting", "SupportSession, SupportSessionListing, SupportCustExitSurvey, SupportRepExitSurvey"},
		{"GET|HEAD " + base + "/api/config/v1/team[/{id}]", "support teams"},
		{"GET|HEAD " + base + "/api/config/v1/public-portal[/{id}]", "public sites"},
	}
	for _, e := range endpoints {
		fmt.Fprintf(out, "  %-68s %s\n", e[0], e[1])
	}

	cfg, opts := sum.cfg, set.opts
	fmt.Fprintf(out, "Reporting namespace %s; public sites %v; survey rates %g customer, %g rep.\n",
		cfg.Reporting.Namespace, cfg.PublicSites, *opts.surveyRate, *opts.repSurveyRate)
	fmt.Fprintf(out, "Rate limits %d/s and %d/h, enforced: %v.\n", cfg.RateLimit.PerSecond, cfg.RateLimit.PerHour, cfg.RateLimit.Enforce)
	if cfg.Faults.Interval > 0 {
		fmt.Fprintf(out, "Faults every %v: %v.\n", cfg.Faults.Interval, cfg.Faults.Kinds)
	}
	if *opts.recordFile != "" {
		fmt.Fprintf(out, "Recording every /nw frame to %s.\n", *opts.recordFile)
	}
	if cfg.Replay != nil {
		fmt.Fprintf(out, "Replaying %s (%d frames) at %gx to every /nw client.\n", *opts.replayFile, len(cfg.Replay.Frames), *opts.replaySpeed)
	}
}
