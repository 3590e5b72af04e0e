//go:build !js

package reducerjs_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	reducerjs "github.com/rtdash/rtdash/bench/js"
	"github.com/rtdash/rtdash/bench/workload"
	"github.com/rtdash/rtdash/shared/state"
)

// nodeScript loads the reducer and the runner, applies the lines of the
// file named by argv[2] (JSON array: snapshot first) and prints the model's
// tables and its anomaly count.
const nodeScript = `
const fs = require("fs");
require(process.argv[2] + "/reducer.js");
require(process.argv[2] + "/runner.js");
const input = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const runner = RtdReducerBench.create(input[0], input.slice(1));
const changes = runner.run(input.length - 1);
process.stdout.write(JSON.stringify({changes, anomalies: runner.anomalies(), tables: JSON.parse(runner.tables())}));
`

// TestReducerMatchesGoModel runs reducer.js under Node on the benchmark's
// messages and compares its model with the Go model's. Without Node the
// test is skipped, except in CI (CI=true), where it fails; the browser
// benchmark checks the same in Chromium.
func TestReducerMatchesGoModel(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node not found on PATH; install it with: apt-get install -y nodejs")
		}
		t.Skip("node not found on PATH; the WebAssembly benchmark run checks the reducer in Chromium instead")
	}
	site := workload.NewSite()
	lines := []string{string(site.Snapshot())}
	for i := range 300 {
		lines = append(lines, string(site.Next(1+i%25)))
	}

	model := state.NewModel()
	wantChanges := 0
	for i, line := range lines {
		msg, err := state.Decode([]byte(line))
		if err != nil {
			t.Fatalf("Decode() of line %d failed: %v", i, err)
		}
		res := model.Apply(msg)
		if i > 0 {
			wantChanges += res.Changes()
		}
	}

	dir := t.TempDir()
	for name, source := range map[string]string{"reducer.js": reducerjs.Reducer, "runner.js": reducerjs.Runner} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(source), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	input, err := json.Marshal(lines)
	if err != nil {
		t.Fatal(err)
	}
	inputPath := filepath.Join(dir, "input.json")
	if err := os.WriteFile(inputPath, input, 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "check.js")
	if err := os.WriteFile(script, []byte(nodeScript), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, script, dir, inputPath).Output()
	if err != nil {
		t.Fatalf("node %s failed: %v", script, err)
	}

	var got struct {
		Changes   int                                  `json:"changes"`
		Anomalies int                                  `json:"anomalies"`
		Tables    map[string]map[string]map[string]any `json:"tables"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decoding node output: %v\n%s", err, strings.TrimSpace(string(out)))
	}
	var want map[string]map[string]map[string]any
	if err := json.Unmarshal(model.AppendJSON(nil), &want); err != nil {
		t.Fatalf("decoding the Go model: %v", err)
	}
	if got.Changes != wantChanges {
		t.Errorf("JavaScript changes = %d, Go changes = %d", got.Changes, wantChanges)
	}
	if got.Anomalies != 0 {
		t.Errorf("JavaScript anomalies = %d, want 0", got.Anomalies)
	}
	if diff := cmp.Diff(want, got.Tables); diff != "" {
		t.Errorf("JavaScript model differs from the Go model (-Go +JavaScript):\n%s", diff)
	}
}
