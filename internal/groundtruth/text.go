package groundtruth

import (
	"encoding/json"
	"regexp"
	"strings"
)

// squeeze drops all white space, so that texts compare whatever the
// indentation or JSON spacing a library or the exporter chose.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// isJSONDoc says whether s is a JSON object or array: in a message or
// response, raw JSON where the server saw text (a content-block array, a
// serialised message) is what a Helicone user must not have to read.
func isJSONDoc(s string) bool {
	s = strings.TrimSpace(s)
	return (strings.HasPrefix(s, "[") || strings.HasPrefix(s, "{")) && json.Valid([]byte(s))
}

// funcCall matches the server's flattening of a Responses-API function_call
// input item, "name(arguments)".
var funcCall = regexp.MustCompile(`^([A-Za-z_][\w.-]*)\((.*)\)$`)

// shows says whether a Helicone user reading got sees the text want the
// server saw: it contains want (white space aside), and is not raw JSON
// unless want is JSON itself. An empty want (an assistant turn that only
// called tools) is shown by anything. A function call "name(args)" is shown
// by any rendering that has the name and the arguments (see showsCall).
func shows(got, want string) bool {
	if strings.TrimSpace(want) == "" {
		return true
	}
	if isJSONDoc(got) && !isJSONDoc(want) {
		return false
	}
	g := squeeze(got)
	if strings.Contains(g, squeeze(want)) {
		return true
	}
	if m := funcCall.FindStringSubmatch(strings.TrimSpace(want)); m != nil {
		return showsCall(g, m[1], m[2])
	}
	return false
}

// showsCall says whether the squeezed text g shows a call of name with
// arguments. Empty arguments ("{}") need not show: they say nothing, and
// instrumentations drop them (OpenInference records no arguments for "{}").
func showsCall(g, name, arguments string) bool {
	args := squeeze(arguments)
	return strings.Contains(g, name) && (args == "" || args == "{}" || strings.Contains(g, args))
}

// clip shortens a text for a failure report.
func clip(s string) string {
	const max = 120
	r := []rune(strings.ReplaceAll(s, "\n", `\n`))
	if len(r) <= max {
		return string(r)
	}
	return string(r[:max]) + "…"
}
