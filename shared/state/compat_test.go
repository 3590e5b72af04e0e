package state_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/state"
)

// decodeWithJSON decodes a line with encoding/json, as Decode did before it
// had its own scanner, and is the reference that Decode must match.
func decodeWithJSON(line []byte) (*state.Message, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return nil, state.ErrNotObject
	}
	var m state.Message
	if err := json.Unmarshal(line, &m); err != nil {
		return nil, err
	}
	if m.Type == "" {
		return nil, errors.New("no type")
	}
	return &m, nil
}

// checkDecodeMatchesJSON fails t when Decode and decodeWithJSON disagree
// on line.
func checkDecodeMatchesJSON(t *testing.T, line []byte) {
	t.Helper()
	want, wantErr := decodeWithJSON(line)
	got, err := state.Decode(line)
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("Decode(%q) error = %v, encoding/json error = %v", line, err, wantErr)
	}
	if got, want := errors.Is(err, state.ErrNotObject), errors.Is(wantErr, state.ErrNotObject); got != want {
		t.Errorf("Decode(%q) error wraps ErrNotObject = %t, want %t", line, got, want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Decode(%q) mismatch (-encoding/json +Decode):\n%s", line, diff)
	}
}

var decodeCompatLines = []string{
	`{"type":"model_update","insert":{"queue":{"3":{"name":"Tech"}}}}`,
	`{"TYPE":"model_update","Insert":{"queue":{}},"DELETE":{"queue":[1]}}`,
	`{"ſuccess":true,"type":"authenticate_response","meſſage":"ok"}`,
	`{"\u0074ype":"model\u005fupdate","in\u0073ert":{"qu\u0065ue":null}}`,
	`{"type":"model_update","type":null}`,
	`{"type":null,"type":"model_update"}`,
	`{"type":"a","type":"b"}`,
	`{"type":"x","insert":{"queue":1},"insert":{"representative":2}}`,
	`{"type":"x","insert":{"queue":1},"insert":null}`,
	`{"type":"x","insert":{"queue":1,"queue":2}}`,
	`{"type":"x","success":true,"success":null}`,
	`{"type":"x","success":"true"}`,
	`{"type":"x","message":5}`,
	`{"type":"x","insert":"queue"}`,
	`{"type":"x","update":[1]}`,
	`{"type":"x","delete":true}`,
	`{"type":"x","other":{"deep":[1,2,{"a":null}]}}`,
	"{\"type\":\"model_update\xff\"}",
	"{\"type\":\"x\",\"insert\":{\"q\xffueue\":{}}}",
	`{"type":"x","insert":{"queue" : { "3" : { } } } }`,
	`{"type":"x"}   `,
	`{"type":"x"} x`,
	`{"type":"x",}`,
	`{"type":"x" "insert":{}}`,
	`{"type":"x","insert":{"queue":{"3":{"name":"a}}}}`,
	`{"type":"x","insert":{"queue":[1,2}}`,
	`{"type":"x","insert":{"queue":01}}`,
	`{"type":"\ud83d"}`,
	`{"type":"x","insert":{}}`,
	`{}`,
	`[]`,
	`  `,
	"\u00a0{\"type\":\"x\"}\u00a0",
}

func TestDecodeMatchesJSON(t *testing.T) {
	for _, line := range decodeCompatLines {
		t.Run(line, func(t *testing.T) {
			checkDecodeMatchesJSON(t, []byte(line))
		})
	}
}

func TestDecodeNestingLimit(t *testing.T) {
	for _, depth := range []int{9998, 9999} {
		value := strings.Repeat("[", depth) + strings.Repeat("]", depth)
		line := `{"type":"x","insert":{"queue":` + value + `}}`
		t.Run(fmt.Sprint(depth), func(t *testing.T) {
			checkDecodeMatchesJSON(t, []byte(line))
		})
	}
}

// FuzzDecode checks that Decode accepts and rejects the same lines as
// json.Unmarshal into a Message, and decodes them to the same message.
func FuzzDecode(f *testing.F) {
	for _, line := range decodeCompatLines {
		f.Add([]byte(line))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		checkDecodeMatchesJSON(t, line)
	})
}

func TestDecodeSectionsDoNotOverlap(t *testing.T) {
	line := []byte(`{"type":"x","insert":{"queue":{"3":{}},"representative":{"4":{}}}}`)
	msg, err := state.Decode(line)
	if err != nil {
		t.Fatalf("Decode() failed: %v", err)
	}

	_ = append(msg.Insert["queue"], "garbage"...)

	if got, want := string(msg.Insert["representative"]), `{"4":{}}`; got != want {
		t.Errorf(`Insert["representative"] = %s after appending to Insert["queue"], want %s`, got, want)
	}
}

