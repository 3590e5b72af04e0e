package view

import (
	"cmp"
	"slices"
	"strings"

	"github.com/rtdash/rtdash/shared/state"
)

// Board holds the dashboard's panels at one moment. Times are appliance
// Unix seconds; callers compute durations against the appliance's clock.
type Board struct {
	Queues     []Queue
	Waiting    []Waiting
	InProgress []InProgress
	Reps       []Rep
}

// Queue is a support team queue.
type Queue struct {
	ID       int64
	Name     string
	CodeName string
	// Waiting counts the sessions waiting in the queue; OldestEntry is the
	// queue entry time of the longest-waiting one, 0 when none waits.
	Waiting     int
	OldestEntry int64
	// RepsAvailable counts representatives of the queue whose status is
	// available; RepsLoggedIn counts all of them.
	RepsAvailable int
	RepsLoggedIn  int
	SLA           int64 // seconds; 0 means none
}

// Waiting is a support session that no representative holds yet.
type Waiting struct {
	ID              int64
	LSID            string
	Customer        string
	Company         string
	Issue           string
	StartMethod     string
	Priority        int64
	QueueID         int64
	Team            string // the team's display name
	TeamCode        string
	Entered         int64 // entry into the current queue
	EstimatedPickup int64 // 0 when the appliance gives no estimate
	SLA             int64 // seconds; 0 means none
}

// Waited returns the seconds waited at the given appliance time, never
// negative.
func (w *Waiting) Waited(now int64) int64 { return max(0, now-w.Entered) }

// SLAState returns the wait's state against its team's SLA at now.
func (w *Waiting) SLAState(now int64) SLAState { return CheckSLA(w.Waited(now), w.SLA) }

// InProgress is a support session held by at least one representative.
type InProgress struct {
	ID          int64
	LSID        string
	Customer    string
	Company     string
	Issue       string
	Reps        []string // names, sorted
	RepIDs      []int64  // representative row ids, ascending
	Team        string
	TeamCode    string
	StartMethod string
	ClientType  string
	Started     int64
}

// Rep is a logged-in representative.
type Rep struct {
	ID       int64
	Name     string
	Username string
	Status   RepStatus
	// Sessions counts the sessions in progress the board shows for the
	// representative; sessions the filters hide are not counted.
	Sessions      int
	LoggedInSince int64
	Teams         []string // code names of the shown teams, sorted
}

// Builder derives boards with fixed settings.
type Builder struct {
	settings Settings
	filter   Filter
}

// NewBuilder returns a builder for the given settings.
func NewBuilder(s Settings) *Builder {
	return &Builder{settings: s, filter: NewFilter(s)}
}

// Settings returns the builder's settings.
func (b *Builder) Settings() Settings { return b.settings }

// index holds the joins one Build needs, computed once per call.
type index struct {
	repsOfSession   map[int64][]int64 // support session id → representative ids
	queuesOfRep     map[int64][]int64 // representative id → queue ids
	repsOfQueue     map[int64][]int64 // queue id → representative ids
	clientOfSession map[int64]*state.CustomerClient
	teamNames       map[string]string  // lower-case team code name → display name
	teamCodes       map[int64]string   // team queue id → lower-case code name
	repTeams        map[int64][]string // memo of teamsOfRep
}

func newIndex(m *state.Model) *index {
	ix := &index{
		repsOfSession:   make(map[int64][]int64, m.RepresentativeSupportSessions.Len()),
		queuesOfRep:     make(map[int64][]int64, m.Representatives.Len()),
		repsOfQueue:     make(map[int64][]int64, m.Queues.Len()),
		clientOfSession: make(map[int64]*state.CustomerClient, m.CustomerClients.Len()),
	}
	ix.addTeamNames(m)
	for _, l := range m.RepresentativeSupportSessions.All() {
		ix.repsOfSession[l.SupportSessionID] = append(ix.repsOfSession[l.SupportSessionID], l.RepresentativeID)
	}
	for _, l := range m.RepresentativeQueues.All() {
		ix.queuesOfRep[l.RepresentativeID] = append(ix.queuesOfRep[l.RepresentativeID], l.QueueID)
		ix.repsOfQueue[l.QueueID] = append(ix.repsOfQueue[l.QueueID], l.RepresentativeID)
	}
	for _, c := range m.CustomerClients.All() {
		// A session can have several clients; the lowest id, the first to
		// connect, stands for the session.
		if prev := ix.clientOfSession[c.SupportSessionID]; prev == nil || c.ID < prev.ID {
			ix.clientOfSession[c.SupportSessionID] = c
		}
	}
	return ix
}

