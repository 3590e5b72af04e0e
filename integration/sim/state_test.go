package sim_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/integration/sim"
)

func TestStateRejectsMissingSubprotocol(t *testing.T) {
	s, _ := startSim(t, nil)
	_, resp, err := dialState(t, s)
	if err == nil {
		t.Fatal("dial without subprotocol succeeded, want rejection")
	}
	if resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("response = %v, want status 400", resp)
	}
}

func TestHandshakeSnapshotEqualsModel(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) { cfg.Scenario = sim.SmallOffice() })
	c := mustDialState(t, s)
	snapshot := c.handshake(token(t, s))

	if snapshot.Update != nil || snapshot.Delete != nil {
		t.Errorf("snapshot has update or delete parts: %+v", snapshot)
	}
	if diff := cmp.Diff(decodeModel(t, s.ModelJSON()), clientModel(snapshot.Insert)); diff != "" {
		t.Errorf("snapshot differs from ModelJSON (-model +snapshot):\n%s", diff)
	}
	if len(snapshot.Insert) != len(sim.AllTables) {
		t.Errorf("snapshot has %d tables, want %d", len(snapshot.Insert), len(sim.AllTables))
	}
	if c.binary != c.frames || c.frames == 0 {
		t.Errorf("%d of %d server frames were binary, want all", c.binary, c.frames)
	}
	for _, table := range []string{"queue", "representative", "support_session", "customer_client", "representative_support_session"} {
		if len(snapshot.Insert[table]) == 0 {
			t.Errorf("snapshot table %s is empty, want a populated site", table)
		}
	}
}

func TestSubscribeTableList(t *testing.T) {
	s, _ := startSim(t, nil)
	c := mustDialState(t, s)
	c.sendText(`{"type":"authenticate","credentials":{"bearer_token":"` + token(t, s) + `"}}` + "\n")
	c.mustMessage()
	c.sendText(`{"type":"subscribe","tables":["queue","representative"]}` + "\n")
	if m := c.mustMessage(); m.Success == nil || !*m.Success {
		t.Fatalf("subscribe reply = %+v, want success", m)
	}
	snapshot := c.mustMessage()
	var tables []string
	for table := range snapshot.Insert {
		tables = append(tables, table)
	}
	slices.Sort(tables)
	if diff := cmp.Diff([]string{"queue", "representative"}, tables); diff != "" {
		t.Errorf("snapshot tables (-want +got):\n%s", diff)
	}
}

func TestSubscribeUnknownTable(t *testing.T) {
	s, _ := startSim(t, nil)
	c := mustDialState(t, s)
	c.sendText(`{"type":"authenticate","credentials":{"bearer_token":"` + token(t, s) + `"}}` + "\n" +
		`{"type":"subscribe","tables":["queue","no_such_table"]}` + "\n")
	c.mustMessage()
	m := c.mustMessage()
	if m.Type != "subscribe_response" || m.Success == nil || *m.Success {
		t.Errorf("reply = %+v, want subscribe_response with success false", m)
	}
	if _, err := c.line(); err == nil {
		t.Error("socket still open after a failed subscribe")
	}
}

func TestAuthenticateBadToken(t *testing.T) {
	s, _ := startSim(t, nil)
	c := mustDialState(t, s)
	c.sendText(`{"type":"authenticate","credentials":{"bearer_token":"wrong"}}` + "\n")
	m := c.mustMessage()
	if m.Type != "authenticate_response" || m.Success == nil || *m.Success || m.Message == "" {
		t.Errorf("reply = %+v, want authenticate_response, success false and a message", m)
	}
	if _, err := c.line(); err == nil {
		t.Error("socket still open after failed authentication")
	}
}

