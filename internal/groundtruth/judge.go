package groundtruth

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// JudgeDir judges every suite of a fixture directory: calls.jsonl and one
// <suite>.traces.json per suite it names. Suites are returned in name order.
func JudgeDir(ctx context.Context, dir string) ([]SuiteResult, error) {
	f, err := os.Open(filepath.Join(dir, "calls.jsonl"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rec, err := ReadRecord(f)
	if err != nil {
		return nil, err
	}
	suites := make([]string, 0, len(rec.Calls))
	for suite := range rec.Calls {
		suites = append(suites, suite)
	}
	sort.Strings(suites)
	results := make([]SuiteResult, 0, len(suites))
	for _, suite := range suites {
		raw, err := os.ReadFile(filepath.Join(dir, suite+".traces.json"))
		if err != nil {
			return nil, fmt.Errorf("suite %s: %w", suite, err)
		}
		res, err := Judge(ctx, suite, raw, rec)
		if err != nil {
			return nil, err
		}
		results = append(results, res)
	}
	return results, nil
}

// Judge exports one suite's OTLP/JSON traces through the exporter and scores
// what arrived against the suite's recorded calls.
func Judge(ctx context.Context, suite string, otlpJSON []byte, rec Record) (SuiteResult, error) {
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces(otlpJSON)
	if err != nil {
		return SuiteResult{}, fmt.Errorf("suite %s: reading traces: %w", suite, err)
	}
	// The exporter may not modify what it is given, but the matcher reads
	// the spans afterwards: give it its own copy.
	sent := ptrace.NewTraces()
	td.CopyTo(sent)
	arrived, err := Export(ctx, sent)
	if err != nil {
		return SuiteResult{}, fmt.Errorf("suite %s: %w", suite, err)
	}
	return Score(suite, rec.Calls[suite], rec.Offsets[suite], td, arrived), nil
}
