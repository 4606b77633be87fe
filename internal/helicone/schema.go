package helicone

import (
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// schemaJSON is the OTELTrace body schema as Helicone's server enforces it:
// additional properties are forbidden everywhere.
//
//go:embed oteltrace.schema.json
var schemaJSON []byte

// ErrInvalidJSON is wrapped by ValidateBody when the body is not JSON at all.
// The server answers that with 500 (a body-parser error), not 422.
var ErrInvalidJSON = errors.New("body is not valid JSON")

// Problem is one entry of the 422 answer's details.
type Problem struct {
	// Path is the server's key for the offending value: relative to the
	// nearest list ("spans.$0", "attributes.$13.value"), or "traceBody..."
	// at the top.
	Path    string
	Message string
	// Value is the offending value as JSON; nil when the server shows none
	// (a missing property).
	Value []byte
}

// ValidationError lists the problems of a body in the order the server finds
// them. Like the server, a later problem with the same Path replaces an
// earlier one, so there can be fewer problems than faults. The server
// answers it with 422 and the problems as details.
type ValidationError struct {
	Problems []Problem
	at       map[string]int // index in Problems by Path
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

func (e *ValidationError) add(p Problem) {
	if i, ok := e.at[p.Path]; ok {
		e.Problems[i] = p
		return
	}
	if e.at == nil {
		e.at = map[string]int{}
	}
	e.at[p.Path] = len(e.Problems)
	e.Problems = append(e.Problems, p)
}

// ValidateBody checks a request body the way Helicone's server does. It
// returns an error wrapping ErrInvalidJSON for non-JSON, a *ValidationError
// for schema violations, and nil for a body the server accepts.
func ValidateBody(body []byte) error {
	doc, err := parseBody(body)
	if err != nil {
		return err
	}
	if _, verr := validateTrace(doc); verr != nil {
		return verr
	}
	return nil
}

// parseBody is express.json in strict mode: an object or an array.
func parseBody(body []byte) (any, error) {
	doc, err := parseJSON(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidJSON, err)
	}
	switch doc.(type) {
	case *object, []any:
		return doc, nil
	}
	return nil, fmt.Errorf("%w: strict mode takes only an object or an array at the top", ErrInvalidJSON)
}

// node is one type of the schema, as tsoa's generated route checks it.
type node struct {
	kind     string // "object", "array", "string", "number"; "" is any
	props    []prop
	closed   bool  // additional properties forbidden
	items    *node // nil: items of any type
	required map[string]bool
}

type prop struct {
	name string
	node *node
}

var traceSchema = sync.OnceValues(func() (*node, error) {
	doc, err := parseJSON(schemaJSON)
	if err != nil {
		return nil, err
	}
	root, ok := doc.(*object)
	if !ok {
		return nil, errors.New("schema is not an object")
	}
	return compileNode(root, root)
})

// compileNode reads the subset of JSON Schema that oteltrace.schema.json
// uses: type, properties, required, additionalProperties, items and local
// $refs.
func compileNode(root, s *object) (*node, error) {
	if ref, ok := s.get("$ref"); ok {
		name, _ := strings.CutPrefix(ref.(string), "#/$defs/")
		defs, _ := root.get("$defs")
		def, ok := defs.(*object).get(name)
		if !ok {
			return nil, fmt.Errorf("unresolved $ref %v", ref)
		}
		return compileNode(root, def.(*object))
	}
	n := &node{required: map[string]bool{}}
	if t, ok := s.get("type"); ok {
		n.kind = t.(string)
	}
	if ap, ok := s.get("additionalProperties"); ok {
		n.closed = ap == false
	}
	if req, ok := s.get("required"); ok {
		for _, r := range req.([]any) {
			n.required[r.(string)] = true
		}
	}
	if props, ok := s.get("properties"); ok {
		po := props.(*object)
		for _, k := range po.keys {
			child, err := compileNode(root, po.vals[k].(*object))
			if err != nil {
				return nil, err
			}
			n.props = append(n.props, prop{name: k, node: child})
		}
	}
	if items, ok := s.get("items"); ok {
		child, err := compileNode(root, items.(*object))
		if err != nil {
			return nil, err
		}
		n.items = child
	}
	return n, nil
}

// traceBodyName is the controller's parameter, the root of every detail key.
const traceBodyName = "traceBody"

// validateTrace checks doc as the server's validator does and returns it
// coerced as the server goes on to use it: numeric strings become numbers
// and a lone value where a list belongs becomes a list of one.
func validateTrace(doc any) (any, *ValidationError) {
	root, err := traceSchema()
	if err != nil {
		panic("helicone: embedded schema: " + err.Error())
	}
	verr := &ValidationError{}
	out := check(root, doc, traceBodyName, "", verr)
	if len(verr.Problems) > 0 {
		return nil, verr
	}
	return out, nil
}

// check is tsoa's ValidateParam for a present value, bodyCoercion on and
// extra properties throwing. Problems are keyed parent+name; list items
// are named $i below the list's own name, not its full path.
func check(n *node, v any, name, parent string, verr *ValidationError) any {
	switch n.kind {
	case "string":
		if _, ok := v.(string); !ok {
			verr.add(problem(parent+name, "invalid string value", v))
		}
		return v
	case "number":
		f, ok := coerceNumber(v)
		if !ok {
			verr.add(problem(parent+name, "invalid float number", v))
			return v
		}
		return f
	case "array":
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		out := make([]any, len(list))
		for i, item := range list {
			out[i] = item
			if n.items != nil {
				out[i] = check(n.items, item, "$"+strconv.Itoa(i), name+".", verr)
			}
		}
		return out
	case "object":
		return checkObject(n, v, name, parent, verr)
	}
	return v
}

func checkObject(n *node, v any, name, parent string, verr *ValidationError) any {
	path := parent + name
	obj, ok := v.(*object)
	if !ok {
		verr.add(problem(path, "invalid object", v))
		return v
	}
	if n.closed {
		extra := &object{vals: map[string]any{}}
		var names []string
		for _, k := range obj.jsKeys() {
			if !n.has(k) {
				names = append(names, k)
				extra.set(k, obj.vals[k])
			}
		}
		if len(names) > 0 {
			msg := `"` + strings.Join(names, ",") + `" is an excess property and therefore is not allowed`
			verr.add(problem(path, msg, extra))
		}
	}
	for _, p := range n.props {
		val, present := obj.get(p.name)
		switch {
		case present:
			obj.vals[p.name] = check(p.node, val, p.name, path+".", verr) // coerced in place, as tsoa does
		case n.required[p.name]:
			verr.add(Problem{Path: path + "." + p.name, Message: fmt.Sprintf("'%s' is required", p.name)})
		}
	}
	return obj
}

func (n *node) has(name string) bool {
	for _, p := range n.props {
		if p.name == name {
			return true
		}
	}
	return false
}

func problem(path, msg string, value any) Problem {
	return Problem{Path: path, Message: msg, Value: appendJSON(nil, value)}
}
