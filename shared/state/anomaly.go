package state

import "fmt"

// AnomalyKind classifies input that Apply could not take as it came.
type AnomalyKind string

// Anomaly kinds. Each names what was wrong; Apply's handling is given in
// brackets.
const (
	UnknownTable    AnomalyKind = "unknown_table"     // a table the model does not have (ignored)
	UnknownColumn   AnomalyKind = "unknown_column"    // a column the schema does not have (kept verbatim)
	InvalidID       AnomalyKind = "invalid_id"        // a row id that is not a positive integer (row ignored)
	InvalidRow      AnomalyKind = "invalid_row"       // a row or section of the wrong JSON shape (ignored)
	InvalidValue    AnomalyKind = "invalid_value"     // a column value of the wrong type (column ignored)
	UpdateUnknownID AnomalyKind = "update_unknown_id" // an update of an id never inserted (ignored)
	DeleteUnknownID AnomalyKind = "delete_unknown_id" // a delete of an id not present (ignored)
	DeletedIDReused AnomalyKind = "deleted_id_reused" // an insert or update of a deleted id (ignored)
	UnknownType     AnomalyKind = "unknown_type"      // a message type Apply does not handle (ignored)
	InvalidMessage  AnomalyKind = "invalid_message"   // a line Decode rejects (ignored)
)

// AnomalyKinds lists every anomaly kind, for callers that count them.
var AnomalyKinds = []AnomalyKind{
	UnknownTable, UnknownColumn, InvalidID, InvalidRow, InvalidValue, UpdateUnknownID,
	DeleteUnknownID, DeletedIDReused, UnknownType, InvalidMessage,
}

// Anomaly is one deviation from the documented protocol found while
// applying a message.
type Anomaly struct {
	Kind   AnomalyKind
	Table  string
	ID     string // the row id as received
	Column string
	Detail string
}

func (a Anomaly) String() string {
	s := string(a.Kind)
	if a.Table != "" {
		s += " table=" + a.Table
	}
	if a.ID != "" {
		s += " id=" + a.ID
	}
	if a.Column != "" {
		s += " column=" + a.Column
	}
	if a.Detail != "" {
		s += ": " + a.Detail
	}
	return s
}

// maxAnomalyDetails bounds the anomalies one Result lists in full, so that a
// flood of malformed rows costs counting, not memory.
const maxAnomalyDetails = 32

// Result summarises one Apply call.
type Result struct {
	Inserted, Updated, Deleted int
	Truncated                  bool

	// Anomalies lists the first anomalies found; AnomalyCount counts all.
	Anomalies    []Anomaly
	AnomalyCount int
}

// Changes returns the number of rows inserted, updated or deleted.
func (r *Result) Changes() int { return r.Inserted + r.Updated + r.Deleted }

func (r *Result) report(a Anomaly) {
	r.AnomalyCount++
	if len(r.Anomalies) < maxAnomalyDetails {
		r.Anomalies = append(r.Anomalies, a)
	}
}

func (r *Result) reportf(kind AnomalyKind, table, id, column, format string, args ...any) {
	r.report(Anomaly{Kind: kind, Table: table, ID: id, Column: column, Detail: fmt.Sprintf(format, args...)})
}
