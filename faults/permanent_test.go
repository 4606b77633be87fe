//go:build faults

package faults

import (
	"net/http"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// TestPermanentErrors has Helicone refuse every request for good (a wrong
// key, a body it will not take) and checks that the collector drops each
// batch at once with one clear error line naming the cause, keeps running,
// counts the spans as failed, and never sends them again: when Helicone
// takes requests again, only new spans arrive.
func TestPermanentErrors(t *testing.T) {
	cases := []struct {
		name string
		fail helicone.Failure
		// says are what the error line must hold besides the status.
		says []string
	}{
		{
			name: "401 unknown key",
			fail: helicone.Failure{Status: http.StatusUnauthorized, Body: `{"error":"unknown API key"}`},
			says: []string{"HTTP 401", "api_key", "unknown API key"},
		},
		{
			name: "422 schema violation",
			fail: helicone.Failure{Status: http.StatusUnprocessableEntity,
				Body: `{"message":"Validation Failed","details":{"/resourceSpans/0/scopeSpans/0/spans/0/flags":{"message":"additional property is not allowed"}}}`},
			says: []string{"HTTP 422", "Validation Failed", "additional property is not allowed"},
		},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := startEndpoint(t, helicone.Faults{FailCount: helicone.Always, Fail: tc.fail})
			col := startCollector(t, heliconeConfig(srv.baseURL(), 5*time.Second, ""))

			const batches, perBatch = 3, 20
			var refused []string
			for b := range batches {
				for _, id := range sendSpans(t, col, perBatch, uint64(2000+10*i+b)) {
					refused = append(refused, string(id))
				}
				// One batch at a time, so that each is its own request.
				if err := srv.WaitForAttempts(testContext(t, 30*time.Second), b+1); err != nil {
					t.Fatal(err)
				}
			}
			sent, failed := heliconeMetrics(t, col, batches*perBatch)
			if sent != 0 || failed != batches*perBatch {
				t.Errorf("otelcol_exporter_sent_spans = %g, send_failed_spans = %g; want 0 and %d", sent, failed, batches*perBatch)
			}

			drops := logLines(col, "Exporting failed. Dropping data.")
			if len(drops) != batches {
				t.Errorf("%d \"Dropping data\" lines for %d refused batches, want one each:\n%q", len(drops), batches, drops)
			}
			for _, line := range drops {
				if lvl := logLevel(line); lvl != "error" {
					t.Errorf("the drop is logged at level %q, want error: %s", lvl, line)
				}
				for _, want := range append(tc.says, "not retryable", `"dropped_items": 20`) {
					if !containsFold(line, want) {
						t.Errorf("the drop line does not say %q: %s", want, line)
					}
				}
			}
			if retries := logLines(col, "Will retry"); len(retries) > 0 {
				t.Errorf("a permanent error was retried:\n%q", retries)
			}
			if err := col.Healthy(testContext(t, 5*time.Second)); err != nil || !col.Running() {
				t.Fatalf("the collector is not running after permanent errors: %v", err)
			}

			// Helicone takes requests again: new spans arrive, the dropped
			// ones never come back.
			srv.SetFaults(helicone.Faults{})
			next := sendSpans(t, col, perBatch, uint64(2900+i))
			if err := srv.waitForIDs(testContext(t, 30*time.Second), next); err != nil {
				t.Fatal(err)
			}
			if sent, _ := heliconeMetrics(t, col, (batches+1)*perBatch); sent != perBatch {
				t.Errorf("otelcol_exporter_sent_spans = %g after recovery, want %d", sent, perBatch)
			}
			logged := srv.loggedIDs()
			for _, id := range refused {
				if logged[spanID(id)] > 0 {
					t.Errorf("span %s, refused for good, was sent again", id)
				}
			}
			if got := srv.Attempts(); got != batches+1 {
				t.Errorf("Helicone got %d requests, want %d: one per batch, no retries", got, batches+1)
			}
			checkKeyNeverLogged(t, col)
		})
	}
}
