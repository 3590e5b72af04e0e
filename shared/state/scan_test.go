package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// scannerCases are JSON texts on which the scanner and json.Valid must
// agree. valid records encoding/json's verdict, so that a change of either
// side shows up as a failure that names the input.
var scannerCases = []struct {
	input string
	valid bool
}{
	{`{}`, true},
	{` { } `, true},
	{"\t{\r\n}\n", true},
	{`{"a":1}`, true},
	{`{"a":[1,2,{"b":null}],"c":{"d":"e"}}`, true},
	{`{"a" : 1 , "b" : [ ] }`, true},
	{`[]`, true},
	{`[1,"x",true,false,null,{},[]]`, true},
	{`"plain"`, true},
	{`0`, true},
	{`-0`, true},
	{`-12.5e+3`, true},
	{`1E-7`, true},
	{`12345678901234567890123`, true},
	{`true`, true},
	{`null`, true},
	{`"\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE42"`, true},
	{`"\ud800"`, true},
	{"\"a\xffb\"", true},
	{"\"\xed\xa0\x80\"", true},
	{"\"\x7f\"", true},
	{`{"a":1,"a":2}`, true},
	{``, false},
	{` `, false},
	{`{`, false},
	{`}`, false},
	{`{"a"}`, false},
	{`{"a":}`, false},
	{`{"a":1,}`, false},
	{`{,"a":1}`, false},
	{`{"a":1 "b":2}`, false},
	{`{a:1}`, false},
	{`{'a':1}`, false},
	{`{"a":1}}`, false},
	{`{"a":1} {}`, false},
	{`{"a":1]`, false},
	{`[1}`, false},
	{`[1,]`, false},
	{`[,1]`, false},
	{`[1 2]`, false},
	{`01`, false},
	{`-`, false},
	{`+1`, false},
	{`1.`, false},
	{`.5`, false},
	{`1e`, false},
	{`1e+`, false},
	{`0x10`, false},
	{`NaN`, false},
	{`Infinity`, false},
	{`tru`, false},
	{`truex`, false},
	{`nul`, false},
	{`True`, false},
	{`"abc`, false},
	{`"\x"`, false},
	{`"\u12"`, false},
	{`"\u12G4"`, false},
	{"\"a\nb\"", false},
	{"\"a\x00b\"", false},
	{"\"a\x1fb\"", false},
	{"\u00a0{}", false},
	{"\ufeff{}", false},
	{"{}\x00", false},
	{`{"a":1}/*comment*/`, false},
}

func TestScannerMatchesJSONValid(t *testing.T) {
	for _, tt := range scannerCases {
		if got := json.Valid([]byte(tt.input)); got != tt.valid {
			t.Errorf("json.Valid(%q) = %t, want %t: the table is out of date", tt.input, got, tt.valid)
		}
		if got := validJSON([]byte(tt.input)); got != tt.valid {
			t.Errorf("validJSON(%q) = %t, want %t", tt.input, got, tt.valid)
		}
	}
}

func TestScannerNestingLimit(t *testing.T) {
	tests := []struct {
		name  string
		depth int
		valid bool
	}{
		{"at the limit", maxNestingDepth, true},
		{"above the limit", maxNestingDepth + 1, false},
	}
	for _, tt := range tests {
		for _, open := range []string{"[", `{"k":`} {
			innermost, closing := "[]", "]"
			if open != "[" {
				innermost, closing = "{}", "}"
			}
			input := []byte(strings.Repeat(open, tt.depth-1) + innermost + strings.Repeat(closing, tt.depth-1))
			t.Run(tt.name+" "+open, func(t *testing.T) {
				if got := json.Valid(input); got != tt.valid {
					t.Errorf("json.Valid(%d levels) = %t, want %t", tt.depth, got, tt.valid)
				}
				if got := validJSON(input); got != tt.valid {
					t.Errorf("validJSON(%d levels) = %t, want %t", tt.depth, got, tt.valid)
				}
			})
		}
	}
}

func TestScannerErrorNamesOffset(t *testing.T) {
	s := scanner{data: []byte(`{"a":[1,2 3]}`)}

	s.skipValue(0)

	var syntaxErr *syntaxError
	if !errors.As(s.err, &syntaxErr) {
		t.Fatalf("skipValue() error = %v, want a *syntaxError", s.err)
	}
	if syntaxErr.offset != 10 {
		t.Errorf("error offset = %d, want 10, the byte '3'", syntaxErr.offset)
	}
	if !strings.Contains(s.err.Error(), "byte 10") {
		t.Errorf("error %q does not name byte 10", s.err)
	}
}

func TestAppendUnquotedMatchesJSON(t *testing.T) {
	for _, quoted := range []string{
		`""`,
		`"plain"`,
		`"\"\\\/\b\f\n\r\t"`,
		`"\u0041\u00e9\u4e2d\uffff"`,
		`"\uD83D\uDE42"`,
		`"\ud83d\ude42"`,
		`"a\ud83db"`,
		`"\ude42\ud83d"`,
		`"\ud83d\ud83d\ude42"`,
		`"\ud83d\u0041"`,
		`"\ud83d\\"`,
		`"\ud83d"`,
		"\"a\xffb\xc3\"",
		"\"\xed\xa0\x80\"",
		"\"x\xe6\x97\"",
		"\"\xf4\x90\x80\x80\"",
		"\"Jos\xc3\xa9 \\\"\xfe\\\"\"",
	} {
		var want string
		if err := json.Unmarshal([]byte(quoted), &want); err != nil {
			t.Fatalf("json.Unmarshal(%q) failed: %v", quoted, err)
		}
		s := scanner{data: []byte(quoted)}
		content, plain := s.scanString()
		if s.err != nil {
			t.Fatalf("scanString(%q) failed: %v", quoted, s.err)
		}
		if got := string(unquote(content, plain)); got != want {
			t.Errorf("unquote(%q) = %q, want %q as encoding/json decodes it", quoted, got, want)
		}
		if plain && string(content) != want {
			t.Errorf("scanString(%q) reports plain content %q that differs from its value %q", quoted, content, want)
		}
	}
}

