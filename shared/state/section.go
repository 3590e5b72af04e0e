package state

import (
	"bytes"
	"cmp"
	"slices"
)

// span locates a key or value: a range of the table being read, or of
// tableScratch.unquoted when the key had to be unquoted. Spans hold no
// pointers, so the scratch slices cost the garbage collector nothing.
type span struct {
	start, end int
	unquoted   bool
}

// rowEntry is one row of an insert or update table, read before any row of
// the table is applied, so that a malformed table changes nothing.
type rowEntry struct {
	key   span   // the id key, unquoted
	value span   // the row's JSON text
	hash  uint64 // FNV-1a hash of the key, for finding repeated keys

	// columns are the row's members in tableScratch.columns when object is
	// true.
	columnsStart, columnsEnd int
	object                   bool

	// repeated is true when a later row of the table has the same key.
	// Like json.Unmarshal into a map, only the last one is applied.
	repeated bool
}

// member is one column of a row: its name, unquoted, its JSON text, and
// what the scanner learned about the value while reading it.
type member struct {
	name  span
	value span

	// plainString is true for a string whose content is its value.
	plainString bool
	// integer is the value of a bare integer of at most 18 digits, when
	// isInteger is true.
	integer   int64
	isInteger bool
}

// tableScratch holds the rows of one table while they are applied. A Model
// reuses it across messages, so that reading a table allocates nothing once
// the slices have grown.
type tableScratch struct {
	table    []byte // the table being read
	unquoted []byte // keys and names that contain escapes or invalid UTF-8
	rows     []rowEntry
	columns  []member
	ids      []span
	byHash   []int // row indexes sorted by hash, for large tables
}

// maxKeptScratch bounds the rows and ids a Model keeps buffers for between
// messages, so that one large snapshot does not pin its size for months.
const maxKeptScratch = 1024

// release drops the reference to the message, and the buffers themselves
// when a large table made them grow.
func (sc *tableScratch) release() {
	sc.table = nil
	if cap(sc.rows) > maxKeptScratch || cap(sc.ids) > maxKeptScratch || cap(sc.columns) > 16*maxKeptScratch {
		*sc = tableScratch{}
	}
}

// text returns the bytes that sp locates.
func (sc *tableScratch) text(sp span) []byte {
	if sp.unquoted {
		return sc.unquoted[sp.start:sp.end]
	}
	return sc.table[sp.start:sp.end]
}

// keySpan returns the span of a key that scanner.readKey read from
// sc.table at start, unquoting it into sc.unquoted when it is not plain.
func (sc *tableScratch) keySpan(start int, key []byte, plain bool) span {
	if plain {
		return span{start: start, end: start + len(key)}
	}
	first := len(sc.unquoted)
	sc.unquoted = appendUnquoted(sc.unquoted, key)
	return span{start: first, end: len(sc.unquoted), unquoted: true}
}

// readRows reads an object of rows keyed by id into sc.rows and sc.columns,
// validating all of it. It returns false when table is not such an object
// or not valid JSON.
func (sc *tableScratch) readRows(table []byte) bool {
	sc.table = table
	sc.unquoted, sc.rows, sc.columns = sc.unquoted[:0], sc.rows[:0], sc.columns[:0]
	s := scanner{data: table}
	s.skipSpace()
	if s.peek() != '{' {
		return false
	}
	if s.openObject() {
		for {
			keyStart := s.pos + 1
			rawKey, plain := s.readKey()
			if s.err != nil {
				return false
			}
			row := rowEntry{key: sc.keySpan(keyStart, rawKey, plain)}
			row.hash = fnv1a(sc.text(row.key))
			s.skipSpace()
			row.value.start = s.pos
			if s.peek() == '{' {
				row.object = true
				row.columnsStart = len(sc.columns)
				sc.readColumns(&s)
				row.columnsEnd = len(sc.columns)
			} else {
				s.skipValue(1)
			}
			if s.err != nil {
				return false
			}
			row.value.end = s.pos
			sc.rows = append(sc.rows, row)
			if !s.nextMember() {
				break
			}
		}
	}
	if s.err != nil || !s.atEnd() {
		return false
	}
	sc.markRepeatedKeys()
	return true
}

