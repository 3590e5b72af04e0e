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

// panel is the layout every panel shares: a section with a heading, a line
// that states how many rows are shown when not all are, a table of rows, or
// a message when there are none. The heading's id is the section's id with
// "-title" appended.
type panel struct {
	ID      string // the section's element id, such as "panel-waiting"
	Title   string
	Caption string // a description of the rows and their order, for screen readers
	Order   string // the row order for the line above the rows, such as "sorted by name"
	Total   int    // rows in the board, before the row limit
	Shown   int    // rows rendered after the row limit
	Empty   string // message shown when Total is 0
	Note    string // further text for the line above the rows, such as rows of another kind left out
	Head    []string
	Rows    []app.UI
}

func (p panel) render() app.UI {
	titleID := p.ID + "-title"

	var content app.UI
	if p.Total == 0 {
		content = app.Raw(`<p class="empty">` + escapeHTML(p.Empty) + `</p>`)
	} else {
		content = div().Class("table-scroll").Body(
			table().Class("panel-table").Body(
				caption().Class("visually-hidden").Text(p.Caption),
				thead().Body(tr().Body(
					app.Range(p.Head).Slice(func(i int) app.UI {
						return th("col").Text(p.Head[i])
					}),
				)),
				tbody().Body(p.Rows...),
			),
		)
	}

	// tabindex -1 lets the page move the focus to the heading when the
	// element that had it is gone. The heading is an element rather than
	// HTML text, so go-app updates its count in place and a heading with
	// the focus keeps it.
	heading := app.Elem("h2").
		ID("%s", titleID).
		Class("panel-title").
		Attr("tabindex", "-1").
		Body(app.Text(p.Title+" "), span().Class("count").Text(strconv.Itoa(p.Total)))
	return section().
		ID("%s", p.ID).
		Class("panel").
		Aria("labelledby", titleID).
		Body(heading, app.Raw(p.noteHTML()), content)
}

// noteHTML returns the line above the rows. The line stays in the page,
// empty and hidden, when it has no text. go-app diffs children by
// position, so a line that came and went would make it replace the table
// below it and lose the table's scroll position and focus.
func (p panel) noteHTML() string {
	var text string
	if p.Shown < p.Total {
		text = "Showing the first " + strconv.Itoa(p.Shown) + " of " + strconv.Itoa(p.Total)
		if p.Order != "" {
			text += ", " + p.Order
		}
	}
	if p.Note != "" {
		if text != "" {
			text += " · "
		}
		text += p.Note
	}
	if text == "" {
		return `<p class="panel-note" hidden></p>`
	}
	return `<p class="panel-note">` + escapeHTML(text) + `</p>`
}

// textCell returns a table cell with text, or a dash read as "none" when
// the text is empty.
func textCell(text string) app.UI {
	if text == "" {
		return td().Body(noneText())
	}
	return td().Text(text)
}

// noneText marks a missing value: a dash on screen, "none" for screen
// readers.
func noneText() app.UI { return app.Raw(noneHTML) }

// durationCell returns a table cell with a duration in seconds.
func durationCell(seconds int64) app.UI {
	return td().Class("num", "time").Text(formatDuration(seconds))
}

// slaFlag returns the SLA icon for a state, with an accessible name, or nil
// when the state needs no flag.
func slaFlag(state view.SLAState) app.UI {
	if html := slaFlagHTML(state); html != "" {
		return app.Raw(html)
	}
	return nil
}

// overSLACell returns the cell of a queue's count of waiting sessions over
// the SLA. A count above 0 also gets the exceeded icon, so it is visible
// without colour.
func overSLACell(n int) app.UI {
	if n == 0 {
		return td().Class("num", "over-sla").Text("0")
	}
	return td().Class("num", "over-sla", "over-sla-some").Body(
		app.Text(strconv.Itoa(n)),
		slaFlag(view.SLABreached),
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
