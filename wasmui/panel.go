package wasmui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/view"
)

// rowLimit is how many rows a panel renders. go-app diffs lists by
// position, and every row re-renders once a second for its timers, so a
// large site would otherwise keep the page busy.
const rowLimit = 200

// panel is the layout every panel shares: a section with a heading, a table
// of rows and a note for rows left out, or a message when there are none.
// The heading's id is the section's id with "-title" appended.
type panel struct {
	ID      string // the section's element id, such as "panel-waiting"
	Title   string
	Caption string // a description of the rows and their order, for screen readers
	Total   int    // rows in the board, before the row limit
	Hidden  int    // rows left out by the row limit
	Empty   string // message shown when Total is 0
	Head    []string
	Rows    []app.UI
}

func (p panel) render() app.UI {
	titleID := p.ID + "-title"

	var content app.UI
	if p.Total == 0 {
		content = app.P().Class("empty").Text(p.Empty)
	} else {
		content = app.Div().Class("table-scroll").Body(
			app.Table().Class("panel-table").Body(
				app.Caption().Class("visually-hidden").Text(p.Caption),
				app.THead().Body(app.Tr().Body(
					app.Range(p.Head).Slice(func(i int) app.UI {
						return app.Th().Scope("col").Text(p.Head[i])
					}),
				)),
				app.TBody().Body(p.Rows...),
			),
		)
	}

	return app.Section().
		ID("%s", p.ID).
		Class("panel").
		Aria("labelledby", titleID).
		Body(
			app.H2().ID("%s", titleID).Class("panel-title").Body(
				app.Text(p.Title+" "),
				app.Span().Class("count").Text(strconv.Itoa(p.Total)),
			),
			content,
			app.If(p.Hidden > 0, func() app.UI {
				return app.P().Class("more").Text("and " + strconv.Itoa(p.Hidden) + " more not shown")
			}),
		)
}

// textCell returns a table cell with text, or a dash read as "none" when
// the text is empty.
func textCell(text string) app.UI {
	if text == "" {
		return app.Td().Body(noneText())
	}
	return app.Td().Text(text)
}

// noneText marks a missing value: a dash on screen, "none" for screen
// readers.
func noneText() app.UI {
	return app.Span().Class("none").Body(
		app.Span().Aria("hidden", "true").Text("—"),
		app.Span().Class("visually-hidden").Text("none"),
	)
}

// durationCell returns a table cell with a duration in seconds.
func durationCell(seconds int64) app.UI {
	return app.Td().Class("num", "time").Text(formatDuration(seconds))
}

// slaFlag returns the SLA icon for a state, with an accessible name, or nil
// when the state needs no flag.
func slaFlag(state view.SLAState) app.UI {
	var class, label string
	switch state {
	case view.SLABreached:
		class, label = "sla-breached", "SLA exceeded"
	case view.SLAApproaching:
		class, label = "sla-approaching", "Approaching SLA"
	default:
		return nil
	}
	return app.Span().Class("sla-flag", class).Title("%s", label).Body(
		app.Span().Class("sla-icon").Aria("hidden", "true").Text("!"),
		app.Span().Class("visually-hidden").Text(label),
	)
}

// slaName returns the data-sla attribute value of a state.
func slaName(state view.SLAState) string {
	switch state {
	case view.SLABreached:
		return "breached"
	case view.SLAApproaching:
		return "approaching"
	case view.SLAWithin:
		return "within"
	}
	return "none"
}
