package state

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// messageField is a field of Message that a key of a state API message
// sets.
type messageField int

const (
	fieldUnknown messageField = iota
	fieldType
	fieldInsert
	fieldUpdate
	fieldDelete
	fieldSuccess
	fieldText
)

// messageFields lists the JSON names of Message's fields.
var messageFields = [...]struct {
	name  string
	field messageField
}{
	{"type", fieldType},
	{"insert", fieldInsert},
	{"update", fieldUpdate},
	{"delete", fieldDelete},
	{"success", fieldSuccess},
	{"message", fieldText},
}

// matchMessageField returns the field a key sets. Like encoding/json, it
// prefers an exact match and otherwise matches case-insensitively with
// Unicode case folding, so "Type" and "ſuccess" match too.
func matchMessageField(key []byte) messageField {
	for _, f := range messageFields {
		if string(key) == f.name {
			return f.field
		}
	}
	for _, f := range messageFields {
		if bytes.EqualFold(key, []byte(f.name)) {
			return f.field
		}
	}
	return fieldUnknown
}

// decodeMessage fills m from the JSON object in data. Sections keep
// sub-slices of data. A syntax error anywhere takes precedence over a value
// of the wrong type, as with json.Unmarshal.
func decodeMessage(data []byte, m *Message) error {
	s := scanner{data: data}
	var typeErr error
	s.skipSpace()
	if s.peek() != '{' {
		s.failUnexpected("where the message object should start")
		return s.err
	}
	if s.openObject() {
		for {
			rawKey, plain := s.readKey()
			if s.err != nil {
				break
			}
			s.skipSpace()
			switch matchMessageField(unquote(rawKey, plain)) {
			case fieldType:
				s.decodeStringField(&m.Type, "type", &typeErr)
			case fieldText:
				s.decodeStringField(&m.Text, "message", &typeErr)
			case fieldSuccess:
				s.decodeBoolField(&m.Success, "success", &typeErr)
			case fieldInsert:
				s.decodeSection(&m.Insert, "insert", 1, &typeErr)
			case fieldUpdate:
				s.decodeSection(&m.Update, "update", 1, &typeErr)
			case fieldDelete:
				s.decodeSection(&m.Delete, "delete", 1, &typeErr)
			default:
				s.skipValue(1)
			}
			if !s.nextMember() {
				break
			}
		}
	}
	if s.err == nil && !s.atEnd() {
		s.failUnexpected("after the message object")
	}
	if s.err != nil {
		return s.err
	}
	return typeErr
}

// decodeTables decodes an object of tables, as Model.Load takes it. null
// decodes as no tables.
func decodeTables(data []byte) (map[string]json.RawMessage, error) {
	tables, rest, err := decodeTablesPrefix(data)
	if err != nil {
		return nil, err
	}
	if s := (scanner{data: rest}); !s.atEnd() {
		s.failUnexpected("after the tables object")
		return nil, offsetBy(s.err, len(data)-len(rest))
	}
	return tables, nil
}

// decodeTablesPrefix reads the tables object at the start of data and
// returns what follows it.
func decodeTablesPrefix(data []byte) (map[string]json.RawMessage, []byte, error) {
	s := scanner{data: data}
	var tables map[string]json.RawMessage
	var typeErr error
	s.skipSpace()
	s.decodeSection(&tables, "tables", 0, &typeErr)
	if s.err != nil {
		return nil, nil, s.err
	}
	if typeErr != nil {
		return nil, nil, typeErr
	}
	return tables, data[s.pos:], nil
}

// offsetBy moves the offset of a syntax error found in a suffix of the
// input to the offset in the whole input.
func offsetBy(err error, offset int) error {
	if se, ok := err.(*syntaxError); ok {
		return &syntaxError{offset: se.offset + offset, msg: se.msg}
	}
	return err
}

// jsonKind names the type of the JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// skipWrongType records that the value of field is not of the wanted type,
// unless an earlier field was, and skips the value.
func (s *scanner) skipWrongType(field, want string, depth int, typeErr *error) {
	if *typeErr == nil {
		*typeErr = fmt.Errorf("%s is %s, want %s", field, jsonKind(s.peek()), want)
	}
	s.skipValue(depth)
}

// decodeStringField stores a string value of the message object in dst.
// null leaves dst unchanged.
func (s *scanner) decodeStringField(dst *string, field string, typeErr *error) {
	switch s.peek() {
	case '"':
		content, plain := s.scanString()
		if s.err == nil {
			*dst = internString(content, plain)
		}
	case 'n':
		s.scanLiteral("null")
	default:
		s.skipWrongType(field, "a string", 1, typeErr)
	}
}

// decodeBoolField stores a boolean value of the message object in dst.
// null sets dst to nil.
func (s *scanner) decodeBoolField(dst **bool, field string, typeErr *error) {
	switch s.peek() {
	case 't', 'f':
		value := s.peek() == 't'
		if value {
			s.scanLiteral("true")
		} else {
			s.scanLiteral("false")
		}
		*dst = &value
	case 'n':
		s.scanLiteral("null")
		*dst = nil
	default:
		s.skipWrongType(field, "a boolean", 1, typeErr)
	}
}

// decodeSection adds the members of an object of tables to dst, creating
// it when nil. null sets dst to nil. depth is the number of arrays and
// objects that enclose the section.
func (s *scanner) decodeSection(dst *map[string]json.RawMessage, field string, depth int, typeErr *error) {
	switch s.peek() {
	case '{':
	case 'n':
		s.scanLiteral("null")
		*dst = nil
		return
	default:
		s.skipWrongType(field, "an object", depth, typeErr)
		return
	}
	if *dst == nil {
		*dst = make(map[string]json.RawMessage)
	}
	if !s.openObject() {
		return
	}
	for {
		rawKey, plain := s.readKey()
		value := s.value(depth + 1)
		if s.err != nil {
			return
		}
		(*dst)[internTableName(rawKey, plain)] = value
		if !s.nextMember() {
			return
		}
	}
}

// knownTableNames and knownTypes let the decoder reuse constant strings
// instead of allocating a copy for every message.
var (
	knownTableNames = slices.Clone(TableNames)
	knownTypes      = []string{
		TypeModelUpdate, TypeUpdateModel, TypeTruncateModel,
		TypeAuthenticateResponse, TypeSubscribeResponse,
	}
)

func internTableName(content []byte, plain bool) string {
	if plain {
		for _, name := range knownTableNames {
			if string(content) == name {
				return name
			}
		}
	}
	return string(unquote(content, plain))
}

func internString(content []byte, plain bool) string {
	if plain {
		for _, name := range knownTypes {
			if string(content) == name {
				return name
			}
		}
	}
	return string(unquote(content, plain))
}
