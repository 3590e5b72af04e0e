package view_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/state"
	"github.com/rtdash/rtdash/shared/view"
)

// modelOf returns a model with the given state API lines applied.
func modelOf(t *testing.T, lines ...string) *state.Model {
	t.Helper()
	m := state.NewModel()
	for _, line := range lines {
		msg, err := state.Decode([]byte(line))
		if err != nil {
			t.Fatalf("Decode(%s) failed: %v", line, err)
		}
		if res := m.Apply(msg); len(res.Anomalies) != 0 {
			t.Fatalf("Apply(%s) anomalies = %v, want none", line, res.Anomalies)
		}
	}
	return m
}

// siteLines describe a small site:
//
//   - team queues Tech Support (3), Billing (5) and Noisy (7), and the
//     personal queues of Bob (9), Ann (10) and Carl (11),
//   - Bob is in Tech Support, Ann in Tech Support and Billing, Carl in Noisy,
//     and Dave in no team,
//   - sessions 21 and 22 wait in Tech Support, 23 in Billing, 24 in Noisy,
//   - session 25 waited in Tech Support before Bob took it into his
//     personal queue, 26 went straight to Ann's personal queue, and 27 is
//     Carl's.
var siteLines = []string{
	`{"type":"model_update","insert":{
		"queue":{
			"3":{"name":"Tech Support","code_name":"Tech_Support","type":"team","support_team_id":2},
			"5":{"name":"Billing","code_name":"billing","type":"team","support_team_id":4},
			"7":{"name":"Noisy","code_name":"noisy","type":"team","support_team_id":6},
			"9":{"name":"Bob","code_name":"","type":"personal","support_team_id":0},
			"10":{"name":"Ann","code_name":"","type":"personal","support_team_id":0},
			"11":{"name":"Carl","code_name":"","type":"personal","support_team_id":0}},
		"representative":{
			"4":{"username":"bob","public_display_name":"Bob","private_display_name":"Bob (T2)",
				"routing_enabled":1,"routing_available":1,"routing_busy":0,"routing_idle":0,"queue_id":9,"created_timestamp":100},
			"6":{"username":"ann","public_display_name":"Ann","private_display_name":"",
				"routing_enabled":1,"routing_available":1,"routing_busy":1,"routing_idle":0,"queue_id":10,"created_timestamp":200},
			"8":{"username":"carl","public_display_name":"Carl",
				"routing_enabled":1,"routing_available":1,"queue_id":11,"created_timestamp":300},
			"12":{"username":"dave","public_display_name":"dave","routing_enabled":0,"routing_available":1,"created_timestamp":400}},
		"representative_queue":{
			"1":{"representative_id":4,"queue_id":3},
			"2":{"representative_id":6,"queue_id":3},
			"3":{"representative_id":6,"queue_id":5},
			"4":{"representative_id":8,"queue_id":7},
			"5":{"representative_id":8,"queue_id":11}},
		"support_session":{
			"21":{"lsid":"aa21","queue_id":3,"queue_entry_timestamp":1000,"created_timestamp":990,"customer_name":"Jane",
				"customer_company":"ACME","customer_description":"VPN down","start_method":"issue_submission","priority":2,
				"estimated_pickup_timestamp":1300},
			"22":{"lsid":"aa22","queue_id":3,"queue_entry_timestamp":900,"created_timestamp":890,"customer_name":"Joe",
				"start_method":"session_key","priority":1},
			"23":{"lsid":"aa23","queue_id":5,"queue_entry_timestamp":950,"created_timestamp":940,"customer_name":"Kim",
				"start_method":"issue_submission","priority":3},
			"24":{"lsid":"aa24","queue_id":7,"queue_entry_timestamp":800,"created_timestamp":800,"customer_name":"Lee",
				"start_method":"issue_submission"},
			"25":{"lsid":"aa25","queue_id":3,"queue_entry_timestamp":500,"created_timestamp":500,"customer_name":"Max",
				"customer_company":"Initech","customer_description":"Printer","start_method":"issue_submission"},
			"26":{"lsid":"aa26","queue_id":10,"queue_entry_timestamp":600,"created_timestamp":600,"customer_name":"Ned",
				"start_method":"session_key"},
			"27":{"lsid":"aa27","queue_id":11,"queue_entry_timestamp":700,"created_timestamp":700,"customer_name":"Oz",
				"start_method":"issue_submission"}},
		"customer_client":{
			"31":{"support_session_id":25,"client_type":"web_chat"},
			"30":{"support_session_id":25,"client_type":"desktop"},
			"32":{"support_session_id":21,"client_type":"mobile"}}}}`,
	`{"type":"model_update",
		"insert":{"representative_support_session":{
			"40":{"support_session_id":25,"representative_id":4},
			"41":{"support_session_id":26,"representative_id":6},
			"42":{"support_session_id":27,"representative_id":8}}},
		"update":{"support_session":{"25":{"queue_id":9,"queue_entry_timestamp":1100}}}}`,
}

