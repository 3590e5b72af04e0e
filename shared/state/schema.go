package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Meta is the part of every row that is not an appliance column: the row id,
// which columns have been received, and columns the schema does not know.
type Meta struct {
	ID int64

	// present has bit i set when column i of the row's schema was received.
	present uint64

	// Extra holds columns as received when the schema does not know them, or
	// when a known text column arrived as a non-string JSON value. Snapshots
	// send them back unchanged.
	Extra map[string]json.RawMessage
}

func (m *Meta) meta() *Meta { return m }

// has reports whether column index of the row's schema was received.
// Missing columns read as their zero value.
func (m *Meta) has(index int) bool { return m.present&(1<<index) != 0 }

// rowPointer is satisfied by pointers to the row structs of this package.
type rowPointer[T any] interface {
	*T
	meta() *Meta
}

// column describes one appliance column of a row type T.
type column[T any] struct {
	name string
	// set decodes a JSON value into the row. It returns an error naming the
	// expected form when the value cannot be stored; the row is then left
	// unchanged.
	set func(row *T, value []byte) error
	// append writes the column's value to dst as JSON.
	append func(dst []byte, row *T) []byte
	// text is true for string columns that may carry other JSON values,
	// which are then kept verbatim in Meta.Extra.
	text bool
	// intField and stringField, set for integer and string columns, store
	// values that the scanner has already parsed without calling set.
	intField    func(row *T) *int64
	stringField func(row *T) *string
}

// schema lists the known columns of a row type.
type schema[T any] struct {
	columns []column[T]
	// byLength[n] lists the indexes of the columns whose names have n bytes.
	// Comparing the few names of one length is cheaper than hashing the
	// name for a map, above all in WebAssembly.
	byLength [][]int
	// opaque marks tables whose columns are undocumented, so that their
	// columns are kept without being reported as unknown.
	opaque bool
}

func newSchema[T any](columns ...column[T]) *schema[T] {
	if len(columns) > 64 {
		panic("state: a schema supports at most 64 columns")
	}
	s := &schema[T]{columns: columns}
	for i, c := range columns {
		for len(s.byLength) <= len(c.name) {
			s.byLength = append(s.byLength, nil)
		}
		s.byLength[len(c.name)] = append(s.byLength[len(c.name)], i)
	}
	return s
}

// lookup returns the index of the column with the given name.
func (s *schema[T]) lookup(name []byte) (int, bool) {
	if len(name) >= len(s.byLength) {
		return 0, false
	}
	for _, i := range s.byLength[len(name)] {
		if string(name) == s.columns[i].name {
			return i, true
		}
	}
	return 0, false
}

func intColumn[T any](name string, field func(*T) *int64) column[T] {
	return column[T]{
		name:     name,
		intField: field,
		set: func(row *T, value []byte) error {
			v, err := parseInt(value)
			if err != nil {
				return err
			}
			*field(row) = v
			return nil
		},
		append: func(dst []byte, row *T) []byte {
			return strconv.AppendInt(dst, *field(row), 10)
		},
	}
}

func stringColumn[T any](name string, field func(*T) *string) column[T] {
	return column[T]{
		name:        name,
		stringField: field,
		set: func(row *T, value []byte) error {
			return setString(field(row), value)
		},
		append: func(dst []byte, row *T) []byte {
			return appendJSONString(dst, *field(row))
		},
	}
}

// textColumn is a string column whose type is not confirmed: a non-string
// value is accepted, its JSON text stored in the field, and the value itself
// kept in Meta.Extra so that snapshots repeat it unchanged.
func textColumn[T any](name string, field func(*T) *string) column[T] {
	c := stringColumn(name, field)
	c.text = true
	return c
}

func boolColumn[T any](name string, field func(*T) *bool) column[T] {
	return column[T]{
		name: name,
		set: func(row *T, value []byte) error {
			v, err := parseBool(value)
			if err != nil {
				return err
			}
			*field(row) = v
			return nil
		},
		append: func(dst []byte, row *T) []byte {
			// The appliance documents booleans as 1 and 0.
			if *field(row) {
				return append(dst, '1')
			}
			return append(dst, '0')
		},
	}
}

