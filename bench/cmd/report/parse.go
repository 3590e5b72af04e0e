package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// benchResults maps a benchmark name, without the GOMAXPROCS suffix, to
// its metrics by unit, with every value of repeated runs (-count).
type benchResults map[string]map[string][]float64

// procsSuffix is the "-N" that go test appends to benchmark names when
// GOMAXPROCS is above 1.
var procsSuffix = regexp.MustCompile(`-\d+$`)

// readBenchFile parses `go test -bench` output: lines of a name, the
// iteration count and value-unit pairs.
func readBenchFile(path string) (benchResults, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	results := benchResults{}
	lines := bufio.NewScanner(f)
	lines.Buffer(make([]byte, 1<<20), 1<<20)
	for lines.Scan() {
		fields := strings.Fields(lines.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") || len(fields)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(fields[1]); err != nil {
			continue
		}
		name := procsSuffix.ReplaceAllString(fields[0], "")
		metrics := results[name]
		if metrics == nil {
			metrics = map[string][]float64{}
			results[name] = metrics
		}
		for i := 2; i+1 < len(fields); i += 2 {
			value, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s: invalid value %q in %q", path, fields[i], lines.Text())
			}
			metrics[fields[i+1]] = append(metrics[fields[i+1]], value)
		}
	}
	return results, lines.Err()
}

// median returns the median of a benchmark's metric and whether it was
// found.
func (r benchResults) median(name, unit string) (float64, bool) {
	values := r[name][unit]
	if len(values) == 0 {
		return 0, false
	}
	return median(values), true
}

func median(values []float64) float64 {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// percentile returns the p-th percentile (0 to 100) by the nearest-rank
// method.
func percentile(values []float64, p float64) float64 {
	if len(values) == 0 {
		return 0
	}
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	rank := int(p/100*float64(len(sorted))+0.999999) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}
