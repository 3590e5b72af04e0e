// Package apply_test measures applying the appliance's diffs to the model
// at a large site. The same benchmarks run natively and, compiled with
// GOOS=js GOARCH=wasm, in headless Chromium through wasmbrowsertest, so the
// WebAssembly/native ratio comes from one run of `make bench`. In the
// browser, apply_js_bench_test.go times the JavaScript baseline on the
// same messages in the same page.
package apply_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/rtdash/rtdash/bench/workload"
	"github.com/rtdash/rtdash/shared/feed"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
)

// cycleRows is about how many row changes run before the model is reset to
// the snapshot, outside the timing. The lines of one cycle are generated
// beforehand, which bounds their memory to a few megabytes.
const cycleRows = 40960

// messageSizes are the units per message the benchmarks run: 20, 100 and
// 500 row changes. A burst of 500 row changes may reach the relay as 25
// small messages or as one batch.
var messageSizes = []int{1, 5, 25}

// input is a snapshot and one cycle of messages that follow it.
type input struct {
	snapshot []byte
	lines    [][]byte
}

func newInput(units int) input {
	site := workload.NewSite()
	in := input{snapshot: site.Snapshot()}
	n := max(cycleRows/(units*workload.UnitRows), 16)
	for range n {
		in.lines = append(in.lines, site.Next(units))
	}
	return in
}

func sizeName(units int) string {
	return "rows=" + strconv.Itoa(units*workload.UnitRows)
}

func decode(b *testing.B, line []byte) *state.Message {
	msg, err := state.Decode(line)
	if err != nil {
		b.Fatalf("Decode() failed: %v", err)
	}
	return msg
}

func loadSnapshot(b *testing.B, m *state.Model, snapshot []byte) {
	m.Reset()
	if res := m.Apply(decode(b, snapshot)); len(res.Anomalies) != 0 {
		b.Fatalf("snapshot anomalies: %v", res.Anomalies)
	}
}

// BenchmarkApply measures Decode and Apply of one appliance message, as
// the relay and the browser both do for every diff. rows/s is the target
// figure.
func BenchmarkApply(b *testing.B) {
	for _, units := range messageSizes {
		b.Run(sizeName(units), func(b *testing.B) {
			in := newInput(units)
			m := state.NewModel()
			loadSnapshot(b, m, in.snapshot)
			rows := 0
			next := 0
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if next == len(in.lines) {
					b.StopTimer()
					loadSnapshot(b, m, in.snapshot)
					next = 0
					b.StartTimer()
				}
				res := m.Apply(decode(b, in.lines[next]))
				rows += res.Changes()
				next++
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkFeedHandle measures the browser's whole path for one relay
// diff: decoding the relay's envelope, checking the sequence number, and
// Decode and Apply of the appliance message inside it.
func BenchmarkFeedHandle(b *testing.B) {
	for _, units := range []int{1, 25} {
		b.Run(sizeName(units), func(b *testing.B) {
			in := newInput(units)
			model := state.NewModel()
			loadSnapshot(b, model, in.snapshot)
			const baseSeq = 100
			snapshot := []byte(`{"type":"snapshot","seq":` + strconv.Itoa(baseSeq) + `,"time":1,"snapshot":{"tables":` +
				string(model.AppendJSON(nil)) + `}}`)
			envelopes := make([][]byte, len(in.lines))
			for i, line := range in.lines {
				envelopes[i] = []byte(fmt.Sprintf(`{"type":"diff","seq":%d,"time":1,"diff":%s}`, baseSeq+1+i, line))
			}
			f := feed.New()
			now := time.Unix(1733230000, 0)
			handle := func(data []byte) {
				if _, err := f.Handle(data, now); err != nil {
					b.Fatalf("Handle() failed: %v", err)
				}
			}
			handle(snapshot)
			rows := 0
			next := 0
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if next == len(envelopes) {
					b.StopTimer()
					handle(snapshot)
					next = 0
					b.StartTimer()
				}
				handle(envelopes[next])
				rows += units * workload.UnitRows
				next++
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkApplySnapshot measures Decode and Apply of the large site's
// snapshot into an empty model, which a browser does when it joins.
func BenchmarkApplySnapshot(b *testing.B) {
	snapshot := workload.NewSite().Snapshot()
	m := state.NewModel()
	b.SetBytes(int64(len(snapshot)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		loadSnapshot(b, m, snapshot)
	}
}

// BenchmarkBoardBuild measures deriving the panels' rows from the model of
// the large site, which the page does once per batch of diffs.
func BenchmarkBoardBuild(b *testing.B) {
	m := state.NewModel()
	loadSnapshot(b, m, workload.NewSite().Snapshot())
	builder := view.NewBuilder(view.Settings{})
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		board := builder.Build(m)
		if len(board.Waiting) != workload.Waiting {
			b.Fatalf("board has %d waiting sessions, want %d", len(board.Waiting), workload.Waiting)
		}
	}
}