// parseInt accepts a JSON integer, or a string holding one, as ids and
// foreign keys arrive in both forms. null reads as 0.
func parseInt(value []byte) (int64, error) {
	if v, ok := parseDecimal(value); ok {
		return v, nil
	}
	return parseIntSlow(value)
}

// parseIntSlow is parseInt for every form, including those of parseDecimal.
func parseIntSlow(value []byte) (int64, error) {
	value = trimSpace(value)
	if string(value) == "null" {
		return 0, nil
	}
	text := value
	if len(value) > 0 && value[0] == '"' {
		s, err := parseString(value)
		if err != nil {
			return 0, err
		}
		text = []byte(s)
	}
	v, err := strconv.ParseInt(string(text), 10, 64)
	if err != nil {
		// Integral floats such as 1.7e9 are accepted; fractions are not.
		f, ferr := strconv.ParseFloat(string(text), 64)
		if ferr != nil || f != float64(int64(f)) {
			return 0, fmt.Errorf("want an integer, got %s", abbreviate(value))
		}
		v = int64(f)
	}
	return v, nil
}

// parseDecimal parses the common forms of parseInt without allocating:
// up to 18 decimal digits with an optional minus sign, bare or quoted.
// It returns false for every other form, which parseInt then handles.
func parseDecimal(value []byte) (int64, bool) {
	if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		value = value[1 : len(value)-1]
	}
	negative := len(value) > 0 && value[0] == '-'
	if negative {
		value = value[1:]
	}
	// 18 digits cannot overflow an int64.
	if len(value) == 0 || len(value) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range value {
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if negative {
		v = -v
	}
	return v, true
}

func parseString(value []byte) (string, error) {
	var s string
	err := setString(&s, value)
	return s, err
}

// setString stores a JSON string (or null, as "") in dst. It allocates only
// when the value differs from what dst holds. Invalid UTF-8 is replaced
// with U+FFFD as encoding/json does, so a stored string is always valid
// UTF-8 and encodes the same way each time.
func setString(dst *string, value []byte) error {
	value = trimSpace(value)
	if string(value) == "null" {
		*dst = ""
		return nil
	}
	if len(value) < 2 || value[0] != '"' {
		return fmt.Errorf("want a string, got %s", abbreviate(value))
	}
	s := scanner{data: value}
	content, plain := s.scanString()
	if s.err != nil || s.pos != len(value) {
		return fmt.Errorf("want a string, got %s", abbreviate(value))
	}
	if !plain {
		var buf [128]byte
		content = appendUnquoted(buf[:0], content)
	}
	if *dst != string(content) {
		*dst = string(content)
	}
	return nil
}

// parseBool accepts 1 and 0 (the documented form), true and false, and the
// same values as strings.
func parseBool(value []byte) (bool, error) {
	switch string(trimSpace(value)) {
	case "1", "true", `"1"`, `"true"`:
		return true, nil
	case "0", "false", `"0"`, `"false"`, "null":
		return false, nil
	}
	return false, fmt.Errorf("want 1, 0, true or false, got %s", abbreviate(value))
}

// trimSpace is bytes.TrimSpace with a fast path for text that starts and
// ends with printable ASCII, as every value the scanner returns does.
func trimSpace(value []byte) []byte {
	if len(value) > 0 && isPrintableASCII(value[0]) && isPrintableASCII(value[len(value)-1]) {
		return value
	}
	return bytes.TrimSpace(value)
}

func isPrintableASCII(c byte) bool { return ' ' < c && c < utf8.RuneSelf }

// abbreviate shortens a JSON value for an error message.
func abbreviate(value []byte) string {
	const limit = 40
	if len(value) == 0 {
		return "nothing"
	}
	if len(value) > limit {
		return string(value[:limit]) + "…"
	}
	return string(value)
}
