// Command browserbench measures the dashboard in headless Chromium at a
// large site. It times the page open to the full dashboard with a cold
// cache, and the time from a burst of about 500 row changes reaching the
// page to the painted frame that shows it, with the long tasks around it.
// It starts the simulator (large scenario) and a real relay on loopback
// ports, drives bursts through the simulator, and writes the results as
// JSON.
//
// It needs Chromium on PATH (the Makefile puts scripts/chromium first) and
// assets/web/app.wasm built before it is compiled (make wasm).
//
// Usage:
//
//	go run ./bench/cmd/browserbench -out results.json [-opens 5] [-bursts 25]
//
// To profile, build app.wasm without -ldflags="-s -w" so that it keeps its
// function names, and pass it with -wasm and a -cpuprofile file name.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/rtdash/rtdash/assets"
)

// burstInterval is the time from one burst's flush to the next: the burst
// rate of a large site is 500 row changes a second.
const burstInterval = time.Second

// warmupBursts run before the measured ones and are left out of the
// results.
const warmupBursts = 3

func main() {
	out := flag.String("out", "", "file to write the JSON results to (required)")
	opens := flag.Int("opens", 5, "number of cold page opens, each in a new browser")
	bursts := flag.Int("bursts", 25, "number of measured bursts")
	perKind := flag.Int("burst-size", 50, "sessions that arrive, are picked up and end in each burst, and representatives that change status; 50 makes about 500 row changes")
	verbose := flag.Bool("v", false, "log the simulator and relay at info level")
	wasmPath := flag.String("wasm", "", "serve this app.wasm, uncompressed, in place of the embedded build")
	cpuProfile := flag.String("cpuprofile", "", "write Chromium CPU profiles of the page open and of the bursts to FILE-open.cpuprofile and FILE-bursts.cpuprofile, with .txt summaries")
	flag.Parse()
	if *out == "" || *opens < 1 || *bursts < 1 || *perKind < 10 {
		fmt.Fprintln(os.Stderr, "browserbench: -out is required; -opens and -bursts must be at least 1 and -burst-size at least 10")
		flag.Usage()
		os.Exit(2)
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	web := fs.FS(assets.Web)
	if *wasmPath != "" {
		if _, err := os.Stat(*wasmPath); err != nil {
			fmt.Fprintf(os.Stderr, "browserbench: -wasm: %v\n", err)
			os.Exit(2)
		}
		web = wasmOverlay{wasmPath: *wasmPath}
	}
	if err := run(options{outPath: *out, opens: *opens, bursts: *bursts, perKind: *perKind, web: web, cpuProfile: *cpuProfile}, log); err != nil {
		fmt.Fprintf(os.Stderr, "browserbench: %v\n", err)
		os.Exit(1)
	}
}

// results is the JSON that browserbench writes.
type results struct {
	Opens  []openResult  `json:"opens"`
	Bursts []burstResult `json:"bursts"`
	// BoardUpdatesMs are the dashboard's own rtd-board-update User Timing
	// measures after the bursts, when the page records them.
	BoardUpdatesMs []float64 `json:"board_updates_ms"`
	LongTaskError  string    `json:"long_task_error,omitempty"`
}

// options are the command line settings of a run.
type options struct {
	outPath       string
	opens, bursts int
	perKind       int
	web           fs.FS
	cpuProfile    string
}

func run(o options, log *slog.Logger) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	workDir, err := os.MkdirTemp("", "browserbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(workDir)

	s, err := startSite(ctx, workDir, o.web, log)
	if err != nil {
		return err
	}
	defer s.stop()
	fmt.Fprintf(os.Stderr, "browserbench: relay at %s following a simulator with %d waiting and %d sessions in progress\n",
		s.relayURL, len(s.waiting), len(s.inProgress))

	var res results
	for i := range o.opens {
		open, err := coldOpen(ctx, s.relayURL, workDir, i)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "browserbench: open %d: dashboard painted at %.0f ms (app.wasm %.0f bytes over the wire)\n",
			i+1, open.ReadyPaintedMs, open.WasmEncodedSize)
		res.Opens = append(res.Opens, open)
	}

	bctx, closeBrowser, err := newBrowser(ctx, mustTempDir(workDir, "bursts"))
	if err != nil {
		return err
	}
	defer closeBrowser()
	if err := o.startProfile(bctx); err != nil {
		return err
	}
	if _, err := openDashboard(bctx, s.relayURL+"/"); err != nil {
		return err
	}
	if err := o.stopProfile(bctx, "open"); err != nil {
		return err
	}
	for k := range warmupBursts + o.bursts {
		if k == warmupBursts {
			if err := o.startProfile(bctx); err != nil {
				return err
			}
		}
		b, err := runBurst(bctx, s, k, o.perKind)
		if err != nil {
			return fmt.Errorf("burst %d: %w", k+1, err)
		}
		if k >= warmupBursts {
			res.Bursts = append(res.Bursts, b)
			fmt.Fprintf(os.Stderr, "browserbench: burst %d: %.0f rows, painted %.1f ms after arrival, data age %.0f ms\n",
				k+1-warmupBursts, b.Rows, b.PaintedMs, b.DataAgeMs)
		}
	}
	if err := o.stopProfile(bctx, "bursts"); err != nil {
		return err
	}
	if err := evaluate(bctx, `JSON.stringify(performance.getEntriesByName("rtd-board-update").map((e) => e.duration))`, &res.BoardUpdatesMs); err != nil {
		return err
	}
	if err := evaluate(bctx, `JSON.stringify(window.__rtdBench.longTaskError || "")`, &res.LongTaskError); err != nil {
		return err
	}

	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(o.outPath, append(data, '\n'), 0o644)
}

