package wasmui

import (
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
)

// openDetailsAction is the go-app action a details button posts, with a
// detailsRequest as its value.
const openDetailsAction = "rtd/open-session-details"

// detailsTimeout bounds one details request. The relay calls the
// appliance's reporting API for it, which can be slow.
const detailsTimeout = 20 * time.Second

// Statuses fetchText reports for requests that got no HTTP response.
const (
	fetchFailed   = -1
	fetchTimedOut = -2
)

// Element ids of the pop-up.
const (
	detailsDialogID = "details-dialog"
	detailsCloseID  = "details-close"
	detailsTitleID  = "details-title"
)

// detailsRequest is a request to show one closed session in the pop-up.
type detailsRequest struct {
	LSID     string
	Customer string
	// OpenerID is the element that gets the focus back on close.
	OpenerID string
}

// Pop-up states, the values of the dialog's data-state attribute.
const (
	detailsClosed  = "closed"
	detailsLoading = "loading"
	detailsLoaded  = "loaded"
	detailsFailed  = "error"
)

// detailsDialog is the state of the session details pop-up: a modal
// dialog that fetches one closed session from the relay when a details
// button opens it. The focus moves to its Close button on open and stays
// there on Tab, Escape or Close closes it, and the focus then returns to
// the button that opened it. The dashboard owns it, so that opening it
// costs no component of its own.
type detailsDialog struct {
	request    detailsRequest
	state      string
	details    *sessionDetails
	reason     string
	generation int
}

// handleOpenDetails shows the dialog in its loading state and starts the
// request. A request whose dialog was closed or opened again meanwhile has
// its result ignored.
func (d *Dashboard) handleOpenDetails(ctx app.Context, a app.Action) {
	req, ok := a.Value.(detailsRequest)
	if !ok {
		return
	}
	c := &d.details
	c.generation++
	generation := c.generation
	c.request = req
	c.state = detailsLoading
	c.details = nil

	fetchText(detailsURL(app.Getenv("GOAPP_ROOT_PREFIX"), req.LSID), detailsTimeout, func(status int, body string) {
		ctx.Dispatch(func(app.Context) {
			if generation == c.generation && c.state == detailsLoading {
				c.finish(status, body)
			}
		})
	})
	ctx.Defer(func(app.Context) { showModal(detailsDialogID, detailsCloseID) })
}

// finish records the outcome of a request. The log line carries the
// status only: the address holds the session's LSID, and nothing from it
// goes to the console.
func (c *detailsDialog) finish(status int, body string) {
	switch status {
	case fetchFailed:
		c.fail("the relay could not be reached")
		return
	case fetchTimedOut:
		c.fail("the relay did not answer within " + formatAge(int64(detailsTimeout/time.Second)))
		return
	}
	details, reason := decodeDetails(status, body)
	if details == nil {
		app.Logf("session details request failed: HTTP %d", status)
		c.fail(reason)
		return
	}
	c.details = details
	c.state = detailsLoaded
}

func (c *detailsDialog) fail(reason string) {
	c.state = detailsFailed
	c.reason = reason
}

// onDetailsClose handles the dialog's close event, which the Close button
// (a form with method "dialog") and Escape fire. It hides the content and
// returns the focus to the opener, or to the closed sessions' heading when
// the opener's row is gone. An event that arrives after the dialog was
// opened again belongs to the earlier close and is ignored.
func (d *Dashboard) onDetailsClose(ctx app.Context, e app.Event) {
	c := &d.details
	if c.state == "" || c.state == detailsClosed || modalOpen(detailsDialogID) {
		return
	}
	opener := c.request.OpenerID
	c.state = detailsClosed
	c.details = nil
	ctx.Defer(func(app.Context) {
		if !focusElement(opener) {
			focusElement(closedTitleID)
		}
	})
}

// renderDetailsDialog renders the dialog element. It stays in the page
// while closed, empty and hidden by the browser, so showModal always finds
// it.
func (d *Dashboard) renderDetailsDialog(format view.NameFormat) app.UI {
	c := &d.details
	state := c.state
	if state == "" {
		state = detailsClosed
	}
	dialog := dialogElem().
		ID(detailsDialogID).
		Class("details-dialog").
		DataSet("state", state).
		Aria("labelledby", detailsTitleID).
		Aria("modal", "true").
		On("close", d.onDetailsClose)
	if state == detailsClosed {
		return dialog
	}

	// The Close button sits in a form with method "dialog", which closes
	// the dialog without a script, so the head is plain HTML too. It is a
	// node of its own, so the button keeps the focus when the content
	// below it changes.
	head := `<div class="details-head"><h2 id="` + detailsTitleID + `">Session details: ` +
		escapeHTML(c.request.Customer) + `</h2><form method="dialog"><button id="` + detailsCloseID +
		`" class="details-close">Close</button></form></div>`
	var content string
	switch state {
	case detailsLoading:
		content = `<p id="details-status" class="details-status">Loading details…</p>`
	case detailsFailed:
		content = `<p id="details-status" class="details-status details-error">` +
			`<span class="details-error-icon" aria-hidden="true">▲ </span>Details unavailable: ` +
			escapeHTML(c.reason) + `</p>`
	default:
		content = renderDetails(c.details, format)
	}
	return dialog.Body(app.Raw(head), app.Raw(content))
}

// renderDetails renders one session's facts, each with data-fact set to a
// key, then its exit-survey answers, each with data-question set to the
// question's code name.
func renderDetails(d *sessionDetails, format view.NameFormat) string {
	var reps []string
	for _, r := range d.Reps {
		name := view.RepName(&state.Representative{
			Username:           r.Username,
			PublicDisplayName:  r.PublicName,
			PrivateDisplayName: r.PrivateName,
		}, format)
		if r.Owner {
			name += " (owner)"
		}
		reps = append(reps, name)
	}
	duration := ""
	if d.DurationSeconds > 0 || d.End.Unix > 0 {
		duration = formatDuration(d.DurationSeconds)
	}

	facts := [...][3]string{
		{"customer", "Customer", d.Customer.Name},
		{"company", "Company", d.Customer.Company},
		{"issue", "Issue", d.Customer.Issue},
		{"reps", "Representatives", strings.Join(reps, ", ")},
		{"start", "Started", formatDateTime(d.Start.Unix)},
		{"end", "Ended", formatDateTime(d.End.Unix)},
		{"duration", "Duration", duration},
		{"site", "Public site", d.PublicSite.Name},
	}
	html := `<div id="details-content" class="details-content"><dl class="details-facts">`
	for _, f := range facts {
		html += factHTML("data-fact", f[0], f[1], f[2])
	}
	html += `</dl><h3>Customer exit survey</h3>` + surveyHTML("details-customer-survey", d.CustomerSurveys)
	if len(d.RepSurveys) > 0 {
		html += `<h3>Representative exit survey</h3>` + surveyHTML("details-rep-survey", d.RepSurveys)
	}
	return html + `</div>`
}

// surveyHTML returns exit-survey answers as a description list with the
// given id, or a line stating that there are none.
func surveyHTML(id string, answers []detailsSurvey) string {
	if len(answers) == 0 {
		return `<p id="` + id + `" class="empty">No answers.</p>`
	}
	html := `<dl id="` + id + `" class="details-survey">`
	for _, a := range answers {
		question := a.Label
		if question == "" {
			question = a.Question
		}
		html += factHTML("data-question", a.Question, question, strings.Join(a.Answers, ", "))
	}
	return html + `</dl>`
}
