package otelcoltest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Names of the collector's own metrics as its Prometheus endpoint shows them
// (no unit or _total suffix: the collector's default for this reader).
const (
	SentSpans          = "otelcol_exporter_sent_spans"
	SendFailedSpans    = "otelcol_exporter_send_failed_spans"
	EnqueueFailedSpans = "otelcol_exporter_enqueue_failed_spans"
	QueueSize          = "otelcol_exporter_queue_size"
	HeliconeDropped    = "otelcol_exporter_helicone_dropped_spans"
	AcceptedSpans      = "otelcol_receiver_accepted_spans"
	RefusedSpans       = "otelcol_receiver_refused_spans"
)

// Sample is one line of the Prometheus text format.
type Sample struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// Metrics are the samples of one scrape.
type Metrics []Sample

// Sum adds up the samples of name whose labels include every pair of
// labelPairs ("exporter", "helicone", ...). A metric not yet reported sums
// to 0, as a counter that never moved.
func (m Metrics) Sum(name string, labelPairs ...string) float64 {
	var sum float64
	for _, s := range m {
		if s.Name == name && s.matches(labelPairs) {
			sum += s.Value
		}
	}
	return sum
}

// Has reports whether any sample of name with labelPairs is there.
func (m Metrics) Has(name string, labelPairs ...string) bool {
	for _, s := range m {
		if s.Name == name && s.matches(labelPairs) {
			return true
		}
	}
	return false
}

func (s Sample) matches(labelPairs []string) bool {
	for i := 0; i+1 < len(labelPairs); i += 2 {
		if s.Labels[labelPairs[i]] != labelPairs[i+1] {
			return false
		}
	}
	return true
}

// Scrape reads the collector's own metrics once.
func (c *Collector) Scrape(ctx context.Context) (Metrics, error) {
	return ScrapeURL(ctx, "http://"+c.opts.Ports.Metrics+"/metrics")
}

// WaitForMetrics scrapes until cond holds for a scrape, and returns that
// scrape; on timeout it returns the last scrape with the error.
func (c *Collector) WaitForMetrics(ctx context.Context, cond func(Metrics) bool) (Metrics, error) {
	var last Metrics
	for {
		m, err := c.Scrape(ctx)
		if err == nil {
			last = m
			if cond(m) {
				return m, nil
			}
		}
		select {
		case <-ctx.Done():
			if err == nil {
				err = context.Cause(ctx)
			}
			return last, fmt.Errorf("metrics never matched: %w", err)
		case <-c.exited:
			return last, fmt.Errorf("the collector exited: %v", c.err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// ScrapeURL reads a Prometheus text endpoint.
func ScrapeURL(ctx context.Context, url string) (Metrics, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return ParseMetrics(resp.Body)
}

// ParseMetrics reads the Prometheus text exposition format: comments are
// skipped, timestamps ignored.
func ParseMetrics(r io.Reader) (Metrics, error) {
	var m Metrics
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		s, err := parseSample(line)
		if err != nil {
			return nil, fmt.Errorf("metrics line %d %q: %w", n, line, err)
		}
		m = append(m, s)
	}
	return m, sc.Err()
}

func parseSample(line string) (Sample, error) {
	s := Sample{Labels: map[string]string{}}
	end := strings.IndexAny(line, "{ ")
	if end <= 0 {
		return s, fmt.Errorf("no value")
	}
	s.Name, line = line[:end], line[end:]
	if line[0] == '{' {
		rest, err := parseLabels(line[1:], s.Labels)
		if err != nil {
			return s, err
		}
		line = rest
	}
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return s, fmt.Errorf("no value")
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return s, err
	}
	s.Value = v
	return s, nil
}

// parseLabels reads name="value" pairs up to the closing brace and returns
// what follows it.
func parseLabels(s string, into map[string]string) (string, error) {
	for {
		s = strings.TrimLeft(s, " ,")
		if strings.HasPrefix(s, "}") {
			return s[1:], nil
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || eq+1 >= len(s) || s[eq+1] != '"' {
			return "", fmt.Errorf("bad label in %q", s)
		}
		name := strings.TrimSpace(s[:eq])
		var v strings.Builder
		i := eq + 2
		for ; i < len(s) && s[i] != '"'; i++ {
			if s[i] == '\\' && i+1 < len(s) {
				i++
				switch s[i] {
				case 'n':
					v.WriteByte('\n')
				default:
					v.WriteByte(s[i])
				}
				continue
			}
			v.WriteByte(s[i])
		}
		if i >= len(s) {
			return "", fmt.Errorf("unterminated label value in %q", s)
		}
		into[name] = v.String()
		s = s[i+1:]
	}
}