func (o options) startProfile(ctx context.Context) error {
	if o.cpuProfile == "" {
		return nil
	}
	return startProfiler(ctx)
}

// stopProfile writes the profile of one phase and its summary.
func (o options) stopProfile(ctx context.Context, phase string) error {
	if o.cpuProfile == "" {
		return nil
	}
	base := o.cpuProfile + "-" + phase
	summary, err := os.Create(base + ".txt")
	if err != nil {
		return err
	}
	defer summary.Close()
	if err := stopProfiler(ctx, base+".cpuprofile", summary); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "browserbench: wrote %s.cpuprofile and %s.txt\n", base, base)
	return nil
}

func mustTempDir(parent, prefix string) string {
	dir, err := os.MkdirTemp(parent, prefix+"-")
	if err != nil {
		panic(err)
	}
	return dir
}

// coldOpen opens the dashboard once in a new browser with an empty
// profile.
func coldOpen(ctx context.Context, url, workDir string, i int) (openResult, error) {
	bctx, closeBrowser, err := newBrowser(ctx, mustTempDir(workDir, "open-"+strconv.Itoa(i)))
	if err != nil {
		return openResult{}, err
	}
	defer closeBrowser()
	return openDashboard(bctx, url+"/")
}

// burstResult is one burst as the page saw it. Durations are
// milliseconds.
type burstResult struct {
	Rows  float64 `json:"rows"`  // row changes the relay applied
	Bytes float64 `json:"bytes"` // length of the relay's diff message
	// AppliedMs is from the diff's arrival on the page's websocket to the
	// DOM showing the new panel counts; PaintedMs to the painted frame.
	AppliedMs float64 `json:"applied_ms"`
	PaintedMs float64 `json:"painted_ms"`
	// DataAgeMs is from the relay's receipt of the appliance message (the
	// envelope's time, whole milliseconds) to the painted frame, on the
	// same host clock.
	DataAgeMs float64 `json:"data_age_ms"`
	// ApplianceToRelayMs is from the simulator's flush to the relay's
	// receipt.
	ApplianceToRelayMs float64 `json:"appliance_to_relay_ms"`
	// LongTasks are the long tasks that overlap the time from arrival to
	// paint.
	LongTasks []longTask `json:"long_tasks"`
}

