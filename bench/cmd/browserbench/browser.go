package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// probeScript is added to every page before the page's own scripts.
//
//go:embed probe.js
var probeScript string

// newBrowser starts headless Chromium with a fresh user data directory,
// so its HTTP cache is empty, and adds the probe to every page.
func newBrowser(parent context.Context, userDataDir string) (context.Context, context.CancelFunc, error) {
	path, err := exec.LookPath("chromium")
	if err != nil {
		return nil, nil, fmt.Errorf("chromium not found on PATH: install it with apt-get install -y chromium (%w)", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(userDataDir),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.WindowSize(1600, 1000),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	cancel := func() {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(userDataDir)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: probeScript}); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("starting Chromium and adding the probe: %w", err)
	}
	return ctx, cancel, nil
}

// evaluate runs a JavaScript expression that returns a JSON string and
// decodes the string into out.
func evaluate(ctx context.Context, expression string, out any) error {
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](expression))
	if err != nil {
		return fmt.Errorf("evaluating %s: %w", expression, err)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal([]byte(text), out); err != nil {
		return fmt.Errorf("decoding the result of %s: %w", expression, err)
	}
	return nil
}

// poll waits until the JavaScript expression is true.
func poll(ctx context.Context, what, expression string, timeout time.Duration) error {
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expression,
		chromedp.WithPollingTimeout(timeout),
		chromedp.WithPollingInterval(20*time.Millisecond)))
	if err != nil {
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 600) : ""`))
		return fmt.Errorf("waiting for %s: %w; page text: %q", what, err, text)
	}
	return nil
}

// openResult is one page open with a cold cache.
type openResult struct {
	// ReadyMs is when all four panels had rows and the state was live,
	// and ReadyPaintedMs when that frame was painted, in milliseconds
	// from the start of the navigation.
	ReadyMs        float64 `json:"ready_ms"`
	ReadyPaintedMs float64 `json:"ready_painted_ms"`
	// Navigation timing of the document, milliseconds.
	ResponseEndMs      float64 `json:"response_end_ms"`
	DOMContentLoadedMs float64 `json:"dom_content_loaded_ms"`
	LoadEventMs        float64 `json:"load_event_ms"`
	// Resource timing of app.wasm: when its download started and ended,
	// and its size over the wire and decoded, in bytes.
	WasmStartMs     float64 `json:"wasm_start_ms"`
	WasmEndMs       float64 `json:"wasm_end_ms"`
	WasmEncodedSize float64 `json:"wasm_encoded_bytes"`
	WasmDecodedSize float64 `json:"wasm_decoded_bytes"`
	// LongTasks lists the long tasks until ready.
	LongTasks []longTask `json:"long_tasks"`
}

type longTask struct {
	Start    float64 `json:"start"`
	Duration float64 `json:"duration"`
}

// openTimingsScript collects the open's figures from the probe and the
// Performance API.
const openTimingsScript = `JSON.stringify((() => {
  const b = window.__rtdBench;
  const nav = performance.getEntriesByType("navigation")[0] || {};
  const wasm = performance.getEntriesByType("resource").find((e) => e.name.includes("app.wasm")) || {};
  return {
    ready_ms: b.ready, ready_painted_ms: b.readyPainted,
    response_end_ms: nav.responseEnd || 0, dom_content_loaded_ms: nav.domContentLoadedEventEnd || 0,
    load_event_ms: nav.loadEventEnd || 0,
    wasm_start_ms: wasm.startTime || 0, wasm_end_ms: wasm.responseEnd || 0,
    wasm_encoded_bytes: wasm.encodedBodySize || 0, wasm_decoded_bytes: wasm.decodedBodySize || 0,
    long_tasks: b.longTasks.filter((t) => t.start <= b.readyPainted),
  };
})())`

// openDashboard navigates to the dashboard and waits until it is ready
// and painted.
func openDashboard(ctx context.Context, url string) (openResult, error) {
	var res openResult
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return res, fmt.Errorf("opening %s: %w", url, err)
	}
	if err := poll(ctx, "the full dashboard", `window.__rtdBench && window.__rtdBench.readyPainted !== null`, 60*time.Second); err != nil {
		return res, err
	}
	err := evaluate(ctx, openTimingsScript, &res)
	return res, err
}