var (
	waiting21 = view.Waiting{
		ID: 21, LSID: "aa21", Customer: "Jane", Company: "ACME", Issue: "VPN down", StartMethod: "issue_submission",
		Priority: 2, QueueID: 3, Team: "Tech Support", TeamCode: "tech_support", Entered: 1000, EstimatedPickup: 1300,
	}
	waiting22 = view.Waiting{
		ID: 22, LSID: "aa22", Customer: "Joe", StartMethod: "session_key",
		Priority: 1, QueueID: 3, Team: "Tech Support", TeamCode: "tech_support", Entered: 900,
	}
	waiting23 = view.Waiting{
		ID: 23, LSID: "aa23", Customer: "Kim", StartMethod: "issue_submission",
		Priority: 3, QueueID: 5, Team: "Billing", TeamCode: "billing", Entered: 950,
	}
	waiting24 = view.Waiting{
		ID: 24, LSID: "aa24", Customer: "Lee", StartMethod: "issue_submission",
		QueueID: 7, Team: "Noisy", TeamCode: "noisy", Entered: 800,
	}
	progress25 = view.InProgress{
		ID: 25, LSID: "aa25", Customer: "Max", Company: "Initech", Issue: "Printer", Reps: []string{"Bob"}, RepIDs: []int64{4},
		Team: "Tech Support", TeamCode: "tech_support", StartMethod: "issue_submission", ClientType: "desktop", Started: 500,
	}
	progress26 = view.InProgress{
		ID: 26, LSID: "aa26", Customer: "Ned", Reps: []string{"Ann"}, RepIDs: []int64{6},
		Team: "Billing", TeamCode: "billing", StartMethod: "session_key", Started: 600,
	}
	progress27 = view.InProgress{
		ID: 27, LSID: "aa27", Customer: "Oz", Reps: []string{"Carl"}, RepIDs: []int64{8},
		Team: "Noisy", TeamCode: "noisy", StartMethod: "issue_submission", Started: 700,
	}
	repAnn = view.Rep{
		ID: 6, Name: "Ann", Username: "ann", Status: view.StatusBusy, Sessions: 1, LoggedInSince: 200,
		Teams: []string{"billing", "tech_support"},
	}
	repBob = view.Rep{
		ID: 4, Name: "Bob", Username: "bob", Status: view.StatusAvailable, Sessions: 1, LoggedInSince: 100,
		Teams: []string{"tech_support"},
	}
	repCarl = view.Rep{
		ID: 8, Name: "Carl", Username: "carl", Status: view.StatusAvailable, Sessions: 1, LoggedInSince: 300,
		Teams: []string{"noisy"},
	}
	repDave = view.Rep{
		ID: 12, Name: "dave", Username: "dave", Status: view.StatusAutoAssignOff, LoggedInSince: 400,
	}
	queueBilling = view.Queue{ID: 5, Name: "Billing", CodeName: "billing", Waiting: 1, OldestEntry: 950, RepsLoggedIn: 1}
	queueNoisy   = view.Queue{ID: 7, Name: "Noisy", CodeName: "noisy", Waiting: 1, OldestEntry: 800, RepsAvailable: 1, RepsLoggedIn: 1}
	queueTech    = view.Queue{ID: 3, Name: "Tech Support", CodeName: "tech_support", Waiting: 2, OldestEntry: 900, RepsAvailable: 1, RepsLoggedIn: 2}
)

