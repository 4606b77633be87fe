package helicone

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseJSON(t *testing.T) {
	v, err := parseJSON([]byte(` {"b":1,"a":[true,false,null,"x\u00e9\n",-1.5e3,1e400],"b":2} `))
	require.NoError(t, err)
	o := v.(*object)
	require.Equal(t, []string{"b", "a"}, o.keys, "first position, last value")
	require.Equal(t, 2.0, o.vals["b"])
	require.Equal(t, []any{true, false, nil, "xé\n", -1500.0, math.Inf(1)}, o.vals["a"])
	for _, bad := range []string{"", "{", "01", "1.", "+1", ".5", "[1,]", `{"a"}`, `"a` + "\x01" + `"`, "nul", "{} {}", "[1 2]"} {
		_, err := parseJSON([]byte(bad))
		require.Error(t, err, "%q", bad)
	}
}

// FuzzParseJSON holds the scanner to encoding/json: the same documents are
// JSON, and they read the same.
func FuzzParseJSON(f *testing.F) {
	for _, seed := range []string{`{"a":[1,"x",{"b":null}]}`, `[-0.5e-3, true]`, `"\ud83d\ude00\u00"`, "\"\xff\"", `{"a":1,"a":2}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		v, err := parseJSON(b)
		require.Equal(t, json.Valid(b), err == nil, "%q: %v", b, err)
		if err != nil {
			return
		}
		var want any
		if json.Unmarshal(b, &want) != nil {
			return // a number out of float64's range, which JavaScript reads as Infinity
		}
		require.Equal(t, want, plain(v), "%q", b)
	})
}

// plain is v as encoding/json would have decoded it.
func plain(v any) any {
	switch v := v.(type) {
	case *object:
		m := make(map[string]any, len(v.vals))
		for k, e := range v.vals {
			m[k] = plain(e)
		}
		return m
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = plain(e)
		}
		return out
	}
	return v
}
