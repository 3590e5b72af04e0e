package reporting

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// APIError is an <error> element sent by the appliance, either as the
// document root or as a child of the expected list root. Appliances send
// it with HTTP 200.
type APIError struct {
	// Message is the element's text with runs of whitespace collapsed, cut
	// to 500 characters. Its language follows the locale of the request.
	Message string
}

func (e *APIError) Error() string {
	return "appliance reported an error: " + e.Message
}

// noDataTexts are lower-case fragments of the error texts that appliances
// send for an empty report. The locale parameter sets their language, so
// the English texts apply with RTD_LOCALE=en-us. The French text is the one
// a public client for these reports matches.
var noDataTexts = []string{
	"matching your chosen criteria",
	"no archives found",
	"correspondant à vos critères",
}

// IsNoData reports whether err contains an *APIError whose text is one of
// the appliance's "no data" messages ("No Support report information
// matching your chosen criteria is available.", "No archives found for
// the given search criteria.", and the French form of the first). Any
// other *APIError is a real failure.
//
// NOTE: the appliance's texts in other languages are not known, so with a
// locale other than English or French an empty report reads as an error.
func IsNoData(err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	msg := strings.ToLower(apiErr.Message)
	for _, text := range noDataTexts {
		if strings.Contains(msg, text) {
			return true
		}
	}
	return false
}

// newDecoder returns a lenient XML decoder. Public clients of the Reporting
// API found its output not always well-formed, for reasons not known. A
// non-strict decoder keeps stray ampersands and unknown entities as text
// instead of rejecting the whole document.
func newDecoder(data []byte) *xml.Decoder {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = charsetReader
	return d
}

// charsetReader converts the encodings other than UTF-8 that an XML
// declaration is likely to name: US-ASCII and ISO-8859-1.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "latin1", "latin-1":
		raw, err := io.ReadAll(io.LimitReader(input, maxBodyBytes))
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(raw))
		for _, b := range raw {
			out = utf8.AppendRune(out, rune(b))
		}
		return bytes.NewReader(out), nil
	}
	return nil, fmt.Errorf("unsupported XML encoding %q", charset)
}

// decodeDocument decodes data into v after checking its root element. An
// <error> root becomes an *APIError. want is the expected local name of the
// root, or "" to accept any.
func decodeDocument(data []byte, want string, v any) error {
	root, err := rootElement(data)
	if err != nil {
		return err
	}
	if root.Name.Local == "error" {
		var e textElement
		if err := newDecoder(data).Decode(&e); err != nil {
			return fmt.Errorf("invalid XML in <error> document: %w", err)
		}
		return newAPIError(e.Text)
	}
	if want != "" && root.Name.Local != want {
		return fmt.Errorf("unexpected XML root <%s>: expected <%s>", root.Name.Local, want)
	}
	if err := newDecoder(data).Decode(v); err != nil {
		return fmt.Errorf("invalid XML in <%s> document: %w", root.Name.Local, err)
	}
	return nil
}

// rootElement returns the first start element of data.
func rootElement(data []byte) (xml.StartElement, error) {
	d := newDecoder(data)
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return xml.StartElement{}, errors.New("invalid XML: no root element")
		}
		if err != nil {
			return xml.StartElement{}, fmt.Errorf("invalid XML: %w", err)
		}
		if start, ok := tok.(xml.StartElement); ok {
			return start, nil
		}
	}
}

// listErrors turns <error> children of a list root into an *APIError.
func listErrors(errs []textElement) error {
	if len(errs) == 0 {
		return nil
	}
	return newAPIError(errs[0].Text)
}

// maxErrorMessage bounds APIError.Message in runes, because the message
// reaches logs and browsers.
const maxErrorMessage = 500

func newAPIError(text string) *APIError {
	return &APIError{Message: truncate(collapseSpace(text), maxErrorMessage)}
}

// textElement is an element read for its text only.
type textElement struct {
	Text string `xml:",chardata"`
}

// element is any element with its attributes, text and children, for
// parts whose form varies between appliance versions.
type element struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []element  `xml:",any"`
}

// attr returns the trimmed value of the first attribute with one of the
// local names, or "".
func (e *element) attr(names ...string) string {
	for _, name := range names {
		for _, a := range e.Attrs {
			if a.Name.Local == name {
				return strings.TrimSpace(a.Value)
			}
		}
	}
	return ""
}

// child returns the trimmed text of the first child with one of the local
// names, or "".
func (e *element) child(names ...string) string {
	for _, name := range names {
		for i := range e.Children {
			if e.Children[i].XMLName.Local == name {
				return strings.TrimSpace(e.Children[i].Text)
			}
		}
	}
	return ""
}

// timeElement is a time as the appliance writes it: a timestamp attribute
// in UNIX seconds and an ISO 8601 text, such as
// <start_time timestamp="1733239565">2024-12-03T15:26:05+00:00</start_time>.
type timeElement struct {
	Timestamp string `xml:"timestamp,attr"`
	Text      string `xml:",chardata"`
}

// time returns the element's time, or the zero time when neither the
// attribute nor the text holds one. Either may be UNIX seconds or RFC 3339.
func (t *timeElement) time() time.Time {
	if t == nil {
		return time.Time{}
	}
	if ts, ok := parseTime(t.Timestamp); ok {
		return ts
	}
	ts, _ := parseTime(t.Text)
	return ts
}

// parseTime reads UNIX seconds or an RFC 3339 time.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if secs, err := strconv.ParseInt(s, 10, 64); err == nil && secs > 0 {
		return time.Unix(secs, 0).UTC(), true
	}
	if ts, err := time.Parse(time.RFC3339, s); err == nil {
		return ts, true
	}
	return time.Time{}, false
}

// atoi reads a trimmed decimal integer, or 0.
func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// collapseSpace trims s and replaces each run of whitespace with a space.
func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// cleanAnswer removes the literal two-character escapes \r and \n that
// appliances leave in survey answers, as other clients do, putting a space
// in their place so that words stay apart.
func cleanAnswer(s string) string {
	s = strings.ReplaceAll(s, `\r\n`, " ")
	s = strings.ReplaceAll(s, `\n`, " ")
	s = strings.ReplaceAll(s, `\r`, " ")
	return strings.TrimSpace(s)
}
