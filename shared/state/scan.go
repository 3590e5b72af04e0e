package state

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// maxNestingDepth bounds how deeply arrays and objects may nest. It is the
// limit of encoding/json (Go 1.26), so that the scanner and json.Valid
// accept the same input, and the scanner's stack stays bounded.
const maxNestingDepth = 10000

// syntaxError is a JSON syntax error found by the scanner.
type syntaxError struct {
	offset int // byte offset of the error in the scanned input
	msg    string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.offset, e.msg)
}

// scanner walks JSON text once, validating it as strictly as encoding/json
// while returning keys and values as sub-slices of the input. It stops at
// the first error, after which every method returns at once.
type scanner struct {
	data []byte
	pos  int
	err  error
}

// fail records the first syntax error at the current position.
func (s *scanner) fail(msg string) {
	if s.err == nil {
		s.err = &syntaxError{offset: s.pos, msg: msg}
	}
}

// failUnexpected records an error that names the byte at the current
// position, or the end of the input.
func (s *scanner) failUnexpected(context string) {
	if s.pos >= len(s.data) {
		s.fail("unexpected end of input " + context)
		return
	}
	s.fail(fmt.Sprintf("unexpected %q %s", s.data[s.pos], context))
}

func (s *scanner) skipSpace() {
	s.pos = skipSpaceAt(s.data, s.pos)
}

// skipSpaceAt returns the index of the first byte from data[i] on that is
// not JSON whitespace.
func skipSpaceAt(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// peek returns the byte at the current position, or 0 at the end.
func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// byteAt returns data[i], or 0 when i is past the end.
func byteAt(data []byte, i int) byte {
	if i < len(data) {
		return data[i]
	}
	return 0
}

// atEnd reports whether only whitespace remains.
func (s *scanner) atEnd() bool {
	s.skipSpace()
	return s.pos == len(s.data)
}

// plainStringByte[c] is true for bytes that represent themselves inside a
// JSON string: printable ASCII other than the quote and the backslash.
var plainStringByte = func() (table [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		table[c] = c != '"' && c != '\\'
	}
	return table
}()

// Masks for testing the 8 bytes of a uint64 at once.
const (
	eachByte01 = 0x0101010101010101
	eachByte80 = 0x8080808080808080
)

// firstSpecialByte returns the index of the first byte of the 8 bytes of x
// (in little-endian order) that is not a plainStringByte, or 8 when there
// is none. The tests below have no false negatives, and a false positive
// can only follow a true one, so the lowest flagged byte is exact.
func firstSpecialByte(x uint64) int {
	quote := x ^ ('"' * eachByte01)
	backslash := x ^ ('\\' * eachByte01)
	flagged := (x-0x20*eachByte01)&^x | // below 0x20
		(quote-eachByte01)&^quote | // '"'
		(backslash-eachByte01)&^backslash | // '\\'
		x // from 0x80 on
	return bits.TrailingZeros64(flagged&eachByte80) / 8
}

// scanString reads the string whose opening quote is at the current
// position. It returns the bytes between the quotes and
// plain, which is true when they are the string's value as is: no escapes
// and valid UTF-8.
func (s *scanner) scanString() (content []byte, plain bool) {
	start := s.pos + 1
	end, plain, ok := scanStringAt(s.data, s.pos)
	if !ok {
		s.failString(end)
		return nil, false
	}
	s.pos = end
	return s.data[start : end-1], plain
}

// failString records the error that scanStringAt found at i.
func (s *scanner) failString(i int) {
	s.pos = i
	switch {
	case i >= len(s.data):
		s.fail("unterminated string")
	case s.data[i] == '\\':
		s.fail("invalid escape sequence in string")
	default:
		s.fail("control character in string")
	}
}

// scanStringAt reads the string whose opening quote is data[i]. It returns
// the index after the closing quote and whether the content is plain, as
// scanString does, or false and the index of the error.
func scanStringAt(data []byte, i int) (end int, plain bool, ok bool) {
	plain = true
	i++
	for {
		// Skip 8 plain bytes at a time, then one at a time near the end.
		if i+8 <= len(data) {
			n := firstSpecialByte(binary.LittleEndian.Uint64(data[i : i+8]))
			i += n
			if n == 8 {
				continue
			}
		} else {
			for i < len(data) && plainStringByte[data[i]] {
				i++
			}
			if i >= len(data) {
				return i, false, false
			}
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, plain, true
		case c == '\\':
			plain = false
			n := escapeLength(data[i:])
			if n == 0 {
				return i, false, false
			}
			i += n
		case c < 0x20:
			return i, false, false
		case plain:
			// JSON allows any byte from 0x80 on, but invalid UTF-8 must be
			// replaced by U+FFFD when the string is unquoted.
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				plain = false
			}
			i += size
		default:
			i++
		}
	}
}