// teamsOfRep returns the code names of the team queues a representative
// belongs to, sorted and without duplicates. Callers must not modify the
// result, which is shared between calls.
func (ix *index) teamsOfRep(rep int64) []string {
	if teams, ok := ix.repTeams[rep]; ok {
		return teams
	}
	var teams []string
	for _, qid := range ix.queuesOfRep[rep] {
		if code := ix.teamCodes[qid]; code != "" {
			teams = append(teams, code)
		}
	}
	slices.Sort(teams)
	teams = slices.Compact(teams)
	if ix.repTeams == nil {
		ix.repTeams = make(map[int64][]string)
	}
	ix.repTeams[rep] = teams
	return teams
}

// Build derives the board from the model.
func (b *Builder) Build(m *state.Model) *Board {
	ix := newIndex(m)
	board := &Board{
		Waiting:    make([]Waiting, 0, m.SupportSessions.Len()),
		InProgress: make([]InProgress, 0, m.SupportSessions.Len()),
		Reps:       make([]Rep, 0, m.Representatives.Len()),
	}
	b.buildSessions(m, ix, board)
	b.buildReps(m, ix, board)
	b.buildQueues(m, ix, board)
	// An empty panel is nil, not an empty slice.
	board.Waiting = nilIfEmpty(board.Waiting)
	board.InProgress = nilIfEmpty(board.InProgress)
	board.Reps = nilIfEmpty(board.Reps)
	return board
}

// buildReps runs after buildSessions, because a representative's session
// count covers the shown sessions only.
func (b *Builder) buildReps(m *state.Model, ix *index, board *Board) {
	shown := make(map[int64]int, len(board.InProgress))
	for i := range board.InProgress {
		for _, rid := range board.InProgress[i].RepIDs {
			shown[rid]++
		}
	}
	for id, r := range m.Representatives.All() {
		teams := ix.teamsOfRep(id)
		if !b.filter.AnyTeam(teams) {
			continue
		}
		board.Reps = append(board.Reps, Rep{
			ID:            id,
			Name:          RepName(r, b.settings.RepNameFormat),
			Username:      r.Username,
			Status:        StatusOf(r),
			Sessions:      shown[id],
			LoggedInSince: r.CreatedTimestamp,
			Teams:         b.shownTeams(teams),
		})
	}
	sortByName(board.Reps)
}

// sortByName sorts representatives by name ignoring case, then by id. The
// lower-case names are computed once, not once per comparison: the sort of
// a large site's 2,000 representatives runs on every board.
func sortByName(reps []Rep) {
	type keyed struct {
		key string
		rep Rep
	}
	sorted := make([]keyed, len(reps))
	for i, r := range reps {
		sorted[i] = keyed{key: strings.ToLower(r.Name), rep: r}
	}
	slices.SortFunc(sorted, func(x, y keyed) int {
		return cmp.Or(cmp.Compare(x.key, y.key), cmp.Compare(x.rep.ID, y.rep.ID))
	})
	for i := range sorted {
		reps[i] = sorted[i].rep
	}
}

// shownTeams returns the teams the filter shows, so that ignored teams do
// not appear beside a representative.
func (b *Builder) shownTeams(teams []string) []string {
	var shown []string
	for _, t := range teams {
		if b.filter.Team(t) {
			shown = append(shown, t)
		}
	}
	return shown
}

func (b *Builder) buildSessions(m *state.Model, ix *index, board *Board) {
	for id, s := range m.SupportSessions.All() {
		if !b.filter.StartMethod(s.StartMethod) {
			continue
		}
		reps := ix.repsOfSession[id]
		team := b.teamOf(m, ix, s, reps)
		if !team.shown(b.filter) {
			continue
		}
		if len(reps) == 0 {
			board.Waiting = append(board.Waiting, Waiting{
				ID:              id,
				LSID:            s.LSID,
				Customer:        s.CustomerName,
				Company:         s.CustomerCompany,
				Issue:           s.CustomerDescription,
				StartMethod:     s.StartMethod,
				Priority:        s.Priority,
				QueueID:         s.QueueID,
				Team:            team.name,
				TeamCode:        team.code,
				Entered:         s.QueueEntryTimestamp,
				EstimatedPickup: s.EstimatedPickupTimestamp,
				SLA:             b.settings.WaitingSLAs.For(team.code),
			})
			continue
		}
		p := b.inProgress(m, ix, s, reps, team)
		board.InProgress = append(board.InProgress, p)
	}
	slices.SortFunc(board.Waiting, func(x, y Waiting) int {
		return cmp.Or(cmp.Compare(x.Entered, y.Entered), cmp.Compare(x.ID, y.ID))
	})
	slices.SortFunc(board.InProgress, func(x, y InProgress) int {
		return cmp.Or(cmp.Compare(x.Started, y.Started), cmp.Compare(x.ID, y.ID))
	})
}

