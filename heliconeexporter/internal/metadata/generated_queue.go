// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

// Mirrors mdatagen's default sending-queue output for ../../metadata.yaml.

package metadata

import (
	"time"

	"go.opentelemetry.io/collector/config/configoptional"
	"go.opentelemetry.io/collector/exporter/exporterhelper"
)

// NewDefaultQueueBatchConfig is the exporter's default `sending_queue`: the collector's
// default queue with batching switched on and sized for LLM spans, which are few per
// second but often several KB each (prompts and completions).
func NewDefaultQueueBatchConfig() exporterhelper.QueueBatchConfig {
	cfg := exporterhelper.NewDefaultQueueConfig()
	batch := exporterhelper.NewDefaultBatchConfig()
	batch.FlushTimeout = time.Second
	batch.MinSize = 256
	batch.MaxSize = 1024
	cfg.Batch = configoptional.Some(batch)
	return cfg
}
