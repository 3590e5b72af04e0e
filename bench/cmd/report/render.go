package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Targets of the product, in the units the report compares.
const (
	latencyTargetMs      = 5
	memoryTargetMB       = 150
	snapshotTargetMs     = 30
	nativeRowsTarget     = 1_000_000
	wasmRatioTarget      = 4
	burstTargetMs        = 50
	longTaskLimitMs      = 100
	openTargetMs         = 1500
	wasmBrotliTargetByte = 1_600_000 // 1.6 MB, decimal
	dataAgeTargetMs      = 1000
)

// messageSizes are the sub-benchmark names of the apply benchmarks.
var messageSizes = []string{"rows=20", "rows=100", "rows=500"}

// latencyShapes are the sub-benchmarks of BenchmarkDiffLatency and what
// each sends.
var latencyShapes = []struct{ browsers, name, shape string }{
	{"100", "rows=20", "25 messages/s of 20 rows"},
	{"500", "rows=20", "25 messages/s of 20 rows"},
	{"500", "rows=100", "5 messages/s of 100 rows"},
	{"500", "rows=500", "1 message/s of 500 rows"},
}

// report collects the rows of the targets table.
type report struct {
	rows     []string
	details  []string
	problems []string
}

func verdict(pass bool) string {
	if pass {
		return "pass"
	}
	return "**miss**"
}

func (r *report) row(target, goal, measured string, pass bool, ratio string) {
	r.rows = append(r.rows, fmt.Sprintf("| %s | %s | %s | %s | %s |", target, goal, measured, verdict(pass), ratio))
}

func (r *report) missing(target, goal, what string, err error) {
	r.rows = append(r.rows, fmt.Sprintf("| %s | %s | not measured: %s | **miss** | |", target, goal, what))
	r.problems = append(r.problems, fmt.Sprintf("%s: %v", what, err))
}

func render(dir, wasmBr, command string) (string, error) {
	m := describeMachine(dir)
	r := &report{}

	native, errNative := readBenchFile(filepath.Join(dir, "apply-native.txt"))
	wasm, errWasm := readBenchFile(filepath.Join(dir, "apply-wasm.txt"))
	relay, errRelay := readBenchFile(filepath.Join(dir, "relay.txt"))
	browser, errBrowser := readBrowser(filepath.Join(dir, "browser.json"))

	r.relayRows(relay, errRelay)
	r.applyRows(native, errNative, wasm, errWasm)
	r.browserRows(browser, errBrowser)
	r.wasmSizeRow(wasmBr)

	var b strings.Builder
	fmt.Fprintf(&b, "Measured %s with `%s`.\n\n", m.date, command)
	fmt.Fprintf(&b, "- CPU: %s, %d cores (load average over 1, 5 and 15 minutes at the end of the run: %s)\n", m.cpu, m.cores, m.load)
	fmt.Fprintf(&b, "- Go: %s; Chromium: %s\n\n", m.goVersion, m.chromium)
	b.WriteString("| Target | Goal | Measured | Result | Baseline ratio |\n| --- | --- | --- | --- | --- |\n")
	for _, row := range r.rows {
		b.WriteString(row + "\n")
	}
	if len(r.problems) > 0 {
		b.WriteString("\nSteps that produced no figure:\n\n")
		for _, p := range r.problems {
			b.WriteString("- " + p + "\n")
		}
	}
	b.WriteString("\n### Detailed results\n")
	for _, d := range r.details {
		b.WriteString("\n" + d)
	}
	return b.String(), nil
}

