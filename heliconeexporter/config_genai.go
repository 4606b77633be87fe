package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"unicode"

	"github.com/otelcol-helicone/otelcol-helicone/internal/genai"
)

// SpansConfig chooses which spans become Helicone request logs. Helicone turns every
// span it receives into one, so by default only LLM calls are sent (docs/genai.md).
type SpansConfig struct {
	// Export is "llm" (the default): only LLM calls, once each; or "all": every span.
	Export string `mapstructure:"export"`
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
	// Send is "all" (the default): the span's own attributes plus those the exporter
	// adds for Helicone; or "helicone": only the attributes Helicone reads.
	Send string `mapstructure:"send"`
	// Properties become Helicone custom properties, which Helicone filters on.
	Properties PropertiesConfig `mapstructure:"properties"`
}

// PropertiesConfig fills traceloop.association.properties.Helicone-Property-<Name>.
type PropertiesConfig struct {
	// Static maps a property name to a fixed value, set on every span sent.
	Static map[string]string `mapstructure:"static"`
	// FromAttributes maps an attribute key to a property name; the span's attribute
	// is used, else the resource's. An empty name removes a default entry.
	FromAttributes map[string]string `mapstructure:"from_attributes"`
}

const (
	exportLLM    = "llm"
	exportAll    = "all"
	sendAll      = "all"
	sendHelicone = "helicone"
)

// defaultPropertyAttributes lets users filter by service and environment in Helicone,
// which ignores resource attributes.
func defaultPropertyAttributes() map[string]string {
	return map[string]string{
		"service.name":                "Service",
		"deployment.environment.name": "Environment",
		"deployment.environment":      "Environment",
	}
}

func (c *SpansConfig) validate() error {
	var errs []error
	switch c.Export {
	case exportLLM, exportAll:
	default:
		errs = append(errs, fmt.Errorf("spans.export: %q is not known; use llm (only LLM calls, the default) or all (every span becomes a Helicone request)", c.Export))
	}
	for i, m := range c.Include {
		if m.Name == "" && m.Attribute == "" {
			errs = append(errs, fmt.Errorf("spans.include[%d]: empty rule; give a name glob, an attribute key, or both", i))
		}
		if _, err := path.Match(m.Name, ""); err != nil {
			errs = append(errs, fmt.Errorf("spans.include[%d].name: %q is not a valid glob (%v); use * and ? as in \"my.llm.*\"", i, m.Name, err))
		}
	}
	return errors.Join(errs...)
}

func (c *AttributesConfig) validate() error {
	var errs []error
	switch c.Send {
	case sendAll, sendHelicone:
	default:
		errs = append(errs, fmt.Errorf("attributes.send: %q is not known; use all (keep every attribute, the default) or helicone (only what Helicone reads)", c.Send))
	}
	for _, name := range slices.Sorted(maps.Keys(c.Properties.Static)) {
		if !validPropertyName(name) {
			errs = append(errs, fmt.Errorf("attributes.properties.static: property name %q must be non-empty, without spaces or control characters", name))
		}
	}
	for _, attr := range slices.Sorted(maps.Keys(c.Properties.FromAttributes)) {
		name := c.Properties.FromAttributes[attr]
		if attr == "" {
			errs = append(errs, errors.New("attributes.properties.from_attributes: an attribute key is empty; give the key to read, e.g. service.name"))
		}
		if name != "" && !validPropertyName(name) {
			errs = append(errs, fmt.Errorf("attributes.properties.from_attributes[%s]: property name %q must be without spaces or control characters (or empty, to remove a default)", attr, name))
		}
	}
	return errors.Join(errs...)
}

func validPropertyName(name string) bool {
	return name != "" && strings.IndexFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}) < 0
}

// selector compiles the spans settings.
func (c *SpansConfig) selector() *genai.Selector {
	rules := make([]genai.Rule, len(c.Include))
	for i, m := range c.Include {
		rules[i] = genai.Rule{Name: m.Name, Attribute: m.Attribute}
	}
	return genai.NewSelector(c.Export == exportAll, rules)
}

// mappingSettings are the GenAI mapping settings of the configuration.
func (cfg *Config) mappingSettings() genai.Settings {
	return genai.Settings{
		// A quarter of a request leaves room for the original attribute and the rest
		// of the span in one request.
		MaxContent:     max(cfg.MaxRequestSize/4, 1024),
		FromAttributes: cfg.Attributes.Properties.FromAttributes,
		Static:         cfg.Attributes.Properties.Static,
	}
}
