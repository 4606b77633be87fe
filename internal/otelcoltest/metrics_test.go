package otelcoltest

import (
	"strings"
	"testing"
)

const scrape = `# HELP otelcol_exporter_sent_spans Number of spans successfully sent to destination.
# TYPE otelcol_exporter_sent_spans counter
otelcol_exporter_sent_spans{exporter="helicone",service_instance_id="a1",service_name="otelcol-helicone"} 60
otelcol_exporter_sent_spans{exporter="otlp_http",service_name="otelcol-helicone"} 7
otelcol_exporter_helicone_dropped_spans{reason="not_llm",note="a \"quoted\", comma"} 3
otelcol_exporter_helicone_dropped_spans{reason="too_large"} 1 1700000000000
otelcol_process_uptime 2.995560613
otelcol_process_memory_rss 3.2649216e+07
`

func TestParseMetrics(t *testing.T) {
	m, err := ParseMetrics(strings.NewReader(scrape))
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 6 {
		t.Fatalf("%d samples, want 6: %+v", len(m), m)
	}
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{SentSpans, []string{"exporter", "helicone"}, 60},
		{SentSpans, nil, 67},
		{HeliconeDropped, []string{"reason", "not_llm"}, 3},
		{HeliconeDropped, nil, 4},
		{"otelcol_process_memory_rss", nil, 32649216},
		{SendFailedSpans, nil, 0},
	} {
		if got := m.Sum(c.name, c.labels...); got != c.want {
			t.Errorf("Sum(%s, %q) = %g, want %g", c.name, c.labels, got, c.want)
		}
	}
	if got := m[2].Labels["note"]; got != `a "quoted", comma` {
		t.Errorf("escaped label value read as %q", got)
	}
	if m.Has(SendFailedSpans) || !m.Has(SentSpans, "exporter", "otlp_http") || m.Has(SentSpans, "exporter", "debug") {
		t.Error("Has does not tell reported metrics from others")
	}
}

func TestParseMetricsRejectsGarbage(t *testing.T) {
	for _, bad := range []string{"name_without_value", `name{label="unterminated} 1`, "name{label=1} 2", "name notanumber"} {
		if _, err := ParseMetrics(strings.NewReader(bad)); err == nil {
			t.Errorf("%q parsed without error", bad)
		}
	}
}
