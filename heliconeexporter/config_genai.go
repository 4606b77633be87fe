// Copyright The otelcol-helicone Authors
// SPDX-License-Identifier: Apache-2.0

package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
)

// SpansConfig chooses which spans become Helicone request logs. Helicone turns every
// span it receives into one, so by default only LLM calls are sent (docs/genai.md).
type SpansConfig struct {
	// Export is llm (the default): only LLM calls, once each; or all: every span.
	Export SpansExport `mapstructure:"export"`
	// Include lists extra rules: a span matching any of them is sent too.
	Include []SpanMatch `mapstructure:"include"`
}

// SpanMatch matches a span when every field given matches.
type SpanMatch struct {
	// Name is a glob on the span name, as in Go's path.Match ("my.llm.*").
	Name string `mapstructure:"name"`
	// Attribute is a span attribute key that must be present.
	Attribute string `mapstructure:"attribute"`
}

// AttributesConfig chooses what each span carries to Helicone.
type AttributesConfig struct {
	// Send is all (the default): the span's own attributes plus those the exporter
	// adds for Helicone; or helicone: only the attributes Helicone reads.
	Send AttributesSend `mapstructure:"send"`
	// Properties become Helicone custom properties, which Helicone filters on.
	Properties PropertiesConfig `mapstructure:"properties"`
	// Failures (on by default) marks a failed LLM call, which Helicone would log as a
	// success: an Error property with the error type, and the error as the response
	// of a call that recorded none.
	Failures bool `mapstructure:"failures"`
	// Sessions groups the LLM calls of an agent run into a Helicone session.
	Sessions SessionsConfig `mapstructure:"sessions"`
}

// SessionsConfig fills Helicone-Session-Id, -Path and -Name for the LLM calls of an
// agent run whose spans name no session of their own (docs/genai.md).
type SessionsConfig struct {
	// Enabled (the default) turns agent-run sessions on.
	Enabled bool `mapstructure:"enabled"`
	// ID is where a run's session id comes from: conversation (the default:
	// gen_ai.conversation.id or session.id, else the trace id) or trace.
	ID SessionID `mapstructure:"id"`
}

// SessionID is the value of attributes.sessions.id.
type SessionID string

const (
	SessionIDConversation SessionID = "conversation"
	SessionIDTrace        SessionID = "trace"
)

// UnmarshalText accepts only the known values, so that a typo fails at load time.
func (s *SessionID) UnmarshalText(text []byte) error {
	return unmarshalChoice(s, text, "conversation (gen_ai.conversation.id or session.id, else the trace id; the default) or trace (one session per trace)", SessionIDConversation, SessionIDTrace)
}

// PropertiesConfig fills traceloop.association.properties.Helicone-Property-<Name>.
type PropertiesConfig struct {
	// Static maps a property name to a fixed value, set on every span sent.
	Static StaticProperties `mapstructure:"static"`
	// FromAttributes maps an attribute key to a property name; the span's attribute
	// is used, else the resource's. An empty name removes a default entry.
	FromAttributes AttributeProperties `mapstructure:"from_attributes"`
}

// StaticProperties maps a Helicone property name to its value.
type StaticProperties map[string]string

// AttributeProperties maps an attribute key to a Helicone property name.
type AttributeProperties map[string]string

// SpansExport is the value of spans.export.
type SpansExport string

const (
	ExportLLM SpansExport = "llm"
	ExportAll SpansExport = "all"
)

// UnmarshalText accepts only the known values, so that a typo fails at load time.
func (e *SpansExport) UnmarshalText(text []byte) error {
	return unmarshalChoice(e, text, "llm (only LLM calls, the default) or all (every span becomes a Helicone request)", ExportLLM, ExportAll)
}

// AttributesSend is the value of attributes.send.
type AttributesSend string

const (
	SendAll      AttributesSend = "all"
	SendHelicone AttributesSend = "helicone"
)

// UnmarshalText accepts only the known values, so that a typo fails at load time.
func (s *AttributesSend) UnmarshalText(text []byte) error {
	return unmarshalChoice(s, text, "all (keep every attribute, the default) or helicone (only what Helicone reads)", SendAll, SendHelicone)
}

