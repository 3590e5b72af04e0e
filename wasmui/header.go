package wasmui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// defaultTitle names the page until the relay's hello gives the
// configuration name.
const defaultTitle = "Real-time dashboard"

// Header is the page header: the relay configuration's name, the appliance
// id, the connection indicator and the transport in use.
type Header struct {
	app.Compo
	ConfigName  string
	ApplianceID string
	Connection  Connection
	// Transport is the transport of the last connection that opened. The
	// header leaves it out while it is "".
	Transport Transport
	// Filters describes the relay's team and start method filters, "" when
	// none is set.
	Filters string
}

// Render renders the header. The indicator's text counts the age of the
// data up every second, so it is not a live region. The dashboard
// announces state changes through its own region, without numbers. The
// content is HTML text for app.Raw, for the reason given in rawhtml.go.
func (h *Header) Render() app.UI {
	title := h.ConfigName
	if title == "" {
		title = defaultTitle
	}
	identity := `<div class="identity"><h1 id="config-name">` + escapeHTML(title) + `</h1>`
	if h.ApplianceID != "" {
		identity += `<p id="appliance-id" class="appliance"><span class="label">Appliance </span>` +
			`<span class="value">` + escapeHTML(h.ApplianceID) + `</span></p>`
	}
	if h.Filters != "" {
		identity += `<p id="filter-state" class="filter-state">` + escapeHTML(h.Filters) + `</p>`
	}

	state := string(h.Connection.State)
	indicator := `<div class="connection-group">` +
		`<p id="connection-state" class="connection connection-` + state +
		`" data-state="` + state + `"><span class="connection-icon" aria-hidden="true">` +
		connectionIcon(h.Connection.State) + `</span><span class="connection-text">` +
		escapeHTML(h.Connection.Text) + `</span></p>`
	if h.Transport != "" {
		transport := string(h.Transport)
		indicator += `<p id="transport" class="transport transport-` + transport + `" data-transport="` +
			transport + `"><span class="label">Transport </span><span class="transport-text">` +
			transportText(h.Transport) + `</span></p>`
	}
	return headerElem().ID("dashboard-header").Class("dashboard-header").Body(
		app.Raw(identity+`</div>`),
		app.Raw(indicator+`</div>`),
	)
}

// connectionIcon returns a glyph whose shape differs for every connection
// state. The text beside it carries the meaning.
func connectionIcon(s ConnectionState) string {
	switch s {
	case StateLive:
		return "●"
	case StateReconnecting:
		return "↻"
	case StateStale:
		return "◌"
	case StateUnavailable:
		return "▲"
	case StateDisabled:
		return "⊘"
	}
	return "○"
}
