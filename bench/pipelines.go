package main

import "fmt"

// pipeline is one way the distribution exports the same spans.
type pipeline struct {
	name     string // as reports show it
	exporter string // the exporter's component id in the config
	config   string // the exporter's section, without its queue; %s is the sink's URL
	posts    bool   // whether it posts to the sink (bytes on the wire)
	gzips    bool   // whether its bodies are gzip-compressed
}

// The pipelines differ in their exporter only: same receiver, same
// memory_limiter, same queue and batch settings, same machine, same spans.
// helicone and otlp_http gzip their bodies (helicone_uncompressed, the
// same exporter with compression: none, shows what gzip costs in the
// helicone pipeline); floor is the same collector
// with an exporter that does nothing but log one line per batch (the
// distribution has no nop exporter; debug at basic is the closest), so
// that it shows what receiving, queueing and batching the spans alone cost.
var pipelines = []pipeline{
	{
		name:     "helicone",
		exporter: "helicone",
		config: `  helicone:
    endpoint: %s
    api_key: sk-helicone-bench
    compression: gzip
    timeout: 30s`,
		posts: true,
		gzips: true,
	},
	{
		name:     "helicone_uncompressed",
		exporter: "helicone",
		config: `  helicone:
    endpoint: %s
    api_key: sk-helicone-bench
    compression: none
    timeout: 30s`,
		posts: true,
	},
	{
		name:     "otlp_http",
		exporter: "otlp_http",
		config: `  otlp_http:
    endpoint: %s
    encoding: json
    compression: gzip
    timeout: 30s`,
		posts: true,
		gzips: true,
	},
	{
		name:     "floor",
		exporter: "debug",
		// %.0s: the floor has no endpoint. sampling_thereafter 1 logs every
		// batch's line (one per 1,000 spans): no sampler decides the cost.
		config: `  debug:%.0s
    verbosity: basic
    sampling_initial: 1
    sampling_thereafter: 1`,
	},
}

// queueConfig is shared by every exporter.
const queueConfig = `
    sending_queue:
      num_consumers: 4
      sizer: items
      queue_size: 50000
      batch:
        flush_timeout: 200ms
        min_size: 1000
        max_size: 1000`

func (p pipeline) collectorConfig(sinkURL string) string {
	return fmt.Sprintf(`
processors:
  memory_limiter:
    check_interval: 1s
    limit_mib: 1500
    spike_limit_mib: 300
exporters:
%s%s
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter]
      exporters: [%s]
`, fmt.Sprintf(p.config, sinkURL), queueConfig, p.exporter)
}