func (r *report) relayRows(relay benchResults, err error) {
	const latencyTarget = "Relay: appliance diff to browser socket, p99, 500 browsers on loopback"
	if err != nil {
		r.missing(latencyTarget, "under 5 ms", "relay.txt", err)
		r.missing("Relay: memory with the large site and 1,000 browsers", "under 150 MB", "relay.txt", err)
		r.missing("Relay: snapshot for a joining browser, large site", "under 30 ms to encode", "relay.txt", err)
		return
	}

	var parts []string
	pass, found := true, false
	details := "Relay latency, from the relay's receipt of an appliance message to its complete arrival at each websocket client " +
		"(BenchmarkDiffLatency; the last browser is the slowest one for each diff):\n\n" +
		"| Browsers | Burst shape | p50 | p99 | max | last browser p50 | last browser p99 | diffs | missed |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
	for _, s := range latencyShapes {
		name := "BenchmarkDiffLatency/browsers=" + s.browsers + "/" + s.name
		p99, ok := relay.median(name, "p99-ms")
		if !ok {
			continue
		}
		if s.browsers == "500" {
			found = true
			pass = pass && p99 < latencyTargetMs
			parts = append(parts, fmt.Sprintf("%.1f ms (%s)", p99, s.shape))
		}
		details += fmt.Sprintf("| %s | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.0f | %.0f |\n", s.browsers, s.shape,
			get(relay, name, "p50-ms"), p99, get(relay, name, "max-ms"),
			get(relay, name, "last-browser-p50-ms"), get(relay, name, "last-browser-p99-ms"),
			get(relay, name, "diffs"), get(relay, name, "missed"))
	}
	if found {
		r.row(latencyTarget, "under 5 ms", "p99 "+strings.Join(parts, "; "), pass, "")
		r.details = append(r.details, details)
	} else {
		r.missing(latencyTarget, "under 5 ms", "BenchmarkDiffLatency", errors.New("no result in relay.txt"))
	}

	const memName = "BenchmarkRelayMemory/browsers=1000"
	if rss, ok := relay.median(memName, "rss-MB"); ok {
		peak := get(relay, memName, "peak-rss-MB")
		r.row("Relay: memory with the large site and 1,000 browsers", "under 150 MB",
			fmt.Sprintf("RSS %.0f MiB after 20 s of bursts, peak %.0f MiB, Go heap in use %.0f MiB", rss, peak, get(relay, memName, "heap-inuse-MB")),
			peak < memoryTargetMB, "")
		r.details = append(r.details, fmt.Sprintf("Relay memory (BenchmarkRelayMemory): RSS %.0f MiB and Go heap in use %.0f MiB with the site loaded and no browser; "+
			"%.0f KiB of RSS per browser; p99 diff latency at 1,000 browsers %.1f ms (25 messages/s of 20 rows).\n",
			get(relay, memName, "rss-no-browsers-MB"), get(relay, memName, "heap-inuse-no-browsers-MB"),
			get(relay, memName, "rss-KB/browser"), get(relay, memName, "p99-ms")))
	} else {
		r.missing("Relay: memory with the large site and 1,000 browsers", "under 150 MB", "BenchmarkRelayMemory", errors.New("no result in relay.txt"))
	}

	if ns, ok := relay.median("BenchmarkSnapshotEnvelope", "ns/op"); ok {
		r.row("Relay: snapshot for a joining browser, large site", "under 30 ms to encode",
			fmt.Sprintf("%.1f ms for a %.1f MB envelope, %.0f MB allocated", ns/1e6,
				get(relay, "BenchmarkSnapshotEnvelope", "envelope-bytes")/1e6, get(relay, "BenchmarkSnapshotEnvelope", "B/op")/1e6),
			ns/1e6 < snapshotTargetMs, "")
	} else {
		r.missing("Relay: snapshot for a joining browser, large site", "under 30 ms to encode", "BenchmarkSnapshotEnvelope", errors.New("no result in relay.txt"))
	}
}

func get(results benchResults, name, unit string) float64 {
	v, _ := results.median(name, unit)
	return v
}

