package state_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/rtdash/rtdash/shared/state"
)

// FuzzApply feeds state API lines, one message per line, to a model. Apply
// must not panic, and the model's snapshot must always be valid JSON that
// Load takes without complaint (unknown columns apart) and encodes again
// byte for byte.
func FuzzApply(f *testing.F) {
	seeds := []string{
		`{"type":"model_update","insert":{"queue":{"3":{"name":"Tech Support","code_name":"tech_support","type":"team","support_team_id":2,"created_timestamp":1733230000}},"support_session":{"21":{"lsid":"c69a8e10bea9428f816cfababe9815fe","queue_id":3,"queue_entry_timestamp":1733239000,"customer_name":"Jane"}}}}`,
		`{"type":"model_update","insert":{"representative_support_session":{"40":{"support_session_id":21,"representative_id":4}}},"update":{"support_session":{"21":{"queue_id":9}},"representative":{"4":{"routing_busy":1}}}}`,
		`{"type":"model_update","delete":{"customer_client":["30"],"representative_support_session":[40],"support_session":["21"]}}`,
		"{\"type\":\"model_update\",\"insert\":{\"representative\":{\"4\":{\"skill_code_names\":[\"a\"],\"x\":{\"y\":null}}}}}\n{\"type\":\"truncate_model\"}",
		"{\"type\":\"model_update\",\"insert\":{\"support_session\":{\"21\":{\"customer_name\":\"a\xffb\"}}}}",
		"{\"type\":\"update_model\",\"update\":{\"support_session\":{\"017\":{\"customer_name\":\"a\\u2028<b>\xff\"}}}}",
		`{"type":"model_update","insert":{"queue":{"-1":{},"x":5},"mystery":{}},"delete":{"queue":[null,true,"3"]}}`,
		`{"type":"model_update","insert":{"presentation_session":{"7":{"title":"Demo"}}},"update":{"customer_client":{"30":{"elevated":"true","support_session_id":"2.1e1"}}}}`,
	}
	for _, seed := range seeds {
		f.Add([]byte(seed))
	}

	f.Fuzz(func(t *testing.T, input []byte) {
		m := state.NewModel()
		for line := range bytes.SplitSeq(input, []byte("\n")) {
			msg, err := state.Decode(line)
			if err != nil {
				continue
			}
			res := m.Apply(msg)
			if res.AnomalyCount < len(res.Anomalies) {
				t.Fatalf("AnomalyCount = %d is below the %d anomalies listed", res.AnomalyCount, len(res.Anomalies))
			}
		}

		encoded := m.AppendJSON(nil)
		if !json.Valid(encoded) {
			t.Fatalf("AppendJSON() = %q is not valid JSON", encoded)
		}

		loaded := state.NewModel()
		res, err := loaded.Load(encoded)
		if err != nil {
			t.Fatalf("Load(%q) failed: %v", encoded, err)
		}
		for _, a := range res.Anomalies {
			if a.Kind != state.UnknownColumn {
				t.Errorf("Load() of a snapshot reported %v, want only unknown columns", a)
			}
		}
		if got := loaded.Rows(); got != m.Rows() {
			t.Errorf("Rows() after Load = %d, want %d", got, m.Rows())
		}
		if again := loaded.AppendJSON(nil); !bytes.Equal(encoded, again) {
			t.Errorf("AppendJSON() after Load differs:\noriginal: %q\nloaded:   %q", encoded, again)
		}
	})
}
