package wasmui

import (
	"strconv"
	"strings"
)

// Layout is the arrangement of the page, chosen with the layout query
// parameter.
type Layout string

// Layouts.
const (
	// LayoutDesk is the default: every panel, for a supervisor's monitor.
	// The page scrolls, and a panel's table scrolls past most of the
	// screen's height.
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
// "/?layout=wall&theme=dark". Values are case-insensitive. Unknown values
// fall back to the defaults.
type pageOptions struct {
	Layout Layout
	Theme  string // themeLight, themeDark or "" to follow the browser
}

// parsePageOptions reads the options from a raw query string, and returns
// a message for each layout or theme value it ignored, naming the accepted
// values. It compares the raw values, because every accepted value is
// plain ASCII that no browser escapes, and it leaves out net/url's query
// parser, whose code app.wasm does not otherwise need.
func parsePageOptions(rawQuery string) (opts pageOptions, ignored []string) {
	opts = pageOptions{Layout: LayoutDesk}
	for _, pair := range strings.Split(rawQuery, "&") {
		name, value, _ := strings.Cut(pair, "=")
		switch name {
		case "layout":
			switch {
			case strings.EqualFold(value, string(LayoutWall)):
				opts.Layout = LayoutWall
			case strings.EqualFold(value, string(LayoutDesk)):
				opts.Layout = LayoutDesk
			default:
				ignored = append(ignored, ignoredOption(name, value, `"desk" (the default) and "wall"`))
			}
		case "theme":
			switch {
			case strings.EqualFold(value, themeLight):
				opts.Theme = themeLight
			case strings.EqualFold(value, themeDark):
				opts.Theme = themeDark
			default:
				ignored = append(ignored, ignoredOption(name, value,
					`"light" and "dark"; without it the page follows the browser's colour scheme`))
			}
		}
	}
	return opts, ignored
}

func ignoredOption(name, value, accepted string) string {
	return "ignoring the page address's " + name + "=" + strconv.Quote(value) +
		": accepted values are " + accepted
}
