package state_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rtdash/rtdash/shared/state"
)

func TestDecodeModelUpdate(t *testing.T) {
	line := "  {\"type\":\"model_update\",\"insert\":{\"queue\":{\"3\":{\"name\":\"Tech\"}}}," +
		"\"update\":{\"representative\":{\"4\":{\"routing_busy\":1}}}," +
		"\"delete\":{\"support_session\":[\"21\"]}}\n"

	got, err := state.Decode([]byte(line))

	if err != nil {
		t.Fatalf("Decode() failed: %v", err)
	}
	want := &state.Message{
		Type:   state.TypeModelUpdate,
		Insert: map[string]json.RawMessage{"queue": json.RawMessage(`{"3":{"name":"Tech"}}`)},
		Update: map[string]json.RawMessage{"representative": json.RawMessage(`{"4":{"routing_busy":1}}`)},
		Delete: map[string]json.RawMessage{"support_session": json.RawMessage(`["21"]`)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Decode() mismatch (-want +got):\n%s", diff)
	}
	if !got.IsModelUpdate() {
		t.Errorf("IsModelUpdate() = false, want true")
	}
}

func TestDecodeResponse(t *testing.T) {
	got, err := state.Decode([]byte(`{"success":false,"type":"authenticate_response","message":"invalid token"}`))

	if err != nil {
		t.Fatalf("Decode() failed: %v", err)
	}
	success := false
	want := &state.Message{Type: state.TypeAuthenticateResponse, Success: &success, Text: "invalid token"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Decode() mismatch (-want +got):\n%s", diff)
	}
	if got.IsModelUpdate() {
		t.Errorf("IsModelUpdate() = true for an authenticate_response, want false")
	}
}

func TestMessageIsModelUpdate(t *testing.T) {
	tests := map[string]bool{
		state.TypeModelUpdate:   true,
		state.TypeUpdateModel:   true,
		state.TypeTruncateModel: false,
		"model_updates":         false,
	}
	for typ, want := range tests {
		msg := &state.Message{Type: typ}
		if got := msg.IsModelUpdate(); got != want {
			t.Errorf("IsModelUpdate() for type %q = %t, want %t", typ, got, want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name        string
		line        string
		notObject   bool   // the error wraps ErrNotObject
		wantInError string // a part of the message that names the problem
	}{
		{name: "empty", line: "", notObject: true, wantInError: "nothing"},
		{name: "blank", line: " \n", notObject: true, wantInError: "nothing"},
		{name: "not JSON", line: "hello", notObject: true, wantInError: "hello"},
		{name: "array", line: `[{"type":"model_update"}]`, notObject: true, wantInError: `[{"type"`},
		{name: "string", line: `"model_update"`, notObject: true, wantInError: `"model_update"`},
		{name: "null", line: `null`, notObject: true, wantInError: "null"},
		{name: "truncated object", line: `{"type":"model_update"`, wantInError: "decoding"},
		{name: "trailing data", line: `{"type":"model_update"} {}`, wantInError: "decoding"},
		{name: "no type", line: `{"insert":{}}`, wantInError: "no type"},
		{name: "empty type", line: `{"type":""}`, wantInError: "no type"},
		{name: "type not a string", line: `{"type":5}`, wantInError: "decoding"},
		{name: "insert not an object", line: `{"type":"model_update","insert":[1]}`, wantInError: "decoding"},
		{name: "delete not an object", line: `{"type":"model_update","delete":["3"]}`, wantInError: "decoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, err := state.Decode([]byte(tt.line))

			if err == nil {
				t.Fatalf("Decode(%q) = %+v, want an error", tt.line, msg)
			}
			if msg != nil {
				t.Errorf("Decode(%q) message = %+v, want nil with the error", tt.line, msg)
			}
			if got := errors.Is(err, state.ErrNotObject); got != tt.notObject {
				t.Errorf("errors.Is(%v, ErrNotObject) = %t, want %t", err, got, tt.notObject)
			}
			if !strings.Contains(err.Error(), tt.wantInError) {
				t.Errorf("error %q does not contain %q", err, tt.wantInError)
			}
		})
	}
}

func TestDecodeShortensLongInput(t *testing.T) {
	line := "x" + strings.Repeat("y", 1000)

	_, err := state.Decode([]byte(line))

	if err == nil {
		t.Fatalf("Decode() of non-JSON input succeeded, want an error")
	}
	if len(err.Error()) > 200 {
		t.Errorf("error message has %d bytes, want the input shortened: %q", len(err.Error()), err)
	}
}
