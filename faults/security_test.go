//go:build faults

package faults

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/otelcoltest"
)

// TestAPIKeyNeverLogged runs the collector at debug level through every
// error path that carries text from the exporter or the server (a 401, a
// 422, 500s with retries, a refused connection, shutdown), then checks that
// no line of output holds the key. print-config and a failing validate must
// not show it either.
func TestAPIKeyNeverLogged(t *testing.T) {
	t.Parallel()
	col := provokeErrors(t, "")
	checkKeyNeverLogged(t, col)

	// The collector's own commands.
	config := filepath.Join(col.Options().Dir, "config.yaml")
	base := filepath.Join(col.Options().Dir, "base.yaml")
	out := runBinary(t, "print-config", "--config=file:"+base, "--config=file:"+config)
	if !strings.Contains(out, "api_key") {
		t.Errorf("print-config does not show the exporter's settings:\n%s", out)
	}
	checkNoKey(t, "print-config", out)
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	b, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(strings.Replace(string(b), "timeout:", "compression: br\n    timeout:", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	out = runBinary(t, "validate", "--config=file:"+base, "--config=file:"+bad)
	if !strings.Contains(out, "compression") {
		t.Errorf("validate did not refuse compression: br:\n%s", out)
	}
	checkNoKey(t, "validate", out)
}

// TestAPIKeyEchoedByServerNotLogged is TestAPIKeyNeverLogged with a gateway
// in front of Helicone whose plain-text error pages quote the request's
// headers, Authorization included: the exporter puts the server's answer
// into its errors, and must take the key out of it first.
func TestAPIKeyEchoedByServerNotLogged(t *testing.T) {
	t.Parallel()
	col := provokeErrors(t, "rejected by the gateway; request headers: Content-Type: application/json, Authorization: Bearer "+apiKey)
	if len(logLines(col, "rejected by the gateway")) == 0 {
		t.Errorf("the exporter's errors do not quote the server's answer: nothing to redact, the test proves nothing")
	}
	checkKeyNeverLogged(t, col)
}

// provokeErrors runs a collector at debug level against an endpoint that
// answers 401, 422 and 500 with body (empty: Helicone's own JSON errors),
// then is down for a while, and returns the stopped collector.
func provokeErrors(t *testing.T, body string) *otelcoltest.Collector {
	t.Helper()
	srv := startEndpoint(t, helicone.Faults{})
	col := otelcoltest.StartT(t, otelcoltest.Options{
		Binary:   binary,
		Config:   heliconeConfig(srv.baseURL(), 5*time.Second, ""),
		Env:      []string{"HELICONE_API_KEY=" + apiKey},
		LogLevel: "debug",
	})
	attempts := 0
	refuse := func(status, times int, seed uint64) {
		t.Helper()
		srv.SetFaults(helicone.Faults{FailCount: times, Fail: helicone.Failure{Status: status, Body: body}})
		ids := sendSpans(t, col, 10, seed)
		attempts += times
		if err := srv.WaitForAttempts(testContext(t, 30*time.Second), attempts); err != nil {
			t.Fatal(err)
		}
		if status >= 500 {
			attempts++ // the retry that succeeds
			if err := srv.waitForIDs(testContext(t, 30*time.Second), ids); err != nil {
				t.Fatal(err)
			}
		}
	}
	refuse(http.StatusUnauthorized, 1, 4000)
	refuse(http.StatusUnprocessableEntity, 1, 4001)
	refuse(http.StatusInternalServerError, 2, 4002)

	// Down: the error is the client's own (connection refused).
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	ids := sendSpans(t, col, 10, 4003)
	waitForLog(t, col, 30*time.Second, "connection refused")
	srv.up(t)
	if err := srv.waitForIDs(testContext(t, 30*time.Second), ids); err != nil {
		t.Fatal(err)
	}
	if err := col.Stop(30 * time.Second); err != nil {
		t.Fatal(err)
	}

	if got := srv.Requests()[0].Header.Get("Authorization"); got != "Bearer "+apiKey {
		t.Fatalf("Helicone got Authorization %q: the key under test was not the one in use", got)
	}
	if len(logLines(col, "\tdebug\t")) == 0 || len(logLines(col, "HTTP 401")) == 0 || len(logLines(col, "HTTP 422")) == 0 || len(logLines(col, "HTTP 500")) == 0 {
		t.Fatalf("the output lacks the debug lines or the errors this test provokes:\n%s", col.Output())
	}
	return col
}

// runBinary runs an otelcol-helicone command with the key in its
// environment and returns its output, whatever its exit status.
func runBinary(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "HELICONE_API_KEY="+apiKey)
	out, _ := cmd.CombinedOutput()
	return string(out)
}

func checkNoKey(t *testing.T, what, out string) {
	t.Helper()
	if strings.Contains(out, strings.TrimPrefix(apiKey, "sk-helicone-")) {
		t.Errorf("%s shows the API key:\n%s", what, out)
	}
}

// TestTLSVerifiedByDefault points the exporter at an https endpoint with a
// certificate no CA vouches for: without tls settings the exporter must
// refuse the connection (the endpoint never sees a request, so never sees
// the key), and with the endpoint's CA given in tls.ca_file the same spans
// go through.
func TestTLSVerifiedByDefault(t *testing.T) {
	t.Parallel()
	fake := helicone.New(helicone.Options{APIKey: apiKey})
	tlsSrv := httptest.NewUnstartedServer(fake)
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)

	untrusted := startCollector(t, heliconeConfig(tlsSrv.URL, 5*time.Second, ""))
	lost := sendSpans(t, untrusted, 10, 5000)
	line := waitForLog(t, untrusted, 30*time.Second, "Exporting failed", "certificate")
	if fake.Attempts() != 0 {
		t.Fatalf("the endpoint with an untrusted certificate got %d requests", fake.Attempts())
	}
	t.Logf("without tls settings: %s", line[strings.Index(line, "Exporting failed"):])

	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	trusted := startCollector(t, heliconeConfig(tlsSrv.URL, 5*time.Second, "    tls:\n      ca_file: "+caFile))
	ids := sendSpans(t, trusted, 10, 5001)
	if err := fake.WaitForSpans(testContext(t, 30*time.Second), len(ids)); err != nil {
		t.Fatalf("with the CA in tls.ca_file, Helicone logged %d of %d spans: %v", fake.SpanCount(), len(ids), err)
	}
	for _, c := range fake.Calls() {
		for _, id := range lost {
			if otelcoltest.SpanID(c.TraceID+"/"+c.SpanID) == id {
				t.Fatalf("span %s went to the untrusted endpoint", id)
			}
		}
	}
	checkKeyNeverLogged(t, untrusted)
}

