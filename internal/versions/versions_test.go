package versions

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// The release line: moving it means changing these, OCB_VERSION,
// builder-config.yaml and go.mod together. Contrib tags a patch release of
// its own on the same line (v0.165.1 builds against the v0.165.0 core).
const (
	Stable  = "v1.71.0"  // core modules with a 1.x version
	Beta    = "v0.165.0" // all other core modules and ocb
	Contrib = "v0.165.1" // contrib modules
)

const (
	coreModules    = "go.opentelemetry.io/collector"
	contribModules = "github.com/open-telemetry/opentelemetry-collector-contrib"
	thisModule     = "github.com/otelcol-helicone/otelcol-helicone"
)

var root = filepath.Join("..", "..")

// builderConfig is the part of builder-config.yaml that names modules.
type builderConfig struct {
	Dist struct {
		Name       string `yaml:"name"`
		OutputPath string `yaml:"output_path"`
	} `yaml:"dist"`
	Receivers  []module `yaml:"receivers"`
	Processors []module `yaml:"processors"`
	Exporters  []module `yaml:"exporters"`
	Extensions []module `yaml:"extensions"`
	Connectors []module `yaml:"connectors"`
	Providers  []module `yaml:"providers"`
	Converters []module `yaml:"converters"`
	Telemetry  *module  `yaml:"telemetry"`
	Replaces   []string `yaml:"replaces"`
}

type module struct {
	GoMod  string `yaml:"gomod"`
	Import string `yaml:"import"`
	Path   string `yaml:"path"`
}

func (c builderConfig) modules() []module {
	var all []module
	for _, list := range [][]module{c.Receivers, c.Processors, c.Exporters, c.Extensions, c.Connectors, c.Providers, c.Converters} {
		all = append(all, list...)
	}
	if c.Telemetry != nil {
		all = append(all, *c.Telemetry)
	}
	return all
}

func readBuilderConfig(t *testing.T) builderConfig {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "builder-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var c builderConfig
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("builder-config.yaml: %v", err)
	}
	return c
}

func readGoMod(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", b, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Module.Mod.Path != thisModule {
		t.Fatalf("go.mod: module is %q, builder-config.yaml and this test expect %q", f.Module.Mod.Path, thisModule)
	}
	req := map[string]string{}
	for _, r := range f.Require {
		req[r.Mod.Path] = r.Mod.Version
	}
	for _, r := range f.Replace {
		if isCollectorModule(r.Old.Path) {
			t.Errorf("go.mod: replace of %s: collector modules must come from the release line as published", r.Old.Path)
		}
	}
	return req
}

func isCollectorModule(path string) bool {
	return path == coreModules || strings.HasPrefix(path, coreModules+"/") || strings.HasPrefix(path, contribModules+"/")
}

// lineVersion is the version a collector module must have on the line.
// A core module's major version decides: 1.x modules are Stable. The caller
// passes the version it found, which says which kind of module it is.
func lineVersion(path, found string) string {
	switch {
	case strings.HasPrefix(path, contribModules+"/"):
		return Contrib
	case semver.Major(found) == "v1":
		return Stable
	}
	return Beta
}

func TestBuilderConfigIsOnTheReleaseLine(t *testing.T) {
	cfg := readBuilderConfig(t)
	goMod := readGoMod(t)

	if cfg.Dist.Name != "otelcol-helicone" {
		t.Errorf("dist.name is %q; the Makefile, scripts and tests expect otelcol-helicone", cfg.Dist.Name)
	}
	if filepath.Clean(cfg.Dist.OutputPath) != "_build" {
		t.Errorf("dist.output_path is %q; the Makefile expects _build", cfg.Dist.OutputPath)
	}
	mods := cfg.modules()
	if len(mods) < 10 {
		t.Fatalf("builder-config.yaml lists only %d modules; did its layout change?", len(mods))
	}
	ownExporter := false
	for _, m := range mods {
		path, version, ok := strings.Cut(m.GoMod, " ")
		if !ok || !semver.IsValid(version) {
			t.Errorf("gomod %q: want \"<module> <version>\"", m.GoMod)
			continue
		}
		switch {
		case path == thisModule:
			ownExporter = true
			if m.Path != "." {
				t.Errorf("%s: path is %q; it must be \".\" (this repository, relative to the root where make runs ocb)", path, m.Path)
			}
		case isCollectorModule(path):
			if want := lineVersion(path, version); version != want {
				t.Errorf("%s %s is off the release line: want %s", path, version, want)
			}
			if got, ok := goMod[path]; ok && got != version {
				t.Errorf("%s is %s in builder-config.yaml but %s in go.mod", path, version, got)
			}
		default:
			t.Errorf("%s: not a collector module; add it to this test if it belongs in the distribution", path)
		}
	}
	if !ownExporter {
		t.Errorf("builder-config.yaml does not include %s (the helicone exporter)", thisModule)
	}
	for _, r := range cfg.Replaces {
		if isCollectorModule(strings.Fields(r)[0]) {
			t.Errorf("replaces: %q: collector modules must come from the release line as published", r)
		}
	}
}

func TestGoModIsOnTheReleaseLine(t *testing.T) {
	for path, version := range readGoMod(t) {
		if !isCollectorModule(path) {
			continue
		}
		if want := lineVersion(path, version); version != want {
			t.Errorf("go.mod: %s %s is off the release line: want %s", path, version, want)
		}
	}
}

var ocbVersionLine = regexp.MustCompile(`(?m)^OCB_VERSION\s*:?=\s*(\S+)\s*$`)

func TestMakefilePinsOCBOnTheReleaseLine(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	m := ocbVersionLine.FindAllStringSubmatch(string(b), -1)
	if len(m) != 1 {
		t.Fatalf("Makefile: want exactly one `OCB_VERSION := x.y.z` line, found %d", len(m))
	}
	if got := "v" + m[0][1]; got != Beta {
		t.Errorf("Makefile: OCB_VERSION is %s, the release line is %s", m[0][1], Beta)
	}
	if strings.Count(string(b), strings.TrimPrefix(Beta, "v")) > 1 {
		t.Errorf("Makefile: the version %s appears more than once; pin it in OCB_VERSION only", Beta)
	}
}
