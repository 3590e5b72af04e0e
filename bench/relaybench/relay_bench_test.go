package relaybench_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rtdash/rtdash/bench/workload"
	"github.com/rtdash/rtdash/relay/hub"
	"github.com/rtdash/rtdash/shared/state"
)

// secondsEnv sets how long the latency and memory benchmarks send diffs;
// the default is 20 seconds.
const secondsEnv = "RTDASH_BENCH_SECONDS"

func runSeconds(b *testing.B) int {
	b.Helper()
	text := os.Getenv(secondsEnv)
	if text == "" {
		return 20
	}
	seconds, err := strconv.Atoi(text)
	if err != nil || seconds < 1 {
		b.Fatalf("invalid %s=%q: want a whole number of seconds, 1 or more", secondsEnv, text)
	}
	return seconds
}

func decode(b *testing.B, line []byte) *state.Message {
	b.Helper()
	msg, err := state.Decode(line)
	if err != nil {
		b.Fatalf("Decode() failed: %v", err)
	}
	return msg
}

// BenchmarkSnapshotEnvelope measures what a browser joining a large site
// costs the relay: hub.Join encoding the snapshot envelope, under the
// hub's lock. A diff before each join moves the sequence number on, so
// that the hub cannot reuse the envelope it cached for the previous join.
func BenchmarkSnapshotEnvelope(b *testing.B) {
	site := workload.NewSite()
	h := hub.New(hub.Options{})
	snapshot := site.Snapshot()
	h.Snapshot(decode(b, snapshot), snapshot, time.Now())
	size := 0
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		diff := site.Next(1)
		h.Update(decode(b, diff), diff, time.Now())
		b.StartTimer()

		c, first := h.Join()

		b.StopTimer()
		size = 0
		for _, msg := range first {
			if bytes.HasPrefix(msg, []byte(`{"type":"snapshot"`)) {
				size = len(msg)
			}
		}
		if size == 0 {
			b.Fatal("Join() returned no snapshot envelope")
		}
		h.Leave(c)
		b.StartTimer()
	}
	b.ReportMetric(float64(size), "envelope-bytes")
}

// latencyBrowsers is the number of browsers the latency target names.
const latencyBrowsers = 500

// latencyCases are the shapes of the burst rate, 500 row changes a
// second: 25 small messages, 5 batches of 100 rows (the simulator's
// 200 ms batching), or one batch of 500 rows. The case with 100 browsers
// shows how the latency grows with the number of browsers.
var latencyCases = []struct{ browsers, units, rate int }{
	{100, 1, 25},
	{latencyBrowsers, 1, 25},
	{latencyBrowsers, 5, 5},
	{latencyBrowsers, 25, 1},
}

// BenchmarkDiffLatency measures the time from the relay's receipt of an
// appliance message to its complete arrival at each of 500 websocket
// clients (100 in one case) on loopback, while the relay holds the large site. The relay
// runs as a child process; the clients run in this one, on the same
// cores. It reports percentiles over every (diff, browser) pair, and over
// each diff's slowest browser. ns/op is suppressed because one iteration
// is the whole run.
func BenchmarkDiffLatency(b *testing.B) {
	seconds := runSeconds(b)
	for _, c := range latencyCases {
		name := fmt.Sprintf("browsers=%d/rows=%d", c.browsers, c.units*workload.UnitRows)
		b.Run(name, func(b *testing.B) {
			p := startRelay(b)
			p.command(b, "snapshot", "ok")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			browsers, readers := dialBrowsers(ctx, b, p.addr, c.browsers)
			// Let the joins' garbage settle before timing.
			time.Sleep(time.Second)

			b.ResetTimer()
			sent := p.run(b, seconds, c.units, c.rate)
			b.StopTimer()
			waitForDiff(browsers, sent.first+uint64(len(sent.times))-1, 10*time.Second)
			cancel()
			readers.Wait()
			reportLatency(b, browsers, sent)
		})
	}
}

func reportLatency(b *testing.B, browsers []*browser, sent sentDiffs) {
	b.Helper()
	all, slowest, missed := latencies(browsers, sent)
	if len(all) == 0 {
		b.Fatal("no browser received a diff")
	}
	b.ReportMetric(0, "ns/op")
	b.ReportMetric(percentile(all, 50), "p50-ms")
	b.ReportMetric(percentile(all, 99), "p99-ms")
	b.ReportMetric(all[len(all)-1], "max-ms")
	b.ReportMetric(percentile(slowest, 50), "last-browser-p50-ms")
	b.ReportMetric(percentile(slowest, 99), "last-browser-p99-ms")
	b.ReportMetric(float64(len(sent.times)), "diffs")
	b.ReportMetric(float64(missed), "missed")
}

// memoryBrowsers is the number of browsers the memory target names.
const memoryBrowsers = 1000

// BenchmarkRelayMemory measures the relay process's memory with the large
// site loaded and 1,000 browsers connected, after a run of 500 row changes
// a second (25 messages of 20). rss-MB is the resident set then,
// peak-rss-MB the highest resident set of the process, which the 1,000
// joins usually set. It also reports the diff latency at 1,000 browsers.
func BenchmarkRelayMemory(b *testing.B) {
	seconds := runSeconds(b)
	b.Run(fmt.Sprintf("browsers=%d", memoryBrowsers), func(b *testing.B) {
		p := startRelay(b)
		p.command(b, "snapshot", "ok")
		loaded := p.memory(b)

		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		browsers, readers := dialBrowsers(ctx, b, p.addr, memoryBrowsers)
		time.Sleep(time.Second)

		b.ResetTimer()
		sent := p.run(b, seconds, 1, workload.BurstRowsPerSecond/workload.UnitRows)
		b.StopTimer()
		after := p.memory(b)
		waitForDiff(browsers, sent.first+uint64(len(sent.times))-1, 10*time.Second)
		cancel()
		readers.Wait()

		if after.Browsers != memoryBrowsers {
			b.Errorf("relay holds %d browsers after the run, want %d", after.Browsers, memoryBrowsers)
		}
		const mb = 1 << 20
		reportLatency(b, browsers, sent)
		b.ReportMetric(float64(after.RSS)/mb, "rss-MB")
		b.ReportMetric(float64(after.PeakRSS)/mb, "peak-rss-MB")
		b.ReportMetric(float64(after.HeapInuse)/mb, "heap-inuse-MB")
		b.ReportMetric(float64(loaded.RSS)/mb, "rss-no-browsers-MB")
		b.ReportMetric(float64(loaded.HeapInuse)/mb, "heap-inuse-no-browsers-MB")
		b.ReportMetric(float64(after.RSS-loaded.RSS)/memoryBrowsers/1024, "rss-KB/browser")
	})
}
