package reporting

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// addFixtureSeeds adds every testdata fixture whose name starts with one
// of the prefixes to the seed corpus.
func addFixtureSeeds(f *testing.F, prefixes ...string) {
	f.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatalf("listing fixtures: %v", err)
	}
	for _, entry := range entries {
		for _, prefix := range prefixes {
			if strings.HasPrefix(entry.Name(), prefix) {
				f.Add(readFixture(f, entry.Name()))
			}
		}
	}
	f.Add([]byte(""))
	f.Add([]byte("<error/>"))
}

// FuzzParseSessionList checks that ParseSessionList never panics and that
// every session it returns encodes as JSON.
func FuzzParseSessionList(f *testing.F) {
	addFixtureSeeds(f, "session_list_", "error_")
	f.Add([]byte(`<session_list><session><session_details><event timestamp="-5"/></session_details><duration>99999999999:0:0</duration></session></session_list>`))

	f.Fuzz(func(t *testing.T, data []byte) {
		sessions, err := ParseSessionList(data)
		if err != nil {
			return
		}
		for i := range sessions {
			if len(sessions[i].Events) > maxEvents {
				t.Fatalf("session %d has %d events, above the cap of %d", i, len(sessions[i].Events), maxEvents)
			}
			if _, err := json.Marshal(&sessions[i]); err != nil {
				t.Fatalf("json.Marshal() failed: %v", err)
			}
		}
	})
}

// FuzzParseSurveys checks that ParseSurveys and the CSAT sum never panic.
func FuzzParseSurveys(f *testing.F) {
	addFixtureSeeds(f, "exit_survey_list", "error_")
	f.Add([]byte(`<exit_survey_list><exit_survey><question_list><question><name>csat</name><answer_list><answer>1e999</answer><answer>,5</answer></answer_list></question></question_list></exit_survey></exit_survey_list>`))

	f.Fuzz(func(t *testing.T, data []byte) {
		surveys, err := ParseSurveys(data)
		if err != nil {
			return
		}
		sum, count := sumAnswers(surveys, "csat")
		if count < 0 || (count == 0 && sum != 0) {
			t.Fatalf("sumAnswers() = (%v, %d), want a zero sum for no answers", sum, count)
		}
	})
}

// FuzzParseAPIInfo checks that ParseAPIInfo never panics.
func FuzzParseAPIInfo(f *testing.F) {
	addFixtureSeeds(f, "api_info_", "error_")
	f.Add([]byte(`<api_information><permissions><permission name=""/><x/></permissions><timestamp>1e3</timestamp></api_information>`))

	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ParseAPIInfo(data)
		if err != nil {
			return
		}
		if info.Permissions == nil {
			t.Fatal("Permissions is nil, want an empty map")
		}
		if _, ok := info.Permissions[""]; ok {
			t.Fatal("Permissions has an empty name")
		}
	})
}
