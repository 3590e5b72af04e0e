package state

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"
)

// AppendJSON appends the model to dst as one JSON object in the form of an
// insert section: table name → row id (a string) → column name → value,
// with the appliance's column names and value forms (booleans as 1 and 0).
// Every table is present, empty ones as {}; rows are in ascending id order
// and only received columns are written.
func (m *Model) AppendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	for i, t := range m.order {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, t.Name())
		dst = append(dst, ':')
		dst = t.appendJSON(dst)
	}
	return append(dst, '}')
}

// MarshalJSON encodes the model as AppendJSON does.
func (m *Model) MarshalJSON() ([]byte, error) {
	return m.AppendJSON(nil), nil
}

// Load replaces the model's content with tables in the form AppendJSON
// writes, as a fresh subscription snapshot would.
func (m *Model) Load(tables json.RawMessage) (Result, error) {
	section, err := decodeTables(tables)
	if err != nil {
		return Result{}, fmt.Errorf("decoding snapshot tables: %w", err)
	}
	m.Reset()
	return m.Apply(&Message{Type: TypeModelUpdate, Insert: section}), nil
}

// LoadFrom is Load for tables at the start of data, followed by other
// text: it returns the bytes after the tables object, so that a caller can
// read a snapshot out of a larger message without copying it.
func (m *Model) LoadFrom(data []byte) (rest []byte, res Result, err error) {
	section, rest, err := decodeTablesPrefix(data)
	if err != nil {
		return nil, Result{}, fmt.Errorf("decoding snapshot tables: %w", err)
	}
	m.Reset()
	return rest, m.Apply(&Message{Type: TypeModelUpdate, Insert: section}), nil
}

func (t *Table[T, P]) appendJSON(dst []byte) []byte {
	dst = append(dst, '{')
	for i, id := range t.IDs() {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = strconv.AppendInt(dst, id, 10)
		dst = append(dst, '"', ':')
		dst = t.appendRow(dst, t.rows[id])
	}
	return append(dst, '}')
}

func (t *Table[T, P]) appendRow(dst []byte, row P) []byte {
	meta := row.meta()
	dst = append(dst, '{')
	first := true
	for i := range t.schema.columns {
		c := &t.schema.columns[i]
		if !meta.has(i) {
			continue
		}
		if _, verbatim := meta.Extra[c.name]; verbatim {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendJSONString(dst, c.name)
		dst = append(dst, ':')
		dst = c.append(dst, (*T)(row))
	}
	if len(meta.Extra) > 0 {
		names := make([]string, 0, len(meta.Extra))
		for name := range meta.Extra {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			if !first {
				dst = append(dst, ',')
			}
			first = false
			dst = appendJSONString(dst, name)
			dst = append(dst, ':')
			dst = append(dst, meta.Extra[name]...)
		}
	}
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, and <, > and & are escaped as encoding/json does, so that the
// output is safe inside HTML.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 end lines in JavaScript source.
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