func (r *report) applyRows(native benchResults, errNative error, wasm benchResults, errWasm error) {
	const nativeTarget = "shared: applying diffs, native"
	const wasmTarget = "shared: applying diffs in the browser (WASM)"
	if errNative != nil {
		r.missing(nativeTarget, "over 1,000,000 row changes/s", "apply-native.txt", errNative)
		r.missing(wasmTarget, "within 4x of native", "apply-native.txt", errNative)
		return
	}
	var parts []string
	lowest := 0.0
	for _, size := range messageSizes {
		v, ok := native.median("BenchmarkApply/"+size, "rows/s")
		if !ok {
			continue
		}
		if lowest == 0 || v < lowest {
			lowest = v
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", formatRate(v), size))
	}
	r.row(nativeTarget, "over 1,000,000 row changes/s", strings.Join(parts, "; "), lowest > nativeRowsTarget, "")

	if errWasm != nil {
		r.missing(wasmTarget, "within 4x of native", "apply-wasm.txt", errWasm)
		return
	}
	table := "Applying diffs (Decode and Apply of one appliance message, rows changed per second; medians of the runs):\n\n" +
		"| Message | native Go | WASM Go | JavaScript (same page) | WASM slower than native | WASM vs JavaScript |\n| --- | --- | --- | --- | --- | --- |\n"
	worst := 0.0
	var ratios, jsRatios []string
	for _, size := range messageSizes {
		n, ok1 := native.median("BenchmarkApply/"+size, "rows/s")
		w, ok2 := wasm.median("BenchmarkApply/"+size, "rows/s")
		j, ok3 := wasm.median("BenchmarkApplyJS/"+size, "rows/s")
		if !ok1 || !ok2 {
			continue
		}
		ratio := n / w
		worst = max(worst, ratio)
		ratios = append(ratios, fmt.Sprintf("%.1fx (%s)", ratio, size))
		jsCell, jsRatio := "n/a", "n/a"
		if ok3 {
			jsCell = formatRate(j)
			jsRatio = fmt.Sprintf("%.2fx JavaScript's time", j/w)
			jsRatios = append(jsRatios, fmt.Sprintf("%.1fx (%s)", j/w, size))
		}
		table += fmt.Sprintf("| %s | %s | %s | %s | %.1fx | %s |\n", size, formatRate(n), formatRate(w), jsCell, ratio, jsRatio)
	}
	if worst == 0 {
		r.missing(wasmTarget, "within 4x of native", "BenchmarkApply in apply-wasm.txt", errors.New("no matching results"))
		return
	}
	r.row(wasmTarget, "within 4x of native", "WASM/native time: "+strings.Join(ratios, ", "), worst <= wasmRatioTarget,
		fmt.Sprintf("WASM vs native %.1fx at worst; WASM vs JavaScript: %s", worst, strings.Join(jsRatios, ", ")))
	table += "\nThe browser's whole path for a diff also decodes the relay's envelope (BenchmarkFeedHandle), and every batch rebuilds the board (BenchmarkBoardBuild):\n\n" +
		"| Benchmark | native | WASM | WASM/native |\n| --- | --- | --- | --- |\n"
	for _, name := range []string{"BenchmarkFeedHandle/rows=20", "BenchmarkFeedHandle/rows=500", "BenchmarkApplySnapshot", "BenchmarkBoardBuild"} {
		n, ok1 := native.median(name, "ns/op")
		w, ok2 := wasm.median(name, "ns/op")
		if ok1 && ok2 {
			table += fmt.Sprintf("| %s | %s | %s | %.1fx |\n", name, formatDuration(n), formatDuration(w), w/n)
		}
	}
	r.details = append(r.details, table)
}

func (r *report) browserRows(b *browserResults, err error) {
	const burstTarget = "Browser: one burst applied and painted, large site"
	const openTarget = "Browser: page open to full dashboard on loopback, cold cache"
	const ageTarget = "Data age shown to a supervisor beyond what the appliance itself adds"
	if err != nil {
		r.missing(burstTarget, "under 50 ms p95, no long task over 100 ms", "browser.json", err)
		r.missing(openTarget, "under 1.5 s", "browser.json", err)
		r.missing(ageTarget, "under 1 s", "browser.json", err)
		return
	}

	var painted, applied, ages, rows, bytes, hops, longest []float64
	longOver := 0
	for _, burst := range b.Bursts {
		painted = append(painted, burst.PaintedMs)
		applied = append(applied, burst.AppliedMs)
		ages = append(ages, burst.DataAgeMs)
		rows = append(rows, burst.Rows)
		bytes = append(bytes, burst.Bytes)
		hops = append(hops, burst.ApplianceToRelayMs)
		top := 0.0
		for _, t := range burst.LongTasks {
			top = max(top, t.Duration)
			if t.Duration > longTaskLimitMs {
				longOver++
			}
		}
		longest = append(longest, top)
	}
	if len(painted) > 0 {
		p95 := percentile(painted, 95)
		maxLong := percentile(longest, 100)
		r.row(burstTarget, "under 50 ms p95, no long task over 100 ms",
			fmt.Sprintf("p50 %.0f ms, p95 %.0f ms over %d bursts of %.0f row changes (median); longest task %.0f ms, %d tasks over 100 ms",
				percentile(painted, 50), p95, len(painted), median(rows), maxLong, longOver),
			p95 < burstTargetMs && maxLong <= longTaskLimitMs, "")
		r.row(ageTarget, "under 1 s",
			fmt.Sprintf("relay receipt to painted frame: p50 %.0f ms, p95 %.0f ms, max %.0f ms", percentile(ages, 50), percentile(ages, 95), percentile(ages, 100)),
			percentile(ages, 95) < dataAgeTargetMs, "")
		r.details = append(r.details, fmt.Sprintf("Bursts in the browser (browserbench): %d bursts one second apart, after %d unmeasured ones. "+
			"The diff message is %.0f KB (median). From its arrival, the DOM is updated at p50 %.0f ms and p95 %.0f ms, "+
			"and the frame is painted at p50 %.0f ms, p95 %.0f ms and max %.0f ms. "+
			"The simulator's flush reaches the relay in %.0f ms (p50). The longest task of each burst is %.0f ms at p50 and %.0f ms at most.\n",
			len(painted), 3, median(bytes)/1000, percentile(applied, 50), percentile(applied, 95),
			percentile(painted, 50), percentile(painted, 95), percentile(painted, 100), median(hops),
			percentile(longest, 50), percentile(longest, 100)))
	} else {
		r.missing(burstTarget, "under 50 ms p95", "bursts", errors.New("browser.json has no bursts"))
	}
	if b.LongTaskError != "" {
		r.problems = append(r.problems, "long task observer failed in the page: "+b.LongTaskError)
	}
	if len(b.BoardUpdatesMs) > 0 {
		r.details = append(r.details, fmt.Sprintf("The dashboard's own rtd-board-update measures (board rebuild and DOM update of one batch) after the bursts: "+
			"p50 %.0f ms, p95 %.0f ms, max %.0f ms over %d batches.\n",
			percentile(b.BoardUpdatesMs, 50), percentile(b.BoardUpdatesMs, 95), percentile(b.BoardUpdatesMs, 100), len(b.BoardUpdatesMs)))
	}

	var opens, wasmFetch, openLongest []float64
	for _, o := range b.Opens {
		opens = append(opens, o.ReadyPaintedMs)
		wasmFetch = append(wasmFetch, o.WasmEndMs-o.WasmStartMs)
		top := 0.0
		for _, t := range o.LongTasks {
			top = max(top, t.Duration)
		}
		openLongest = append(openLongest, top)
	}
	if len(opens) == 0 {
		r.missing(openTarget, "under 1.5 s", "opens", errors.New("browser.json has no page opens"))
		return
	}
	r.row(openTarget, "under 1.5 s",
		fmt.Sprintf("p50 %.2f s, max %.2f s over %d opens, each in a new browser profile", percentile(opens, 50)/1000, percentile(opens, 100)/1000, len(opens)),
		percentile(opens, 100) < openTargetMs, "")
	r.details = append(r.details, fmt.Sprintf("Page opens: app.wasm download p50 %.0f ms (%.0f bytes over the wire); the longest task of each open p50 %.0f ms, max %.0f ms. "+
		"The figure is from navigation start to the painted frame with rows in all four panels and data-state=live.\n",
		percentile(wasmFetch, 50), b.Opens[0].WasmEncodedSize, percentile(openLongest, 50), percentile(openLongest, 100)))
}

func (r *report) wasmSizeRow(path string) {
	const target = "app.wasm over the wire (brotli)"
	info, err := os.Stat(path)
	if err != nil {
		r.missing(target, "under 1.6 MB", path, err)
		return
	}
	size := float64(info.Size())
	r.row(target, "under 1.6 MB (1,600,000 bytes)",
		fmt.Sprintf("%.0f bytes (%.3f MB, %.3f MiB), `brotli -q 11`", size, size/1e6, size/(1<<20)),
		size < wasmBrotliTargetByte, "")
}

func formatRate(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.2fM rows/s", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.0fk rows/s", v/1e3)
	}
	return fmt.Sprintf("%.0f rows/s", v)
}

func formatDuration(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.1f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
