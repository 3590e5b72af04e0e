// Command report turns the outputs of `make bench` into the measured part
// of docs/benchmarks.md: the machine, the date, a table of the product's
// targets with the measured figures, and the detailed results. It replaces
// only the text between the begin and end markers, so the analysis written
// around them stays. A missing document is created with the markers.
//
// Usage:
//
//	go run ./bench/cmd/report -dir bench/out -doc docs/benchmarks.md -wasm-br assets/web/app.wasm.br
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

const (
	beginMarker = "<!-- begin: written by `make bench` (bench/cmd/report); edits here are lost -->"
	endMarker   = "<!-- end: written by `make bench` -->"
)

func main() {
	dir := flag.String("dir", "bench/out", "folder with the outputs of bench/run.sh")
	doc := flag.String("doc", "docs/benchmarks.md", "document to update")
	wasmBr := flag.String("wasm-br", "assets/web/app.wasm.br", "brotli copy of app.wasm, as the relay serves it")
	command := flag.String("command", "make bench", "command shown as the one that produced the figures")
	flag.Parse()
	section, err := render(*dir, *wasmBr, *command)
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		os.Exit(1)
	}
	if err := update(*doc, section); err != nil {
		fmt.Fprintf(os.Stderr, "report: %v\n", err)
		os.Exit(1)
	}
}

// update replaces the generated section of the document, or creates the
// document around it.
func update(path, section string) error {
	old, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		old = []byte("# Benchmarks\n\n" + beginMarker + "\n" + endMarker + "\n")
	} else if err != nil {
		return err
	}
	begin := bytes.Index(old, []byte(beginMarker))
	end := bytes.Index(old, []byte(endMarker))
	if begin < 0 || end < begin {
		return fmt.Errorf("%s has no %q … %q markers: restore them around the generated section", path, beginMarker, endMarker)
	}
	var out bytes.Buffer
	out.Write(old[:begin])
	out.WriteString(beginMarker + "\n\n")
	out.WriteString(section)
	out.WriteString("\n")
	out.Write(old[end:])
	return os.WriteFile(path, out.Bytes(), 0o644)
}

// machine describes where the figures were measured.
type machine struct {
	cpu, goVersion, chromium, date, load string
	cores                                int
}

// describeMachine describes this machine. The date and the load average
// come from the outputs in dir when it has them, so that a report written
// again later keeps the time of the measurement.
func describeMachine(dir string) machine {
	m := machine{
		cpu:       "unknown",
		cores:     runtime.NumCPU(),
		goVersion: runtime.Version(),
		chromium:  "not found",
		date:      newestModTime(dir).UTC().Format("2006-01-02 15:04 UTC"),
	}
	if info, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(info), "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(name) == "model name" {
				m.cpu = strings.TrimSpace(value)
				break
			}
		}
	}
	load, err := os.ReadFile(filepath.Join(dir, "loadavg.txt"))
	if err != nil {
		load, err = os.ReadFile("/proc/loadavg")
	}
	if err == nil {
		if fields := strings.Fields(string(load)); len(fields) >= 3 {
			m.load = strings.Join(fields[:3], ", ")
		}
	}
	// Debian's chromium script prints a harmless shell warning on standard
	// error; only standard output holds the version.
	if out, err := exec.Command("chromium", "--version").Output(); err == nil {
		m.chromium = strings.TrimSpace(string(out))
	}
	return m
}

// newestModTime returns the modification time of the newest file in dir,
// or the current time when dir has none.
func newestModTime(dir string) time.Time {
	var newest time.Time
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.ModTime().After(newest) {
			newest = info.ModTime()
		}
	}
	if newest.IsZero() {
		return time.Now()
	}
	return newest
}

// browserResults is the part of browserbench's JSON the report reads.
type browserResults struct {
	Opens []struct {
		ReadyPaintedMs  float64    `json:"ready_painted_ms"`
		WasmStartMs     float64    `json:"wasm_start_ms"`
		WasmEndMs       float64    `json:"wasm_end_ms"`
		WasmEncodedSize float64    `json:"wasm_encoded_bytes"`
		LongTasks       []longTask `json:"long_tasks"`
	} `json:"opens"`
	Bursts []struct {
		Rows               float64    `json:"rows"`
		Bytes              float64    `json:"bytes"`
		AppliedMs          float64    `json:"applied_ms"`
		PaintedMs          float64    `json:"painted_ms"`
		DataAgeMs          float64    `json:"data_age_ms"`
		ApplianceToRelayMs float64    `json:"appliance_to_relay_ms"`
		LongTasks          []longTask `json:"long_tasks"`
	} `json:"bursts"`
	BoardUpdatesMs []float64 `json:"board_updates_ms"`
	LongTaskError  string    `json:"long_task_error"`
}

type longTask struct {
	Start    float64 `json:"start"`
	Duration float64 `json:"duration"`
}

func readBrowser(path string) (*browserResults, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r browserResults
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("decoding %s: %w", path, err)
	}
	return &r, nil
}
