package wasmui

import (
	"context"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/rtdash/rtdash/shared/feed"
	"github.com/rtdash/rtdash/shared/view"
	"github.com/rtdash/rtdash/shared/wire"
)

// Dashboard is the page. It owns the relay connection and the feed, and it
// hands each panel its rows and the appliance's clock as props.
//
// Every field is touched only on the UI goroutine. The relay client and
// the clock run on their own goroutines and reach the dashboard through
// ctx.Dispatch.
type Dashboard struct {
	app.Compo

	feed   *feed.Feed
	board  *view.Board
	client reconnecter
	stop   context.CancelFunc

	// socketOpen is true between the open and the close of connection conn,
	// whichever its transport.
	socketOpen bool
	conn       uint64
	// transport is the transport of the last connection that opened, ""
	// before the first.
	transport Transport
	// abandoned is the last connection the dashboard asked the client to
	// drop. Its messages still queued for the UI goroutine are ignored.
	abandoned uint64

	// now is the appliance's clock in Unix seconds at the last tick.
	now        int64
	connection Connection

	announcement string
	// announced is the set of waiting sessions whose SLA breach was
	// announced.
	announced map[int64]bool
	// breaches counts the waiting sessions over the SLA by queue id at
	// the last tick, and overSLA counts them all.
	breaches map[int64]int
	overSLA  int

	details    detailsDialog
	removeTrap func()

	options pageOptions
	// checkedQuery is the page address's query whose ignored options were
	// last logged, so each is logged once.
	checkedQuery string
	// csat is nil until the relay sends a CSAT figure, which it does only
	// when CSAT polling is on.
	csat   *wire.CSAT
	closed []wire.ClosedSession
	// reps, busiest and filterText are derived from the board whenever it
	// changes. filterText is the header's description of the filters.
	reps       [len(repStatuses)]int
	busiest    []view.Queue
	filterText string
}

// OnInit prepares an empty dashboard. It runs on the server too, where the
// page is prerendered with no data.
func (d *Dashboard) OnInit() {
	d.feed = feed.New()
	d.board = &view.Board{}
	d.announced = make(map[int64]bool)
	d.connection = describeConnection(connectionInput{})
	d.options = pageOptions{Layout: LayoutDesk}
}

// OnNav reads the layout and theme from the page address. It runs on the
// server's prerender too, so the first paint has the right layout.
func (d *Dashboard) OnNav(ctx app.Context) {
	query := ctx.Page().URL().RawQuery
	options, ignored := parsePageOptions(query)
	d.options = options
	// Only the browser logs ignored options. On the server they would put
	// text from any page address into the relay's log.
	if app.IsClient {
		setPageOptions(d.options.Layout, d.options.Theme)
		if query != d.checkedQuery {
			d.checkedQuery = query
			for _, message := range ignored {
				app.Log(message)
			}
		}
	}
	d.deriveFromBoard()
}

// OnMount starts the relay client and the clock, and subscribes to the
// details buttons. go-app calls it only in the browser.
func (d *Dashboard) OnMount(ctx app.Context) {
	// app.Context is never cancelled, so the goroutines get their own
	// context for OnDismount to end.
	runCtx, stop := context.WithCancel(ctx)
	d.stop = stop

	page, prefix := app.Window().URL(), app.Getenv("GOAPP_ROOT_PREFIX")
	client := newRelayClient(socketURL(page, prefix), streamPath(prefix), func(ev event) {
		ctx.Dispatch(func(ctx app.Context) { d.handleEvent(ctx, ev) })
	})
	client.Logf = app.Logf
	d.client = client
	ctx.Async(func() { client.Run(runCtx) })
	ctx.Async(func() { runClock(runCtx, ctx, d) })
	ctx.Handle(openDetailsAction, d.handleOpenDetails)
	d.removeTrap = trapFocus(detailsDialogID, detailsCloseID)
	d.tick(time.Now())
}

// OnDismount closes the relay connection, stops the clock and removes the
// pop-up's focus trap.
func (d *Dashboard) OnDismount() {
	if d.stop != nil {
		d.stop()
	}
	if d.removeTrap != nil {
		d.removeTrap()
	}
}

// reconnecter is the part of relayClient the dashboard uses.
type reconnecter interface {
	Reconnect(conn uint64, cause error)
}

// runClock ticks the dashboard once a second, so the time cells advance
// without a board rebuild.
func runClock(runCtx context.Context, ctx app.Context, d *Dashboard) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-runCtx.Done():
			return
		case <-ticker.C:
			ctx.Dispatch(func(app.Context) { d.tick(time.Now()) })
		}
	}
}

// User Timing measures the page records, which the browser's performance
// tools show and performance.getEntriesByName lists. boardMeasure spans
// one batch of relay messages: from its arrival on the UI goroutine,
// through the model update and the board rebuild, to the end of the DOM
// update. buildMeasure spans the board rebuild alone.
const (
	boardMeasure = "rtd-board-update"
	buildMeasure = "rtd-board-build"
)

func (d *Dashboard) handleEvent(ctx app.Context, ev event) {
	start := perfNow()
	// go-app diffs the closed rows by position, so when a session arrives
	// at the top, the focused details button shows the next session down.
	// The page still shows the last render here, so the focused button's
	// LSID is the session the user chose, and the focus goes back to that
	// session's button after the update.
	focused := focusedDetailsLSID()
	changed := d.apply(ev, time.Now())
	if changed&feed.ChangedHello != 0 {
		ctx.Page().SetTitle(d.title())
	}
	if changed&(feed.ChangedHello|feed.ChangedModel) != 0 {
		ctx.Defer(func(app.Context) { recordMeasure(boardMeasure, start) })
	}
	if focused != "" && changed&(feed.ChangedHello|feed.ChangedClosed) != 0 {
		ctx.Defer(func(app.Context) {
			keepFocus(detailsButtonID(focused), detailsButtonClass, closedTitleID)
		})
	}
}

