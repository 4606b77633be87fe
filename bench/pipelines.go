package main

import "fmt"

// pipeline is one way the distribution exports the same spans.
type pipeline struct {
	name     string
	exporter string // the exporter's section, without its queue
}

// The two pipelines differ in their exporter only: same receiver, same
// memory_limiter, same queue and batch settings, same gzip compression, same
// machine, same spans.
var pipelines = []pipeline{
	{
		name: "helicone",
		exporter: `  helicone:
    endpoint: %s
    api_key: sk-helicone-bench
    compression: gzip`,
	},
	{
		name: "otlp_http",
		exporter: `  otlp_http:
    endpoint: %s
    encoding: json
    compression: gzip`,
	},
}

// queueConfig is shared by both exporters.
const queueConfig = `
    timeout: 30s
    sending_queue:
      num_consumers: 4
      sizer: items
      queue_size: 50000
      batch:
        flush_timeout: 200ms
        min_size: 1000
        max_size: 1000`

func (p pipeline) config(sinkURL string) string {
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
`, fmt.Sprintf(p.exporter, sinkURL), queueConfig, p.name)
}
