package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// manifestDir holds every Kubernetes manifest; each of its folders is one way
// to run the collector, applied with `kubectl apply -f <folder>`.
const manifestDir = "kubernetes"

// newObject returns an empty object of the Go type for an apiVersion and kind,
// or nil for a kind the manifests should not contain.
func newObject(apiVersion, kind string) any {
	switch apiVersion + " " + kind {
	case "v1 ConfigMap":
		return new(corev1.ConfigMap)
	case "v1 Secret":
		return new(corev1.Secret)
	case "v1 Service":
		return new(corev1.Service)
	case "apps/v1 Deployment":
		return new(appsv1.Deployment)
	case "apps/v1 StatefulSet":
		return new(appsv1.StatefulSet)
	case "autoscaling/v2 HorizontalPodAutoscaler":
		return new(autoscalingv2.HorizontalPodAutoscaler)
	case "policy/v1 PodDisruptionBudget":
		return new(policyv1.PodDisruptionBudget)
	case "opentelemetry.io/v1beta1 OpenTelemetryCollector":
		return new(openTelemetryCollector)
	}
	return nil
}

// manifest is one decoded document of a manifest file.
type manifest struct {
	File string // relative to manifestDir, e.g. "sidecar/deployment.yaml"
	Kind string
	Name string
	Obj  any // a pointer to the Kubernetes API type for Kind
}

func (m manifest) String() string { return fmt.Sprintf("%s %s (%s)", m.Kind, m.Name, m.File) }

// manifests are all the documents of a set of files.
type manifests []manifest

// in returns the documents of the files in one folder of manifestDir, "" for
// the files at its top.
func (ms manifests) in(folder string) manifests {
	var out manifests
	for _, m := range ms {
		if filepath.Dir(m.File) == filepath.Clean(folder+"/.") || (folder == "" && !strings.Contains(m.File, "/")) {
			out = append(out, m)
		}
	}
	return out
}

// ofKind returns the objects of one Go type, e.g. ofKind[*appsv1.Deployment](ms).
func ofKind[T any](ms manifests) []T {
	var out []T
	for _, m := range ms {
		if o, ok := m.Obj.(T); ok {
			out = append(out, o)
		}
	}
	return out
}

// only returns the single object of one Go type, failing unless there is exactly one.
func only[T any](t *testing.T, ms manifests) T {
	t.Helper()
	objs := ofKind[T](ms)
	if len(objs) != 1 {
		var zero T
		t.Fatalf("want exactly one %T, found %d", zero, len(objs))
	}
	return objs[0]
}

var documentSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// loadManifests decodes every document of every YAML file under manifestDir,
// strictly: an unknown or duplicated field, or a kind without a Go type, is
// an error.
func loadManifests(t *testing.T) manifests {
	t.Helper()
	var ms manifests
	err := filepath.WalkDir(manifestDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
			return fmt.Errorf("%s: only YAML manifests belong in %s", path, manifestDir)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(manifestDir, path)
		for i, doc := range documentSeparator.Split(string(data), -1) {
			m, err := decodeManifest(rel, doc)
			if err != nil {
				return fmt.Errorf("%s, document %d: %w", path, i+1, err)
			}
			if m != nil {
				ms = append(ms, *m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 {
		t.Fatalf("no manifests found under %s", manifestDir)
	}
	return ms
}

// decodeManifest decodes one document; nil when it holds only comments.
func decodeManifest(file, doc string) (*manifest, error) {
	if strings.TrimSpace(stripComments(doc)) == "" {
		return nil, nil
	}
	var head struct {
		metav1.TypeMeta `json:",inline"`
		Metadata        struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := yaml.Unmarshal([]byte(doc), &head); err != nil {
		return nil, err
	}
	obj := newObject(head.APIVersion, head.Kind)
	if obj == nil {
		return nil, fmt.Errorf("apiVersion %q kind %q: no Go type to check it against; add one to newObject", head.APIVersion, head.Kind)
	}
	if err := yaml.UnmarshalStrict([]byte(doc), obj); err != nil {
		return nil, fmt.Errorf("%s %s: %w", head.Kind, head.Metadata.Name, err)
	}
	if head.Metadata.Name == "" {
		return nil, fmt.Errorf("%s without metadata.name", head.Kind)
	}
	return &manifest{File: file, Kind: head.Kind, Name: head.Metadata.Name, Obj: obj}, nil
}

func stripComments(doc string) string {
	var b strings.Builder
	for line := range strings.Lines(doc) {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			b.WriteString(line)
		}
	}
	return b.String()
}

func TestManifestsDecodeStrictly(t *testing.T) {
	ms := loadManifests(t)
	seen := map[string]string{}
	for _, m := range ms {
		// Names are unique per kind within a folder, which is applied as a whole.
		key := filepath.Dir(m.File) + " " + m.Kind + " " + m.Name
		if prev, ok := seen[key]; ok {
			t.Errorf("%s: also defined in %s", m, prev)
		}
		seen[key] = m.File
	}
	// Each way to run the collector is there, with the kinds it needs.
	want := map[string][]string{
		"":                   {"Secret"},
		"sidecar":            {"ConfigMap", "Deployment"},
		"operator":           {"OpenTelemetryCollector", "Deployment"},
		"gateway":            {"ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"},
		"gateway-persistent": {"ConfigMap", "StatefulSet", "Service"},
	}
	for folder, kinds := range want {
		got := map[string]bool{}
		for _, m := range ms.in(folder) {
			got[m.Kind] = true
		}
		for _, k := range kinds {
			if !got[k] {
				t.Errorf("%s/: no %s", filepath.Join(manifestDir, folder), k)
			}
		}
	}
}

// The example Secret holds a placeholder, and no folder that is applied as a
// whole holds a Secret that would overwrite the real key.
func TestSecretIsAPlaceholder(t *testing.T) {
	ms := loadManifests(t)
	secrets := ofKind[*corev1.Secret](ms.in(""))
	if len(secrets) == 0 {
		t.Fatalf("no example Secret in %s/", manifestDir)
	}
	for _, s := range secrets {
		if len(s.Data) > 0 || len(s.StringData) == 0 {
			t.Errorf("Secret %s: give the placeholder in stringData, not data", s.Name)
		}
		for k, v := range s.StringData {
			if !strings.Contains(v, "REPLACE") {
				t.Errorf("Secret %s: %s = %q does not look like a placeholder", s.Name, k, v)
			}
		}
	}
	for _, m := range ms {
		if _, ok := m.Obj.(*corev1.Secret); ok && strings.Contains(m.File, "/") {
			t.Errorf("%s: `kubectl apply -f %s/` would overwrite the real key with this", m, filepath.Dir(m.File))
		}
	}
}

// The decoder must reject what a typo would produce; otherwise the test above
// proves nothing.
func TestDecodeManifestRejectsUnknownFields(t *testing.T) {
	bad := map[string]string{
		"unknown field":    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replica: 2\n",
		"duplicate field":  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\ndata: {c: d}\n",
		"unknown kind":     "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n",
		"unknown CR field": "apiVersion: opentelemetry.io/v1beta1\nkind: OpenTelemetryCollector\nmetadata: {name: x}\nspec:\n  mode: sidecar\n  imagee: otelcol-helicone:dev\n",
		"no name":          "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n",
	}
	for name, doc := range bad {
		if _, err := decodeManifest("x.yaml", doc); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
	if m, err := decodeManifest("x.yaml", "# only a comment\n"); err != nil || m != nil {
		t.Errorf("a comment-only document: got %v, %v; want nil, nil", m, err)
	}
}
