package assets

import (
	"bytes"
	"image/png"
	"io/fs"
	"strings"
	"testing"
)

func TestWebHoldsStaticFiles(t *testing.T) {
	for _, name := range []string{"web/app.css", "web/icon.svg", "web/icon-192.png", "web/icon-512.png"} {
		info, err := fs.Stat(Web, name)
		if err != nil {
			t.Errorf("embedded file missing: %v", err)
			continue
		}
		if info.Size() == 0 {
			t.Errorf("%s is empty", name)
		}
	}
}

func TestIconSizes(t *testing.T) {
	for name, size := range map[string]int{"web/icon-192.png": 192, "web/icon-512.png": 512} {
		data, err := fs.ReadFile(Web, name)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("decoding %s: %v", name, err)
		}
		if cfg.Width != size || cfg.Height != size {
			t.Errorf("%s is %dx%d, want %dx%d", name, cfg.Width, cfg.Height, size, size)
		}
	}
}

// The page's element ids and state classes are named in app.css; a rename
// on one side only would silently drop the layout.
func TestStyleSheetNamesPageHooks(t *testing.T) {
	css, err := fs.ReadFile(Web, "web/app.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, hook := range []string{
		"#panel-waiting", "#panel-inprogress", "#panel-closed", ".panel-csat", ".panel-column",
		".layout-wall", ".layout-desk", ".tiles", ".details-dialog", ".details-close",
		`:root[data-theme="dark"]`, `:not([data-theme="light"])`, `:root[data-layout="wall"]`,
		".visually-hidden", ".sla-breached", ".sla-approaching",
		".connection-live", ".connection-reconnecting", ".connection-stale",
		".connection-unavailable", ".connection-disabled", ".connection-connecting",
		".status-available", ".status-busy", ".status-idle", ".status-auto_assign_off",
		"prefers-color-scheme: dark", "prefers-reduced-motion: reduce",
	} {
		if !strings.Contains(string(css), hook) {
			t.Errorf("app.css does not mention %q", hook)
		}
	}
}
