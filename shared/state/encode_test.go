package state_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/state"
)

// richLines builds a model that uses every table, every value form and
// columns the schema does not know.
var richLines = []string{
	`{"type":"model_update","insert":{
		"queue":{"3":{"name":"Tech Support","code_name":"tech_support","type":"team","support_team_id":2,"created_timestamp":1733230000},
			"9":{"name":"Bob","code_name":"","type":"personal","support_team_id":0,"created_timestamp":1733235000}},
		"representative":{"4":{"user_id":5,"username":"bob","public_display_name":"Bob","private_display_name":"Bob (T2)",
			"routing_available":1,"routing_busy":false,"routing_idle":"0","routing_enabled":true,"skill_code_names":["vpn","print"],
			"queue_id":"9","hostname":"BOB-PC","operating_system":"Windows 11","private_ip":"10.0.0.4","public_ip":"4.231.237.19:61606",
			"created_timestamp":1733235000,"status_code":"lunch"}},
		"representative_queue":{"12":{"representative_id":4,"queue_id":3,"created_timestamp":1733235000}},
		"representative_support_session":{"40":{"support_session_id":21,"representative_id":4,"created_timestamp":1733239400}},
		"support_session":{"21":{"lsid":"c69a8e10bea9428f816cfababe9815fe","queue_id":9,"queue_entry_timestamp":1733239400,
			"customer_name":"Jos\u00e9 \"JJ\" <O'Neil> & Co\n","customer_company":"ACME\u2028Ltd","customer_company_code":null,
			"customer_description":"VPN\tdown \\ again","start_method":"issue_submission","priority":2,
			"estimated_pickup_timestamp":1733239300,"created_timestamp":1733239000}},
		"customer_client":{"30":{"support_session_id":"21","client_type":"desktop","elevated":0,"hostname":"JANE-PC",
			"operating_system":"Windows 11","created_timestamp":1733239000},"31":{"client_type":"web_chat","elevated":"1"}},
		"support_session_attribute":{"50":{"support_session_id":21,"code_name":"ticket","value":{"id":4711},"created_timestamp":1}},
		"support_session_skill":{"60":{"support_session_id":21,"code_name":"vpn","created_timestamp":1}},
		"presentation_session":{"70":{"title":"Demo","open":1}},
		"attendee":{"71":{"name":"Ann","seat":null}},
		"presenter":{"72":{}}}}`,
	`{"type":"model_update","update":{"representative":{"4":{"routing_busy":1}}}}`,
}

func TestAppendJSONForm(t *testing.T) {
	m := modelOf(t, insertLine(`{
		"queue":{"9":{"type":"personal"},"3":{"name":"Tech","type":"team","support_team_id":"2"}},
		"representative":{"4":{"routing_busy":true,"routing_idle":false,"username":"bob"}},
		"customer_client":{"30":{"elevated":"1","hostname":"PC","zz_extra":[1, 2]}}}`))

	got := string(m.AppendJSON(nil))

	// Tables in the order of TableNames, rows by ascending id, columns in
	// schema order followed by unknown columns by name, booleans as 1 and 0.
	want := `{"customer_client":{"30":{"elevated":1,"hostname":"PC","zz_extra":[1, 2]}},` +
		`"queue":{"3":{"name":"Tech","type":"team","support_team_id":2},"9":{"type":"personal"}},` +
		`"representative":{"4":{"username":"bob","routing_busy":1,"routing_idle":0}},` +
		`"representative_queue":{},"representative_support_session":{},"support_session":{},` +
		`"support_session_attribute":{},"support_session_skill":{},` +
		`"presentation_session":{},"attendee":{},"presenter":{}}`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AppendJSON() mismatch (-want +got):\n%s", diff)
	}
}

func TestAppendJSONEmptyModel(t *testing.T) {
	got := string(state.NewModel().AppendJSON(nil))

	var tables map[string]map[string]any
	if err := json.Unmarshal([]byte(got), &tables); err != nil {
		t.Fatalf("AppendJSON() = %s is not a JSON object of tables: %v", got, err)
	}
	if len(tables) != len(state.TableNames) {
		t.Errorf("AppendJSON() has %d tables, want %d", len(tables), len(state.TableNames))
	}
	for _, name := range state.TableNames {
		rows, ok := tables[name]
		if !ok || len(rows) != 0 {
			t.Errorf("table %q = %v (present %t), want an empty object", name, rows, ok)
		}
	}
}

