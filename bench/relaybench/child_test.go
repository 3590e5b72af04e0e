package relaybench_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtdash/rtdash/assets"
	"github.com/rtdash/rtdash/bench/workload"
	"github.com/rtdash/rtdash/relay"
	"github.com/rtdash/rtdash/relay/config"
	"github.com/rtdash/rtdash/shared/state"
)

// relayChildEnv, set to 1, makes the test binary run as the relay under
// test instead of running tests.
const relayChildEnv = "RTDASH_BENCH_RELAY"

// cpuProfileEnv names a file that receives the relay process's CPU profile
// of each run command; every run overwrites it.
const cpuProfileEnv = "RTDASH_BENCH_RELAY_CPUPROFILE"

func TestMain(m *testing.M) {
	if os.Getenv(relayChildEnv) == "1" {
		os.Exit(runRelayChild(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

// memoryReport is the relay process's memory at one moment.
type memoryReport struct {
	HeapInuse  uint64 `json:"heap_inuse"`  // bytes, runtime.MemStats.HeapInuse
	HeapAlloc  uint64 `json:"heap_alloc"`  // bytes
	Sys        uint64 `json:"sys"`         // bytes the Go runtime obtained from the OS
	RSS        uint64 `json:"rss"`         // bytes, VmRSS of /proc/self/status
	PeakRSS    uint64 `json:"peak_rss"`    // bytes, VmHWM of /proc/self/status
	Goroutines int    `json:"goroutines"`  // runtime.NumGoroutine
	NumGC      uint32 `json:"num_gc"`      // completed GC cycles
	Browsers   int    `json:"browsers"`    // browsers the hub holds
	Seq        uint64 `json:"seq"`         // the hub's sequence number
	TakenAtNs  int64  `json:"taken_at_ns"` // Unix nanoseconds
	Error      string `json:"error,omitempty"`
}

// runRelayChild runs a real relay (relay.New and Serve, with the appliance
// connection disabled) on a loopback port and feeds its hub the workload's
// messages, as the state API reader would. It writes "ready ADDR" and then
// takes one command per line on in:
//
//	snapshot                  load the large site; replies "ok SEQ"
//	run SECONDS UNITS RATE    send RATE diffs a second of UNITS units each,
//	                          for SECONDS; replies "sent FIRSTSEQ T1,T2,…"
//	                          with each diff's receive time, Unix ns
//	memory                    replies "memory JSON", a memoryReport
//
// It stops the relay and returns at the end of in.
func runRelayChild(in io.Reader, out io.Writer) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(out, "error "+format+"\n", args...)
		return 1
	}
	cfg, err := config.Load(map[string]string{
		// The host is never dialled, because RTD_DISABLED is set.
		"RTD_APPLIANCE_HOST": "127.0.0.1:9",
		"RTD_CLIENT_ID":      "bench",
		"RTD_CLIENT_SECRET":  "bench-secret-0123456789",
		"RTD_DISABLED":       "true",
		"RTD_LISTEN_ADDR":    "127.0.0.1:0",
	})
	if err != nil {
		return fail("loading the relay configuration: %v", err)
	}
	r, err := relay.New(cfg, relay.Options{Logger: slog.New(slog.DiscardHandler), Web: assets.Web})
	if err != nil {
		return fail("creating the relay: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fail("listening: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- r.Serve(ctx, ln) }()
	defer func() {
		cancel()
		<-served
	}()
	fmt.Fprintf(out, "ready %s\n", ln.Addr())

	site := workload.NewSite()
	hub := r.Hub()
	commands := bufio.NewScanner(in)
	for commands.Scan() {
		fields := strings.Fields(commands.Text())
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "snapshot":
			line := site.Snapshot()
			msg, err := state.Decode(line)
			if err != nil {
				return fail("decoding the snapshot: %v", err)
			}
			hub.Snapshot(msg, line, time.Now())
			fmt.Fprintf(out, "ok %d\n", hub.Seq())
		case "run":
			if len(fields) != 4 {
				return fail("run needs SECONDS UNITS RATE, got %q", commands.Text())
			}
			var numbers [3]int
			for i, f := range fields[1:] {
				if numbers[i], err = strconv.Atoi(f); err != nil || numbers[i] < 1 {
					return fail("invalid number %q in %q", f, commands.Text())
				}
			}
			stopProfile, err := startCPUProfile(os.Getenv(cpuProfileEnv))
			if err != nil {
				return fail("%v", err)
			}
			first, times, err := sendDiffs(hub, site, numbers[0], numbers[1], numbers[2])
			stopProfile()
			if err != nil {
				return fail("%v", err)
			}
			fmt.Fprintf(out, "sent %d %s\n", first, joinInts(times))
		case "memory":
			report := readMemory()
			report.Browsers = hub.Browsers()
			report.Seq = hub.Seq()
			data, _ := json.Marshal(report)
			fmt.Fprintf(out, "memory %s\n", data)
		default:
			return fail("unknown command %q", fields[0])
		}
	}
	return 0
}

// updater is the part of hub.Hub that sendDiffs drives.
type updater interface {
	Update(msg *state.Message, raw []byte, received time.Time)
	Seq() uint64
}

// sendDiffs hands the hub rate diffs a second for the given seconds. Each
// diff's receive time is taken after the message is generated and before
// it is decoded, where the relay's state API reader stamps a frame. A diff
// that finds the previous one still in the hub waits for it, so a slow
// relay sends fewer diffs a second instead of queueing them.
func sendDiffs(h updater, site *workload.Site, seconds, units, rate int) (uint64, []int64, error) {
	first := h.Seq() + 1
	ticker := time.NewTicker(time.Second / time.Duration(rate))
	defer ticker.Stop()
	times := make([]int64, 0, seconds*rate)
	for range seconds * rate {
		<-ticker.C
		line := site.Next(units)
		received := time.Now()
		msg, err := state.Decode(line)
		if err != nil {
			return 0, nil, fmt.Errorf("decoding a workload message: %w", err)
		}
		h.Update(msg, line, received)
		times = append(times, received.UnixNano())
	}
	return first, times, nil
}

// startCPUProfile starts writing a CPU profile to path, and returns the
// function that stops it. An empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("creating the CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting the CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func joinInts(values []int64) string {
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(v, 10))
	}
	return b.String()
}

// readMemory reads the Go runtime's statistics and the process's resident
// set from /proc/self/status (Linux).
func readMemory() memoryReport {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	report := memoryReport{
		HeapInuse:  ms.HeapInuse,
		HeapAlloc:  ms.HeapAlloc,
		Sys:        ms.Sys,
		Goroutines: runtime.NumGoroutine(),
		NumGC:      ms.NumGC,
		TakenAtNs:  time.Now().UnixNano(),
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		report.Error = err.Error()
		return report
	}
	for _, line := range strings.Split(string(status), "\n") {
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) != 2 || fields[1] != "kB" {
			continue
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			continue
		}
		switch name {
		case "VmRSS":
			report.RSS = kb << 10
		case "VmHWM":
			report.PeakRSS = kb << 10
		}
	}
	return report
}
