//go:build !(js && wasm)

package wasmui

import "time"

// The functions below stand in for the browser ones in browser_js.go when
// the package runs natively: in the relay, which prerenders the page, and
// in native tests. Only tests reach them.

func fetchText(url string, timeout time.Duration, done func(status int, body string)) {
	done(fetchFailed, "")
}

func showModal(dialogID, focusID string) {}

func modalOpen(dialogID string) bool { return false }

func focusElement(id string) bool { return false }

func trapFocus(dialogID, focusID string) (remove func()) { return func() {} }

func setPageOptions(layout Layout, theme string) {}

var clockStart = time.Now()

func perfNow() float64 {
	return float64(time.Since(clockStart)) / float64(time.Millisecond)
}

func recordMeasure(name string, start float64) {}

func focusedDetailsLSID() string { return "" }

func keepFocus(id, class, fallbackID string) {}