func TestAppendJSONAppendsToBuffer(t *testing.T) {
	m := modelOf(t, insertLine(`{"queue":{"3":{"name":"Tech"}}}`))

	got := string(m.AppendJSON([]byte(`{"tables":`)))

	want := `{"tables":` + string(m.AppendJSON(nil))
	if got != want {
		t.Errorf("AppendJSON(prefix) = %s, want %s", got, want)
	}
}

func TestMarshalJSONMatchesAppendJSON(t *testing.T) {
	m := modelOf(t, richLines...)

	got, err := json.Marshal(m)

	if err != nil {
		t.Fatalf("json.Marshal(model) failed: %v", err)
	}
	// encoding/json compacts the output of MarshalJSON, and AppendJSON keeps
	// the whitespace of unknown columns as received.
	var want bytes.Buffer
	if err := json.Compact(&want, m.AppendJSON(nil)); err != nil {
		t.Fatalf("compacting AppendJSON() failed: %v", err)
	}
	if diff := cmp.Diff(want.String(), string(got)); diff != "" {
		t.Errorf("json.Marshal(model) mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadRoundTrip(t *testing.T) {
	original := modelOf(t, richLines...)
	encoded := original.AppendJSON(nil)
	if !json.Valid(encoded) {
		t.Fatalf("AppendJSON() = %s is not valid JSON", encoded)
	}

	loaded := state.NewModel()
	res, err := loaded.Load(encoded)

	if err != nil {
		t.Fatalf("Load() failed: %v", err)
	}
	if diff := cmp.Diff(string(encoded), string(loaded.AppendJSON(nil))); diff != "" {
		t.Errorf("AppendJSON() after Load mismatch (-original +loaded):\n%s", diff)
	}
	if got, want := res.Inserted, original.Rows(); got != want {
		t.Errorf("Load() Inserted = %d, want %d", got, want)
	}
	if got, want := loaded.Representatives.Get(4), original.Representatives.Get(4); got.SkillCodeNames != want.SkillCodeNames || got.RoutingBusy != want.RoutingBusy {
		t.Errorf("loaded representative 4 = %+v, want %+v", got, want)
	}
}

func TestLoadRoundTripInvalidUTF8(t *testing.T) {
	// Strings with and without escapes take different decoding paths.
	original := modelOf(t, insertLine("{\"support_session\":{"+
		"\"21\":{\"customer_name\":\"a\xffb\"},"+
		"\"22\":{\"customer_name\":\"\\\"a\xffb\\\"\"}}}"))
	encoded := original.AppendJSON(nil)

	loaded := state.NewModel()
	if _, err := loaded.Load(encoded); err != nil {
		t.Fatalf("Load() failed: %v", err)
	}

	if diff := cmp.Diff(string(encoded), string(loaded.AppendJSON(nil))); diff != "" {
		t.Errorf("AppendJSON() after Load mismatch (-original +loaded):\n%s", diff)
	}
}

func TestLoadReplacesModel(t *testing.T) {
	m := modelOf(t,
		insertLine(`{"queue":{"3":{"name":"Old"},"4":{"name":"Gone"}}}`),
		deleteLine(`{"queue":[5]}`))

	res, err := m.Load(json.RawMessage(`{"queue":{"3":{"type":"team"},"5":{"name":"New"}}}`))

	if err != nil {
		t.Fatalf("Load() failed: %v", err)
	}
	// Columns of the old row 3 do not survive, and id 5, deleted before,
	// is accepted because a snapshot starts a new model lifetime.
	want := rows{"3": {"type": "team"}, "5": {"name": "New"}}
	if diff := cmp.Diff(want, rowsOf(t, m, state.TableQueue)); diff != "" {
		t.Errorf("queue rows mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(state.Result{Inserted: 2}, res); diff != "" {
		t.Errorf("Load() result mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadErrorKeepsModel(t *testing.T) {
	for _, input := range []string{`[]`, `not json`, `{"queue":`, `"tables"`, ``} {
		t.Run(input, func(t *testing.T) {
			m := modelOf(t, insertLine(`{"queue":{"3":{"name":"Tech"}}}`))
			before := string(m.AppendJSON(nil))

			_, err := m.Load(json.RawMessage(input))

			if err == nil {
				t.Fatalf("Load(%q) succeeded, want an error", input)
			}
			if diff := cmp.Diff(before, string(m.AppendJSON(nil))); diff != "" {
				t.Errorf("model changed by a failed Load (-before +after):\n%s", diff)
			}
		})
	}
}

func TestLoadReportsAnomalies(t *testing.T) {
	m := state.NewModel()

	res, err := m.Load(json.RawMessage(`{"queue":{"x":{}},"mystery":{}}`))

	if err != nil {
		t.Fatalf("Load() failed: %v", err)
	}
	want := []anomaly{
		{Kind: state.InvalidID, Table: state.TableQueue, ID: "x"},
		{Kind: state.UnknownTable, Table: "mystery"},
	}
	if diff := cmp.Diff(want, anomaliesOf(res)); diff != "" {
		t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
	}
}

func TestAppendJSONStringEscaping(t *testing.T) {
	tests := []struct {
		name string
		// raw is the JSON string as the appliance sends it, quotes included.
		raw  string
		want string
	}{
		{"plain", `"Jane"`, "Jane"},
		{"empty", `""`, ""},
		{"quotes and backslash", `"say \"hi\" \\o/"`, `say "hi" \o/`},
		{"newline tab return", `"a\nb\tc\rd"`, "a\nb\tc\rd"},
		{"control characters", `"\u0000\u0001\u001f\u007f"`, "\x00\x01\x1f\x7f"},
		{"html characters", `"<script>&amp;</script>"`, "<script>&amp;</script>"},
		{"line and paragraph separators", "\"a\u2028b\u2029c\"", "a\u2028b\u2029c"},
		{"escaped separators", `"a\u2028b"`, "a\u2028b"},
		{"non-ASCII", `"Jos\u00e9 Müller 日本 🙂"`, "José Müller 日本 🙂"},
		{"surrogate pair escape", `"\ud83d\ude42"`, "🙂"},
		{"lone surrogate escape", `"a\ud83db"`, "a\ufffdb"},
		{"invalid UTF-8", "\"a\xffb\xc3\"", "a\ufffdb\ufffd"},
		{"invalid UTF-8 with escape", "\"\\\"\xfe\\\"\"", "\"\ufffd\""},
		{"truncated UTF-8 sequence", "\"x\xe6\x97\"", "x\ufffd\ufffd"},
		{"replacement character", `"\ufffd"`, "\ufffd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := modelOf(t, insertLine(`{"support_session":{"21":{"customer_name":`+tt.raw+`}}}`))

			encoded := m.AppendJSON(nil)

			if !json.Valid(encoded) {
				t.Fatalf("AppendJSON() = %q is not valid JSON", encoded)
			}
			if !utf8.Valid(encoded) {
				t.Errorf("AppendJSON() = %q is not valid UTF-8", encoded)
			}
			for _, unsafe := range []string{"<", ">", "&", "\u2028", "\u2029"} {
				if strings.Contains(string(encoded), unsafe) {
					t.Errorf("AppendJSON() = %q contains %q unescaped", encoded, unsafe)
				}
			}
			var tables struct {
				Sessions map[string]struct {
					CustomerName string `json:"customer_name"`
				} `json:"support_session"`
			}
			if err := json.Unmarshal(encoded, &tables); err != nil {
				t.Fatalf("decoding AppendJSON() failed: %v", err)
			}
			if got := tables.Sessions["21"].CustomerName; got != tt.want {
				t.Errorf("customer_name decoded from AppendJSON() = %q, want %q", got, tt.want)
			}
			if got := m.SupportSessions.Get(21).CustomerName; got != tt.want {
				t.Errorf("CustomerName = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAppendJSONEscapesColumnNames(t *testing.T) {
	m := modelOf(t, insertLine(`{"queue":{"3":{"<b>\"odd\"\u2028</b>":1}}}`))

	encoded := m.AppendJSON(nil)

	if !json.Valid(encoded) {
		t.Fatalf("AppendJSON() = %q is not valid JSON", encoded)
	}
	want := `"3":{"\u003cb\u003e\"odd\"\u2028\u003c/b\u003e":1}`
	if !strings.Contains(string(encoded), want) {
		t.Errorf("AppendJSON() = %s, want it to contain %s", encoded, want)
	}
}

func TestLoadFromReturnsRest(t *testing.T) {
	m := state.NewModel()
	rest, res, err := m.LoadFrom([]byte(` {"queue":{"3":{"name":"Tech"}}} ,"after":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if string(rest) != ` ,"after":1}` {
		t.Errorf("rest = %q, want the text after the tables object", rest)
	}
	if res.Inserted != 1 || m.Queues.Get(3) == nil {
		t.Errorf("LoadFrom inserted %d rows, queue 3 = %v; want the queue loaded", res.Inserted, m.Queues.Get(3))
	}
	if _, _, err := m.LoadFrom([]byte(`{"queue":`)); err == nil {
		t.Error("LoadFrom accepted a truncated tables object")
	}
}
