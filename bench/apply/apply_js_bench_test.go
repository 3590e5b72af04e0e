//go:build js && wasm

package apply_test

import (
	"encoding/json"
	"syscall/js"
	"testing"

	"github.com/google/go-cmp/cmp"

	reducerjs "github.com/rtdash/rtdash/bench/js"
	"github.com/rtdash/rtdash/bench/workload"
	"github.com/rtdash/rtdash/shared/state"
)

// loadReducer evaluates reducer.js and runner.js in the page once.
func loadReducer() js.Value {
	if bench := js.Global().Get("RtdReducerBench"); !bench.IsUndefined() {
		return bench
	}
	eval := js.Global().Get("eval")
	eval.Invoke(reducerjs.Reducer)
	eval.Invoke(reducerjs.Runner)
	return js.Global().Get("RtdReducerBench")
}

// newRunner copies the input into JavaScript strings and returns a runner
// of the JavaScript reducer loaded with the snapshot.
func newRunner(in input) js.Value {
	lines := js.Global().Get("Array").New(len(in.lines))
	for i, line := range in.lines {
		lines.SetIndex(i, string(line))
	}
	return loadReducer().Call("create", string(in.snapshot), lines)
}

// BenchmarkApplyJS measures the JavaScript baseline on the messages of
// BenchmarkApply: JSON.parse and the reducer's apply for each message. One
// call from Go applies a run of messages, so crossing into JavaScript costs
// once per run, not per message.
func BenchmarkApplyJS(b *testing.B) {
	for _, units := range messageSizes {
		b.Run(sizeName(units), func(b *testing.B) {
			in := newInput(units)
			runner := newRunner(in)
			rows := 0
			next := 0
			done := 0
			b.ResetTimer()
			for done < b.N {
				if next == len(in.lines) {
					b.StopTimer()
					runner.Call("reset")
					next = 0
					b.StartTimer()
				}
				n := min(b.N-done, len(in.lines)-next)
				rows += runner.Call("run", n).Int()
				next += n
				done += n
			}
			b.StopTimer()
			if want := done * units * workload.UnitRows; rows != want {
				b.Fatalf("JavaScript reducer changed %d rows, want %d", rows, want)
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// TestReducerMatchesGoModel checks in the browser that the JavaScript
// baseline builds the same model as the Go model from the same messages,
// so that the two benchmarks do the same work.
func TestReducerMatchesGoModel(t *testing.T) {
	in := newInput(5)
	in.lines = in.lines[:100]
	runner := newRunner(in)
	jsChanges := runner.Call("run", len(in.lines)).Int()

	model := state.NewModel()
	goChanges := 0
	for i, line := range append([][]byte{in.snapshot}, in.lines...) {
		msg, err := state.Decode(line)
		if err != nil {
			t.Fatalf("Decode() of line %d failed: %v", i, err)
		}
		res := model.Apply(msg)
		if i > 0 {
			goChanges += res.Changes()
		}
	}
	if jsChanges != goChanges {
		t.Errorf("JavaScript changes = %d, Go changes = %d", jsChanges, goChanges)
	}
	if n := runner.Call("anomalies").Int(); n != 0 {
		t.Errorf("JavaScript anomalies = %d, want 0", n)
	}

	var got, want map[string]map[string]map[string]any
	if err := json.Unmarshal([]byte(runner.Call("tables").String()), &got); err != nil {
		t.Fatalf("decoding the JavaScript model: %v", err)
	}
	if err := json.Unmarshal(model.AppendJSON(nil), &want); err != nil {
		t.Fatalf("decoding the Go model: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JavaScript model differs from the Go model (-Go +JavaScript):\n%s", diff)
	}
}
