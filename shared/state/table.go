package state

import (
	"iter"
	"slices"
)

// tombstoneLimit bounds how many deleted ids a table remembers in order to
// drop late inserts and updates of them. A model lives for months, so the
// memory must not grow with the number of deletes; 65,536 ids cover minutes
// of the busiest site the dashboard targets (500 row changes a second).
const tombstoneLimit = 1 << 16

// Table is one table of the model: rows of type T keyed by row id.
type Table[T any, P rowPointer[T]] struct {
	name   string
	schema *schema[T]
	rows   map[int64]P

	// deleted and deletedOrder form a bounded set of recently deleted ids.
	deleted      map[int64]struct{}
	deletedOrder []int64
	deletedNext  int
}

func newTable[T any, P rowPointer[T]](name string, s *schema[T]) *Table[T, P] {
	return &Table[T, P]{name: name, schema: s, rows: make(map[int64]P)}
}

// Name returns the appliance's name of the table.
func (t *Table[T, P]) Name() string { return t.name }

// Len returns the number of rows.
func (t *Table[T, P]) Len() int { return len(t.rows) }

// Get returns the row with the given id, or nil.
func (t *Table[T, P]) Get(id int64) P { return t.rows[id] }

// All iterates over the rows in no particular order. The rows belong to the
// model: callers must not modify them or keep them across Apply calls.
func (t *Table[T, P]) All() iter.Seq2[int64, P] {
	return func(yield func(int64, P) bool) {
		for id, row := range t.rows {
			if !yield(id, row) {
				return
			}
		}
	}
}

// IDs returns the row ids in ascending order.
func (t *Table[T, P]) IDs() []int64 {
	ids := make([]int64, 0, len(t.rows))
	for id := range t.rows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (t *Table[T, P]) reset() {
	clear(t.rows)
	t.deleted = nil
	t.deletedOrder = nil
	t.deletedNext = 0
}

func (t *Table[T, P]) wasDeleted(id int64) bool {
	_, ok := t.deleted[id]
	return ok
}

func (t *Table[T, P]) remember(id int64) {
	if t.deleted == nil {
		t.deleted = make(map[int64]struct{})
	}
	if _, ok := t.deleted[id]; ok {
		return
	}
	if len(t.deletedOrder) < tombstoneLimit {
		t.deletedOrder = append(t.deletedOrder, id)
	} else {
		delete(t.deleted, t.deletedOrder[t.deletedNext])
		t.deletedOrder[t.deletedNext] = id
		t.deletedNext = (t.deletedNext + 1) % tombstoneLimit
	}
	t.deleted[id] = struct{}{}
}
