package state

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// tableOps is the part of a Table that Model needs without knowing its row
// type.
type tableOps interface {
	Name() string
	Len() int
	upsertRows(sc *tableScratch, insert bool, res *Result, stored *[]int64)
	removeIDs(sc *tableScratch, res *Result, removed *[]int64)
	reset()
	appendJSON(dst []byte) []byte
}

// upsertRows applies the rows that sc.readRows read from one table of an
// insert or update section. When stored is not nil, it receives the id of
// every row stored.
func (t *Table[T, P]) upsertRows(sc *tableScratch, insert bool, res *Result, stored *[]int64) {
	for i := range sc.rows {
		row := &sc.rows[i]
		if row.repeated {
			continue
		}
		id, ok := t.upsert(sc, row, insert, res)
		if ok && stored != nil {
			*stored = append(*stored, id)
		}
	}
}

// upsert applies one row of an insert or update section. It reports the row
// id and whether the row was stored.
func (t *Table[T, P]) upsert(sc *tableScratch, entry *rowEntry, insert bool, res *Result) (int64, bool) {
	key := sc.text(entry.key)
	id, err := ParseID(key)
	if err != nil {
		res.reportf(InvalidID, t.name, string(key), "", "%v", err)
		return 0, false
	}
	if t.wasDeleted(id) {
		res.reportf(DeletedIDReused, t.name, string(key), "", "row was deleted earlier in this model")
		return 0, false
	}
	if !entry.object {
		res.reportf(InvalidRow, t.name, string(key), "", "want an object of columns, got %s", abbreviate(sc.text(entry.value)))
		return 0, false
	}

	row := t.rows[id]
	if row == nil {
		if !insert {
			// A row made from an update alone would lack the columns an
			// insert carries and show up as a phantom entry, so the update
			// is dropped; the ordered stream delivers inserts first.
			res.reportf(UpdateUnknownID, t.name, string(key), "", "update of a row never inserted; update ignored")
			return 0, false
		}
		row = P(new(T))
		row.meta().ID = id
		t.rows[id] = row
	}
	t.setColumns(sc, row, key, sc.rowColumns(entry), res)

	if insert {
		res.Inserted++
	} else {
		res.Updated++
	}
	return id, true
}

// setColumns stores the columns of one row. It walks them backwards and
// skips a name already seen, so that a repeated column name keeps its last
// value, as json.Unmarshal into a map does.
func (t *Table[T, P]) setColumns(sc *tableScratch, row P, key []byte, columns []member, res *Result) {
	meta := row.meta()
	var seen uint64 // bit i is set once schema column i was handled
	for j := len(columns) - 1; j >= 0; j-- {
		name, value := sc.text(columns[j].name), sc.text(columns[j].value)
		i, known := t.schema.lookup(name)
		if !known {
			if repeatedLater(sc, columns, j) {
				continue
			}
			if !t.schema.opaque {
				res.reportf(UnknownColumn, t.name, string(key), string(name), "column kept as received")
			}
			meta.setExtra(string(name), value)
			continue
		}
		if seen&(1<<i) != 0 {
			continue
		}
		seen |= 1 << i
		c := &t.schema.columns[i]
		if setParsed(c, (*T)(row), &columns[j], value) {
			meta.present |= 1 << i
			if len(meta.Extra) > 0 {
				delete(meta.Extra, c.name)
			}
			continue
		}
		if err := c.set((*T)(row), value); err != nil {
			if !c.text {
				res.reportf(InvalidValue, t.name, string(key), c.name, "%v", err)
				continue
			}
			// A text column holding another JSON type keeps the value as
			// received and exposes its JSON text.
			text, _ := json.Marshal(string(value))
			_ = c.set((*T)(row), text)
			meta.setExtra(c.name, value)
			meta.present |= 1 << i
			continue
		}
		meta.present |= 1 << i
		if len(meta.Extra) > 0 {
			delete(meta.Extra, c.name)
		}
	}
}

// setParsed stores a value that the scanner has already parsed: a bare
// integer in an integer column or a plain string in a string column. It
// returns false for every other value, which column.set then handles.
func setParsed[T any](c *column[T], row *T, m *member, value []byte) bool {
	switch {
	case m.isInteger && c.intField != nil:
		*c.intField(row) = m.integer
		return true
	case m.plainString && c.stringField != nil:
		field := c.stringField(row)
		content := value[1 : len(value)-1]
		// Allocate only when the value changes.
		if *field != string(content) {
			*field = string(content)
		}
		return true
	}
	return false
}

// repeatedLater reports whether a column after columns[j] has its name.
func repeatedLater(sc *tableScratch, columns []member, j int) bool {
	name := sc.text(columns[j].name)
	for k := j + 1; k < len(columns); k++ {
		if bytes.Equal(sc.text(columns[k].name), name) {
			return true
		}
	}
	return false
}

// setExtra keeps a copy of a column's JSON text, because value is part of
// a message that the caller may reuse.
func (m *Meta) setExtra(name string, value []byte) {
	if m.Extra == nil {
		m.Extra = make(map[string]json.RawMessage)
	}
	m.Extra[name] = bytes.Clone(value)
}

// removeIDs applies the ids that sc.readIDs read from one table of a delete
// section. When removed
// is not nil, it receives the id of every row removed.
func (t *Table[T, P]) removeIDs(sc *tableScratch, res *Result, removed *[]int64) {
	for _, sp := range sc.ids {
		id, ok := t.remove(sc.text(sp), res)
		if ok && removed != nil {
			*removed = append(*removed, id)
		}
	}
}

// remove applies one id of a delete section and remembers it, so that a
// late insert or update of the id is dropped.
func (t *Table[T, P]) remove(raw []byte, res *Result) (int64, bool) {
	id, err := ParseID(raw)
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