// escapeLength returns the length of the escape sequence at the start of
// text, which begins with a backslash, or 0 when the sequence is invalid.
func escapeLength(text []byte) int {
	if len(text) < 2 {
		return 0
	}
	switch text[1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return 2
	case 'u':
		if hex4(text[2:]) < 0 {
			return 0
		}
		return 6
	}
	return 0
}

// hex4 returns the value of the four hex digits at the start of text, or -1.
func hex4(text []byte) rune {
	if len(text) < 4 {
		return -1
	}
	var r rune
	for _, c := range text[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// appendUnquoted appends the value of a string's content, as returned by
// scanString, to dst. It decodes escapes and replaces each byte of invalid
// UTF-8 and each unpaired surrogate escape with U+FFFD, as encoding/json
// does.
func appendUnquoted(dst, content []byte) []byte {
	for i := 0; i < len(content); {
		c := content[i]
		switch {
		case c == '\\':
			var r rune
			r, i = unescape(content, i)
			dst = utf8.AppendRune(dst, r)
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			i++
		default:
			r, size := utf8.DecodeRune(content[i:])
			if r == utf8.RuneError && size == 1 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, content[i:i+size]...)
			}
			i += size
		}
	}
	return dst
}

// unescape decodes the valid escape sequence at content[i] and returns the
// rune and the index after the sequence. A surrogate pair written as two
// \u escapes is one rune.
func unescape(content []byte, i int) (rune, int) {
	switch content[i+1] {
	case 'b':
		return '\b', i + 2
	case 'f':
		return '\f', i + 2
	case 'n':
		return '\n', i + 2
	case 'r':
		return '\r', i + 2
	case 't':
		return '\t', i + 2
	case 'u':
	default:
		// '"', '\\' and '/' represent themselves.
		return rune(content[i+1]), i + 2
	}
	r := hex4(content[i+2:])
	i += 6
	if !utf16.IsSurrogate(r) {
		return r, i
	}
	if i+1 < len(content) && content[i] == '\\' && content[i+1] == 'u' {
		if pair := utf16.DecodeRune(r, hex4(content[i+2:])); pair != utf8.RuneError {
			return pair, i + 6
		}
	}
	return utf8.RuneError, i
}

// unquote returns a string's value, reusing content when it is plain.
func unquote(content []byte, plain bool) []byte {
	if plain {
		return content
	}
	return appendUnquoted(make([]byte, 0, len(content)), content)
}

// scanNumberAt reads the number that starts at data[i] and returns the
// index after it, or false and the index of the error.
func scanNumberAt(data []byte, i int) (int, bool) {
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		i = skipDigits(data, i+1)
	default:
		return i, false
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !isDigit(data[i]) {
			return i, false
		}
		i = skipDigits(data, i+1)
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return i, false
		}
		i = skipDigits(data, i+1)
	}
	return i, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func skipDigits(data []byte, i int) int {
	for i < len(data) && isDigit(data[i]) {
		i++
	}
	return i
}

// scanLiteral reads true, false or null at the current position.
func (s *scanner) scanLiteral(literal string) {
	end := s.pos + len(literal)
	if end > len(s.data) || string(s.data[s.pos:end]) != literal {
		s.failUnexpected("in literal " + literal)
		return
	}
	s.pos = end
}

// nestingStack records, for each open array or object, whether it is an
// object. The first 64 levels need no allocation.
type nestingStack struct {
	depth int
	low   uint64
	high  []uint64
}

func (n *nestingStack) push(object bool) {
	if n.depth < 64 {
		if object {
			n.low |= 1 << n.depth
		} else {
			n.low &^= 1 << n.depth
		}
	} else {
		word, bit := (n.depth-64)/64, uint(n.depth%64)
		if word == len(n.high) {
			n.high = append(n.high, 0)
		}
		if object {
			n.high[word] |= 1 << bit
		} else {
			n.high[word] &^= 1 << bit
		}
	}
	n.depth++
}

// topIsObject reports whether the innermost open container is an object.
func (n *nestingStack) topIsObject() bool {
	top := n.depth - 1
	if top < 64 {
		return n.low&(1<<top) != 0
	}
	return n.high[(top-64)/64]&(1<<uint(top%64)) != 0
}

// value reads the value at the current position, after any whitespace,
// and returns its text. depth is the number of arrays and objects that
// enclose it.
func (s *scanner) value(depth int) []byte {
	s.skipSpace()
	start := s.pos
	s.skipValue(depth)
	if s.err != nil {
		return nil
	}
	return s.data[start:s.pos:s.pos]
}