// readColumns reads the object of columns whose opening brace is at the
// scanner's position into sc.columns. It reads strings and numbers
// itself, because they make up most column values.
func (sc *tableScratch) readColumns(s *scanner) {
	if !s.openObject() {
		return
	}
	data := s.data
	for {
		nameStart := s.pos + 1
		rawName, plain := s.readKey()
		if s.err != nil {
			return
		}
		column := member{name: sc.keySpan(nameStart, rawName, plain)}
		i := skipSpaceAt(data, s.pos)
		column.value.start = i
		switch c := byteAt(data, i); {
		case c == '"':
			end, plainString, ok := scanStringAt(data, i)
			if !ok {
				s.failString(end)
				return
			}
			column.plainString = plainString
			i = end
		case c == '-' || isDigit(c):
			end, ok := scanNumberAt(data, i)
			if !ok {
				s.pos = end
				s.failUnexpected("in number")
				return
			}
			column.integer, column.isInteger = parseDecimal(data[i:end])
			i = end
		default:
			s.pos = i
			s.skipValue(2)
			if s.err != nil {
				return
			}
			i = s.pos
		}
		column.value.end = i
		sc.columns = append(sc.columns, column)

		i = skipSpaceAt(data, i)
		switch byteAt(data, i) {
		case ',':
			s.pos = skipSpaceAt(data, i+1)
		case '}':
			s.pos = i + 1
			return
		default:
			s.pos = i
			s.failUnexpected("after object member")
			return
		}
	}
}

// markRepeatedKeys sets repeated on every row whose key appears again later
// in the table. Small tables compare hashes pairwise, and large ones, such
// as snapshots, sort them.
func (sc *tableScratch) markRepeatedKeys() {
	rows := sc.rows
	if len(rows) <= 32 {
		for i := range rows {
			for j := i + 1; j < len(rows); j++ {
				if rows[i].hash == rows[j].hash && bytes.Equal(sc.text(rows[i].key), sc.text(rows[j].key)) {
					rows[i].repeated = true
					break
				}
			}
		}
		return
	}
	order := sc.byHash[:0]
	for i := range rows {
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(rows[a].hash, rows[b].hash); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	// Rows with equal hashes are adjacent and in table order. The keys of
	// each such run are compared pairwise, because different keys may
	// collide.
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && rows[order[end]].hash == rows[order[start]].hash {
			end++
		}
		for i := start; i < end; i++ {
			for j := i + 1; j < end; j++ {
				if bytes.Equal(sc.text(rows[order[i]].key), sc.text(rows[order[j]].key)) {
					rows[order[i]].repeated = true
					break
				}
			}
		}
		start = end
	}
	sc.byHash = order[:0]
}

// rowColumns returns the columns of a row read by readRows.
func (sc *tableScratch) rowColumns(row *rowEntry) []member {
	return sc.columns[row.columnsStart:row.columnsEnd]
}

// readIDs reads an array of row ids into sc.ids, validating all of it. It
// returns false when table is not such an array or not valid JSON.
func (sc *tableScratch) readIDs(table []byte) bool {
	sc.table = table
	sc.ids = sc.ids[:0]
	s := scanner{data: table}
	s.skipSpace()
	if s.peek() != '[' {
		return false
	}
	if s.openArray() {
		for {
			s.skipSpace()
			start := s.pos
			s.skipValue(1)
			if s.err != nil {
				return false
			}
			sc.ids = append(sc.ids, span{start: start, end: s.pos})
			if !s.nextElement() {
				break
			}
		}
	}
	return s.err == nil && s.atEnd()
}

// fnv1a returns the 64-bit FNV-1a hash of data.
func fnv1a(data []byte) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for _, c := range data {
		h ^= uint64(c)
		h *= prime
	}
	return h
}
