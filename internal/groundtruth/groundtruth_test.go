package groundtruth

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	fixtureDir   = "../../testdata/genai-truth"
	baselineFile = "testdata/baseline.txt"
)

// TestGroundTruth runs every suite of the fixtures through the real exporter
// and holds the exporter to a ratchet: per suite, no check may pass fewer
// calls than the committed baseline, no span may arrive twice, and no more
// non-LLM spans may arrive than the baseline allows.
func TestGroundTruth(t *testing.T) {
	results, err := JudgeDir(context.Background(), fixtureDir)
	require.NoError(t, err)
	var report strings.Builder
	require.NoError(t, WriteTable(&report, results))
	require.NoError(t, WriteFailures(&report, results))
	t.Logf("ground truth, per suite: passed/applied per check\n%s", report.String())

	base := readBaseline(t)
	var improved bool
	for _, r := range results {
		b, ok := base[r.Suite]
		if !assert.True(t, ok, "suite %s has no line in %s; add: %s", r.Suite, baselineFile, baselineLine(r)) {
			continue
		}
		assert.Zero(t, r.Duplicates, "%s: spans arrived more than once", r.Suite)
		assert.LessOrEqual(t, len(r.NonLLM), b[nonLLMKey], "%s: more non-LLM spans arrived than the baseline allows: %v", r.Suite, r.NonLLM)
		improved = improved || len(r.NonLLM) < b[nonLLMKey]
		for _, c := range Checks {
			assert.GreaterOrEqual(t, r.Passed[c], b[string(c)], "%s: check %s regressed", r.Suite, c)
			improved = improved || r.Passed[c] > b[string(c)]
		}
	}
	if improved && !t.Failed() {
		var lines strings.Builder
		for _, r := range results {
			lines.WriteString(baselineLine(r) + "\n")
		}
		t.Logf("better than the baseline: raise %s to\n%s", baselineFile, lines.String())
	}
}

// nonLLMKey is the baseline's field for the most non-LLM spans allowed.
const nonLLMKey = "nonllm"

// baselineLine is a suite's line in the baseline file: the suite, then
// check=passed for every check, then nonllm=count.
func baselineLine(r SuiteResult) string {
	fields := []string{r.Suite}
	for _, c := range Checks {
		fields = append(fields, fmt.Sprintf("%s=%d", c, r.Passed[c]))
	}
	return strings.Join(append(fields, fmt.Sprintf("%s=%d", nonLLMKey, len(r.NonLLM))), " ")
}

// readBaseline reads the baseline: per suite, per field, the number.
func readBaseline(t *testing.T) map[string]map[string]int {
	f, err := os.Open(baselineFile)
	require.NoError(t, err)
	defer f.Close()
	base := map[string]map[string]int{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		suite := map[string]int{}
		for _, kv := range fields[1:] {
			k, v, ok := strings.Cut(kv, "=")
			n, err := strconv.Atoi(v)
			require.True(t, ok && err == nil, "%s:%d: %q is not key=number", baselineFile, line, kv)
			suite[k] = n
		}
		for _, c := range append(Checks, nonLLMKey) {
			_, ok := suite[string(c)]
			require.True(t, ok, "%s:%d: no %s", baselineFile, line, c)
		}
		base[fields[0]] = suite
	}
	require.NoError(t, sc.Err())
	return base
}
