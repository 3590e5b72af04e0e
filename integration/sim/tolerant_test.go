package sim_test

import (
	"encoding/json"
	"strings"

	"github.com/rtdash/rtdash/integration/sim"
)

// tolerantModel applies server lines the way a correct client does under
// faults: lines that are not JSON, unknown message types and unknown
// tables are skipped, updates and deletes of unknown rows are ignored, and
// columns whose names start with sim.UnknownNamePrefix are dropped. Its
// content is then comparable with ModelJSON.
type tolerantModel struct {
	tables  clientModel
	skipped int // lines or parts ignored
}

func newTolerantModel() *tolerantModel {
	m := &tolerantModel{tables: clientModel{}}
	m.truncate()
	return m
}

func (m *tolerantModel) truncate() {
	for _, table := range sim.AllTables {
		m.tables[table] = map[string]map[string]any{}
	}
}

// applyLine applies one server line and returns its message type, or ""
// when the line was skipped.
func (m *tolerantModel) applyLine(line string) string {
	var msg message
	if err := json.Unmarshal([]byte(line), &msg); err != nil {
		m.skipped++
		return ""
	}
	switch msg.Type {
	case "truncate_model":
		m.truncate()
		return msg.Type
	case "model_update":
	default:
		m.skipped++
		return ""
	}
	for table, rows := range msg.Insert {
		if m.tables[table] == nil {
			m.skipped++
			continue
		}
		for id, values := range rows {
			m.tables[table][id] = m.dropUnknownColumns(values)
		}
	}
	for table, rows := range msg.Update {
		for id, values := range rows {
			stored, ok := m.tables[table][id]
			if !ok {
				m.skipped++
				continue
			}
			for column, value := range m.dropUnknownColumns(values) {
				stored[column] = value
			}
		}
	}
	for table, ids := range msg.Delete {
		for _, id := range ids {
			key, _ := id.(string)
			if _, ok := m.tables[table][key]; !ok {
				m.skipped++
				continue
			}
			delete(m.tables[table], key)
		}
	}
	return msg.Type
}

func (m *tolerantModel) dropUnknownColumns(values map[string]any) map[string]any {
	for column := range values {
		if strings.HasPrefix(column, sim.UnknownNamePrefix) {
			delete(values, column)
			m.skipped++
		}
	}
	return values
}