func TestLegacyApplicationChooser(t *testing.T) {
	s, _ := startSim(t, nil)
	c := mustDialState(t, s)
	c.sendText("NS01" + testCompany + "\ningredi state api\n")
	if got := c.mustLine(); got != "0 Application chosen" {
		t.Errorf("chooser reply = %q, want %q", got, "0 Application chosen")
	}
	c.handshake(token(t, s))

	wrong := mustDialState(t, s)
	wrong.sendText("NS01othercompany\ningredi state api\n")
	if got := wrong.mustLine(); got != "1 Unknown application" {
		t.Errorf("chooser reply for wrong company = %q, want %q", got, "1 Unknown application")
	}
	if _, err := wrong.line(); err == nil {
		t.Error("socket still open after unknown application")
	}
}

// onlyKey returns the id of the only row in rows and fails the test when
// rows does not contain exactly one row.
func onlyKey(t *testing.T, rows map[string]map[string]any, label string) string {
	t.Helper()
	if len(rows) != 1 {
		t.Fatalf("%s has %d rows, want 1: %v", label, len(rows), rows)
	}
	for id := range rows {
		return id
	}
	return ""
}

func TestSessionLifecycleUpdates(t *testing.T) {
	s, clock := startSim(t, nil)
	c := mustDialState(t, s)
	model := clientModel(c.handshake(token(t, s)).Insert)
	team := s.Teams()[0]
	rep := s.Reps()[0]

	// AddCustomer: one insert of the session and its customer client.
	sessionID, lsid := s.AddCustomer(sim.Customer{Name: "Jane Roe", Company: "ACME", TeamCodeName: team.CodeName})
	if sessionID == 0 {
		t.Fatal("AddCustomer returned session id 0")
	}
	s.Flush()
	added := c.mustMessage()
	model.apply(t, added)
	key := strconv.FormatInt(sessionID, 10)
	if id := onlyKey(t, added.Insert["support_session"], "insert.support_session"); id != key {
		t.Errorf("inserted session id = %s, want %s", id, key)
	}
	session := added.Insert["support_session"][key]
	if session["lsid"] != lsid || len(lsid) != 32 {
		t.Errorf("lsid = %v, want %q (32 hex digits)", session["lsid"], lsid)
	}
	if session["queue_id"] != float64(team.QueueID) {
		t.Errorf("queue_id = %v, want team queue %d", session["queue_id"], team.QueueID)
	}
	if session["queue_entry_timestamp"] != float64(testStart.Unix()) {
		t.Errorf("queue_entry_timestamp = %v, want %d", session["queue_entry_timestamp"], testStart.Unix())
	}
	clientID := onlyKey(t, added.Insert["customer_client"], "insert.customer_client")
	if got := added.Insert["customer_client"][clientID]["support_session_id"]; got != float64(sessionID) {
		t.Errorf("customer_client.support_session_id = %v, want %d", got, sessionID)
	}

	// Pickup: the session update carries only the changed columns.
	pickedAt := clock.Advance(45 * time.Second)
	if err := s.Pickup(sessionID, rep.ID); err != nil {
		t.Fatalf("Pickup: %v", err)
	}
	s.Flush()
	picked := c.mustMessage()
	model.apply(t, picked)
	personalQueue := model["representative"][strconv.FormatInt(rep.ID, 10)]["queue_id"]
	wantUpdate := map[string]any{"queue_id": personalQueue, "queue_entry_timestamp": float64(pickedAt.Unix())}
	if diff := cmp.Diff(wantUpdate, picked.Update["support_session"][key]); diff != "" {
		t.Errorf("support_session update (-want +got):\n%s", diff)
	}
	rssID := onlyKey(t, picked.Insert["representative_support_session"], "insert.representative_support_session")
	wantLink := map[string]any{
		"support_session_id": float64(sessionID),
		"representative_id":  float64(rep.ID),
		"created_timestamp":  float64(pickedAt.Unix()),
	}
	if diff := cmp.Diff(wantLink, picked.Insert["representative_support_session"][rssID]); diff != "" {
		t.Errorf("representative_support_session insert (-want +got):\n%s", diff)
	}

	// EndSession: one message deletes the session, its client and its rep link.
	if err := s.EndSession(sessionID); err != nil {
		t.Fatalf("EndSession: %v", err)
	}
	s.Flush()
	ended := c.mustMessage()
	model.apply(t, ended)
	wantDelete := map[string][]any{
		"customer_client":                {clientID},
		"representative_support_session": {rssID},
		"support_session":                {key},
	}
	if diff := cmp.Diff(wantDelete, ended.Delete); diff != "" {
		t.Errorf("delete part (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(decodeModel(t, s.ModelJSON()), model); diff != "" {
		t.Errorf("client model differs from ModelJSON (-model +client):\n%s", diff)
	}
}

func TestControlErrors(t *testing.T) {
	s, _ := startSim(t, nil)
	rep := s.Reps()[0]
	if err := s.Pickup(999999, rep.ID); err == nil {
		t.Error("Pickup of an unknown session succeeded")
	}
	sessionID, _ := s.AddCustomer(sim.Customer{})
	if err := s.Pickup(sessionID, 999999); err == nil {
		t.Error("Pickup by an unknown rep succeeded")
	}
	if err := s.Pickup(sessionID, rep.ID); err != nil {
		t.Fatalf("Pickup: %v", err)
	}
	if err := s.Pickup(sessionID, rep.ID); err == nil {
		t.Error("second Pickup of the same session succeeded")
	}
	if err := s.EndSession(999999); err == nil {
		t.Error("EndSession of an unknown session succeeded")
	}
	if err := s.LogoutRep(999999); err == nil {
		t.Error("LogoutRep of an unknown rep succeeded")
	}
	if id, lsid := s.AddCustomer(sim.Customer{TeamCodeName: "no_such_team"}); id != 0 || lsid != "" {
		t.Errorf("AddCustomer to an unknown team = (%d, %q), want (0, \"\")", id, lsid)
	}
}

func TestLoginLogoutRep(t *testing.T) {
	s, _ := startSim(t, nil)
	c := mustDialState(t, s)
	model := clientModel(c.handshake(token(t, s)).Insert)
	teams := s.Teams()

	repID := s.LoginRep(sim.Rep{Username: "bob", PublicName: "Bob", TeamCodeNames: []string{teams[0].CodeName, teams[1].CodeName}})
	s.Flush()
	login := c.mustMessage()
	model.apply(t, login)
	rep := login.Insert["representative"][strconv.FormatInt(repID, 10)]
	if rep["username"] != "bob" {
		t.Fatalf("representative insert = %v, want username bob", rep)
	}
	personal := login.Insert["queue"][strconv.FormatFloat(rep["queue_id"].(float64), 'f', 0, 64)]
	if personal["type"] != "personal" || personal["support_team_id"] != float64(0) {
		t.Errorf("personal queue = %v, want type personal and support_team_id 0", personal)
	}
	if got := len(login.Insert["representative_queue"]); got != 2 {
		t.Errorf("representative_queue inserts = %d, want 2", got)
	}
	for _, flag := range []string{"routing_available", "routing_busy", "routing_idle", "routing_enabled"} {
		if _, isNumber := rep[flag].(float64); !isNumber {
			t.Errorf("%s = %#v, want a 1/0 number", flag, rep[flag])
		}
	}

	sessionID, _ := s.AddCustomer(sim.Customer{TeamCodeName: teams[0].CodeName})
	if err := s.Pickup(sessionID, repID); err != nil {
		t.Fatal(err)
	}
	if err := s.LogoutRep(repID); err != nil {
		t.Fatalf("LogoutRep: %v", err)
	}
	s.Flush()
	model.apply(t, c.mustMessage())
	if _, ok := model["representative"][strconv.FormatInt(repID, 10)]; ok {
		t.Error("representative row still present after LogoutRep")
	}
	session := model["support_session"][strconv.FormatInt(sessionID, 10)]
	if session["queue_id"] != float64(teams[0].QueueID) {
		t.Errorf("session queue after owner logout = %v, want team queue %d", session["queue_id"], teams[0].QueueID)
	}
	if diff := cmp.Diff(decodeModel(t, s.ModelJSON()), model); diff != "" {
		t.Errorf("client model differs from ModelJSON (-model +client):\n%s", diff)
	}
}

func TestFramingSwitches(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) {
		cfg.Protocol.SplitFrameSize = 7
		cfg.Protocol.UseUpdateModelType = true
	})
	c := mustDialState(t, s)
	c.sendText(`{"type":"authenticate","credentials":{"bearer_token":"` + token(t, s) + `"}}` + "\n" +
		`{"type":"subscribe","tables":"all"}` + "\n")
	c.mustMessage()
	c.mustMessage()
	var snapshot message
	if err := json.Unmarshal([]byte(c.mustLine()), &snapshot); err != nil {
		t.Fatal(err)
	}
	if snapshot.Type != "update_model" {
		t.Errorf("snapshot type = %q, want update_model", snapshot.Type)
	}
	if c.frames < 10 {
		t.Errorf("received %d frames, want many 7-byte frames", c.frames)
	}

	packed, _ := startSim(t, func(cfg *sim.Config) { cfg.Protocol.PackMessages = 3 })
	p := mustDialState(t, packed)
	// Stall the socket so that the authenticate and subscribe replies and
	// the snapshot are all queued when the writer packs them; without the
	// stall the writer may send the first reply before the rest exist.
	for deadline := time.Now().Add(5 * time.Second); packed.ConnectionCount() != 1; {
		if time.Now().After(deadline) {
			t.Fatal("the state socket never registered")
		}
		time.Sleep(5 * time.Millisecond)
	}
	packed.Stall(300 * time.Millisecond)
	p.sendText(`{"type":"authenticate","credentials":{"bearer_token":"` + token(t, packed) + `"}}` + "\n" +
		`{"type":"subscribe","tables":"all"}` + "\n")
	for range 3 {
		p.mustLine()
	}
	if p.frames >= 3 {
		t.Errorf("3 messages arrived in %d frames, want packing into fewer", p.frames)
	}
}