// apply takes one client event at local time now and returns what its
// messages changed.
func (d *Dashboard) apply(ev event, now time.Time) (changed feed.Change) {
	switch ev.Kind {
	case eventOpen:
		d.conn = ev.Conn
		d.socketOpen = true
		d.transport = ev.Transport
		app.Logf("relay connection %d opened over the %s transport", ev.Conn, ev.Transport)
	case eventClosed:
		if ev.Conn == d.conn {
			d.socketOpen = false
		}
		d.feed.Disconnected()
		app.Logf("relay connection %d closed: %v; reconnecting in %v",
			ev.Conn, ev.Err, ev.RetryIn.Round(time.Millisecond))
	case eventMessages:
		changed = d.applyFrames(ev)
		ev.Done()
	}
	d.tick(now)
	return changed
}

// applyFrames hands a batch to the feed and rebuilds the board once for
// the whole batch. A message the feed rejects makes the model unreliable,
// so the dashboard drops the connection and resynchronises from the next
// connection's snapshot.
func (d *Dashboard) applyFrames(ev event) (changed feed.Change) {
	if ev.Conn <= d.abandoned {
		return 0
	}

	for _, f := range ev.Frames {
		c, err := d.feed.Handle(f.Data, f.Received)
		changed |= c
		if err != nil {
			app.Logf("relay connection %d: message rejected, reconnecting: %v", ev.Conn, err)
			d.abandoned = ev.Conn
			d.feed.Disconnected()
			d.client.Reconnect(ev.Conn, err)
			break
		}
	}

	if changed&(feed.ChangedHello|feed.ChangedModel) != 0 {
		start := perfNow()
		d.board = d.feed.Board()
		recordMeasure(buildMeasure, start)
		d.deriveFromBoard()
	}
	if changed&feed.ChangedCSAT != 0 {
		d.csat = d.feed.CSAT()
	}
	if changed&(feed.ChangedHello|feed.ChangedClosed) != 0 {
		// The hello's filters apply to the closed sessions too.
		d.closed = d.feed.Closed()
	}
	return changed
}

// deriveFromBoard computes what the panels take from the board beyond its
// rows, once per board rather than once per tick.
func (d *Dashboard) deriveFromBoard() {
	d.reps = countReps(d.board.Reps)
	d.busiest = nil
	if d.options.Layout == LayoutWall {
		d.busiest = busiestQueues(d.board.Queues)
	}
	d.filterText = ""
	if h := d.feed.Hello(); h != nil {
		var teams map[string]bool
		if d.feed.Seq() > 0 && filtersTeams(h.Settings) {
			teams = teamCodeNames(d.feed.Model())
		}
		d.filterText = describeFilters(h.Settings, teams)
	}
}

// noDataText returns why the page has no data to show, or "" when it has
// the appliance's data, however old.
func (d *Dashboard) noDataText() string {
	return noDataText(d.feed.Status().Appliance, d.feed.Seq() > 0)
}

// tick advances the clock and the connection indicator to local time now.
func (d *Dashboard) tick(now time.Time) {
	d.now = d.feed.ApplianceNow(now)

	status := d.feed.Status()
	var since time.Time
	if status.Since > 0 {
		// Since is on the relay's clock.
		since = time.UnixMilli(status.Since).Add(-d.feed.RelayOffset())
	}
	conn := describeConnection(connectionInput{
		SocketOpen:  d.socketOpen,
		LastData:    d.feed.LastData(),
		Now:         now,
		Status:      status,
		Synced:      d.feed.Synced(),
		StatusSince: since,
		HasModel:    d.feed.Seq() > 0,
	})
	var news []string
	if conn.Label != d.connection.Label {
		news = append(news, "Connection: "+conn.Label)
	}
	d.connection = conn
	if text := d.checkBreaches(); text != "" {
		news = append(news, text)
	}
	if len(news) > 0 {
		d.announcement = strings.Join(news, ". ")
	}
}

// checkBreaches returns an announcement of the waiting sessions whose SLA
// breach is new, or "" when there is none. It keeps only breached sessions
// in d.announced, so a session that leaves the breach and breaches again is
// announced again.
// It also counts the breaches by queue for the queues panel.
func (d *Dashboard) checkBreaches() string {
	var fresh []*view.Waiting
	breached := make(map[int64]bool, len(d.announced))
	byQueue := make(map[int64]int)
	for i := range d.board.Waiting {
		w := &d.board.Waiting[i]
		if w.SLAState(d.now) != view.SLABreached {
			continue
		}
		breached[w.ID] = true
		byQueue[w.QueueID]++
		if !d.announced[w.ID] {
			fresh = append(fresh, w)
		}
	}
	d.announced = breached
	d.breaches = byQueue
	d.overSLA = len(breached)
	return breachAnnouncement(fresh)
}

func (d *Dashboard) title() string {
	if h := d.feed.Hello(); h != nil && h.ConfigName != "" {
		return h.ConfigName + " – " + defaultTitle
	}
	return defaultTitle
}