// skipValue reads and validates the value at the current position without
// recursion. depth is the number of arrays and objects that enclose it.
func (s *scanner) skipValue(depth int) {
	if s.err != nil {
		return
	}
	data := s.data
	i := s.pos
	var open nestingStack
values:
	for {
		i = skipSpaceAt(data, i)
		if i >= len(data) {
			s.pos = i
			s.fail("unexpected end of input, want a value")
			return
		}
		switch c := data[i]; {
		case c == '"':
			end, _, ok := scanStringAt(data, i)
			if !ok {
				s.failString(end)
				return
			}
			i = end
		case c == '{' || c == '[':
			if depth+open.depth >= maxNestingDepth {
				s.pos = i
				s.fail(fmt.Sprintf("arrays and objects nest deeper than %d levels", maxNestingDepth))
				return
			}
			i = skipSpaceAt(data, i+1)
			if i < len(data) && (c == '{' && data[i] == '}' || c == '[' && data[i] == ']') {
				i++
				break // an empty container is a whole value
			}
			open.push(c == '{')
			if c == '{' {
				var ok bool
				if i, ok = s.keyAt(i); !ok {
					return
				}
			}
			continue // to the first member's value
		case c == '-' || isDigit(c):
			end, ok := scanNumberAt(data, i)
			if !ok {
				s.pos = end
				s.failUnexpected("in number")
				return
			}
			i = end
		default:
			n := literalLength(data[i:])
			if n == 0 {
				s.pos = i
				s.failUnexpected("where a value should start")
				return
			}
			i += n
		}

		// A value ended: read commas, keys and closing brackets until
		// another value starts or the outermost container is closed.
		for open.depth > 0 {
			i = skipSpaceAt(data, i)
			object := open.topIsObject()
			switch {
			case i >= len(data):
				s.pos = i
				s.fail("unexpected end of input in an array or object")
				return
			case data[i] == ',':
				i++
				if object {
					var ok bool
					if i, ok = s.keyAt(skipSpaceAt(data, i)); !ok {
						return
					}
				}
				continue values
			case object && data[i] == '}' || !object && data[i] == ']':
				i++
				open.depth--
			default:
				s.pos = i
				if object {
					s.failUnexpected("after object member")
				} else {
					s.failUnexpected("after array element")
				}
				return
			}
		}
		s.pos = i
		return
	}
}

// literalLength returns the length of the true, false or null at the start
// of text, or 0.
func literalLength(text []byte) int {
	for _, literal := range [...]string{"true", "false", "null"} {
		if len(text) >= len(literal) && string(text[:len(literal)]) == literal {
			return len(literal)
		}
	}
	return 0
}

// keyAt reads an object key that starts at data[i], and the colon after
// it, and returns the index after the colon.
func (s *scanner) keyAt(i int) (int, bool) {
	data := s.data
	if i >= len(data) || data[i] != '"' {
		s.pos = i
		s.failUnexpected("where an object key should start")
		return i, false
	}
	end, _, ok := scanStringAt(data, i)
	if !ok {
		s.failString(end)
		return end, false
	}
	i = skipSpaceAt(data, end)
	if i >= len(data) || data[i] != ':' {
		s.pos = i
		s.failUnexpected("after object key")
		return i, false
	}
	return i + 1, true
}

// readKey reads an object key and the colon after it, at the current
// position, and returns the key's content as scanString does.
func (s *scanner) readKey() (key []byte, plain bool) {
	if s.err != nil {
		return nil, false
	}
	data := s.data
	start := s.pos
	if start >= len(data) || data[start] != '"' {
		s.failUnexpected("where an object key should start")
		return nil, false
	}
	end, plain, ok := scanStringAt(data, start)
	if !ok {
		s.failString(end)
		return nil, false
	}
	colon := skipSpaceAt(data, end)
	if colon >= len(data) || data[colon] != ':' {
		s.pos = colon
		s.failUnexpected("after object key")
		return nil, false
	}
	s.pos = colon + 1
	return data[start+1 : end-1], plain
}

// openObject reads the opening brace at the current position, which the
// caller has checked, and returns false when the object is empty.
func (s *scanner) openObject() bool {
	s.pos++
	s.skipSpace()
	if s.peek() == '}' {
		s.pos++
		return false
	}
	return true
}

// nextMember reads what follows a member's value and returns true when
// another member follows.
func (s *scanner) nextMember() bool {
	if s.err != nil {
		return false
	}
	s.skipSpace()
	switch s.peek() {
	case ',':
		s.pos++
		s.skipSpace()
		return true
	case '}':
		s.pos++
		return false
	}
	s.failUnexpected("after object member")
	return false
}

// openArray reads the opening bracket at the current position, which the
// caller has checked, and returns false when the array is empty.
func (s *scanner) openArray() bool {
	s.pos++
	s.skipSpace()
	if s.peek() == ']' {
		s.pos++
		return false
	}
	return true
}

// nextElement reads what follows an array element and returns true when
// another element follows.
func (s *scanner) nextElement() bool {
	if s.err != nil {
		return false
	}
	s.skipSpace()
	switch s.peek() {
	case ',':
		s.pos++
		return true
	case ']':
		s.pos++
		return false
	}
	s.failUnexpected("after array element")
	return false
}

// validJSON reports whether data is one JSON value, with optional
// whitespace around it, as json.Valid does.
func validJSON(data []byte) bool {
	s := scanner{data: data}
	s.skipValue(0)
	return s.err == nil && s.atEnd()
}
