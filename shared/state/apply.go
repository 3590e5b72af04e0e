package state

import (
	"encoding/json"
	"strconv"
)

// tableOps is the part of a Table that Model needs without knowing its row
// type.
type tableOps interface {
	Name() string
	Len() int
	upsert(key string, raw json.RawMessage, insert bool, res *Result) (int64, bool)
	remove(raw json.RawMessage, res *Result) (int64, bool)
	reset()
	appendJSON(dst []byte) []byte
}

// upsert applies one row of an insert or update section. It reports the row
// id and whether the row was stored.
func (t *Table[T, P]) upsert(key string, raw json.RawMessage, insert bool, res *Result) (int64, bool) {
	id, err := parseID([]byte(key))
	if err != nil {
		res.reportf(InvalidID, t.name, key, "", "%v", err)
		return 0, false
	}
	if t.wasDeleted(id) {
		res.reportf(DeletedIDReused, t.name, key, "", "row was deleted earlier in this model")
		return 0, false
	}
	var columns map[string]json.RawMessage
	if err := json.Unmarshal(raw, &columns); err != nil || columns == nil {
		res.reportf(InvalidRow, t.name, key, "", "want an object of columns, got %s", abbreviate(raw))
		return 0, false
	}

	row := t.rows[id]
	if row == nil {
		if !insert {
			res.reportf(UpdateUnknownID, t.name, key, "", "update of a row never inserted; row created")
		}
		row = P(new(T))
		row.meta().ID = id
		t.rows[id] = row
	}
	t.setColumns(row, key, columns, res)

	if insert {
		res.Inserted++
	} else {
		res.Updated++
	}
	return id, true
}

func (t *Table[T, P]) setColumns(row P, key string, columns map[string]json.RawMessage, res *Result) {
	meta := row.meta()
	for name, value := range columns {
		i, known := t.schema.index[name]
		if !known {
			if !t.schema.opaque {
				res.reportf(UnknownColumn, t.name, key, name, "column kept as received")
			}
			meta.setExtra(name, value)
			continue
		}
		c := &t.schema.columns[i]
		if err := c.set((*T)(row), value); err != nil {
			if !c.text {
				res.reportf(InvalidValue, t.name, key, name, "%v", err)
				continue
			}
			// A text column holding another JSON type keeps the value as
			// received and exposes its JSON text.
			text, _ := json.Marshal(string(value))
			_ = c.set((*T)(row), text)
			meta.setExtra(name, value)
			meta.present |= 1 << i
			continue
		}
		meta.present |= 1 << i
		delete(meta.Extra, name)
	}
}

func (m *Meta) setExtra(name string, value json.RawMessage) {
	if m.Extra == nil {
		m.Extra = make(map[string]json.RawMessage)
	}
	m.Extra[name] = value
}

// remove applies one id of a delete section and remembers it, so that a
// late insert or update of the id is dropped.
func (t *Table[T, P]) remove(raw json.RawMessage, res *Result) (int64, bool) {
	id, err := parseID(raw)
	if err != nil {
		res.reportf(InvalidID, t.name, abbreviate(raw), "", "%v", err)
		return 0, false
	}
	t.remember(id)
	if _, ok := t.rows[id]; !ok {
		res.reportf(DeleteUnknownID, t.name, strconv.FormatInt(id, 10), "", "delete of a row not present")
		return id, false
	}
	delete(t.rows, id)
	res.Deleted++
	return id, true
}
