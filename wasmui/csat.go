package wasmui

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/wire"
)

// csatPanel renders today's customer satisfaction average from the exit
// surveys: the average to one decimal, its sample size and question, or
// why the figure is unavailable. The dashboard leaves the panel out while
// no CSAT message has arrived, because the relay sends none when CSAT
// polling is off.
func csatPanel(c wire.CSAT) app.UI {
	state := "unavailable"
	var figure string
	if c.Available {
		state = "available"
		average := noneHTML
		if c.Count > 0 {
			average = formatDecimal(c.Average, 1, false)
		}
		figure = `<p class="csat-figure"><span class="csat-average">` + average +
			`</span> <span class="csat-count">` + csatCount(c.Count) + `</span></p>`
	} else {
		reason := c.Reason
		if reason == "" {
			reason = "no reason given"
		}
		figure = `<p class="csat-reason"><span class="csat-icon" aria-hidden="true">▲ </span>` +
			`CSAT unavailable: ` + escapeHTML(reason) + `</p>`
	}

	details := c.Question
	if c.Updated > 0 {
		if details != "" {
			details += " · "
		}
		details += "updated " + formatClock(time.UnixMilli(c.Updated).Unix())
	}
	return app.Raw(`<section id="panel-csat" class="panel panel-csat" data-csat="` + state +
		`" aria-labelledby="panel-csat-title"><h2 id="panel-csat-title" class="panel-title">` +
		`Customer satisfaction</h2>` + figure + `<p class="csat-question">` + escapeHTML(details) +
		`</p></section>`)
}

// csatCount words the sample size: "no answers today", "1 answer today",
// "12 answers today".
func csatCount(n int) string {
	switch n {
	case 0:
		return "no answers today"
	case 1:
		return "1 answer today"
	}
	return strconv.Itoa(n) + " answers today"
}
