package genaijson

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// walk lists every key, value and string text of v, iterating through x (nil:
// without an index).
func walk(out []string, x *Index, v Value) []string {
	out = append(out, v.Raw())
	if s, ok := x.Str(v); ok {
		out = append(out, "str:"+s)
	}
	for it := x.Elements(v); ; {
		e, ok := it.Next()
		if !ok {
			break
		}
		out = walk(out, x, e)
	}
	for it := x.Members(v); ; {
		k, val, ok := it.Next()
		if !ok {
			break
		}
		out = walk(walk(out, x, k), x, val)
	}
	return out
}

// indexed checks that iterating through an Index, reused from text to text,
// finds what iterating without one finds.
func indexed(t *testing.T, x *Index, s string) {
	v, err := Parse(s)
	iv, ierr := x.Parse(s)
	require.Equal(t, err == nil, ierr == nil, "%q", s)
	if err != nil {
		return
	}
	assert.Equal(t, walk(nil, nil, v), walk(nil, x, iv), "%q", s)
}

func TestIndexIteratesAsWithout(t *testing.T) {
	var x Index
	for _, s := range fuzzSeeds {
		indexed(t, &x, s)
	}
	indexed(t, &x, readMessagesInput)
	// Longer than an Index notes: iterated without it.
	indexed(t, &x, `["`+strings.Repeat("é", maxIndexed)+`", {"a": [1, "b\n"]}]`)
}

// A Value of an earlier text, or of the same text parsed again, is iterated
// through the Index as without it.
func TestIndexValueOfAnotherText(t *testing.T) {
	var x Index
	old, err := x.Parse(`{"role": "user", "parts": [{"type": "text", "content": "hi \u00e9"}]}`)
	require.NoError(t, err)
	want := walk(nil, nil, old)
	_, err = x.Parse(`[{"content": "another text, longer than the first one was, to cover its offsets"}]`)
	require.NoError(t, err)
	assert.Equal(t, want, walk(nil, &x, old))
	assert.Equal(t, want, walk(nil, (*Index)(nil), old))
}

// The zero Value and a Value of no text iterate over nothing.
func TestIndexZeroValue(t *testing.T) {
	var x Index
	_, err := x.Parse(`[1]`)
	require.NoError(t, err)
	assert.Equal(t, []string{""}, walk(nil, &x, Value{}))
	assert.True(t, slices.Equal(walk(nil, &x, Value{raw: `"a"`}), []string{`"a"`, "str:a"}))
}

// FuzzIndex holds iterating through an Index to iterating without one.
func FuzzIndex(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	var x Index
	f.Fuzz(func(t *testing.T, s string) { indexed(t, &x, s) })
}

// An iteration begun through an Index that then parses another text goes on
// as without it.
func TestIndexParsesAnotherTextMidIteration(t *testing.T) {
	var x Index
	v, err := x.Parse(`{"a": [1, {"b": "c"}], "d": "e", "f": {"g": null}}`)
	require.NoError(t, err)
	var keys []string
	it := x.Members(v)
	for {
		k, val, ok := it.Next()
		if !ok {
			break
		}
		_, err := x.Parse(`{"zz": [[[[[[[[[[["a very different text, with structure at other offsets"]]]]]]]]]]]}`)
		require.NoError(t, err)
		keys = append(keys, k.Raw()+"="+val.Raw())
	}
	assert.Equal(t, []string{`"a"=[1, {"b": "c"}]`, `"d"="e"`, `"f"={"g": null}`}, keys)
}
