package reporting

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	return data
}

func TestParseSessionList(t *testing.T) {
	tests := []struct {
		fixture string
		want    []SessionDetails
	}{
		{
			fixture: "session_list_rs.xml",
			want: []SessionDetails{{
				LSID:            "4f0c2a9be1d34c7f9a55b0e6d2c81a37",
				Start:           Timestamp{Unix: 1767600000, ISO: "2026-01-05T08:00:00Z"},
				End:             Timestamp{Unix: 1767601530, ISO: "2026-01-05T08:25:30Z"},
				DurationSeconds: 1530,
				PublicSite:      PublicSite{ID: 3, Name: "Partner Portal"},
				Customer: Customer{
					Name:      "Ola Nordmann",
					Company:   "Fjord Freight AS",
					Issue:     "VPN drops every hour",
					Hostname:  "LAPTOP-OLA",
					OS:        "Windows 11 Pro",
					PublicIP:  "198.51.100.7:50211",
					PrivateIP: "192.0.2.10",
				},
				Reps: []Rep{
					{ID: 12, Username: "rita", PublicName: "Rita", PrivateName: "Rita (Tier 2)", SecondsInvolved: 1530, Owner: true, Primary: true},
					{ID: 15, Username: "sam", PublicName: "Sam", PrivateName: "Sam", SecondsInvolved: 300},
				},
				ExternalKey: "CHG-2041",
				CustomAttributes: []CustomAttribute{
					{CodeName: "contract", DisplayName: "Contract", Value: "Gold"},
					{CodeName: "region", DisplayName: "Region", Value: "EMEA"},
				},
				Events: []Event{
					{Time: Timestamp{Unix: 1767600000, ISO: "2026-01-05T08:00:00Z"}, Type: "Session Start"},
					{
						Time:        Timestamp{Unix: 1767600012, ISO: "2026-01-05T08:00:12Z"},
						Type:        "Conference Member Added",
						PerformedBy: Party{Type: "representative", Name: "Rita"},
						Destination: Party{Type: "customer", Name: "Ola Nordmann"},
					},
					{
						Time:        Timestamp{Unix: 1767601530, ISO: "2026-01-05T08:25:30Z"},
						Type:        "Session End",
						PerformedBy: Party{Type: "system", Name: "System"},
					},
				},
				CustomerSurveys: []SurveyAnswer{
					{Question: "rating", Answers: []string{"4"}},
					{Question: "comments", Answers: []string{"Quick fix Thank you"}},
					{Question: "topics", Answers: []string{"vpn", "speed"}},
				},
				RepSurveys: []SurveyAnswer{{Question: "resolved", Answers: []string{"yes"}}},
			}},
		},
		{
			fixture: "session_list_pra.xml",
			want: []SessionDetails{
				{
					LSID:            "0A1B2C3D4E5F60718293A4B5C6D7E8F9",
					Start:           Timestamp{Unix: 1767603600, ISO: "2026-01-05T09:00:00Z"},
					End:             Timestamp{Unix: 1767603725, ISO: "2026-01-05T09:02:05Z"},
					DurationSeconds: 125,
					Customer: Customer{
						Name:      "Kiosk 4",
						OS:        "Unknown",
						PublicIP:  "[2001:db8:4::17]:49152",
						PrivateIP: "Unknown",
					},
					Reps: []Rep{{ID: 2, Username: "operator", PublicName: "Operator", PrivateName: "Operator", SecondsInvolved: 125, Primary: true}},
					Events: []Event{
						{Time: Timestamp{Unix: 1767603600, ISO: "2026-01-05T09:00:00Z"}, Type: "Session Start"},
						{
							Time:        Timestamp{Unix: 1767603601, ISO: "2026-01-05T09:00:01Z"},
							Type:        "Conference Owner Changed",
							Destination: Party{Type: "system", Name: "Pre-start Conference"},
						},
					},
				},
				{
					LSID:  "1a2b3c4d5e6f708192a3b4c5d6e7f809",
					Start: Timestamp{Unix: 1767604000, ISO: "2026-01-05T09:06:40Z"},
				},
			},
		},
		{
			fixture: "session_list_prefixed.xml",
			want: []SessionDetails{{
				LSID:       "ffeeddccbbaa99887766554433221100",
				Start:      Timestamp{Unix: 1767610000, ISO: "2026-01-05T10:46:40Z"},
				PublicSite: PublicSite{ID: 1, Name: "Default"},
				Customer:   Customer{Name: "Pat"},
				Events: []Event{{
					Time:        Timestamp{Unix: 1767610000, ISO: "2026-01-05T10:46:40Z"},
					Type:        "Session Start",
					PerformedBy: Party{Type: "customer", Name: "Pat"},
				}},
			}},
		},
		{
			fixture: "session_list_bare.xml",
			want: []SessionDetails{{
				Customer: Customer{PublicIP: "203.0.113.50"},
				Events:   []Event{{Type: "Note"}},
			}},
		},
		{
			fixture: "session_list_empty.xml",
			want:    []SessionDetails{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got, err := ParseSessionList(readFixture(t, tt.fixture))
			if err != nil {
				t.Fatalf("ParseSessionList() failed: %v", err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseSessionList() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSessionListJSONHasNoNulls(t *testing.T) {
	sessions, err := ParseSessionList(readFixture(t, "session_list_bare.xml"))
	if err != nil {
		t.Fatalf("ParseSessionList() failed: %v", err)
	}

	body, err := json.Marshal(sessions[0])
	if err != nil {
		t.Fatalf("json.Marshal() failed: %v", err)
	}

	var fields map[string]any
	if err := json.Unmarshal(body, &fields); err != nil {
		t.Fatalf("json.Unmarshal() failed: %v", err)
	}
	for name, value := range fields {
		if value == nil {
			t.Errorf("field %q is null in %s", name, body)
		}
	}
}

func TestParseSessionListCapsEvents(t *testing.T) {
	doc := []byte(`<session_list><session lsid="4f0c2a9be1d34c7f9a55b0e6d2c81a37"><session_details>`)
	for range maxEvents + 25 {
		doc = append(doc, `<event timestamp="1767600000" event_type="Chat Message"/>`...)
	}
	doc = append(doc, `</session_details></session></session_list>`...)

	got, err := ParseSessionList(doc)

	if err != nil {
		t.Fatalf("ParseSessionList() failed: %v", err)
	}
	if len(got[0].Events) != maxEvents {
		t.Errorf("len(Events) = %d, want %d", len(got[0].Events), maxEvents)
	}
	if got[0].EventsOmitted != 25 {
		t.Errorf("EventsOmitted = %d, want 25", got[0].EventsOmitted)
	}
}

func TestParseErrors(t *testing.T) {
	parsers := map[string]func([]byte) error{
		"ParseSessionList": func(b []byte) error { _, err := ParseSessionList(b); return err },
		"ParseSurveys":     func(b []byte) error { _, err := ParseSurveys(b); return err },
		"ParseAPIInfo":     func(b []byte) error { _, err := ParseAPIInfo(b); return err },
	}
	tests := []struct {
		fixture    string
		parsers    []string
		wantMsg    string
		wantNoData bool
	}{
		{"error_no_data_fragment.xml", []string{"ParseSessionList", "ParseSurveys"},
			"No Support report information matching your chosen criteria is available.", true},
		{"error_no_archives_bomgar.xml", []string{"ParseSessionList", "ParseSurveys"},
			"No archives found for the given search criteria.", true},
		{"error_no_data_french.xml", []string{"ParseSurveys"},
			"Aucune information de rapport d\u2019assistance correspondant à vos critères n\u2019est disponible.", true},
		{"error_attributes.xml", []string{"ParseSessionList", "ParseSurveys", "ParseAPIInfo"},
			"The API account lacks the reporting permission.", false},
		{"session_list_error_child.xml", []string{"ParseSessionList"},
			"Invalid value for parameter lsid.", false},
		{"api_info_error_child.xml", []string{"ParseAPIInfo"}, "Login failed", false},
	}
	for _, tt := range tests {
		for _, name := range tt.parsers {
			t.Run(tt.fixture+"/"+name, func(t *testing.T) {
				err := parsers[name](readFixture(t, tt.fixture))

				var apiErr *APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("%s() error = %v, want *APIError", name, err)
				}
				if apiErr.Message != tt.wantMsg {
					t.Errorf("Message = %q, want %q", apiErr.Message, tt.wantMsg)
				}
				if IsNoData(err) != tt.wantNoData {
					t.Errorf("IsNoData() = %v, want %v", IsNoData(err), tt.wantNoData)
				}
			})
		}
	}
}

func TestParseWrongRoot(t *testing.T) {
	tests := []struct {
		name  string
		parse func([]byte) error
		input string
	}{
		{"sessions from surveys", func(b []byte) error { _, err := ParseSessionList(b); return err }, `<exit_survey_list/>`},
		{"surveys from sessions", func(b []byte) error { _, err := ParseSurveys(b); return err }, `<session_list/>`},
		{"empty body", func(b []byte) error { _, err := ParseSurveys(b); return err }, ""},
		{"not XML", func(b []byte) error { _, err := ParseAPIInfo(b); return err }, "<html"},
		{"unknown charset", func(b []byte) error { _, err := ParseAPIInfo(b); return err },
			`<?xml version="1.0" encoding="EBCDIC"?><api_information/>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse([]byte(tt.input))

			if err == nil {
				t.Fatal("parse succeeded, want an error")
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				t.Errorf("error = %v is an *APIError, want a format error", err)
			}
		})
	}
}

func TestParseLenientXML(t *testing.T) {
	doc := `<?xml version="1.0" encoding="ISO-8859-1"?>
<session_list><session lsid="4f0c2a9be1d34c7f9a55b0e6d2c81a37">
<external_key>R&D &unknown; caf` + "\xe9" + `</external_key></session></session_list>`

	got, err := ParseSessionList([]byte(doc))

	if err != nil {
		t.Fatalf("ParseSessionList() failed: %v", err)
	}
	if want := "R&D &unknown; café"; got[0].ExternalKey != want {
		t.Errorf("ExternalKey = %q, want %q", got[0].ExternalKey, want)
	}
}

func TestParseSurveys(t *testing.T) {
	got, err := ParseSurveys(readFixture(t, "exit_survey_list.xml"))
	if err != nil {
		t.Fatalf("ParseSurveys() failed: %v", err)
	}

	want := []Survey{
		{
			LSID:         "4f0c2a9be1d34c7f9a55b0e6d2c81a37",
			Time:         time.Unix(1767601540, 0).UTC(),
			PublicSiteID: 3,
			SubmittedBy:  "customer",
			Questions: []Question{
				{ID: 1, Type: "radio", Name: "csat", Label: "How satisfied were you?", ReportHeader: "Satisfaction", Answers: []string{"4"}},
				{ID: 2, Type: "textarea", Name: "comments", Label: "Anything else?", ReportHeader: "Comments",
					Answers: []string{"Fast and friendly will call again"}},
			},
		},
		{
			LSID:        "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
			SubmittedBy: "customer",
			Questions: []Question{
				{ID: 1, Type: "radio", Name: "CSAT", Label: "How satisfied were you?", ReportHeader: "Satisfaction", Answers: []string{"2.5"}},
				{ID: 3, Type: "checkbox", Name: "channels", Answers: []string{"chat", "", "phone"}},
			},
		},
		{
			LSID:         "4f0c2a9be1d34c7f9a55b0e6d2c81a37",
			Time:         time.Unix(1767601600, 0).UTC(),
			PublicSiteID: 3,
			SubmittedBy:  "rep",
			Questions:    []Question{{ID: 9, Type: "select", Name: "csat", Answers: []string{"1"}}},
		},
		{
			LSID:        "1a2b3c4d5e6f708192a3b4c5d6e7f809",
			Time:        time.Unix(1767604500, 0).UTC(),
			SubmittedBy: "rep",
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("ParseSurveys() mismatch (-want +got):\n%s", diff)
	}
}

func TestParseSurveysEmptyList(t *testing.T) {
	got, err := ParseSurveys(readFixture(t, "exit_survey_list_empty.xml"))

	if err != nil {
		t.Fatalf("ParseSurveys() failed: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("ParseSurveys() = %d surveys, want 0", len(got))
	}
}

func TestParseAPIInfo(t *testing.T) {
	tests := []struct {
		fixture string
		want    *APIInfo
	}{
		{"api_info_rs.xml", &APIInfo{
			Version:     "1.22.2",
			CompanyName: "fjordfreight",
			Timestamp:   time.Unix(1767600000, 0).UTC(),
			Permissions: map[string]string{
				"perm_reporting_support": "1",
				"perm_command":           "read_only",
				"perm_archive":           "1",
			},
		}},
		{"api_info_no_company.xml", &APIInfo{
			Version:   "1.24.1",
			Timestamp: time.Unix(1767600300, 0).UTC(),
			Permissions: map[string]string{
				"perm_reporting_support": "1",
				"perm_backup":            "",
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got, err := ParseAPIInfo(readFixture(t, tt.fixture))
			if err != nil {
				t.Fatalf("ParseAPIInfo() failed: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseAPIInfo() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidLSID(t *testing.T) {
	tests := map[string]bool{
		"4f0c2a9be1d34c7f9a55b0e6d2c81a37":   true,
		"0A1B2C3D4E5F60718293A4B5C6D7E8F9":   true,
		"4f0c2a9be1d34c7f9a55b0e6d2c81a3":    false,
		"4f0c2a9be1d34c7f9a55b0e6d2c81a377":  false,
		"4f0c2a9be1d34c7f9a55b0e6d2c81a3g":   false,
		"4f0c2a9b-e1d3-4c7f-9a55-b0e6d2c81a": false,
		"":                                   false,
		"4f0c2a9be1d34c7f9a55b0e6d2c81a37\n": false,
	}
	for lsid, want := range tests {
		if got := ValidLSID(lsid); got != want {
			t.Errorf("ValidLSID(%q) = %v, want %v", lsid, got, want)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := map[string]int64{
		"00:15:02": 902,
		"27:00:01": 97201,
		"05:30":    330,
		" 1:2:3 ":  3723,
		"":         0,
		"1:xx:00":  0,
		"1:2:3:4":  0,
		"-1:00:00": 0,
	}
	for input, want := range tests {
		if got := parseDuration(input); got != want {
			t.Errorf("parseDuration(%q) = %d, want %d", input, got, want)
		}
	}
}

func TestParseCustomAttributeForms(t *testing.T) {
	doc := `<session_list><session><custom_attributes>
		<custom_attribute code_name="tier" display_name="Tier">2</custom_attribute>
		<value name="site" value="Oslo"/>
		<contract>Gold</contract>
	</custom_attributes></session></session_list>`

	got, err := ParseSessionList([]byte(doc))

	if err != nil {
		t.Fatalf("ParseSessionList() failed: %v", err)
	}
	want := []CustomAttribute{
		{CodeName: "tier", DisplayName: "Tier", Value: "2"},
		{CodeName: "site", Value: "Oslo"},
		{CodeName: "contract", Value: "Gold"},
	}
	if diff := cmp.Diff(want, got[0].CustomAttributes); diff != "" {
		t.Errorf("CustomAttributes mismatch (-want +got):\n%s", diff)
	}
}

func TestTimestampTime(t *testing.T) {
	if got := (Timestamp{}).Time(); !got.IsZero() {
		t.Errorf("zero Timestamp.Time() = %v, want the zero time", got)
	}
	want := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	if got := newTimestamp(want).Time(); !got.Equal(want) {
		t.Errorf("Time() = %v, want %v", got, want)
	}
}
