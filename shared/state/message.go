package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Message types of the Real-Time State API.
const (
	TypeModelUpdate          = "model_update"
	TypeUpdateModel          = "update_model" // an older name of model_update
	TypeTruncateModel        = "truncate_model"
	TypeAuthenticateResponse = "authenticate_response"
	TypeSubscribeResponse    = "subscribe_response"
)

// Message is one decoded line of the Real-Time State API. Sections hold the
// raw JSON of each table so that one malformed table does not cost the rest
// of the message.
type Message struct {
	Type string `json:"type"`

	// Insert and Update map a table name to an object of rows keyed by id.
	Insert map[string]json.RawMessage `json:"insert,omitempty"`
	Update map[string]json.RawMessage `json:"update,omitempty"`
	// Delete maps a table name to an array of ids.
	Delete map[string]json.RawMessage `json:"delete,omitempty"`

	// Success and Text are set on authenticate and subscribe responses.
	Success *bool  `json:"success,omitempty"`
	Text    string `json:"message,omitempty"`
}

// ErrNotObject is returned by Decode for input that is not a JSON object.
var ErrNotObject = errors.New("state API message is not a JSON object")

// Decode parses one line of the Real-Time State API. It rejects input that
// is not a JSON object or has no string "type"; sections are checked later,
// table by table, by Model.Apply.
//
// Decode accepts what json.Unmarshal into a Message accepts: keys match the
// fields' JSON names case-insensitively, a repeated section key adds its
// tables to the section, a repeated table name keeps the last value, and
// null leaves Type and Text unchanged. The message's sections are
// sub-slices of line, so the caller must not modify line while it uses the
// message.
func Decode(line []byte) (*Message, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return nil, fmt.Errorf("%w: %s", ErrNotObject, abbreviate(line))
	}
	m := new(Message)
	if err := decodeMessage(line, m); err != nil {
		return nil, fmt.Errorf("decoding state API message: %w", err)
	}
	if m.Type == "" {
		return nil, fmt.Errorf("state API message has no type: %s", abbreviate(line))
	}
	return m, nil
}

// IsModelUpdate reports whether m carries rows to apply.
func (m *Message) IsModelUpdate() bool {
	return m.Type == TypeModelUpdate || m.Type == TypeUpdateModel
}

// ParseID normalises a row id given as a JSON number or string, as ids
// arrive in both forms, and rejects ids that are not positive integers.
func ParseID(value []byte) (int64, error) {
	if id, ok := parseDecimal(value); ok && id > 0 {
		return id, nil
	}
	id, err := parseInt(value)
	if err != nil {
		return 0, fmt.Errorf("invalid row id: %w", err)
	}
	if id <= 0 {
		return 0, fmt.Errorf("invalid row id %d: want a positive integer", id)
	}
	return id, nil
}

func isNull(value []byte) bool {
	return string(trimSpace(value)) == "null"
}
