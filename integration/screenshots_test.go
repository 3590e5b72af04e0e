package integration_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rtdash/rtdash/integration/sim"
	"github.com/rtdash/rtdash/shared/wire"
)

// TestScreenshots writes PNGs of the dashboard for the documentation: the
// desk layout at 1600x1000 and the wall layout at 1920x1080, each in the
// light and the dark theme, of the mid-size site with some sessions closed
// and a CSAT figure. It is a generator rather than a test, so it runs only
// when RTD_SCREENSHOTS names the output folder, as `make screenshots`
// does.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("RTD_SCREENSHOTS")
	if dir == "" {
		t.Skip("set RTD_SCREENSHOTS to a folder to write the dashboard's screenshots")
	}
	requireApp(t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	s := startSite(t, sim.Config{Seed: 29, Scenario: sim.MidSize(), BatchDelay: 50 * time.Millisecond},
		map[string]string{
			"RTD_CONFIG_NAME":     "Service desk",
			"RTD_APPLIANCE_ID":    "support.example.com",
			"RTD_WAITING_SLAS":    "*=2",
			"RTD_SESSION_DETAILS": "true",
		})
	s.waitReady(t)

	// Ten seconds of the scenario close some sessions. The site starts
	// with waits of up to a few minutes, so some are past the 2-minute SLA.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	s.sim.RunScenario(ctx)
	cancel()
	s.sim.Flush()
	s.relay.Hub().SetCSAT(wire.CSAT{Available: true, Average: 4.4, Count: 57, Question: "satisfaction",
		Updated: time.Now().UnixMilli()})

	page := newBrowser(t)
	shots := []struct {
		file          string
		query         string
		width, height int64
	}{
		{"desk-light.png", "?theme=light", 1600, 1000},
		{"desk-dark.png", "?theme=dark", 1600, 1000},
		{"wall-light.png", "?layout=wall&theme=light", 1920, 1080},
		{"wall-dark.png", "?layout=wall&theme=dark", 1920, 1080},
	}
	for _, shot := range shots {
		if err := chromedp.Do(page, chromedp.EmulateViewport(shot.width, shot.height)); err != nil {
			t.Fatal(err)
		}
		openDashboard(t, page, s.relayURL+"/"+shot.query)
		pollFor(t, page, 20*time.Second, "panels filled",
			`document.querySelectorAll("tr[data-session-id]").length > 10 &&
			document.querySelector("#panel-csat") !== null`)
		time.Sleep(500 * time.Millisecond) // the theme's colours settle
		png, err := chromedp.Run(page, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatalf("taking %s: %v", shot.file, err)
		}
		path := filepath.Join(dir, shot.file)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", path)
	}
}