func withSLA[T view.Waiting | view.Queue](item T, sla int64) T {
	switch v := any(&item).(type) {
	case *view.Waiting:
		v.SLA = sla
	case *view.Queue:
		v.SLA = sla
	}
	return item
}

func TestBuildAllPanels(t *testing.T) {
	m := modelOf(t, siteLines...)

	got := view.NewBuilder(view.Settings{}).Build(m)

	want := &view.Board{
		Queues:     []view.Queue{queueBilling, queueNoisy, queueTech},
		Waiting:    []view.Waiting{waiting24, waiting22, waiting23, waiting21},
		InProgress: []view.InProgress{progress25, progress26, progress27},
		Reps:       []view.Rep{repAnn, repBob, repCarl, repDave},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build() mismatch (-want +got):\n%s", diff)
	}
}

func TestBuildIgnoredTeamAndSLAs(t *testing.T) {
	m := modelOf(t, siteLines...)
	settings := view.Settings{
		IgnoredTeams:  []string{"NOISY"},
		WaitingSLAs:   view.SLAs{Teams: map[string]int64{"tech_support": 300}, Default: 600},
		RepNameFormat: view.NamePrivateUsername,
	}

	got := view.NewBuilder(settings).Build(m)

	bob := repBob
	bob.Name = "Bob (T2) (bob)"
	p25 := progress25
	p25.Reps = []string{"Bob (T2) (bob)"}
	want := &view.Board{
		Queues:     []view.Queue{withSLA(queueBilling, 600), withSLA(queueTech, 300)},
		Waiting:    []view.Waiting{withSLA(waiting22, 300), withSLA(waiting23, 600), withSLA(waiting21, 300)},
		InProgress: []view.InProgress{p25, progress26},
		Reps:       []view.Rep{repAnn, bob, repDave},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build() mismatch (-want +got):\n%s", diff)
	}
}

func TestBuildAllowList(t *testing.T) {
	m := modelOf(t, siteLines...)

	got := view.NewBuilder(view.Settings{AllowedTeams: []string{"TECH_SUPPORT"}}).Build(m)

	// Session 26 has no team queue, so it takes the first allowed team of
	// its representative. Dave, in no team, is hidden by the allow list.
	p26 := progress26
	p26.Team, p26.TeamCode = "Tech Support", "tech_support"
	want := &view.Board{
		Queues:     []view.Queue{queueTech},
		Waiting:    []view.Waiting{waiting22, waiting21},
		InProgress: []view.InProgress{progress25, p26},
		Reps:       []view.Rep{annTechOnly, repBob},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build() mismatch (-want +got):\n%s", diff)
	}
}

// annTechOnly is Ann as a board shows her when Billing is hidden.
var annTechOnly = func() view.Rep {
	r := repAnn
	r.Teams = []string{"tech_support"}
	return r
}()

func TestBuildRepInAllowedAndIgnoredTeam(t *testing.T) {
	m := modelOf(t, siteLines...)
	settings := view.Settings{AllowedTeams: []string{"tech_support", "billing"}, IgnoredTeams: []string{"billing"}}

	got := view.NewBuilder(settings).Build(m)

	// Ann is in Tech Support (allowed) and Billing (ignored): she stays,
	// lists Tech Support only, and her session is attributed to Tech
	// Support, not to the ignored team.
	p26 := progress26
	p26.Team, p26.TeamCode = "Tech Support", "tech_support"
	want := &view.Board{
		Queues:     []view.Queue{queueTech},
		Waiting:    []view.Waiting{waiting22, waiting21},
		InProgress: []view.InProgress{progress25, p26},
		Reps:       []view.Rep{annTechOnly, repBob},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build() mismatch (-want +got):\n%s", diff)
	}
}