// burstProbe is the probe's record of one burst.
type burstProbe struct {
	Arrival    float64 `json:"arrival"`
	Applied    float64 `json:"applied"`
	Painted    float64 `json:"painted"`
	Bytes      float64 `json:"bytes"`
	RelayTime  float64 `json:"relayTime"`
	TimeOrigin float64 `json:"timeOrigin"`
}

func runBurst(ctx context.Context, s *site, k, perKind int) (burstResult, error) {
	var counts struct {
		Waiting    string `json:"waiting"`
		InProgress string `json:"inProgress"`
	}
	if err := evaluate(ctx, `JSON.stringify(window.__rtdBench.counts())`, &counts); err != nil {
		return burstResult{}, err
	}
	waiting, err1 := strconv.Atoi(counts.Waiting)
	inProgress, err2 := strconv.Atoi(counts.InProgress)
	if err1 != nil || err2 != nil {
		return burstResult{}, fmt.Errorf("invalid panel counts %q and %q", counts.Waiting, counts.InProgress)
	}
	// Arrivals alternate above and below the pickups, so that the waiting
	// total changes with every burst and the probe can tell it applied.
	swing := perKind / 10
	if k%2 == 1 {
		swing = -swing
	}
	plan := burstPlan{arrivals: perKind + swing, pickups: perKind, ends: perKind, statusChanges: perKind}
	dw, di := plan.changes()
	arm := fmt.Sprintf(`JSON.stringify(window.__rtdBench.arm(%d, %d, %d) ?? null)`, k, waiting+dw, inProgress+di)
	if err := evaluate(ctx, arm, nil); err != nil {
		return burstResult{}, err
	}
	diffsBefore, rowsBefore, err := s.relayCounters()
	if err != nil {
		return burstResult{}, fmt.Errorf("reading the relay's metrics: %w", err)
	}

	flushed, err := s.run(plan)
	if err != nil {
		return burstResult{}, err
	}
	if err := poll(ctx, "the burst to be painted", fmt.Sprintf(`window.__rtdBench.results.some((r) => r.id === %d)`, k), 20*time.Second); err != nil {
		return burstResult{}, err
	}
	var probe burstProbe
	if err := evaluate(ctx, fmt.Sprintf(`JSON.stringify(window.__rtdBench.results.find((r) => r.id === %d))`, k), &probe); err != nil {
		return burstResult{}, err
	}
	var tasks []longTask
	window := fmt.Sprintf(`JSON.stringify(window.__rtdBench.longTasks.filter((t) => t.start + t.duration >= %f && t.start <= %f))`,
		probe.Arrival, probe.Painted)
	if err := evaluate(ctx, window, &tasks); err != nil {
		return burstResult{}, err
	}

	diffsAfter, rowsAfter := diffsBefore, rowsBefore
	for deadline := time.Now().Add(5 * time.Second); diffsAfter == diffsBefore && time.Now().Before(deadline); {
		if diffsAfter, rowsAfter, err = s.relayCounters(); err != nil {
			return burstResult{}, fmt.Errorf("reading the relay's metrics: %w", err)
		}
	}
	if diffsAfter != diffsBefore+1 {
		return burstResult{}, fmt.Errorf("relay applied %.0f diffs for the burst, want 1", diffsAfter-diffsBefore)
	}

	b := burstResult{
		Rows:               rowsAfter - rowsBefore,
		Bytes:              probe.Bytes,
		AppliedMs:          probe.Applied - probe.Arrival,
		PaintedMs:          probe.Painted - probe.Arrival,
		DataAgeMs:          probe.TimeOrigin + probe.Painted - probe.RelayTime,
		ApplianceToRelayMs: probe.RelayTime - float64(flushed.UnixMilli()),
		LongTasks:          tasks,
	}
	time.Sleep(time.Until(flushed.Add(burstInterval)))
	return b, nil
}
