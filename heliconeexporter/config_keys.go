package heliconeexporter // import "github.com/otelcol-helicone/otelcol-helicone/heliconeexporter"

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"go.opentelemetry.io/collector/confmap"
)

// Unmarshal decodes as the collector does and, when a key is unknown, names the
// nearest valid one: the squashed HTTP client settings make the exporter's list of
// keys long, and a typo such as `timout` would otherwise cost a search.
func (cfg *Config) Unmarshal(conf *confmap.Conf) error {
	err := conf.Unmarshal(cfg)
	if err == nil {
		return nil
	}
	hints := unknownKeys(conf.ToStringMap(), reflect.TypeFor[Config](), "")
	if len(hints) == 0 {
		return err
	}
	return errors.Join(append([]error{err}, hints...)...)
}

// unknownKeys explains every key of m that is not a setting of t, descending into
// nested settings; path is m's own key path.
func unknownKeys(m map[string]any, t reflect.Type, path string) []error {
	valid := settingsOf(t)
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(m)) {
		child, ok := valid[strings.ToLower(key)]
		if !ok {
			errs = append(errs, unknownKey(path+key, key, valid))
			continue
		}
		if sub, isMap := m[key].(map[string]any); isMap && child != nil {
			errs = append(errs, unknownKeys(sub, child, path+key+".")...)
		}
	}
	return errs
}

func unknownKey(full, key string, valid map[string]reflect.Type) error {
	if near, ok := nearest(strings.ToLower(key), slices.Sorted(maps.Keys(valid))); ok {
		return fmt.Errorf("%s: not a setting of the helicone exporter; did you mean %s?", full, strings.TrimSuffix(full, key)+near)
	}
	return fmt.Errorf("%s: not a setting of the helicone exporter; the settings there are %s", full, strings.Join(slices.Sorted(maps.Keys(valid)), ", "))
}

// settingsOf maps each mapstructure key of struct t to the type to descend into for
// nested keys (nil where its keys are free, as in maps, or not a struct).
func settingsOf(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range structType(t).Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("mapstructure"), ",")
		switch {
		case name == "-" || !f.IsExported():
			continue
		case strings.Contains(opts, "squash"):
			maps.Copy(out, settingsOf(f.Type))
			continue
		case name == "":
			name = strings.ToLower(f.Name)
		}
		out[name] = nestedStruct(f.Type)
	}
	return out
}

// nestedStruct is the struct type whose keys a setting of type t holds, looking
// through pointers and configoptional.Optional (whose Get returns *T); nil if none.
func nestedStruct(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	if get, ok := reflect.PointerTo(t).MethodByName("Get"); ok && get.Type.NumOut() == 1 && get.Type.Out(0).Kind() == reflect.Pointer {
		return nestedStruct(get.Type.Out(0).Elem())
	}
	return t
}

func structType(t reflect.Type) reflect.Type {
	if s := nestedStruct(t); s != nil {
		return s
	}
	return reflect.TypeFor[struct{}]()
}

// nearest is the candidate closest to key in edits, if it is close enough to be
// the key the user meant (at most a third of the key's length, and at least 2).
func nearest(key string, candidates []string) (string, bool) {
	best, bestDist := "", max(2, len(key)/3)+1
	for _, c := range candidates {
		if d := editDistance(key, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best, best != ""
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
