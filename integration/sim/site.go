package sim

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// Customer describes a customer who requests support. Empty fields get
// defaults: a generated name, the first team, start method
// "issue_submission", client type "desktop" and priority 2 (medium).
type Customer struct {
	Name         string
	Company      string
	CompanyCode  string
	Description  string
	TeamCodeName string // team queue the session waits in
	// PublicSiteID is the public site the customer came through; 0 means
	// the first of Config.PublicSites.
	PublicSiteID int64
	StartMethod  string // support_session.start_method
	ClientType   string // customer_client.client_type, one of ClientTypes
	Priority     int    // 1 high, 2 medium, 3 low
	Hostname     string
	OS           string
	Elevated     bool
	// Attributes become support_session_attribute rows (code name → value).
	Attributes map[string]string
	// Skills become support_session_skill rows (skill code names).
	Skills []string
}

// Rep is a representative. ID is the representative row id and UserID the
// user account id. LoginRep always assigns ID, and assigns UserID when it is
// zero.
type Rep struct {
	ID            int64
	UserID        int64
	Username      string
	PublicName    string
	PrivateName   string
	TeamCodeNames []string // teams whose queues the rep takes sessions from
}

// Team is a support team: ID is the support team id (queue.support_team_id)
// and QueueID the row id of its team queue.
type Team struct {
	ID       int64
	QueueID  int64
	Name     string
	CodeName string
}

// RepStatus is the manual part of a representative's routing state. The
// simulator derives the routing_* columns from it and from the number of
// sessions the rep holds.
type RepStatus struct {
	Idle               bool // routing_idle = 1
	Away               bool // not taking sessions: routing_available = 0
	Busy               bool // set busy by hand: routing_busy = 1
	AutoAssignDisabled bool // routing_enabled = 0
}

// ClientTypes lists the customer_client.client_type values the vendor
// documents.
var ClientTypes = []string{"desktop", "mobile", "rdp", "vnc", "vpro", "shell", "web_chat"}

// StartMethods lists candidate support_session.start_method strings. The
// vendor documents the concepts but not the wire strings, so these are
// guesses that ScenarioConfig.StartMethods can replace.
var StartMethods = []string{
	"session_key", "issue_submission", "rep_list", "button", "click_to_chat",
	"jump_client", "local_jump", "remote_jump", "rdp", "vnc", "shell_jump",
	"vpro", "push_and_start_local", "push_and_start_remote",
}

type teamEntry struct {
	supportTeamID int64
	queueID       int64
	name          string
	codeName      string
}

type repEntry struct {
	id          int64
	userID      int64
	queueID     int64 // personal queue row
	username    string
	publicName  string
	privateName string
	teamCodes   []string
	queueLinks  []int64         // representative_queue row ids
	sessions    map[int64]int64 // support session id → representative_support_session row id
	status      RepStatus
}

type sessionEntry struct {
	id         int64
	lsid       string
	teamCode   string          // team queue the session returns to when no rep holds it
	clients    []int64         // customer_client row ids
	reps       map[int64]int64 // representative id → representative_support_session row id
	attributes []int64         // support_session_attribute row ids
	skills     []int64         // support_session_skill row ids
	track      *sessionTrack   // participants and events for the Reporting API
}

func (e *sessionEntry) waiting() bool { return len(e.reps) == 0 }

// site is the simulator's typed index over the model rows. Every change goes
// through its methods, which keep the index and the rows in step.
type site struct {
	model         *model
	now           func() time.Time
	rng           *rand.Rand
	teams         []*teamEntry
	teamsByCode   map[string]*teamEntry
	reps          map[int64]*repEntry
	teamReps      map[string][]int64 // team code name → ids of its reps, ascending
	sessions      map[int64]*sessionEntry
	lastUserID    int64
	lastTeamID    int64
	maxSessions   int           // sessions per rep before routing_busy
	estimatedWait time.Duration // added to now for estimated_pickup_timestamp

	publicSites  []PublicSite
	history      *sessionHistory
	surveys      SurveyConfig
	lastSequence int64 // <lseq> of the newest session
}

func newSite(m *model, now func() time.Time, seed int64) *site {
	return &site{
		publicSites:   DefaultPublicSites,
		history:       newSessionHistory(HistoryConfig{}),
		model:         m,
		now:           now,
		rng:           rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		teamsByCode:   map[string]*teamEntry{},
		reps:          map[int64]*repEntry{},
		teamReps:      map[string][]int64{},
		sessions:      map[int64]*sessionEntry{},
		maxSessions:   3,
		estimatedWait: 5 * time.Minute,
	}
}

func (s *site) unix() int64 { return s.now().Unix() }

func boolColumn(value bool) int64 {
	if value {
		return 1
	}
	return 0
}

// addTeam creates a support team with its team queue.
func (s *site) addTeam(name, codeName string) *teamEntry {
	s.lastTeamID++
	team := &teamEntry{supportTeamID: s.lastTeamID, name: name, codeName: codeName}
	team.queueID = s.model.insert(TableQueue, row{
		"name":              name,
		"code_name":         codeName,
		"type":              "team",
		"support_team_id":   team.supportTeamID,
		"created_timestamp": s.unix(),
	})
	s.teams = append(s.teams, team)
	s.teamsByCode[codeName] = team
	return team
}

// lsid returns a new 32-hex-digit support session id from the seeded source.
func (s *site) lsid() string {
	return fmt.Sprintf("%016x%016x", s.rng.Uint64(), s.rng.Uint64())
}

func (s *site) teamList() []Team {
	teams := make([]Team, 0, len(s.teams))
	for _, t := range s.teams {
		teams = append(teams, Team{ID: t.supportTeamID, QueueID: t.queueID, Name: t.name, CodeName: t.codeName})
	}
	return teams
}

func (s *site) repList() []Rep {
	ids := make([]int64, 0, len(s.reps))
	for id := range s.reps {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	reps := make([]Rep, 0, len(ids))
	for _, id := range ids {
		r := s.reps[id]
		reps = append(reps, Rep{
			ID:            r.id,
			UserID:        r.userID,
			Username:      r.username,
			PublicName:    r.publicName,
			PrivateName:   r.privateName,
			TeamCodeNames: slices.Clone(r.teamCodes),
		})
	}
	return reps
}

// refreshRep recomputes the routing_* columns of a rep. A rep is busy when
// set busy by hand or when it holds maxSessions sessions or more, and
// available when it is neither away nor busy.
// NOTE: the vendor names the routing_* flags but does not document how they
// relate, so this rule is a guess.
func (s *site) refreshRep(r *repEntry) {
	busy := r.status.Busy || len(r.sessions) >= s.maxSessions
	s.model.update(TableRepresentative, r.id, row{
		"routing_busy":      boolColumn(busy),
		"routing_available": boolColumn(!busy && !r.status.Away),
		"routing_idle":      boolColumn(r.status.Idle),
		"routing_enabled":   boolColumn(!r.status.AutoAssignDisabled),
	})
}
