package reporting

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// APIInfo is the response to the Command API's get_api_info action.
type APIInfo struct {
	// Version is the API version, such as "1.22.2" (not the product
	// version).
	Version string
	// CompanyName is the Company API Name. API 1.24.1 (RS 24.3) and later
	// leave it out, and then it is "".
	CompanyName string
	// Timestamp is the appliance's clock when it built the response, in
	// whole seconds, or the zero time when the response has none.
	Timestamp time.Time
	// Permissions maps permission names, such as "perm_reporting_support",
	// to their values, such as "read_only" or "1". A permission listed by
	// name only maps to "".
	Permissions map[string]string
}

// apiInfoDocument is the get_api_info response. Its root element is not
// documented (believed to be <api_information>), so any root is accepted.
type apiInfoDocument struct {
	Version     string        `xml:"api_version"`
	CompanyName string        `xml:"company_name"`
	Timestamp   timeElement   `xml:"timestamp"`
	Permissions []element     `xml:"permissions"`
	Errors      []textElement `xml:"error"`
}

// ParseAPIInfo parses a get_api_info response. An <error> document or child
// returns an *APIError.
func ParseAPIInfo(data []byte) (*APIInfo, error) {
	var doc apiInfoDocument
	if err := decodeDocument(data, "", &doc); err != nil {
		return nil, err
	}
	if err := listErrors(doc.Errors); err != nil {
		return nil, err
	}

	info := &APIInfo{
		Version:     strings.TrimSpace(doc.Version),
		CompanyName: strings.TrimSpace(doc.CompanyName),
		Timestamp:   doc.Timestamp.time(),
		Permissions: map[string]string{},
	}
	for i := range doc.Permissions {
		for j := range doc.Permissions[i].Children {
			name, value := permission(&doc.Permissions[i].Children[j])
			if name != "" {
				info.Permissions[name] = value
			}
		}
	}
	return info, nil
}

// permission reads one child of <permissions> in any of the forms seen or
// documented: <permission name="perm_x" value="v"/>,
// <permission name="perm_x">v</permission>, <permission>perm_x</permission>
// and <perm_x>v</perm_x>.
func permission(e *element) (name, value string) {
	text := strings.TrimSpace(e.Text)
	if name = e.attr("name", "code_name"); name != "" {
		value = e.attr("value")
		if value == "" {
			value = text
		}
		return name, value
	}
	if e.XMLName.Local == "permission" {
		return text, e.attr("value")
	}
	return e.XMLName.Local, text
}

// APIInfo calls get_api_info and records its timestamp in the client's
// clock.
func (c *Client) APIInfo(ctx context.Context) (*APIInfo, error) {
	resp, err := c.command(ctx, "get_api_info", nil)
	if err != nil {
		return nil, err
	}
	info, err := ParseAPIInfo(resp.body)
	if err != nil {
		return nil, fmt.Errorf("command get_api_info: %w", err)
	}
	if c.clock != nil {
		c.clock.Observe(info.Timestamp, resp.sent, resp.received)
	}
	return info, nil
}