func TestApplyRepeatedRowKeepsLast(t *testing.T) {
	tests := []struct {
		name  string
		count int // rows before the repeated one, to cover large tables too
	}{
		{"small table", 0},
		{"large table", 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows strings.Builder
			for i := range tt.count {
				fmt.Fprintf(&rows, `"%d":{"name":"Q%d"},`, 100+i, i)
			}
			m := state.NewModel()

			res := apply(t, m, insertLine(`{"queue":{`+rows.String()+
				`"3":{"name":"First","type":"team"},"\u0033":{"name":"Second"}}}`))

			if got, want := res.Inserted, tt.count+1; got != want {
				t.Errorf("Inserted = %d, want %d: a repeated key is one row", got, want)
			}
			q := m.Queues.Get(3)
			if q == nil {
				t.Fatalf("Queues.Get(3) = nil, want the row")
			}
			if q.Name != "Second" {
				t.Errorf("Name = %q, want %q from the last row with the key", q.Name, "Second")
			}
			if q.Type != "" {
				t.Errorf("Type = %q, want it unset, because only the last row with the key applies", q.Type)
			}
		})
	}
}

func TestApplyRepeatedColumnKeepsLast(t *testing.T) {
	m := state.NewModel()

	res := apply(t, m, insertLine(`{"queue":{"3":{"name":"First","color":1,"name":"Second","color":2}}}`))

	if got := m.Queues.Get(3).Name; got != "Second" {
		t.Errorf("Name = %q, want %q", got, "Second")
	}
	if got := string(m.Queues.Get(3).Extra["color"]); got != "2" {
		t.Errorf(`Extra["color"] = %s, want 2`, got)
	}
	want := []anomaly{{Kind: state.UnknownColumn, Table: state.TableQueue, ID: "3", Column: "color"}}
	if diff := cmp.Diff(want, anomaliesOf(res)); diff != "" {
		t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyKeysWithEscapes(t *testing.T) {
	m := state.NewModel()

	res := apply(t, m, insertLine(`{"queue":{"\u0033":{"n\u0061me":"Tech","c\u006flor":"blue"}}}`))

	q := m.Queues.Get(3)
	if q == nil {
		t.Fatalf("Queues.Get(3) = nil, want the row with the escaped key")
	}
	if q.Name != "Tech" {
		t.Errorf("Name = %q, want %q", q.Name, "Tech")
	}
	want := []anomaly{{Kind: state.UnknownColumn, Table: state.TableQueue, ID: "3", Column: "color"}}
	if diff := cmp.Diff(want, anomaliesOf(res)); diff != "" {
		t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
	}
}

func TestApplyExtraOutlivesLine(t *testing.T) {
	line := []byte(insertLine(`{"queue":{"3":{"color":"blue"}}}`))
	m := state.NewModel()
	msg, err := state.Decode(line)
	if err != nil {
		t.Fatalf("Decode() failed: %v", err)
	}
	m.Apply(msg)

	for i := range line {
		line[i] = ' '
	}

	if got := string(m.Queues.Get(3).Extra["color"]); got != `"blue"` {
		t.Errorf(`Extra["color"] = %s after the line was overwritten, want "blue"`, got)
	}
}

func TestApplyHandBuiltMessage(t *testing.T) {
	tests := []struct {
		name    string
		section string
		want    []anomaly
	}{
		{"valid", `{"3":{"name":"Tech"}}`, nil},
		{"truncated", `{"3":{"name":"Tech"}`, []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue}}},
		{"trailing data", `{"3":{"name":"Tech"}} {}`, []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue}}},
		{"invalid later row", `{"3":{"name":"Tech"},"4":{"name":x}}`, []anomaly{{Kind: state.InvalidRow, Table: state.TableQueue}}},
		{"whitespace around", " \n{\"3\":{\"name\":\"Tech\"}}\t", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := state.NewModel()
			msg := &state.Message{
				Type:   state.TypeModelUpdate,
				Insert: map[string]json.RawMessage{state.TableQueue: json.RawMessage(tt.section)},
			}

			res := m.Apply(msg)

			if diff := cmp.Diff(tt.want, anomaliesOf(res)); diff != "" {
				t.Errorf("anomalies mismatch (-want +got):\n%s", diff)
			}
			wantRows := 1
			if tt.want != nil {
				wantRows = 0 // a malformed table changes nothing
			}
			if got := m.Rows(); got != wantRows {
				t.Errorf("Rows() = %d, want %d", got, wantRows)
			}
		})
	}
}

// BenchmarkDecode measures Decode alone on the lines of BenchmarkApply.
func BenchmarkDecode(b *testing.B) {
	lines := burstLines(64)
	data := make([][]byte, len(lines))
	size := 0
	for i, line := range lines {
		data[i] = []byte(line)
		size += len(line)
	}
	b.SetBytes(int64(size / len(lines)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := state.Decode(data[i%len(data)]); err != nil {
			b.Fatalf("Decode() failed: %v", err)
		}
	}
}
