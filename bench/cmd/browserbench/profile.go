package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"

	"github.com/rtdash/rtdash/assets"
)

// wasmOverlay serves the embedded web files, except that web/app.wasm
// comes from another file and its compressed copies are hidden, so the
// relay serves that file as it is. browserbench uses it to profile a
// build that keeps its function names.
type wasmOverlay struct {
	wasmPath string
}

func (o wasmOverlay) Open(name string) (fs.File, error) {
	switch name {
	case "web/app.wasm":
		return os.Open(o.wasmPath)
	case "web/app.wasm.br", "web/app.wasm.gz":
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return assets.Web.Open(name)
}

// startProfiler starts Chromium's JavaScript and WebAssembly sampling
// profiler in the page, sampling every 200 µs.
func startProfiler(ctx context.Context) error {
	if _, err := chromedp.Call(ctx, profiler.Enable, cdp.Empty{}); err != nil {
		return fmt.Errorf("enabling the profiler: %w", err)
	}
	if _, err := chromedp.Call(ctx, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 200}); err != nil {
		return fmt.Errorf("setting the sampling interval: %w", err)
	}
	if _, err := chromedp.Call(ctx, profiler.Start, cdp.Empty{}); err != nil {
		return fmt.Errorf("starting the profiler: %w", err)
	}
	return nil
}

// stopProfiler stops the profiler, writes the profile to path in the
// .cpuprofile form that Chromium's DevTools load, and writes a summary of
// the functions with the most samples to summary.
func stopProfiler(ctx context.Context, path string, summary io.Writer) error {
	res, err := chromedp.Call(ctx, profiler.Stop, cdp.Empty{})
	if err != nil {
		return fmt.Errorf("stopping the profiler: %w", err)
	}
	if res.Profile == nil {
		return errors.New("the profiler returned no profile")
	}
	data, err := json.Marshal(res.Profile)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	summarize(res.Profile, summary)
	return nil
}

// summarize writes the 40 functions with the most samples, by samples of
// their own (self) and including their callees (total). A recursive
// function counts once per sample in total.
func summarize(p *profiler.Profile, w io.Writer) {
	byID := make(map[int64]*profiler.ProfileNode, len(p.Nodes))
	parent := make(map[int64]int64, len(p.Nodes))
	for _, n := range p.Nodes {
		byID[n.ID] = n
		for _, c := range n.Children {
			parent[c] = n.ID
		}
	}
	type cost struct {
		name        string
		self, total int64
	}
	costs := map[string]*cost{}
	entry := func(name string) *cost {
		c := costs[name]
		if c == nil {
			c = &cost{name: name}
			costs[name] = c
		}
		return c
	}
	var samples int64
	for _, n := range p.Nodes {
		if n.HitCount == 0 {
			continue
		}
		samples += n.HitCount
		entry(functionName(n)).self += n.HitCount
		seen := map[string]bool{}
		for id, ok := n.ID, true; ok; id, ok = parent[id] {
			name := functionName(byID[id])
			if !seen[name] {
				seen[name] = true
				entry(name).total += n.HitCount
			}
		}
	}
	list := make([]*cost, 0, len(costs))
	for _, c := range costs {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b *cost) int { return cmp.Compare(b.total, a.total) })
	fmt.Fprintf(w, "%d samples; share of samples per function, including callees (total) and own (self):\n", samples)
	fmt.Fprintf(w, "%7s %7s  %s\n", "total", "self", "function")
	for _, c := range list[:min(40, len(list))] {
		fmt.Fprintf(w, "%6.1f%% %6.1f%%  %s\n", pct(c.total, samples), pct(c.self, samples), c.name)
	}
	slices.SortFunc(list, func(a, b *cost) int { return cmp.Compare(b.self, a.self) })
	fmt.Fprintf(w, "\nby own samples:\n")
	for _, c := range list[:min(25, len(list))] {
		fmt.Fprintf(w, "%6.1f%% %6.1f%%  %s\n", pct(c.total, samples), pct(c.self, samples), c.name)
	}
}

func functionName(n *profiler.ProfileNode) string {
	if n == nil || n.CallFrame == nil {
		return "(unknown)"
	}
	if n.CallFrame.FunctionName == "" {
		return "(anonymous) " + n.CallFrame.URL
	}
	return n.CallFrame.FunctionName
}

func pct(part, whole int64) float64 {
	if whole == 0 {
		return 0
	}
	return 100 * float64(part) / float64(whole)
}
