package helicone

import (
	"bytes"
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaJSON is the OTELTrace body schema as Helicone's server enforces it:
// additional properties are forbidden everywhere.
//
//go:embed oteltrace.schema.json
var schemaJSON []byte

// schemaURL only names the embedded resource; nothing is ever fetched.
const schemaURL = "mem:///oteltrace.schema.json"

// english renders the validator's messages.
var english = message.NewPrinter(language.English)

// ErrInvalidJSON is wrapped by ValidateBody when the body is not JSON at all.
// The server answers that with 500 (a body-parser error), not 422.
var ErrInvalidJSON = errors.New("body is not valid JSON")

// Problem is one reason a body fails validation.
type Problem struct {
	// Path is the JSON pointer (RFC 6901) of the offending value; for an extra
	// or missing property it points at the property itself.
	Path    string
	Message string
}

// ValidationError lists every schema violation of a body, sorted by path.
// The server answers it with 422 and the problems as details.
type ValidationError struct {
	Problems []Problem
}

// maxErrorProblems bounds Error's text; Problems keeps them all.
const maxErrorProblems = 10

func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("body does not match Helicone's OTELTrace schema: ")
	for i, p := range e.Problems {
		if i == maxErrorProblems {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(strconv.Quote(p.Path) + ": " + p.Message)
	}
	return b.String()
}

var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
})

// ValidateBody checks a request body the way Helicone's server does. It
// returns an error wrapping ErrInvalidJSON for non-JSON, a *ValidationError
// for schema violations (a null anywhere is one), and nil for a body the
// server accepts.
func ValidateBody(body []byte) error {
	sch, err := compiledSchema()
	if err != nil {
		return fmt.Errorf("compiling the embedded schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	problems := nullProblems(doc, "", nil)
	var verr *jsonschema.ValidationError
	if err := sch.Validate(doc); errors.As(err, &verr) {
		problems = append(problems, schemaProblems(verr, nil)...)
	} else if err != nil {
		return err
	}
	if len(problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: dedupe(problems)}
}

// nullProblems reports every null, including inside events and links whose
// items the schema leaves unchecked: the server rejects null anywhere.
func nullProblems(v any, path string, out []Problem) []Problem {
	switch v := v.(type) {
	case nil:
		out = append(out, Problem{Path: path, Message: "null is not allowed"})
	case map[string]any:
		for k, child := range v {
			out = nullProblems(child, path+"/"+escapePointer(k), out)
		}
	case []any:
		for i, child := range v {
			out = nullProblems(child, path+"/"+strconv.Itoa(i), out)
		}
	}
	return out
}

// schemaProblems flattens the validator's error tree into its leaves, which
// are the actual violations; the inner nodes only say "via $ref".
func schemaProblems(e *jsonschema.ValidationError, out []Problem) []Problem {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			out = schemaProblems(c, out)
		}
		return out
	}
	at := pointer(e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		for _, p := range k.Properties {
			out = append(out, Problem{Path: at + "/" + escapePointer(p), Message: "additional property not allowed"})
		}
	case *kind.Required:
		for _, p := range k.Missing {
			out = append(out, Problem{Path: at + "/" + escapePointer(p), Message: "required property is missing"})
		}
	default:
		out = append(out, Problem{Path: at, Message: e.ErrorKind.LocalizedString(english)})
	}
	return out
}

// dedupe sorts problems by path, array indexes in numeric order, and keeps
// the first per path, so that a null reports "null is not allowed" rather
// than also a type mismatch.
func dedupe(problems []Problem) []Problem {
	slices.SortStableFunc(problems, func(a, b Problem) int { return comparePointers(a.Path, b.Path) })
	out := problems[:0]
	for _, p := range problems {
		if len(out) > 0 && out[len(out)-1].Path == p.Path {
			continue
		}
		out = append(out, p)
	}
	return out
}

// comparePointers orders JSON pointers token by token, numbers as numbers.
func comparePointers(a, b string) int {
	at, bt := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(at) && i < len(bt); i++ {
		an, aErr := strconv.Atoi(at[i])
		bn, bErr := strconv.Atoi(bt[i])
		c := strings.Compare(at[i], bt[i])
		if aErr == nil && bErr == nil {
			c = cmp.Compare(an, bn)
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(at), len(bt))
}

func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapePointer(t))
	}
	return b.String()
}

func escapePointer(token string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(token)
}