// unmarshalChoice sets *dst to text if it is one of choices; help lists them.
func unmarshalChoice[T ~string](dst *T, text []byte, help string, choices ...T) error {
	if v := T(text); slices.Contains(choices, v) {
		*dst = v
		return nil
	}
	return fmt.Errorf("%q is not known; use %s", text, help)
}

// defaultPropertyAttributes lets users filter by service and environment in Helicone,
// which ignores resource attributes.
func defaultPropertyAttributes() AttributeProperties {
	return AttributeProperties{
		"service.name":                "Service",
		"deployment.environment.name": "Environment",
		"deployment.environment":      "Environment",
	}
}

// Validate checks spans.export when set in code; loading checks it already. The
// collector prefixes errors with spans.
func (c *SpansConfig) Validate() error {
	var e SpansExport // checks a value set in code, not loaded
	if err := e.UnmarshalText([]byte(c.Export)); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// Validate checks one include rule; the collector prefixes errors with its path.
func (m *SpanMatch) Validate() error {
	if m.Name == "" && m.Attribute == "" {
		return errors.New("empty rule; give a name glob, an attribute key, or both")
	}
	if _, err := path.Match(m.Name, ""); err != nil {
		return fmt.Errorf("name: %q is not a valid glob (%w); use * and ? as in \"my.llm.*\"", m.Name, err)
	}
	return nil
}

// Validate checks attributes.send and sessions.id when set in code; loading checks
// them already.
func (c *AttributesConfig) Validate() error {
	var errs []error
	var s AttributesSend
	if err := s.UnmarshalText([]byte(c.Send)); err != nil {
		errs = append(errs, fmt.Errorf("send: %w", err))
	}
	var id SessionID
	if err := id.UnmarshalText([]byte(c.Sessions.ID)); err != nil {
		errs = append(errs, fmt.Errorf("sessions::id: %w", err))
	}
	return errors.Join(errs...)
}

// Validate checks the property names, in one error so that the collector prefixes
// it with attributes::properties::static.
func (p StaticProperties) Validate() error {
	var bad []string
	for _, name := range slices.Sorted(maps.Keys(p)) {
		if !validPropertyName(name) {
			bad = append(bad, strconv.Quote(name))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("property names %s must be non-empty, without spaces or control characters", strings.Join(bad, ", "))
	}
	return nil
}

// Validate checks the attribute keys and property names, in one error so that the
// collector prefixes it with attributes::properties::from_attributes.
func (p AttributeProperties) Validate() error {
	var bad []string
	for _, attr := range slices.Sorted(maps.Keys(p)) {
		switch name := p[attr]; {
		case attr == "":
			bad = append(bad, "an empty attribute key; give the key to read, e.g. service.name")
		case name != "" && !validPropertyName(name):
			bad = append(bad, fmt.Sprintf("%s: property name %q must be without spaces or control characters (or empty, to remove a default)", attr, name))
		}
	}
	if len(bad) > 0 {
		return errors.New(strings.Join(bad, "; "))
	}
	return nil
}

func validPropertyName(name string) bool {
	return name != "" && strings.IndexFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}) < 0
}

// selector compiles the spans settings; sessions need the ancestry it records.
func (cfg *Config) selector() *genai.Selector {
	rules := make([]genai.Rule, len(cfg.Spans.Include))
	for i, m := range cfg.Spans.Include {
		rules[i] = genai.Rule{Name: m.Name, Attribute: m.Attribute}
	}
	return genai.NewSelector(cfg.Spans.Export == ExportAll, rules, cfg.Attributes.Sessions.Enabled)
}

// mappingSettings are the GenAI mapping settings of the configuration.
func (cfg *Config) mappingSettings() genai.Settings {
	return genai.Settings{
		// A quarter of a request leaves room for the original attribute and the rest
		// of the span in one request.
		MaxContent:         max(cfg.MaxRequestSize/4, 1024),
		FromAttributes:     cfg.Attributes.Properties.FromAttributes,
		Static:             cfg.Attributes.Properties.Static,
		Failures:           cfg.Attributes.Failures,
		Sessions:           cfg.Attributes.Sessions.Enabled,
		SessionIDFromTrace: cfg.Attributes.Sessions.ID == SessionIDTrace,
	}
}
