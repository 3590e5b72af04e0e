// Command relay connects to one BeyondTrust B Series Appliance and serves
// the real-time dashboard. Its settings come from RTD_* environment
// variables; see the README.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // RTD_TIMEZONE on Windows, which has no zoneinfo files

	"github.com/rtdash/rtdash/assets"
	"github.com/rtdash/rtdash/relay"
	"github.com/rtdash/rtdash/relay/config"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	check := false
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help", "help":
			fmt.Fprint(os.Stdout, usage)
			return 0
		case "check":
			check = true
		default:
			fmt.Fprintf(os.Stderr, "relay: unknown command %q\n\n%s", args[0], usage)
			return 2
		}
	}

	cfg, err := config.FromEnvironment()
	if err != nil {
		if check {
			fmt.Fprintf(os.Stdout, "FAIL  settings: %v\n", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "relay: %v\n", err)
		return 1
	}
	if check {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if !relay.Check(ctx, cfg, os.Stdout) {
			return 1
		}
		return 0
	}
	log, closeLog, err := newLogger(cfg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "relay: %v\n", err)
		return 1
	}
	defer closeLog()
	serve := func(ctx context.Context) int {
		r, err := relay.New(cfg, relay.Options{Logger: log, Web: assets.Web})
		if err != nil {
			log.Error("relay failed to start", "error", err.Error())
			return 1
		}
		if err := r.Run(ctx); err != nil {
			log.Error("relay failed", "error", err.Error())
			return 1
		}
		return 0
	}
	if isService, code := runService(serve); isService {
		return code
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx)
}

// newLogger returns the logger the settings ask for and a function that
// closes its file.
func newLogger(cfg *config.Config) (*slog.Logger, func(), error) {
	var out io.Writer = os.Stderr
	closeLog := func() {}
	if cfg.LogFile != "" {
		f, err := os.OpenFile(cfg.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
		if err != nil {
			return nil, nil, fmt.Errorf("opening RTD_LOG_FILE: %w", err)
		}
		out = f
		closeLog = func() { f.Close() }
	}
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogJSON {
		return slog.New(slog.NewJSONHandler(out, opts)), closeLog, nil
	}
	return slog.New(slog.NewTextHandler(out, opts)), closeLog, nil
}

const usage = `Usage: relay [check]

Connects to a BeyondTrust B Series Appliance and serves the real-time
dashboard. Settings come from environment variables: at least
RTD_APPLIANCE_HOST, RTD_CLIENT_ID and RTD_CLIENT_SECRET (or
RTD_CLIENT_SECRET_FILE). The README lists every variable.

  relay         run the relay until SIGINT or SIGTERM
  relay check   test the settings against the appliance: get a token, read
                one state API snapshot, call get_api_info and, when CSAT is
                on, read one survey report; print PASS or FAIL per step and
                exit with status 1 on any failure
`
