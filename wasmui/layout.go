package wasmui

import "strings"

// Layout is the arrangement of the page, chosen with the layout query
// parameter.
type Layout string

// Layouts.
const (
	// LayoutDesk is the default: every panel, each scrolling on its own,
	// for a supervisor's monitor.
	LayoutDesk Layout = "desk"
	// LayoutWall is a full-screen kiosk view in large type for a wall TV:
	// summary tiles, the longest-waiting sessions and the busiest queues,
	// capped to fit one 1920x1080 screen without scrolling.
	LayoutWall Layout = "wall"
)

// Themes the theme query parameter selects. Without it the page follows
// the browser's prefers-color-scheme.
const (
	themeLight = "light"
	themeDark  = "dark"
)

// pageOptions are the display choices a page address makes, as in
// "/?layout=wall&theme=dark". Unknown values fall back to the defaults.
type pageOptions struct {
	Layout Layout
	Theme  string // themeLight, themeDark or "" to follow the browser
}

// parsePageOptions reads the options from a raw query string. It compares
// the raw values, because every accepted value is plain ASCII that no
// browser escapes, and it leaves out net/url's query parser, whose code
// app.wasm does not otherwise need.
func parsePageOptions(rawQuery string) pageOptions {
	opts := pageOptions{Layout: LayoutDesk}
	for _, pair := range strings.Split(rawQuery, "&") {
		name, value, _ := strings.Cut(pair, "=")
		switch {
		case name == "layout" && Layout(value) == LayoutWall:
			opts.Layout = LayoutWall
		case name == "theme" && (value == themeLight || value == themeDark):
			opts.Theme = value
		}
	}
	return opts
}