// TestPlainHTTPKeyWarning starts the exporter with its API key going over
// plain http: to a host that is not loopback it must warn, at start, naming
// the host, and without the key; to a loopback address (a local Helicone, a
// sidecar) or over https it must not. No span is sent: the .invalid hosts
// are never resolved.
func TestPlainHTTPKeyWarning(t *testing.T) {
	cases := []struct {
		endpoint string
		host     string
		warns    bool
	}{
		{"http://helicone.invalid:8585", "helicone.invalid", true},
		{"http://helicone.invalid/jawn", "helicone.invalid", true},
		{"https://helicone.invalid", "helicone.invalid", false},
		{"http://127.0.0.1:8585", "127.0.0.1", false},
		{"http://localhost:8585", "localhost", false},
		{"http://[::1]:8585", "::1", false},
	}
	for _, tc := range cases {
		t.Run(tc.endpoint, func(t *testing.T) {
			t.Parallel()
			col := startCollector(t, heliconeConfig(tc.endpoint, 5*time.Second, ""))
			var warnings []string
			for _, line := range col.Lines() {
				if logLevel(line) == "warn" && strings.Contains(line, tc.host) && containsFold(line, "http") &&
					(containsFold(line, "api key") || containsFold(line, "api_key")) {
					warnings = append(warnings, line)
				}
			}
			switch {
			case tc.warns && len(warnings) != 1:
				t.Errorf("the API key goes over plain http to %s: want one warning at start naming the host, got %d:\n%s",
					tc.host, len(warnings), strings.Join(warnings, "\n"))
			case !tc.warns && len(warnings) > 0:
				t.Errorf("warned about %s although the key does not leave the machine or is encrypted:\n%s", tc.endpoint, strings.Join(warnings, "\n"))
			}
			checkKeyNeverLogged(t, col)
		})
	}
}