func TestBuildOnlyIgnoredTeamHidesAll(t *testing.T) {
	m := modelOf(t, siteLines...)
	settings := view.Settings{AllowedTeams: []string{"noisy"}, IgnoredTeams: []string{"noisy"}}

	got := view.NewBuilder(settings).Build(m)

	if diff := cmp.Diff(&view.Board{}, got); diff != "" {
		t.Errorf("Build() mismatch (-want +got):\n%s", diff)
	}
}

func TestBuildStartMethodFilter(t *testing.T) {
	m := modelOf(t, siteLines...)
	settings := view.Settings{StartMethods: []string{"Issue_Submission"}, IgnoredTeams: []string{"noisy"}}

	got := view.NewBuilder(settings).Build(m)

	// Queue counts and session counts follow the shown sessions only:
	// Ann's session, started by session key, is hidden.
	tech := queueTech
	tech.Waiting, tech.OldestEntry = 1, 1000
	ann := repAnn
	ann.Sessions = 0
	want := &view.Board{
		Queues:     []view.Queue{queueBilling, tech},
		Waiting:    []view.Waiting{waiting23, waiting21},
		InProgress: []view.InProgress{progress25},
		Reps:       []view.Rep{ann, repBob, repDave},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build() mismatch (-want +got):\n%s", diff)
	}
}

func TestBuildTeamAttribution(t *testing.T) {
	queues := `"queue":{"3":{"name":"Tech Support","code_name":"tech","type":"team"},
		"5":{"name":"Billing","code_name":"billing","type":"team"},
		"9":{"name":"Bob","type":"personal"}},
		"representative":{"4":{"username":"bob","queue_id":9}},
		"representative_queue":{"1":{"representative_id":4,"queue_id":5}}`
	tests := []struct {
		name     string
		lines    []string
		wantTeam string
		wantCode string
	}{
		{
			name: "waiting in a team queue",
			lines: []string{`{"type":"model_update","insert":{` + queues + `,
				"support_session":{"21":{"queue_id":3}},
				"representative_support_session":{"40":{"support_session_id":21,"representative_id":4}}}}`},
			wantTeam: "Tech Support", wantCode: "tech",
		},
		{
			name: "moved to a personal queue",
			lines: []string{
				`{"type":"model_update","insert":{` + queues + `,"support_session":{"21":{"queue_id":3}}}}`,
				`{"type":"model_update","update":{"support_session":{"21":{"queue_id":9}}},
					"insert":{"representative_support_session":{"40":{"support_session_id":21,"representative_id":4}}}}`,
			},
			wantTeam: "Tech Support", wantCode: "tech",
		},
		{
			name: "moved in the message that created it",
			lines: []string{`{"type":"model_update","insert":{` + queues + `,
				"support_session":{"21":{"queue_id":3}},
				"representative_support_session":{"40":{"support_session_id":21,"representative_id":4}}},
				"update":{"support_session":{"21":{"queue_id":9}}}}`},
			wantTeam: "Tech Support", wantCode: "tech",
		},
		{
			name: "never in a team queue",
			lines: []string{`{"type":"model_update","insert":{` + queues + `,
				"support_session":{"21":{"queue_id":9}},
				"representative_support_session":{"40":{"support_session_id":21,"representative_id":4}}}}`},
			wantTeam: "Billing", wantCode: "billing",
		},
		{
			name: "no team queue and a representative in no team",
			lines: []string{`{"type":"model_update","insert":{` + queues + `,
				"support_session":{"21":{"queue_id":9}},
				"representative_support_session":{"40":{"support_session_id":21,"representative_id":77}}}}`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := modelOf(t, tt.lines...)

			board := view.NewBuilder(view.Settings{}).Build(m)

			if len(board.InProgress) != 1 {
				t.Fatalf("InProgress = %+v, want one session", board.InProgress)
			}
			got := board.InProgress[0]
			if got.Team != tt.wantTeam || got.TeamCode != tt.wantCode {
				t.Errorf("team = %q (%q), want %q (%q)", got.Team, got.TeamCode, tt.wantTeam, tt.wantCode)
			}
		})
	}
}

