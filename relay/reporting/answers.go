package reporting

import (
	"regexp"
	"strconv"
	"strings"
)

// numberPattern matches the answers averaged: integers and decimals, with
// a point or, as some locales write them, a comma.
var numberPattern = regexp.MustCompile(`^[+-]?[0-9]+([.,][0-9]+)?$`)

// sumAnswers adds up the numeric answers to the question in each survey
// and returns the sum and how many answers it holds. Empty and non-numeric
// answers are skipped.
func sumAnswers(surveys []Survey, question string) (sum float64, count int) {
	for i := range surveys {
		q := findQuestion(surveys[i].Questions, question)
		if q == nil {
			continue
		}
		for _, answer := range q.Answers {
			answer = strings.TrimSpace(answer)
			if !numberPattern.MatchString(answer) {
				continue
			}
			value, err := strconv.ParseFloat(strings.Replace(answer, ",", ".", 1), 64)
			if err != nil {
				continue
			}
			sum += value
			count++
		}
	}
	return sum, count
}

// findQuestion returns the first question whose code name equals name,
// ignoring case. Without one it tries the report headers, then the
// labels, and returns nil when nothing matches.
func findQuestion(questions []Question, name string) *Question {
	fields := []func(*Question) string{
		func(q *Question) string { return q.Name },
		func(q *Question) string { return q.ReportHeader },
		func(q *Question) string { return q.Label },
	}
	for _, field := range fields {
		for i := range questions {
			if strings.EqualFold(field(&questions[i]), name) {
				return &questions[i]
			}
		}
	}
	return nil
}