func TestTruncateAndResetModel(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) { cfg.Scenario = sim.SmallOffice() })
	c := mustDialState(t, s)
	before := clientModel(c.handshake(token(t, s)).Insert)

	s.TruncateModel()
	if m := c.mustMessage(); m.Type != "truncate_model" {
		t.Fatalf("message = %q, want truncate_model", m.Type)
	}
	again := clientModel(c.mustMessage().Insert)
	if diff := cmp.Diff(before, again); diff != "" {
		t.Errorf("full insert after truncate differs (-before +after):\n%s", diff)
	}

	s.ResetModel()
	if m := c.mustMessage(); m.Type != "truncate_model" {
		t.Fatalf("message = %q, want truncate_model", m.Type)
	}
	reset := clientModel(c.mustMessage().Insert)
	if diff := cmp.Diff(decodeModel(t, s.ModelJSON()), reset); diff != "" {
		t.Errorf("insert after reset differs from ModelJSON (-model +client):\n%s", diff)
	}
	for table, rows := range reset {
		if len(rows) != len(before[table]) {
			t.Errorf("%s: %d rows after reset, want %d", table, len(rows), len(before[table]))
		}
		for id := range rows {
			for _, oldRows := range before {
				if _, reused := oldRows[id]; reused {
					t.Errorf("%s: id %s reused after reset", table, id)
				}
			}
		}
	}
}

func TestConnectionLimit(t *testing.T) {
	s, _ := startSim(t, func(cfg *sim.Config) { cfg.Protocol.MaxConnections = 2 })
	mustDialState(t, s)
	mustDialState(t, s)
	_, resp, err := dialState(t, s, "ingredi state api")
	if err == nil {
		t.Fatal("third connection accepted, want rejection at MaxConnections 2")
	}
	if resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("response = %v, want status 503", resp)
	}
}

func TestDropConnections(t *testing.T) {
	s, _ := startSim(t, nil)
	c := mustDialState(t, s)
	c.handshake(token(t, s))
	s.DropConnections()
	_, err := c.line()
	if err == nil || !strings.Contains(err.Error(), "dropped") {
		t.Errorf("read after DropConnections: err = %v, want a close", err)
	}
}