func TestBuildTeamAttributionAfterSnapshot(t *testing.T) {
	// Session 21 waited in Tech Support and Bob, a member of Billing only,
	// took it into his personal queue.
	live := modelOf(t,
		`{"type":"model_update","insert":{
			"queue":{"3":{"name":"Tech Support","code_name":"tech","type":"team"},
				"5":{"name":"Billing","code_name":"billing","type":"team"},
				"9":{"name":"Bob","type":"personal"}},
			"representative":{"4":{"username":"bob","queue_id":9}},
			"representative_queue":{"1":{"representative_id":4,"queue_id":5}},
			"support_session":{"21":{"queue_id":3}}}}`,
		`{"type":"model_update",
			"insert":{"representative_support_session":{"40":{"support_session_id":21,"representative_id":4}}},
			"update":{"support_session":{"21":{"queue_id":9}}}}`)
	loaded := state.NewModel()
	if _, err := loaded.Load(live.AppendJSON(nil)); err != nil {
		t.Fatalf("Load() failed: %v", err)
	}
	builder := view.NewBuilder(view.Settings{})

	// The tables alone no longer show the team queue, so Bob's team is used
	// until the remembered team queues are restored.
	before := builder.Build(loaded)
	loaded.RestoreTeamQueues(live.TeamQueues())
	after := builder.Build(loaded)

	if got := before.InProgress[0].TeamCode; got != "billing" {
		t.Errorf("team before RestoreTeamQueues = %q, want %q of the representative", got, "billing")
	}
	if got := after.InProgress[0].TeamCode; got != "tech" {
		t.Errorf("team after RestoreTeamQueues = %q, want %q of the queue it waited in", got, "tech")
	}
	if diff := cmp.Diff(builder.Build(live), after); diff != "" {
		t.Errorf("Build() after RestoreTeamQueues mismatch (-live +loaded):\n%s", diff)
	}
}

func TestBuildEmptyModel(t *testing.T) {
	got := view.NewBuilder(view.Settings{}).Build(state.NewModel())

	if diff := cmp.Diff(&view.Board{}, got); diff != "" {
		t.Errorf("Build() mismatch (-want +got):\n%s", diff)
	}
}

func TestBuildSessionDetails(t *testing.T) {
	m := modelOf(t, `{"type":"model_update","insert":{
		"queue":{"3":{"name":"Tech","code_name":"tech","type":"team"}},
		"representative":{
			"4":{"username":"zed","public_display_name":"Zed"},
			"5":{"username":"amy","public_display_name":"Amy"}},
		"support_session":{"21":{"queue_id":3,"created_timestamp":10}},
		"representative_support_session":{
			"40":{"support_session_id":21,"representative_id":4},
			"41":{"support_session_id":21,"representative_id":5},
			"42":{"support_session_id":21,"representative_id":99}},
		"customer_client":{
			"33":{"support_session_id":21,"client_type":"rdp"},
			"31":{"support_session_id":21,"client_type":"web_chat"},
			"32":{"support_session_id":21,"client_type":"desktop"}}}}`)

	board := view.NewBuilder(view.Settings{}).Build(m)

	if len(board.InProgress) != 1 {
		t.Fatalf("InProgress = %+v, want one session", board.InProgress)
	}
	got := board.InProgress[0]
	// Representatives are sorted by name, a link to a representative not
	// in the model adds no name, and the first customer client stands for
	// the session.
	if diff := cmp.Diff([]string{"Amy", "Zed"}, got.Reps); diff != "" {
		t.Errorf("Reps mismatch (-want +got):\n%s", diff)
	}
	if got.ClientType != "web_chat" {
		t.Errorf("ClientType = %q, want %q of the lowest client id", got.ClientType, "web_chat")
	}
	sessions := map[string]int{}
	for _, r := range board.Reps {
		sessions[r.Username] = r.Sessions
	}
	if diff := cmp.Diff(map[string]int{"amy": 1, "zed": 1}, sessions); diff != "" {
		t.Errorf("sessions per representative mismatch (-want +got):\n%s", diff)
	}
}

