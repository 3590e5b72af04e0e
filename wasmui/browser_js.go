//go:build js && wasm

package wasmui

import (
	"syscall/js"
	"time"
)

// fetchText requests url with the browser's fetch and calls done with the
// status and body. A request that gets no HTTP response within timeout, or
// none at all, calls done with status fetchTimedOut or fetchFailed. done
// runs on the browser's event loop, so it must only hand the result on,
// as ctx.Dispatch does. fetch rather than net/http keeps app.wasm small:
// the net/http client would add megabytes.
func fetchText(url string, timeout time.Duration, done func(status int, body string)) {
	var onResponse, onText, onError js.Func
	status := 0
	finish := func(body string) {
		onResponse.Release()
		onText.Release()
		onError.Release()
		done(status, body)
	}
	onError = js.FuncOf(func(this js.Value, args []js.Value) any {
		status = fetchFailed
		if args[0].Get("name").String() == "TimeoutError" {
			status = fetchTimedOut
		}
		finish("")
		return nil
	})
	onText = js.FuncOf(func(this js.Value, args []js.Value) any {
		finish(args[0].String())
		return nil
	})
	onResponse = js.FuncOf(func(this js.Value, args []js.Value) any {
		status = args[0].Get("status").Int()
		args[0].Call("text").Call("then", onText, onError)
		return nil
	})
	init := js.Global().Get("Object").New()
	init.Set("signal", js.Global().Get("AbortSignal").Call("timeout", timeout.Milliseconds()))
	js.Global().Call("fetch", url, init).Call("then", onResponse, onError)
}

func element(id string) js.Value {
	return js.Global().Get("document").Call("getElementById", id)
}

// showModal opens the dialog element with the given id as a modal dialog,
// unless it is open already, and moves the focus to the element with
// focusID inside it.
func showModal(dialogID, focusID string) {
	dialog := element(dialogID)
	if dialog.IsNull() {
		return
	}
	if !dialog.Get("open").Bool() {
		dialog.Call("showModal")
	}
	focusElement(focusID)
}

// modalOpen reports whether the dialog element with the given id is open.
func modalOpen(dialogID string) bool {
	return element(dialogID).Get("open").Truthy()
}

// focusElement moves the focus to the element with the given id and
// reports whether the element exists.
func focusElement(id string) bool {
	el := element(id)
	if el.IsNull() {
		return false
	}
	el.Call("focus")
	return true
}

// focusedDetailsLSID returns the LSID of the focused details button, or ""
// when the focus is on no details button.
func focusedDetailsLSID() string {
	active := js.Global().Get("document").Get("activeElement")
	if !active.Truthy() || !active.Get("classList").Call("contains", detailsButtonClass).Bool() {
		return ""
	}
	return active.Get("dataset").Get("lsid").String()
}

// keepFocus moves the focus back to the element with the given id after a
// page update moved it away. That is the case when the focus is now on
// another element of the given class, which go-app reused for other data,
// or on the body, because the focused element was removed. When the
// element with id is gone, the focus moves to the element with fallbackID.
// Focus that the user moved to any other element stays where it is.
func keepFocus(id, class, fallbackID string) {
	doc := js.Global().Get("document")
	active := doc.Get("activeElement")
	if active.Truthy() {
		if active.Get("id").String() == id {
			return
		}
		if !active.Equal(doc.Get("body")) && !active.Get("classList").Call("contains", class).Bool() {
			return
		}
	}
	if !focusElement(id) {
		focusElement(fallbackID)
	}
}

// trapFocus keeps Tab and Shift+Tab on the element with focusID while the
// dialog with dialogID is open. The details dialog has that one control,
// its Close button. A native modal dialog makes the page behind it inert,
// but Tab still moves the focus out of it to the document and the browser's
// own controls. go-app runs event handlers after the event has finished,
// too late to cancel it, so the listener is plain JavaScript. The returned
// function removes it.
func trapFocus(dialogID, focusID string) (remove func()) {
	doc := js.Global().Get("document")
	listener := js.FuncOf(func(this js.Value, args []js.Value) any {
		if args[0].Get("key").String() == "Tab" && element(dialogID).Get("open").Truthy() {
			args[0].Call("preventDefault")
			focusElement(focusID)
		}
		return nil
	})
	doc.Call("addEventListener", "keydown", listener)
	return func() {
		doc.Call("removeEventListener", "keydown", listener)
		listener.Release()
	}
}

// setPageOptions writes the layout and theme to the html element as
// data-layout and data-theme, which the style sheet reads. An empty theme
// removes data-theme, so the page follows prefers-color-scheme.
func setPageOptions(layout Layout, theme string) {
	root := js.Global().Get("document").Get("documentElement")
	root.Call("setAttribute", "data-layout", string(layout))
	if theme == "" {
		root.Call("removeAttribute", "data-theme")
		return
	}
	root.Call("setAttribute", "data-theme", theme)
}

// perfNow returns the browser's high-resolution time in milliseconds.
func perfNow() float64 {
	return js.Global().Get("performance").Call("now").Float()
}

// measureCounts counts the measures of each name recorded since that
// name's last clear.
var measureCounts = map[string]int{}

// maxMeasures bounds the measures of one name kept in the browser's
// performance timeline, which would otherwise grow for as long as the page
// stays open.
const maxMeasures = 1000

// recordMeasure adds a User Timing measure from start to now, visible in
// the browser's performance tools and to performance.getEntriesByName.
func recordMeasure(name string, start float64) {
	perf := js.Global().Get("performance")
	if measureCounts[name] >= maxMeasures {
		perf.Call("clearMeasures", name)
		measureCounts[name] = 0
	}
	measureCounts[name]++
	perf.Call("measure", name, map[string]any{"start": start, "end": perf.Call("now")})
}
