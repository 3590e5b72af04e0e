package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseFlagsRejectsInvalidValues(t *testing.T) {
	cases := []struct {
		args []string
		want string // text the error must contain
	}{
		{[]string{"-speed", "-3"}, "invalid -speed -3: want a number above 0 and at most 1000"},
		{[]string{"-speed", "0"}, "invalid -speed 0"},
		{[]string{"-speed", "NaN"}, "invalid -speed NaN"},
		{[]string{"-speed", "Inf"}, "invalid -speed +Inf"},
		{[]string{"-speed", "1001"}, "invalid -speed 1001"},
		{[]string{"-busy", "-1"}, "invalid -busy -1: want a number above 0 and at most 1000"},
		{[]string{"-busy", "0"}, "invalid -busy 0"},
		{[]string{"-listen", "0.0.0.0:8443"}, "0.0.0.0 is not a loopback address"},
		{[]string{"-listen", "0.0.0.0:8443"}, "-allow-remote"},
		{[]string{"-listen", "[::]:8443"}, ":: is not a loopback address"},
		{[]string{"-listen", "192.0.2.10:8443"}, "192.0.2.10 is not a loopback address"},
		{[]string{"-listen", ":8443"}, "an empty host listens on every interface"},
		{[]string{"-listen", "example.com:8443"}, `host "example.com" is neither an IP address nor localhost`},
		{[]string{"-listen", "127.0.0.1"}, `invalid -listen "127.0.0.1": want host:port`},
		{[]string{"-preset", "huge"}, `invalid -preset "huge"`},
		{[]string{"-client-id", ""}, "invalid -client-id"},
		{[]string{"-ca-file", ""}, "invalid -ca-file"},
		{[]string{"-batch-delay", "-1s"}, "invalid -batch-delay -1s: want a duration above 0"},
		{[]string{"-batch-delay", "0s"}, "invalid -batch-delay 0s"},
		{[]string{"-survey-rate", "-0.5"}, "invalid -survey-rate -0.5: want a number from 0 to 1"},
		{[]string{"-survey-rate", "1.5"}, "invalid -survey-rate 1.5"},
		{[]string{"-rep-survey-rate", "NaN"}, "invalid -rep-survey-rate NaN"},
		{[]string{"-history-max", "-5"}, "invalid -history-max -5: want at least 1"},
		{[]string{"-history-max", "0"}, "invalid -history-max 0"},
		{[]string{"-history-retention", "-1h"}, "invalid -history-retention -1h0m0s"},
		{[]string{"-rate-limit-per-second", "-1"}, "invalid -rate-limit-per-second -1"},
		{[]string{"-rate-limit-per-hour", "0"}, "invalid -rate-limit-per-hour 0"},
		{[]string{"-config-bad-page-status", "200"}, "invalid -config-bad-page-status 200: want an HTTP error status from 400 to 599"},
		{[]string{"-config-bad-page-status", "-401"}, "invalid -config-bad-page-status -401"},
		{[]string{"-fault-interval", "-1m"}, "invalid -fault-interval -1m0s"},
		{[]string{"-stall", "-30s"}, "invalid -stall -30s"},
		{[]string{"-replay-conn", "-2"}, "invalid -replay-conn -2"},
		{[]string{"-replay-speed", "-2"}, "invalid -replay-speed -2: want a finite number above 0"},
		{[]string{"-replay-speed", "0"}, "invalid -replay-speed 0"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			_, err := parseFlags(tc.args, io.Discard)
			if err == nil {
				t.Fatalf("parseFlags(%q) returned no error", tc.args)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestParseFlagsAcceptsValidValues(t *testing.T) {
	cases := [][]string{
		nil,
		{"-speed", "0.5", "-busy", "1000"},
		{"-listen", "127.0.0.1:0"},
		{"-listen", "127.1.2.3:0"},
		{"-listen", "[::1]:0"},
		{"-listen", "localhost:0"},
		{"-listen", "LOCALHOST:0"},
		{"-listen", "0.0.0.0:8443", "-allow-remote"},
		{"-listen", ":8443", "-allow-remote"},
		{"-survey-rate", "0", "-rep-survey-rate", "1"},
		{"-config-bad-page-status", "400"},
		{"-replay-conn", "0"},
	}
	for _, args := range cases {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if _, err := parseFlags(args, io.Discard); err != nil {
				t.Errorf("parseFlags(%q): %v", args, err)
			}
		})
	}
}

func TestParseFlagsUnknownFlag(t *testing.T) {
	var output bytes.Buffer
	_, err := parseFlags([]string{"-no-such-flag"}, &output)
	if !errors.Is(err, errUsage) {
		t.Errorf("error = %v, want errUsage", err)
	}
	if !strings.Contains(output.String(), "-no-such-flag") {
		t.Errorf("usage output does not name the unknown flag:\n%s", output.String())
	}
}

func TestParseFlagsHelp(t *testing.T) {
	var output bytes.Buffer
	_, err := parseFlags([]string{"-h"}, &output)
	if !errors.Is(err, flag.ErrHelp) {
		t.Errorf("error = %v, want flag.ErrHelp", err)
	}
	for _, text := range []string{"-busy", "-ca-dir", "-allow-remote", "accelerates the appliance clock itself"} {
		if !strings.Contains(output.String(), text) {
			t.Errorf("usage does not contain %q", text)
		}
	}
}

// TestRunKeepsCAInCADir runs the command twice with the same -ca-dir and
// an already cancelled context, so each run starts the simulator, writes
// -ca-file and stops again.
func TestRunKeepsCAInCADir(t *testing.T) {
	dir := t.TempDir()
	caDir := filepath.Join(dir, "ca")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	runOnce := func(caFile string) []byte {
		args := []string{"-listen", "127.0.0.1:0", "-client-secret", "test-secret", "-ca-dir", caDir, "-ca-file", caFile}
		var stdout bytes.Buffer
		if err := run(ctx, args, &stdout, io.Discard); err != nil {
			t.Fatalf("run: %v", err)
		}
		if !strings.Contains(stdout.String(), "The CA is kept in "+caDir) {
			t.Errorf("banner does not name the CA directory:\n%s", stdout.String())
		}
		data, err := os.ReadFile(caFile)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	first := runOnce(filepath.Join(dir, "first.pem"))
	second := runOnce(filepath.Join(dir, "second.pem"))
	if !bytes.Equal(first, second) {
		t.Error("two runs with the same -ca-dir wrote different CA certificates")
	}
	kept, err := os.ReadFile(filepath.Join(caDir, "ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, kept) {
		t.Error("-ca-file differs from ca.pem in -ca-dir")
	}
}

func TestRunBusyScalesScenario(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	args := []string{"-listen", "127.0.0.1:0", "-client-secret", "test-secret", "-ca-file", filepath.Join(dir, "ca.pem"),
		"-preset", "mid", "-busy", "2.5"}
	var stdout bytes.Buffer
	if err := run(ctx, args, &stdout, io.Discard); err != nil {
		t.Fatalf("run: %v", err)
	}
	// MidSize has 60 arrivals per minute.
	want := "150 arrivals per appliance minute (busy factor 2.5), appliance clock speed 1x"
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("banner does not contain %q:\n%s", want, stdout.String())
	}
}