func TestBuildSortingIsStable(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"type":"model_update","insert":{"queue":{"3":{"name":"Tech","code_name":"tech","type":"team"},` +
		`"5":{"name":"tech","code_name":"tech2","type":"team"},"7":{"name":"TECH","code_name":"tech3","type":"team"}},` +
		`"representative":{`)
	for i := 1; i <= 30; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		name := []string{"bob", "Bob", "BOB"}[i%3]
		fmt.Fprintf(&b, `"%d":{"public_display_name":%q}`, i, name)
	}
	b.WriteString(`},"support_session":{`)
	for i := 1; i <= 30; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":{"queue_id":3,"queue_entry_timestamp":%d,"created_timestamp":%d}`, i, 100+i%2, 50+i%3)
	}
	b.WriteString(`},"representative_support_session":{`)
	for i := 11; i <= 30; i++ {
		if i > 11 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":{"support_session_id":%d,"representative_id":1}`, i, i)
	}
	b.WriteString(`}}}`)
	m := modelOf(t, b.String())
	builder := view.NewBuilder(view.Settings{})

	first := builder.Build(m)

	// Equal names sort by id, equal entry and start times by session id.
	for i := 1; i < len(first.Reps); i++ {
		if first.Reps[i-1].ID > first.Reps[i].ID {
			t.Errorf("Reps[%d].ID = %d before Reps[%d].ID = %d, want ascending ids for equal names",
				i-1, first.Reps[i-1].ID, i, first.Reps[i].ID)
		}
	}
	var queueIDs []int64
	for _, q := range first.Queues {
		queueIDs = append(queueIDs, q.ID)
	}
	if diff := cmp.Diff([]int64{3, 5, 7}, queueIDs); diff != "" {
		t.Errorf("queue order mismatch (-want +got):\n%s", diff)
	}
	for i := 1; i < len(first.Waiting); i++ {
		prev, cur := first.Waiting[i-1], first.Waiting[i]
		if prev.Entered > cur.Entered || (prev.Entered == cur.Entered && prev.ID > cur.ID) {
			t.Errorf("Waiting[%d] (entered %d, id %d) before Waiting[%d] (entered %d, id %d), want longest wait first, then id",
				i-1, prev.Entered, prev.ID, i, cur.Entered, cur.ID)
		}
	}
	for i := 1; i < len(first.InProgress); i++ {
		prev, cur := first.InProgress[i-1], first.InProgress[i]
		if prev.Started > cur.Started || (prev.Started == cur.Started && prev.ID > cur.ID) {
			t.Errorf("InProgress[%d] (started %d, id %d) before InProgress[%d] (started %d, id %d), want earliest start first, then id",
				i-1, prev.Started, prev.ID, i, cur.Started, cur.ID)
		}
	}
	for run := range 20 {
		if diff := cmp.Diff(first, builder.Build(m)); diff != "" {
			t.Fatalf("Build() run %d differs from the first (-first +later):\n%s", run+2, diff)
		}
	}
}

func TestBuilderSettings(t *testing.T) {
	settings := view.Settings{AllowedTeams: []string{"tech"}, RepNameFormat: view.NameUsername}

	got := view.NewBuilder(settings).Settings()

	if diff := cmp.Diff(settings, got); diff != "" {
		t.Errorf("Settings() mismatch (-want +got):\n%s", diff)
	}
}
