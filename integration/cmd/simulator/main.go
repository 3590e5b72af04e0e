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
	simulator, err := sim.New(sim.Config{
		ClientID:     *clientID,
		ClientSecret: secret,
		Company:      *company,
		Seed:         *seed,
		Scenario:     scenario,
		Clock:        clock,
		BatchDelay:   *batchDelay,
		Logger:       logger,
	})
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

	fmt.Printf("Appliance simulator at https://%s (state API wss://%s/nw), preset %s: %d teams, %d reps, "+
		"%d waiting and %d in-progress sessions at start, %.0f arrivals per appliance minute, clock speed %gx. "+
		"Trust the CA certificate in %s. OAuth client id %q, company %q.\n",
		simulator.Addr(), simulator.Addr(), *preset, scenario.Teams, scenario.Reps,
		scenario.InitialWaiting, scenario.InitialInProgress, scenario.ArrivalsPerMinute, *speed,
		*caFile, *clientID, *company)
	if generated {
		fmt.Fprintf(os.Stderr, "Generated OAuth client secret: %s\n", secret)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	simulator.RunScenario(ctx)
	logger.Info("shutting down")
	return nil
}
