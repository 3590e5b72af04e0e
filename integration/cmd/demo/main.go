// Command demo runs the dashboard against the built-in appliance simulator:
// it starts a simulated mid-size support site over TLS on loopback, points a
// relay at it and prints the dashboard's address. RTD_* variables in the
// environment still apply (for example RTD_WAITING_SLAS or
// RTD_REP_NAME_FORMAT), except the ones that connect to the appliance.
package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/rtdash/rtdash/assets"
	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/relay"
	"github.com/rtdash/rtdash/relay/config"
)

func main() {
	defaultListen := "127.0.0.1:53487"
	if addr := os.Getenv("RTD_LISTEN_ADDR"); addr != "" {
		defaultListen = addr
	}
	listen := flag.String("listen", defaultListen, "address of the dashboard; the default is RTD_LISTEN_ADDR when set")
	preset := flag.String("scenario", "mid", "size of the simulated site: small, mid or large")
	seed := flag.Int64("seed", 1, "seed of the simulated site's activity")
	busy := flag.Float64("busy", 1, "how many times busier than usual the simulated site is: arrivals and changes come this much more often, on a real-time clock (above 0, at most 1000)")
	verbose := flag.Bool("v", false, "log every relay event, not only warnings")
	flag.Parse()
	if !(*busy > 0 && *busy <= 1000) {
		fmt.Fprintf(os.Stderr, "demo: invalid -busy %v: want a number above 0 and at most 1000\n", *busy)
		os.Exit(2)
	}
	if err := run(*listen, *preset, *seed, *busy, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(listen, preset string, seed int64, busy float64, verbose bool) error {
	scenario, err := scenarioOf(preset)
	if err != nil {
		return err
	}
	if busy != 1 {
		scenario = scenario.Scaled(busy)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	level := slog.LevelWarn
	if verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	secret := rand.Text()
	simCfg := sim.Config{
		ClientID:     "dashboard-demo",
		ClientSecret: secret,
		Company:      "demo",
		Seed:         seed,
		Scenario:     scenario,
		Logger:       log.With("component", "simulator"),
	}
	appliance, err := sim.New(simCfg)
	if err != nil {
		return fmt.Errorf("creating the simulator: %w", err)
	}
	if err := appliance.Start("127.0.0.1:0"); err != nil {
		return fmt.Errorf("starting the simulator: %w", err)
	}
	defer appliance.Close()
	go appliance.RunScenario(ctx)

	dir, err := os.MkdirTemp("", "rtdash-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	caFile := filepath.Join(dir, "appliance-ca.pem")
	if err := os.WriteFile(caFile, appliance.CAPEM(), 0o600); err != nil {
		return err
	}

	environment := config.Environment()
	environment["RTD_APPLIANCE_HOST"] = appliance.Addr()
	environment["RTD_CLIENT_ID"] = simCfg.ClientID
	environment["RTD_CLIENT_SECRET"] = secret
	delete(environment, "RTD_CLIENT_SECRET_FILE")
	environment["RTD_CA_FILE"] = caFile
	environment["RTD_LISTEN_ADDR"] = listen
	if environment["RTD_CONFIG_NAME"] == "" {
		environment["RTD_CONFIG_NAME"] = "Demo site"
	}
	if environment["RTD_WAITING_SLAS"] == "" {
		environment["RTD_WAITING_SLAS"] = "*=3"
	}
	cfg, err := config.Load(environment)
	if err != nil {
		return err
	}
	r, err := relay.New(cfg, relay.Options{Logger: log.With("component", "relay"), Web: assets.Web})
	if err != nil {
		return err
	}
	// Listen before printing the address, so that a port in use fails
	// before the address is announced.
	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listening on %s (set -listen to another address): %w", cfg.ListenAddr, err)
	}
	fmt.Printf("Simulated appliance (%s site) at https://%s\n", preset, appliance.Addr())
	fmt.Printf("Dashboard: http://%s%s/\n", ln.Addr(), cfg.BasePath)
	fmt.Println("Press Ctrl+C to stop.")
	return r.Serve(ctx, ln)
}

func scenarioOf(preset string) (sim.ScenarioConfig, error) {
	switch preset {
	case "small":
		return sim.SmallOffice(), nil
	case "mid":
		return sim.MidSize(), nil
	case "large":
		return sim.LargeSite(), nil
	}
	return sim.ScenarioConfig{}, fmt.Errorf("invalid -scenario %q: want small, mid or large", preset)
}
