package state_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/rtdash/rtdash/shared/state"
)

// apply decodes one state API line and applies it to m.
func apply(t testing.TB, m *state.Model, line string) state.Result {
	t.Helper()
	msg, err := state.Decode([]byte(line))
	if err != nil {
		t.Fatalf("Decode(%s) failed: %v", line, err)
	}
	return m.Apply(msg)
}

// modelOf returns a new model with the given lines applied.
func modelOf(t testing.TB, lines ...string) *state.Model {
	t.Helper()
	m := state.NewModel()
	for _, line := range lines {
		apply(t, m, line)
	}
	return m
}

// insertLine wraps an insert section in a model_update message.
func insertLine(section string) string {
	return `{"type":"model_update","insert":` + section + `}`
}

// updateLine wraps an update section in a model_update message.
func updateLine(section string) string {
	return `{"type":"model_update","update":` + section + `}`
}

// deleteLine wraps a delete section in a model_update message.
func deleteLine(section string) string {
	return `{"type":"model_update","delete":` + section + `}`
}

// rowsOf returns one table of the model's snapshot as decoded JSON: row id →
// column → value, with numbers kept as json.Number so that 1 and 1.0 differ.
func rowsOf(t testing.TB, m *state.Model, table string) map[string]map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(m.AppendJSON(nil)))
	dec.UseNumber()
	var tables map[string]map[string]map[string]any
	if err := dec.Decode(&tables); err != nil {
		t.Fatalf("decoding the model's snapshot failed: %v", err)
	}
	rows, ok := tables[table]
	if !ok {
		t.Fatalf("snapshot has no table %q", table)
	}
	return rows
}

// anomaly is an Anomaly without its free-text detail, so that tests compare
// what was reported and where.
type anomaly struct {
	Kind   state.AnomalyKind
	Table  string
	ID     string
	Column string
}

// anomaliesOf returns the anomalies of res sorted, because rows of one table
// are applied in no particular order.
func anomaliesOf(res state.Result) []anomaly {
	var out []anomaly
	for _, a := range res.Anomalies {
		out = append(out, anomaly{Kind: a.Kind, Table: a.Table, ID: a.ID, Column: a.Column})
	}
	slices.SortFunc(out, func(x, y anomaly) int {
		return strings.Compare(x.sortKey(), y.sortKey())
	})
	return out
}

func (a anomaly) sortKey() string {
	return strings.Join([]string{string(a.Kind), a.Table, a.ID, a.Column}, "\x00")
}
