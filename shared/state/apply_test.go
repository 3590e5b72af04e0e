package state_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/state"
)

type rows = map[string]map[string]any

func TestApplyInsertUpdateDeleteTogether(t *testing.T) {
	m := modelOf(t, insertLine(`{"support_session":{
		"21":{"customer_name":"Jane","queue_id":3},
		"22":{"customer_name":"Joe","queue_id":3}}}`))

	res := apply(t, m, `{"type":"model_update",
		"insert":{"support_session":{"23":{"customer_name":"Kim","queue_id":3}}},
		"update":{"support_session":{"21":{"customer_name":"Jane Doe"}}},
		"delete":{"support_session":["22"]}}`)

	want := rows{
		"21": {"customer_name": "Jane Doe", "queue_id": json.Number("3")},
		"23": {"customer_name": "Kim", "queue_id": json.Number("3")},
	}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableSupportSession)); diff != "" {
		t.Errorf("support_session rows mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(state.Result{Inserted: 1, Updated: 1, Deleted: 1}, res); diff != "" {
		t.Errorf("Apply result mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyUpdateAfterInsertInOneMessage(t *testing.T) {
	m := state.NewModel()

	res := apply(t, m, `{"type":"model_update",
		"update":{"queue":{"3":{"name":"Tech Support"}}},
		"insert":{"queue":{"3":{"name":"Tech","code_name":"tech"}}}}`)

	want := rows{"3": {"name": "Tech Support", "code_name": "tech"}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableQueue)); diff != "" {
		t.Errorf("queue rows mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(state.Result{Inserted: 1, Updated: 1}, res); diff != "" {
		t.Errorf("Apply result mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyInsertAndDeleteLeavesNothing(t *testing.T) {
	m := state.NewModel()

	res := apply(t, m, `{"type":"model_update",
		"delete":{"customer_client":["30"],"support_session":[21]},
		"update":{"support_session":{"21":{"queue_id":9}}},
		"insert":{"customer_client":{"30":{"support_session_id":21}},
			"support_session":{"21":{"queue_id":3}}}}`)

	if got := m.Rows(); got != 0 {
		t.Errorf("Rows() = %d after insert and delete in one message, want 0", got)
	}
	if diff := cmp.Diff(state.Result{Inserted: 2, Updated: 1, Deleted: 2}, res); diff != "" {
		t.Errorf("Apply result mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyPartialUpdateMerges(t *testing.T) {
	m := modelOf(t, insertLine(`{"representative":{"4":{
		"username":"bob","public_display_name":"Bob","routing_available":1,
		"routing_busy":0,"queue_id":9}}}`))

	res := apply(t, m, updateLine(`{"representative":{"4":{"routing_busy":1}}}`))

	want := rows{"4": {
		"username":            "bob",
		"public_display_name": "Bob",
		"routing_available":   json.Number("1"),
		"routing_busy":        json.Number("1"),
		"queue_id":            json.Number("9"),
	}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableRepresentative)); diff != "" {
		t.Errorf("representative rows mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(state.Result{Updated: 1}, res); diff != "" {
		t.Errorf("Apply result mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyInsertOfExistingIDMerges(t *testing.T) {
	m := modelOf(t, insertLine(`{"queue":{"3":{"name":"Tech","type":"team"}}}`))

	res := apply(t, m, insertLine(`{"queue":{"3":{"name":"Tech Support","code_name":"tech"}}}`))

	want := rows{"3": {"name": "Tech Support", "type": "team", "code_name": "tech"}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableQueue)); diff != "" {
		t.Errorf("queue rows mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(state.Result{Inserted: 1}, res); diff != "" {
		t.Errorf("Apply result mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyUpdateOfUnknownIDIgnored(t *testing.T) {
	m := modelOf(t, insertLine(`{"representative":{"3":{"username":"ann"}}}`))

	res := apply(t, m, updateLine(`{"representative":{"4":{"routing_busy":1},"3":{"routing_busy":1}}}`))

	want := rows{"3": {"username": "ann", "routing_busy": json.Number("1")}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableRepresentative)); diff != "" {
		t.Errorf("representative rows mismatch (-want +got):\n%s", diff)
	}
	wantAnomalies := []anomaly{{Kind: state.UpdateUnknownID, Table: state.TableRepresentative, ID: "4"}}
	if diff := cmp.Diff(wantAnomalies, anomaliesOf(res)); diff != "" {
		t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
	}
	if res.Updated != 1 {
		t.Errorf("Updated = %d, want 1 (the known row only)", res.Updated)
	}
	if r := m.Representatives.Get(4); r != nil {
		t.Errorf("Representatives.Get(4) = %+v, want no row made from an update", r)
	}
}

func TestApplyDeleteOfUnknownID(t *testing.T) {
	m := modelOf(t, insertLine(`{"queue":{"3":{"name":"Tech"}}}`))

	res := apply(t, m, deleteLine(`{"queue":["5"]}`))

	want := rows{"3": {"name": "Tech"}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableQueue)); diff != "" {
		t.Errorf("queue rows mismatch (-want +got):\n%s", diff)
	}
	wantAnomalies := []anomaly{{Kind: state.DeleteUnknownID, Table: state.TableQueue, ID: "5"}}
	if diff := cmp.Diff(wantAnomalies, anomaliesOf(res)); diff != "" {
		t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
	}
	if res.Deleted != 0 {
		t.Errorf("Deleted = %d, want 0", res.Deleted)
	}
}

func TestApplyDeletedIDReused(t *testing.T) {
	tests := []struct {
		name  string
		after string
	}{
		{"insert", insertLine(`{"support_session":{"21":{"customer_name":"Ghost"}}}`)},
		{"update", updateLine(`{"support_session":{"21":{"customer_name":"Ghost"}}}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := modelOf(t,
				insertLine(`{"support_session":{"21":{"customer_name":"Jane"}}}`),
				deleteLine(`{"support_session":["21"]}`))

			res := apply(t, m, tt.after)

			if got := m.SupportSessions.Get(21); got != nil {
				t.Errorf("SupportSessions.Get(21) = %+v after a late %s of a deleted id, want nil", got, tt.name)
			}
			wantAnomalies := []anomaly{{Kind: state.DeletedIDReused, Table: state.TableSupportSession, ID: "21"}}
			if diff := cmp.Diff(wantAnomalies, anomaliesOf(res)); diff != "" {
				t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
			}
			if got := res.Changes(); got != 0 {
				t.Errorf("Changes() = %d, want 0", got)
			}
		})
	}
}

func TestApplyDeleteBeforeInsertDropsInsert(t *testing.T) {
	// A delete that overtakes its insert still wins.
	m := modelOf(t, deleteLine(`{"customer_client":[30]}`))

	res := apply(t, m, insertLine(`{"customer_client":{"30":{"hostname":"JANE-PC"}}}`))

	if got := m.CustomerClients.Len(); got != 0 {
		t.Errorf("CustomerClients.Len() = %d, want 0", got)
	}
	wantAnomalies := []anomaly{{Kind: state.DeletedIDReused, Table: state.TableCustomerClient, ID: "30"}}
	if diff := cmp.Diff(wantAnomalies, anomaliesOf(res)); diff != "" {
		t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyTombstonesArePerTable(t *testing.T) {
	m := modelOf(t,
		insertLine(`{"queue":{"5":{"name":"Old"}}}`),
		deleteLine(`{"queue":["5"]}`))

	res := apply(t, m, insertLine(`{"representative":{"5":{"username":"ann"}}}`))

	if len(res.Anomalies) != 0 {
		t.Errorf("anomalies = %v, want none", res.Anomalies)
	}
	if m.Representatives.Get(5) == nil {
		t.Errorf("Representatives.Get(5) = nil, want the row inserted after queue 5 was deleted")
	}
}

func TestApplyRowIDForms(t *testing.T) {
	tests := []struct {
		key     string
		wantIDs []int64
		want    []anomaly
	}{
		{key: "17", wantIDs: []int64{17}},
		{key: "017", wantIDs: []int64{17}},
		{key: "9223372036854775807", wantIDs: []int64{9223372036854775807}},
		{key: "1e3", wantIDs: []int64{1000}},
		{key: "-5", want: []anomaly{{Kind: state.InvalidID, Table: state.TableQueue, ID: "-5"}}},
		{key: "0", want: []anomaly{{Kind: state.InvalidID, Table: state.TableQueue, ID: "0"}}},
		{key: "abc", want: []anomaly{{Kind: state.InvalidID, Table: state.TableQueue, ID: "abc"}}},
		{key: "1.5", want: []anomaly{{Kind: state.InvalidID, Table: state.TableQueue, ID: "1.5"}}},
		{key: "", want: []anomaly{{Kind: state.InvalidID, Table: state.TableQueue, ID: ""}}},
		{key: " 17 ", wantIDs: []int64{17}},
		{key: "1 7", want: []anomaly{{Kind: state.InvalidID, Table: state.TableQueue, ID: "1 7"}}},
		{key: "99999999999999999999", want: []anomaly{{Kind: state.InvalidID, Table: state.TableQueue, ID: "99999999999999999999"}}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.key), func(t *testing.T) {
			m := state.NewModel()
			key, _ := json.Marshal(tt.key)

			res := apply(t, m, insertLine(`{"queue":{`+string(key)+`:{"name":"Q"}}}`))

			if diff := cmp.Diff(tt.wantIDs, m.Queues.IDs(), cmpEmptyIsNil); diff != "" {
				t.Errorf("queue ids mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, anomaliesOf(res)); diff != "" {
				t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// cmpEmptyIsNil treats an empty slice of ids like a nil one.
var cmpEmptyIsNil = cmp.FilterValues(func(x, y []int64) bool {
	return len(x) == 0 && len(y) == 0
}, cmp.Ignore())

func TestApplyDeleteIDForms(t *testing.T) {
	tests := []struct {
		id          string
		wantDeleted bool
		wantInvalid string // the anomaly's id when the id is rejected
	}{
		{id: `17`, wantDeleted: true},
		{id: `"17"`, wantDeleted: true},
		{id: `"017"`, wantDeleted: true},
		{id: `17.0`, wantDeleted: true},
		{id: `1.7e1`, wantDeleted: true},
		{id: `-17`, wantInvalid: `-17`},
		{id: `"-17"`, wantInvalid: `"-17"`},
		{id: `"x"`, wantInvalid: `"x"`},
		{id: `null`, wantInvalid: `null`},
		{id: `true`, wantInvalid: `true`},
		{id: `[17]`, wantInvalid: `[17]`},
		{id: `{}`, wantInvalid: `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			m := modelOf(t, insertLine(`{"queue":{"17":{"name":"Q"}}}`))

			res := apply(t, m, deleteLine(`{"queue":[`+tt.id+`]}`))

			if got := m.Queues.Get(17) == nil; got != tt.wantDeleted {
				t.Errorf("queue 17 deleted = %t, want %t", got, tt.wantDeleted)
			}
			var want []anomaly
			if !tt.wantDeleted {
				want = []anomaly{{Kind: state.InvalidID, Table: state.TableQueue, ID: tt.wantInvalid}}
			}
			if diff := cmp.Diff(want, anomaliesOf(res)); diff != "" {
				t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyForeignKeyForms(t *testing.T) {
	tests := []struct {
		value string
		want  int64
	}{
		{`21`, 21},
		{`"21"`, 21},
		{`"021"`, 21},
		{`2.1e1`, 21},
		{`-3`, -3},
		{`null`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			m := modelOf(t, insertLine(`{"customer_client":{"30":{"support_session_id":5}}}`))

			res := apply(t, m, updateLine(`{"customer_client":{"30":{"support_session_id":`+tt.value+`}}}`))

			if len(res.Anomalies) != 0 {
				t.Errorf("anomalies = %v, want none", res.Anomalies)
			}
			if got := m.CustomerClients.Get(30).SupportSessionID; got != tt.want {
				t.Errorf("SupportSessionID = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestApplyBooleanForms(t *testing.T) {
	tests := []struct {
		value string
		want  bool
	}{
		{`1`, true},
		{`0`, false},
		{`true`, true},
		{`false`, false},
		{`"1"`, true},
		{`"0"`, false},
		{`"true"`, true},
		{`"false"`, false},
		{`null`, false},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			m := modelOf(t, insertLine(fmt.Sprintf(`{"representative":{"4":{"routing_busy":%t}}}`, !tt.want)))

			res := apply(t, m, updateLine(`{"representative":{"4":{"routing_busy":`+tt.value+`}}}`))

			if len(res.Anomalies) != 0 {
				t.Errorf("anomalies = %v, want none", res.Anomalies)
			}
			if got := m.Representatives.Get(4).RoutingBusy; got != tt.want {
				t.Errorf("RoutingBusy = %t, want %t", got, tt.want)
			}
		})
	}
}

func TestApplyNullValues(t *testing.T) {
	m := modelOf(t, insertLine(`{"support_session":{"21":{
		"customer_name":"Jane","queue_id":3,"priority":2}}}`))

	res := apply(t, m, updateLine(`{"support_session":{"21":{
		"customer_name":null,"queue_id":null,"priority":null}}}`))

	if len(res.Anomalies) != 0 {
		t.Errorf("anomalies = %v, want none", res.Anomalies)
	}
	want := rows{"21": {
		"customer_name": "",
		"queue_id":      json.Number("0"),
		"priority":      json.Number("0"),
	}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableSupportSession)); diff != "" {
		t.Errorf("support_session rows mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyInvalidValueKeepsOldValue(t *testing.T) {
	tests := []struct {
		column string
		value  string
	}{
		{"customer_name", `5`},
		{"customer_name", `true`},
		{"customer_name", `{"first":"Jane"}`},
		{"customer_name", `["Jane"]`},
		{"queue_id", `"three"`},
		{"queue_id", `3.5`},
		{"queue_id", `true`},
		{"queue_id", `[3]`},
		{"priority", `"high"`},
		{"priority", `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.column+"="+tt.value, func(t *testing.T) {
			m := modelOf(t, insertLine(`{"support_session":{"21":{
				"customer_name":"Jane","queue_id":3,"priority":2}}}`))

			res := apply(t, m, updateLine(`{"support_session":{"21":{
				"`+tt.column+`":`+tt.value+`,"customer_company":"ACME"}}}`))

			want := rows{"21": {
				"customer_name":    "Jane",
				"queue_id":         json.Number("3"),
				"priority":         json.Number("2"),
				"customer_company": "ACME",
			}}
			if diff := cmp.Diff(want, rowsOf(t, m, state.TableSupportSession)); diff != "" {
				t.Errorf("support_session rows mismatch (-want +got):\n%s", diff)
			}
			wantAnomalies := []anomaly{{Kind: state.InvalidValue, Table: state.TableSupportSession, ID: "21", Column: tt.column}}
			if diff := cmp.Diff(wantAnomalies, anomaliesOf(res)); diff != "" {
				t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyInvalidBooleanKeepsOldValue(t *testing.T) {
	for _, value := range []string{`2`, `-1`, `"yes"`, `"TRUE"`, `[1]`, `{}`} {
		t.Run(value, func(t *testing.T) {
			m := modelOf(t, insertLine(`{"representative":{"4":{"routing_busy":1}}}`))

			res := apply(t, m, updateLine(`{"representative":{"4":{"routing_busy":`+value+`}}}`))

			if !m.Representatives.Get(4).RoutingBusy {
				t.Errorf("RoutingBusy = false after the invalid value %s, want the old value true", value)
			}
			wantAnomalies := []anomaly{{Kind: state.InvalidValue, Table: state.TableRepresentative, ID: "4", Column: "routing_busy"}}
			if diff := cmp.Diff(wantAnomalies, anomaliesOf(res)); diff != "" {
				t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApplyUnknownTable(t *testing.T) {
	m := state.NewModel()

	res := apply(t, m, `{"type":"model_update",
		"insert":{"mystery":{"1":{"a":1}},"queue":{"3":{"name":"Tech"}}},
		"update":{"other":{"2":{}}},
		"delete":{"gone":[1],"queue":["9"]}}`)

	wantAnomalies := []anomaly{
		{Kind: state.DeleteUnknownID, Table: state.TableQueue, ID: "9"},
		{Kind: state.UnknownTable, Table: "gone"},
		{Kind: state.UnknownTable, Table: "mystery"},
		{Kind: state.UnknownTable, Table: "other"},
	}
	if diff := cmp.Diff(wantAnomalies, anomaliesOf(res)); diff != "" {
		t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
	}
	want := rows{"3": {"name": "Tech"}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableQueue)); diff != "" {
		t.Errorf("queue rows mismatch (-want +got):\n%s", diff)
	}
	if strings.Contains(string(m.AppendJSON(nil)), "mystery") {
		t.Errorf("AppendJSON() = %s, want no unknown table", m.AppendJSON(nil))
	}
}

func TestApplyUnknownColumnKept(t *testing.T) {
	m := state.NewModel()

	res := apply(t, m, insertLine(`{"queue":{"3":{"name":"Tech","color":"blue","weight":{"a":[1,2.50]}}}}`))

	wantAnomalies := []anomaly{
		{Kind: state.UnknownColumn, Table: state.TableQueue, ID: "3", Column: "color"},
		{Kind: state.UnknownColumn, Table: state.TableQueue, ID: "3", Column: "weight"},
	}
	if diff := cmp.Diff(wantAnomalies, anomaliesOf(res)); diff != "" {
		t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
	}
	wantExtra := map[string]json.RawMessage{
		"color":  json.RawMessage(`"blue"`),
		"weight": json.RawMessage(`{"a":[1,2.50]}`),
	}
	if diff := cmp.Diff(wantExtra, m.Queues.Get(3).Extra); diff != "" {
		t.Errorf("Extra mismatch (-want +got):\n%s", diff)
	}
	wantJSON := `"queue":{"3":{"name":"Tech","color":"blue","weight":{"a":[1,2.50]}}}`
	if got := string(m.AppendJSON(nil)); !strings.Contains(got, wantJSON) {
		t.Errorf("AppendJSON() = %s, want it to contain %s", got, wantJSON)
	}

	// A later update of known columns keeps the unknown ones, and an update
	// of an unknown column replaces it.
	apply(t, m, updateLine(`{"queue":{"3":{"name":"Tech Support","color":"red"}}}`))

	want := rows{"3": {
		"name":   "Tech Support",
		"color":  "red",
		"weight": map[string]any{"a": []any{json.Number("1"), json.Number("2.50")}},
	}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableQueue)); diff != "" {
		t.Errorf("queue rows mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyOpaqueTablesKeepColumns(t *testing.T) {
	m := state.NewModel()

	res := apply(t, m, insertLine(`{
		"presentation_session":{"7":{"title":"Demo","open":1}},
		"attendee":{"8":{"presentation_session_id":7}},
		"presenter":{"9":{}}}`))

	if len(res.Anomalies) != 0 {
		t.Errorf("anomalies = %v, want none for tables with undocumented columns", res.Anomalies)
	}
	want := map[string]rows{
		state.TablePresentationSession: {"7": {"title": "Demo", "open": json.Number("1")}},
		state.TableAttendee:            {"8": {"presentation_session_id": json.Number("7")}},
		state.TablePresenter:           {"9": {}},
	}
	for table, wantRows := range want {
		if diff := cmp.Diff(wantRows, rowsOf(t, m, table)); diff != "" {
			t.Errorf("%s rows mismatch (-want +got):\n%s", table, diff)
		}
	}
}

func TestApplySectionNotObject(t *testing.T) {
	tests := []struct {
		name    string
		section string
		want    []anomaly
	}{
		{
			name:    "insert table is a number",
			section: `"insert":{"queue":5,"representative":{"4":{"username":"bob"}}}`,
			want:    []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue}},
		},
		{
			name:    "insert table is an array",
			section: `"insert":{"queue":[{"name":"Q"}],"representative":{"4":{"username":"bob"}}}`,
			want:    []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue}},
		},
		{
			name:    "insert row is a number",
			section: `"insert":{"queue":{"3":5},"representative":{"4":{"username":"bob"}}}`,
			want:    []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue, ID: "3"}},
		},
		{
			name:    "insert row is null",
			section: `"insert":{"queue":{"3":null},"representative":{"4":{"username":"bob"}}}`,
			want:    []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue, ID: "3"}},
		},
		{
			name:    "update row is an array",
			section: `"update":{"queue":{"3":["name"]}},"insert":{"representative":{"4":{"username":"bob"}}}`,
			want:    []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue, ID: "3"}},
		},
		{
			name:    "update table is a string",
			section: `"update":{"queue":"3"},"insert":{"representative":{"4":{"username":"bob"}}}`,
			want:    []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue}},
		},
		{
			name:    "delete table is an object",
			section: `"delete":{"queue":{"3":true}},"insert":{"representative":{"4":{"username":"bob"}}}`,
			want:    []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue}},
		},
		{
			name:    "delete table is a number",
			section: `"delete":{"queue":3},"insert":{"representative":{"4":{"username":"bob"}}}`,
			want:    []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue}},
		},
		{
			name:    "null tables are empty",
			section: `"insert":{"queue":null,"representative":{"4":{"username":"bob"}}},"update":{"queue":null},"delete":{"queue":null}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := modelOf(t, insertLine(`{"queue":{"3":{"name":"Tech"}}}`))

			res := apply(t, m, `{"type":"model_update",`+tt.section+`}`)

			if diff := cmp.Diff(tt.want, anomaliesOf(res)); diff != "" {
				t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(rows{"3": {"name": "Tech"}}, rowsOf(t, m, state.TableQueue)); diff != "" {
				t.Errorf("queue rows mismatch (-want +got):\n%s", diff)
			}
			if m.Representatives.Get(4) == nil {
				t.Errorf("Representatives.Get(4) = nil, want the valid table of the message applied")
			}
		})
	}
}

func TestApplySkillCodeNamesArray(t *testing.T) {
	m := state.NewModel()

	res := apply(t, m, insertLine(`{"representative":{"4":{"username":"bob","skill_code_names":["vpn","printers"]}}}`))

	if len(res.Anomalies) != 0 {
		t.Errorf("anomalies = %v, want none", res.Anomalies)
	}
	if got, want := m.Representatives.Get(4).SkillCodeNames, `["vpn","printers"]`; got != want {
		t.Errorf("SkillCodeNames = %q, want %q", got, want)
	}
	wantJSON := `"representative":{"4":{"username":"bob","skill_code_names":["vpn","printers"]}}`
	if got := string(m.AppendJSON(nil)); !strings.Contains(got, wantJSON) {
		t.Errorf("AppendJSON() = %s, want it to contain %s", got, wantJSON)
	}

	// A string replaces the array, and the snapshot writes it as a string.
	apply(t, m, updateLine(`{"representative":{"4":{"skill_code_names":"vpn"}}}`))

	want := rows{"4": {"username": "bob", "skill_code_names": "vpn"}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableRepresentative)); diff != "" {
		t.Errorf("representative rows mismatch (-want +got):\n%s", diff)
	}
	if extra := m.Representatives.Get(4).Extra; len(extra) != 0 {
		t.Errorf("Extra = %v after a string value, want empty", extra)
	}
}

func TestApplyAttributeValueNumber(t *testing.T) {
	m := state.NewModel()

	res := apply(t, m, insertLine(`{"support_session_attribute":{"50":{"code_name":"ticket","value":4711}}}`))

	if len(res.Anomalies) != 0 {
		t.Errorf("anomalies = %v, want none", res.Anomalies)
	}
	if got := m.SupportSessionAttributes.Get(50).Value; got != "4711" {
		t.Errorf("Value = %q, want %q", got, "4711")
	}
	want := rows{"50": {"code_name": "ticket", "value": json.Number("4711")}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableSupportSessionAttribute)); diff != "" {
		t.Errorf("support_session_attribute rows mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyTruncateModel(t *testing.T) {
	m := modelOf(t,
		insertLine(`{"queue":{"3":{"name":"Tech","type":"team"}},
			"support_session":{"21":{"queue_id":3},"22":{"queue_id":3}}}`),
		deleteLine(`{"support_session":["22"]}`))

	res := apply(t, m, `{"type":"truncate_model"}`)

	if diff := cmp.Diff(state.Result{Truncated: true}, res); diff != "" {
		t.Errorf("Apply result mismatch (-want +got):\n%s", diff)
	}
	if got := m.Rows(); got != 0 {
		t.Errorf("Rows() = %d after truncate_model, want 0", got)
	}
	if _, ok := m.TeamQueueOf(21); ok {
		t.Errorf("TeamQueueOf(21) found a team queue after truncate_model, want none")
	}

	// truncate_model starts a new model lifetime, so earlier deletes no
	// longer block an id.
	res = apply(t, m, insertLine(`{"support_session":{"22":{"queue_id":3}}}`))

	if len(res.Anomalies) != 0 {
		t.Errorf("anomalies = %v, want none", res.Anomalies)
	}
	if m.SupportSessions.Get(22) == nil {
		t.Errorf("SupportSessions.Get(22) = nil, want the row inserted after truncate_model")
	}
}

func TestApplyUpdateModelAlias(t *testing.T) {
	const body = `"insert":{"queue":{"3":{"name":"Tech"}}},"update":{"queue":{"3":{"type":"team"}}}`
	modern := modelOf(t, `{"type":"model_update",`+body+`}`)
	older := state.NewModel()

	res := apply(t, older, `{"type":"update_model",`+body+`}`)

	if diff := cmp.Diff(state.Result{Inserted: 1, Updated: 1}, res); diff != "" {
		t.Errorf("Apply result mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(string(modern.AppendJSON(nil)), string(older.AppendJSON(nil))); diff != "" {
		t.Errorf("update_model model mismatch (-model_update +update_model):\n%s", diff)
	}
}

func TestApplyUnknownType(t *testing.T) {
	for _, typ := range []string{"ping", "authenticate_response", "subscribe_response", "MODEL_UPDATE"} {
		t.Run(typ, func(t *testing.T) {
			m := modelOf(t, insertLine(`{"queue":{"3":{"name":"Tech"}}}`))
			before := string(m.AppendJSON(nil))

			res := apply(t, m, `{"type":"`+typ+`","insert":{"queue":{"4":{"name":"X"}}},"delete":{"queue":[3]}}`)

			if diff := cmp.Diff([]anomaly{{Kind: state.UnknownType}}, anomaliesOf(res)); diff != "" {
				t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, string(m.AppendJSON(nil))); diff != "" {
				t.Errorf("model changed by an unknown message type (-before +after):\n%s", diff)
			}
		})
	}
}

func TestApplyIsIdempotent(t *testing.T) {
	base := insertLine(`{"queue":{"3":{"name":"Tech","type":"team"},"9":{"name":"Bob","type":"personal"}},
		"support_session":{"21":{"queue_id":3,"customer_name":"Jane"},"22":{"queue_id":3}}}`)
	tests := []struct {
		name string
		line string
	}{
		{"insert", insertLine(`{"support_session":{"23":{"queue_id":3,"customer_name":"Kim"}}}`)},
		{"insert existing", insertLine(`{"support_session":{"21":{"customer_name":"Jane Doe"}}}`)},
		{"update", updateLine(`{"support_session":{"21":{"queue_id":9}},"representative":{"4":{"routing_busy":"1"}}}`)},
		{"delete", deleteLine(`{"support_session":["22",21]}`)},
		{"unknown column", insertLine(`{"queue":{"3":{"color":[1,2]}}}`)},
		{"all sections", `{"type":"model_update",
			"insert":{"customer_client":{"30":{"support_session_id":"21","elevated":true}}},
			"update":{"support_session":{"21":{"queue_id":9}}},
			"delete":{"support_session":[22],"customer_client":[31]}}`},
		{"truncate", `{"type":"truncate_model"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := modelOf(t, base)
			apply(t, m, tt.line)
			once := string(m.AppendJSON(nil))
			teamOnce, okOnce := m.TeamQueueOf(21)

			apply(t, m, tt.line)

			if diff := cmp.Diff(once, string(m.AppendJSON(nil))); diff != "" {
				t.Errorf("model after a second Apply mismatch (-once +twice):\n%s", diff)
			}
			teamTwice, okTwice := m.TeamQueueOf(21)
			if teamOnce != teamTwice || okOnce != okTwice {
				t.Errorf("TeamQueueOf(21) = %d, %t after a second Apply, want %d, %t", teamTwice, okTwice, teamOnce, okOnce)
			}
		})
	}
}

func TestApplyTombstoneLimitEvictsOldest(t *testing.T) {
	// The model remembers the 65,536 most recently deleted ids of a table.
	const limit = 1 << 16
	var ids strings.Builder
	for id := 1; id <= limit+1; id++ {
		if id > 1 {
			ids.WriteByte(',')
		}
		fmt.Fprintf(&ids, "%d", id)
	}
	m := state.NewModel()
	res := apply(t, m, deleteLine(`{"representative_queue":[`+ids.String()+`]}`))
	if res.AnomalyCount != limit+1 {
		t.Fatalf("AnomalyCount = %d for deletes of unknown ids, want %d", res.AnomalyCount, limit+1)
	}

	res = apply(t, m, insertLine(`{"representative_queue":{"1":{"queue_id":3},"2":{"queue_id":3},"65537":{"queue_id":3}}}`))

	if diff := cmp.Diff([]int64{1}, m.RepresentativeQueues.IDs()); diff != "" {
		t.Errorf("representative_queue ids mismatch (-want +got):\n%s", diff)
	}
	wantAnomalies := []anomaly{
		{Kind: state.DeletedIDReused, Table: state.TableRepresentativeQueue, ID: "2"},
		{Kind: state.DeletedIDReused, Table: state.TableRepresentativeQueue, ID: "65537"},
	}
	if diff := cmp.Diff(wantAnomalies, anomaliesOf(res)); diff != "" {
		t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyAnomalyDetailsAreBounded(t *testing.T) {
	var keys strings.Builder
	for i := range 40 {
		if i > 0 {
			keys.WriteByte(',')
		}
		fmt.Fprintf(&keys, `"bad%d":{}`, i)
	}
	m := state.NewModel()

	res := apply(t, m, insertLine(`{"queue":{`+keys.String()+`}}`))

	if res.AnomalyCount != 40 {
		t.Errorf("AnomalyCount = %d, want 40", res.AnomalyCount)
	}
	if len(res.Anomalies) != 32 {
		t.Errorf("len(Anomalies) = %d, want the first 32", len(res.Anomalies))
	}
}

func TestTeamQueueOfFollowsSession(t *testing.T) {
	m := modelOf(t, insertLine(`{"queue":{
		"3":{"name":"Tech","type":"team","code_name":"tech"},
		"5":{"name":"Billing","type":"team","code_name":"billing"},
		"9":{"name":"Bob","type":"personal"}},
		"support_session":{"21":{"queue_id":3}}}`))
	steps := []struct {
		name     string
		line     string
		wantID   int64
		wantKnow bool
	}{
		{"waiting in a team queue", "", 3, true},
		{"moved to a personal queue", updateLine(`{"support_session":{"21":{"queue_id":9}}}`), 3, true},
		{"transferred to another team", updateLine(`{"support_session":{"21":{"queue_id":5}}}`), 5, true},
		{"in an unknown queue", updateLine(`{"support_session":{"21":{"queue_id":77}}}`), 5, true},
		{"deleted", deleteLine(`{"support_session":[21]}`), 0, false},
	}
	for _, step := range steps {
		if step.line != "" {
			apply(t, m, step.line)
		}
		id, ok := m.TeamQueueOf(21)
		if id != step.wantID || ok != step.wantKnow {
			t.Errorf("%s: TeamQueueOf(21) = %d, %t, want %d, %t", step.name, id, ok, step.wantID, step.wantKnow)
		}
	}
}

func TestTeamQueueOfMoveInSameMessage(t *testing.T) {
	m := state.NewModel()

	apply(t, m, `{"type":"model_update",
		"insert":{"queue":{"3":{"type":"team"},"9":{"type":"personal"}},"support_session":{"21":{"queue_id":3}}},
		"update":{"support_session":{"21":{"queue_id":9}}}}`)

	if id, ok := m.TeamQueueOf(21); id != 3 || !ok {
		t.Errorf("TeamQueueOf(21) = %d, %t, want 3, true for the team queue of the insert", id, ok)
	}
}

func TestTeamQueuesCopyAndRestore(t *testing.T) {
	m := modelOf(t, insertLine(`{"queue":{"3":{"type":"team"}},"support_session":{"21":{"queue_id":3}}}`))

	queues := m.TeamQueues()
	if diff := cmp.Diff(map[int64]int64{21: 3}, queues); diff != "" {
		t.Errorf("TeamQueues() mismatch (-want +got):\n%s", diff)
	}
	queues[21] = 99
	if id, _ := m.TeamQueueOf(21); id != 3 {
		t.Errorf("TeamQueueOf(21) = %d after changing the copy, want 3", id)
	}

	fresh := modelOf(t, insertLine(`{"support_session":{"21":{"queue_id":9}}}`))
	fresh.RestoreTeamQueues(map[int64]int64{21: 3, 22: 5})

	if diff := cmp.Diff(map[int64]int64{21: 3}, fresh.TeamQueues()); diff != "" {
		t.Errorf("TeamQueues() after RestoreTeamQueues mismatch (-want +got):\n%s", diff)
	}
}

func TestTableAccessors(t *testing.T) {
	m := modelOf(t, insertLine(`{"queue":{"30":{"name":"C"},"4":{"name":"A"},"17":{"name":"B"}},
		"representative":{"1":{}}}`))

	if got := m.Queues.Name(); got != state.TableQueue {
		t.Errorf("Name() = %q, want %q", got, state.TableQueue)
	}
	if got := m.Queues.Len(); got != 3 {
		t.Errorf("Len() = %d, want 3", got)
	}
	if diff := cmp.Diff([]int64{4, 17, 30}, m.Queues.IDs()); diff != "" {
		t.Errorf("IDs() mismatch (-want +got):\n%s", diff)
	}
	if got := m.Queues.Get(5); got != nil {
		t.Errorf("Get(5) = %+v, want nil", got)
	}
	if got := m.Queues.Get(17); got == nil || got.ID != 17 || got.Name != "B" {
		t.Errorf("Get(17) = %+v, want the row with id 17 named B", got)
	}
	if got := m.Rows(); got != 4 {
		t.Errorf("Rows() = %d, want 4", got)
	}

	names := map[int64]string{}
	for id, q := range m.Queues.All() {
		names[id] = q.Name
	}
	if diff := cmp.Diff(map[int64]string{4: "A", 17: "B", 30: "C"}, names); diff != "" {
		t.Errorf("All() mismatch (-want +got):\n%s", diff)
	}
	visited := 0
	for range m.Queues.All() {
		visited++
		break
	}
	if visited != 1 {
		t.Errorf("All() yielded %d rows after break, want 1", visited)
	}
}

func TestAnomalyString(t *testing.T) {
	tests := []struct {
		anomaly state.Anomaly
		want    string
	}{
		{
			state.Anomaly{Kind: state.InvalidValue, Table: "queue", ID: "3", Column: "name", Detail: "want a string, got 5"},
			"invalid_value table=queue id=3 column=name: want a string, got 5",
		},
		{state.Anomaly{Kind: state.UnknownTable, Table: "mystery", Detail: "table ignored"}, "unknown_table table=mystery: table ignored"},
		{state.Anomaly{Kind: state.UnknownType}, "unknown_type"},
	}
	for _, tt := range tests {
		if got := tt.anomaly.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestAnomalyDetailNamesValue(t *testing.T) {
	m := modelOf(t, insertLine(`{"support_session":{"21":{}}}`))

	res := apply(t, m, updateLine(`{"support_session":{"21":{"priority":"urgent"}}}`))

	if len(res.Anomalies) != 1 {
		t.Fatalf("anomalies = %v, want one", res.Anomalies)
	}
	if got := res.Anomalies[0].String(); !strings.Contains(got, `"urgent"`) {
		t.Errorf("String() = %q, want it to name the value \"urgent\"", got)
	}
}
