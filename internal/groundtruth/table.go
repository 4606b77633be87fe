package groundtruth

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable writes one row per suite: calls, recorded by a span, arrived,
// each check as passed/applied, duplicates and non-LLM spans that arrived,
// then a total row.
func WriteTable(w io.Writer, results []SuiteResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"suite", "calls", "recorded", "arrived"}
	for _, c := range Checks {
		head = append(head, string(c))
	}
	head = append(head, "dups", "nonLLM", "")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	total := SuiteResult{Suite: "total", Passed: map[Check]int{}, Applied: map[Check]int{}}
	for _, r := range append(results, total) {
		if r.Suite == "total" {
			r = total
		} else {
			total.add(r)
		}
		row := []string{r.Suite, fmt.Sprint(r.Calls), fmt.Sprint(r.Recorded), fmt.Sprint(r.Arrived)}
		for _, c := range Checks {
			row = append(row, fmt.Sprintf("%d/%d", r.Passed[c], r.Applied[c]))
		}
		row = append(row, fmt.Sprint(r.Duplicates), fmt.Sprint(len(r.NonLLM)), "")
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

// add sums r into t.
func (t *SuiteResult) add(r SuiteResult) {
	t.Calls += r.Calls
	t.Recorded += r.Recorded
	t.Arrived += r.Arrived
	t.Duplicates += r.Duplicates
	t.NonLLM = append(t.NonLLM, r.NonLLM...)
	for _, c := range Checks {
		t.Passed[c] += r.Passed[c]
		t.Applied[c] += r.Applied[c]
	}
}

// WriteFailures writes every failed check and every non-LLM span that
// arrived, suite by suite.
func WriteFailures(w io.Writer, results []SuiteResult) error {
	for _, r := range results {
		for _, f := range r.Failures {
			if _, err := fmt.Fprintf(w, "%s %s\n", r.Suite, f); err != nil {
				return err
			}
		}
		for _, name := range r.NonLLM {
			if _, err := fmt.Fprintf(w, "%s nonLLM: %s arrived but recorded no call\n", r.Suite, name); err != nil {
				return err
			}
		}
	}
	return nil
}
