package wasmui

import (
	"strings"

	"github.com/rtdash/rtdash/shared/view"
)

// The read-only parts of the page that hold no event handler (the wall's
// summary tiles, the CSAT panel and the session details) are built as HTML
// text for app.Raw. Every call is large in Go's WebAssembly code. A string
// concatenation is one call, while go-app needs several calls per element,
// so these parts take a fraction of the space in app.wasm. Constant markup
// is written out, and every value from the relay goes through escapeHTML.

// escapeHTML escapes text for HTML text and quoted attribute values.
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, `&<>"'`) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	for i := 0; i < len(s); i++ {
		if k := strings.IndexByte(`&<>"'`, s[i]); k >= 0 {
			b = append(b, htmlEntities[k]...)
		} else {
			b = append(b, s[i])
		}
	}
	return string(b)
}

// htmlEntities replaces the characters of `&<>"'`, in that order.
var htmlEntities = [...]string{"&amp;", "&lt;", "&gt;", "&#34;", "&#39;"}

// noneHTML marks a missing value as noneText does.
const noneHTML = `<span class="none"><span aria-hidden="true">—</span>` +
	`<span class="visually-hidden">none</span></span>`

// textOrNoneHTML returns the escaped text, or noneHTML when it is empty.
func textOrNoneHTML(s string) string {
	if s == "" {
		return noneHTML
	}
	return escapeHTML(s)
}

// slaFlagHTML returns the SLA icon of a state as slaFlag renders it, or ""
// when the state needs none.
func slaFlagHTML(state view.SLAState) string {
	switch state {
	case view.SLABreached:
		return `<span class="sla-flag sla-breached" title="SLA exceeded">` +
			`<span class="sla-icon" aria-hidden="true">!</span>` +
			`<span class="visually-hidden">SLA exceeded</span></span>`
	case view.SLAApproaching:
		return `<span class="sla-flag sla-approaching" title="Approaching SLA">` +
			`<span class="sla-icon" aria-hidden="true">!</span>` +
			`<span class="visually-hidden">Approaching SLA</span></span>`
	}
	return ""
}

// factHTML returns one term and its value in a group whose data attribute
// attr (such as "data-fact") is set to key. An empty value shows as none.
func factHTML(attr, key, term, value string) string {
	return `<div class="fact" ` + attr + `="` + escapeHTML(key) + `"><dt>` + escapeHTML(term) +
		`</dt><dd>` + textOrNoneHTML(value) + `</dd></div>`
}