// inProgress builds the entry of a session with the given representatives
// and team.
func (b *Builder) inProgress(m *state.Model, ix *index, s *state.SupportSession, reps []int64, team sessionTeam) InProgress {
	p := InProgress{
		ID:          s.ID,
		LSID:        s.LSID,
		Customer:    s.CustomerName,
		Company:     s.CustomerCompany,
		Issue:       s.CustomerDescription,
		Team:        team.name,
		TeamCode:    team.code,
		StartMethod: s.StartMethod,
		Started:     s.CreatedTimestamp,
	}
	if c := ix.clientOfSession[s.ID]; c != nil {
		p.ClientType = c.ClientType
	}
	for _, rid := range reps {
		if r := m.Representatives.Get(rid); r != nil {
			p.Reps = append(p.Reps, RepName(r, b.settings.RepNameFormat))
			p.RepIDs = append(p.RepIDs, rid)
		}
	}
	slices.Sort(p.Reps)
	slices.Sort(p.RepIDs)
	return p
}

// sessionTeam is the team a support session is attributed to. When the
// team is known, codes is nil; otherwise codes lists the teams of the
// session's representatives, which the filter weighs instead.
type sessionTeam struct {
	name, code string
	known      bool
	codes      []string
}

// shown reports whether the filter shows a session of this team.
func (t sessionTeam) shown(f Filter) bool {
	if t.known {
		return f.AnyTeam([]string{t.code})
	}
	return f.AnyTeam(t.codes)
}

// teamOf attributes a session to the team of its queue while it waits in a
// team queue, else to the team queue it last waited in, else to the teams
// of its representatives.
func (b *Builder) teamOf(m *state.Model, ix *index, s *state.SupportSession, reps []int64) sessionTeam {
	q := m.Queues.Get(s.QueueID)
	if q == nil || !q.IsTeam() {
		q = nil
		if qid, ok := m.TeamQueueOf(s.ID); ok {
			q = m.Queues.Get(qid)
		}
	}
	if q != nil {
		code := ix.teamCodes[q.ID]
		return sessionTeam{name: q.Name, code: code, known: true}
	}
	var codes []string
	for _, rid := range reps {
		codes = append(codes, ix.teamsOfRep(rid)...)
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	t := sessionTeam{codes: codes}
	for _, code := range codes {
		if b.filter.Team(code) {
			t.code = code
			t.name = ix.teamName(code)
			break
		}
	}
	return t
}

// addTeamNames records the code name and display name of every team queue.
func (ix *index) addTeamNames(m *state.Model) {
	ix.teamNames = make(map[string]string)
	ix.teamCodes = make(map[int64]string)
	for id, q := range m.Queues.All() {
		if q.IsTeam() {
			code := strings.ToLower(q.CodeName)
			ix.teamNames[code] = q.Name
			ix.teamCodes[id] = code
		}
	}
}

func (ix *index) teamName(code string) string {
	if name, ok := ix.teamNames[code]; ok {
		return name
	}
	return code
}

func (b *Builder) buildQueues(m *state.Model, ix *index, board *Board) {
	byQueue := make(map[int64]*Queue)
	for id, q := range m.Queues.All() {
		if !q.IsTeam() || !b.filter.Team(q.CodeName) {
			continue
		}
		view := Queue{
			ID:       id,
			Name:     q.Name,
			CodeName: strings.ToLower(q.CodeName),
			SLA:      b.settings.WaitingSLAs.For(q.CodeName),
		}
		for _, rid := range ix.repsOfQueue[id] {
			r := m.Representatives.Get(rid)
			if r == nil {
				continue
			}
			view.RepsLoggedIn++
			if StatusOf(r) == StatusAvailable {
				view.RepsAvailable++
			}
		}
		board.Queues = append(board.Queues, view)
	}
	for i := range board.Queues {
		byQueue[board.Queues[i].ID] = &board.Queues[i]
	}
	for i := range board.Waiting {
		w := &board.Waiting[i]
		q := byQueue[w.QueueID]
		if q == nil {
			continue
		}
		q.Waiting++
		if q.OldestEntry == 0 || w.Entered < q.OldestEntry {
			q.OldestEntry = w.Entered
		}
	}
	slices.SortFunc(board.Queues, func(x, y Queue) int {
		return cmp.Or(
			cmp.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)),
			cmp.Compare(x.ID, y.ID))
	})
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
