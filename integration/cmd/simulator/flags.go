package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"strings"
	"time"

	"github.com/rtdash/rtdash/integration/sim"
)

// maxFactor is the upper bound of -speed and -busy. It is a sanity limit,
// not a measured one. At 1000x a one-hour OAuth token expires after 3.6
// host seconds, and with -busy 1000 the large preset draws about 8,300
// arrivals per host second.
const maxFactor = 1000

// errUsage is returned for arguments the flag package rejected, after it
// printed the error and the usage.
var errUsage = errors.New("invalid command-line arguments")

// settings are the parsed command-line flags.
type settings struct {
	listen       string
	allowRemote  bool
	seed         int64
	preset       string
	clientID     string
	clientSecret string
	company      string
	speed        float64
	busy         float64
	batchDelay   time.Duration
	caFile       string
	caDir        string
	verbose      bool
	opts         *options
}

// parseFlags parses and validates the command-line arguments. The flag
// package writes its errors and the usage to output.
func parseFlags(args []string, output io.Writer) (*settings, error) {
	fs := flag.NewFlagSet("simulator", flag.ContinueOnError)
	fs.SetOutput(output)
	set := &settings{}
	fs.StringVar(&set.listen, "listen", "127.0.0.1:8443",
		"address to listen on (host:port); the host must be a loopback address or localhost unless -allow-remote is set")
	fs.BoolVar(&set.allowRemote, "allow-remote", false,
		"accept a -listen address that is not loopback. The simulator is a test tool with generated credentials, "+
			"and its server certificate names only localhost, 127.0.0.1 and ::1")
	fs.Int64Var(&set.seed, "seed", 1, "scenario seed")
	fs.StringVar(&set.preset, "preset", "small", "scenario preset: small, mid or large")
	fs.StringVar(&set.clientID, "client-id", "rtdash", "OAuth client id")
	fs.StringVar(&set.clientSecret, "client-secret", "", "OAuth client secret. Empty generates one and prints it to stderr once")
	fs.StringVar(&set.company, "company", "example", "company API name")
	fs.Float64Var(&set.speed, "speed", 1, fmt.Sprintf(
		"speed of the appliance clock relative to the host clock, above 0 and at most %d (2 runs it twice as fast). "+
			"It accelerates the appliance clock itself, so a dashboard shows fast-running time, "+
			"and wait times and session durations that grow faster than real time. "+
			"Use -busy for a busier site on a real-time clock", maxFactor))
	fs.Float64Var(&set.busy, "busy", 1, fmt.Sprintf(
		"factor by which the site gets busier without changing the appliance clock, above 0 and at most %d "+
			"(2 makes the site twice as busy). It multiplies the preset's arrival, status-change, rep-change and transfer rates "+
			"and divides its mean wait, mean session length and burst interval", maxFactor))
	fs.DurationVar(&set.batchDelay, "batch-delay", 200*time.Millisecond, "how long changes are collected into one model_update before it is sent (above 0)")
	fs.StringVar(&set.caFile, "ca-file", "simulator-ca.pem", "file to write the CA certificate (PEM) to")
	fs.StringVar(&set.caDir, "ca-dir", "",
		"directory that keeps the CA certificate ("+sim.CACertFile+") and key ("+sim.CAKeyFile+", mode 0600) across restarts, "+
			"so a client trusting the -ca-file of an earlier start still connects; created with a new CA on first use. "+
			"Empty generates a new CA on every start")
	fs.BoolVar(&set.verbose, "v", false, "log at debug level (includes the HTTP server error log)")
	set.opts = defineOptions(fs)

	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q: the simulator takes only flags", fs.Arg(0))
	}
	if err := set.validate(); err != nil {
		return nil, err
	}
	return set, nil
}

// validate checks the flags that parseFlags defines, then the options.
func (set *settings) validate() error {
	if err := checkListenAddress(set.listen, set.allowRemote); err != nil {
		return err
	}
	if _, ok := sim.Preset(set.preset); !ok {
		return fmt.Errorf("invalid -preset %q: use small, mid or large", set.preset)
	}
	if set.clientID == "" {
		return errors.New("invalid -client-id: it must not be empty")
	}
	if err := checkFactor("-speed", set.speed); err != nil {
		return err
	}
	if err := checkFactor("-busy", set.busy); err != nil {
		return err
	}
	if set.batchDelay <= 0 {
		return fmt.Errorf("invalid -batch-delay %v: want a duration above 0", set.batchDelay)
	}
	if set.caFile == "" {
		return errors.New("invalid -ca-file: it must not be empty")
	}
	return set.opts.validate()
}

// checkFactor rejects a -speed or -busy value outside (0, maxFactor].
// NaN fails both comparisons, so it is rejected too.
func checkFactor(name string, value float64) error {
	if value > 0 && value <= maxFactor {
		return nil
	}
	return fmt.Errorf("invalid %s %v: want a number above 0 and at most %d", name, value, maxFactor)
}

// checkListenAddress rejects a listen address whose host is not a
// loopback IP address or localhost, unless allowRemote is set. It does
// not resolve host names, so a name other than localhost is rejected.
func checkListenAddress(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -listen %q: want host:port, for example 127.0.0.1:8443: %w", addr, err)
	}
	if allowRemote {
		return nil
	}
	const advice = "Use 127.0.0.1, ::1 or localhost, or set -allow-remote to accept it, " +
		"because the simulator is a test tool with generated credentials"
	if host == "" {
		return fmt.Errorf("invalid -listen %q: an empty host listens on every interface. %s", addr, advice)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("invalid -listen %q: host %q is neither an IP address nor localhost. %s", addr, host, advice)
	}
	if !ip.IsLoopback() {
		return fmt.Errorf("invalid -listen %q: %s is not a loopback address. %s", addr, host, advice)
	}
	return nil
}

// checkRange rejects a value outside [low, high], including NaN.
func checkRange(name string, value, low, high float64) error {
	if value >= low && value <= high {
		return nil
	}
	return fmt.Errorf("invalid %s %v: want a number from %g to %g", name, value, low, high)
}

// checkPositiveFloat rejects a value that is not a finite number above 0.
func checkPositiveFloat(name string, value float64) error {
	if value > 0 && !math.IsInf(value, 1) {
		return nil
	}
	return fmt.Errorf("invalid %s %v: want a finite number above 0", name, value)
}
