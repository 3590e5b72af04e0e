package reporting

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// samplePayloadDir holds public sample payloads beside the checkout, when
// present. They are reference material outside the repository, so the
// test skips when the folder is missing.
const samplePayloadDir = "../../../shared/samples"

// TestPublicSamplePayloads runs every parser over each XML payload in
// samplePayloadDir. No parser may panic, and each document must parse as
// its root element indicates: a list root with the matching parser, an <error>
// root as an *APIError, any other root as a format error.
func TestPublicSamplePayloads(t *testing.T) {
	if _, err := os.Stat(samplePayloadDir); err != nil {
		t.Skipf("no public sample payloads beside the checkout: %v", err)
	}
	var files []string
	err := filepath.WalkDir(samplePayloadDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".xml") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatalf("listing sample payloads: %v", err)
	}
	if len(files) == 0 {
		t.Skip("the sample payload folder holds no XML files")
	}

	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("reading sample: %v", err)
			}
			root, err := rootElement(data)
			if err != nil {
				t.Fatalf("rootElement() failed: %v", err)
			}

			_, sessionsErr := ParseSessionList(data)
			_, surveysErr := ParseSurveys(data)
			_, infoErr := ParseAPIInfo(data)

			var apiErr *APIError
			switch root.Name.Local {
			case "session_list":
				if sessionsErr != nil {
					t.Errorf("ParseSessionList() failed: %v", sessionsErr)
				}
			case "exit_survey_list":
				if surveysErr != nil {
					t.Errorf("ParseSurveys() failed: %v", surveysErr)
				}
			case "error":
				for _, err := range []error{sessionsErr, surveysErr, infoErr} {
					if !errors.As(err, &apiErr) || apiErr.Message == "" {
						t.Errorf("error = %v, want an *APIError with a message", err)
					}
				}
			default:
				if sessionsErr == nil || errors.As(sessionsErr, &apiErr) {
					t.Errorf("ParseSessionList() error = %v, want a format error for <%s>", sessionsErr, root.Name.Local)
				}
				if surveysErr == nil || errors.As(surveysErr, &apiErr) {
					t.Errorf("ParseSurveys() error = %v, want a format error for <%s>", surveysErr, root.Name.Local)
				}
			}
		})
	}
}