func TestFirstSpecialByte(t *testing.T) {
	for _, tt := range []struct {
		word string
		want int
	}{
		{"abcdefgh", 8},
		{"\"bcdefgh", 0},
		{"abc\\efgh", 3},
		{"abcdefg\x1f", 7},
		{"abcd\x80fgh", 4},
		{"ab\x00d\"fgh", 2},
		{"!#[]~ 01", 8},
		{"\x21\x5b\x5d\x7e\x7f\x20\x23\x5d", 8},
	} {
		x := uint64(0)
		for i := len(tt.word) - 1; i >= 0; i-- {
			x = x<<8 | uint64(tt.word[i])
		}
		if got := firstSpecialByte(x); got != tt.want {
			t.Errorf("firstSpecialByte(%q) = %d, want %d", tt.word, got, tt.want)
		}
	}
}

func TestParseDecimalMatchesParseInt(t *testing.T) {
	for _, value := range []string{
		`0`, `7`, `-7`, `017`, `"17"`, `"-17"`, `"017"`, `123456789012345678`,
		`-123456789012345678`, `1234567890123456789`, `9223372036854775807`,
		`-`, `""`, `"-"`, `1.0`, `1e3`, `"+5"`, `" 5"`, `5 `, `null`, `"x"`,
	} {
		fast, ok := parseDecimal([]byte(value))
		if !ok {
			continue
		}
		want, err := parseIntSlow([]byte(value))
		if err != nil {
			t.Errorf("parseDecimal(%s) = %d, but the general parser rejects it: %v", value, fast, err)
			continue
		}
		if fast != want {
			t.Errorf("parseDecimal(%s) = %d, want %d", value, fast, want)
		}
	}
}

// FuzzScanner checks the scanner against encoding/json: it must accept
// exactly what json.Valid accepts, and for an object it must return the
// keys and values, in order, that a json.Decoder reads.
func FuzzScanner(f *testing.F) {
	for _, tt := range scannerCases {
		f.Add([]byte(tt.input))
	}
	f.Add([]byte(`{"type":"model_update","insert":{"queue":{"3":{"name":"Tech","x":[1,{"y":2}]}}}}`))
	f.Add([]byte(`{"\u0074ype":"a\u00e9","k\"ey":"\ud83d","":[],"n":-0.5e-3}`))

	f.Fuzz(func(t *testing.T, input []byte) {
		valid := json.Valid(input)
		if got := validJSON(input); got != valid {
			t.Fatalf("validJSON(%q) = %t, json.Valid = %t", input, got, valid)
		}
		trimmed := bytes.TrimLeft(input, " \t\r\n")
		if !valid || len(trimmed) == 0 || trimmed[0] != '{' {
			return
		}

		wantKeys, wantValues := decoderMembers(t, input)
		s := scanner{data: input}
		s.skipSpace()
		var keys []string
		var values [][]byte
		if s.openObject() {
			for {
				key, plain := s.readKey()
				value := s.value(1)
				if s.err != nil {
					t.Fatalf("scanning members of valid %q failed: %v", input, s.err)
				}
				keys = append(keys, string(unquote(key, plain)))
				values = append(values, value)
				if !s.nextMember() {
					break
				}
			}
		}
		if s.err != nil || !s.atEnd() {
			t.Fatalf("scanning valid %q stopped at byte %d: %v", input, s.pos, s.err)
		}
		if len(keys) != len(wantKeys) {
			t.Fatalf("scanner read %d members of %q, json.Decoder %d", len(keys), input, len(wantKeys))
		}
		for i := range keys {
			if keys[i] != wantKeys[i] {
				t.Errorf("key %d of %q = %q, json.Decoder reads %q", i, input, keys[i], wantKeys[i])
			}
			if !bytes.Equal(values[i], wantValues[i]) {
				t.Errorf("value %d of %q = %q, json.Decoder reads %q", i, input, values[i], wantValues[i])
			}
			if values[i][0] == '"' {
				checkStringValue(t, values[i])
			}
		}
	})
}

// decoderMembers returns the keys and raw values of the JSON object in
// input, read with a json.Decoder.
func decoderMembers(t *testing.T, input []byte) ([]string, [][]byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(input))
	if _, err := dec.Token(); err != nil {
		t.Fatalf("json.Decoder failed on the opening brace of %q: %v", input, err)
	}
	var keys []string
	var values [][]byte
	for dec.More() {
		token, err := dec.Token()
		if err != nil {
			t.Fatalf("json.Decoder failed on a key of %q: %v", input, err)
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			t.Fatalf("json.Decoder failed on a value of %q: %v", input, err)
		}
		keys = append(keys, token.(string))
		values = append(values, value)
	}
	return keys, values
}

// checkStringValue compares the scanner's reading of a JSON string with
// encoding/json's.
func checkStringValue(t *testing.T, quoted []byte) {
	t.Helper()
	var want string
	if err := json.Unmarshal(quoted, &want); err != nil {
		t.Fatalf("json.Unmarshal(%q) failed: %v", quoted, err)
	}
	s := scanner{data: quoted}
	content, plain := s.scanString()
	if got := string(unquote(content, plain)); got != want {
		t.Errorf("unquote(%q) = %q, json.Unmarshal = %q", quoted, got, want)
	}
}
