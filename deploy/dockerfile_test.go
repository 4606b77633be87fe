package deploy

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	dockerfileFile = "Dockerfile"
	// imageConfigFile is the image's default configuration, staged as
	// config.yaml in the build context.
	imageConfigFile = "config.yaml"
)

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dockerfile is what the tests read from the Dockerfile.
type dockerfile struct {
	from       string
	uid, gid   int64
	expose     []int
	copies     map[string]string // source -> destination
	entrypoint []string
	cmd        []string
}

// readDockerfile reads the few instructions the image uses; any other
// instruction is an error, so that the checks below keep up with it.
func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	var d dockerfile
	d.copies = map[string]string{}
	for n, line := range strings.Split(readFile(t, dockerfileFile), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		instr, args, _ := strings.Cut(line, " ")
		fields := strings.Fields(args)
		var err error
		switch strings.ToUpper(instr) {
		case "FROM":
			d.from = args
		case "USER":
			u, g, _ := strings.Cut(args, ":")
			if d.uid, err = strconv.ParseInt(u, 10, 64); err == nil {
				d.gid, err = strconv.ParseInt(g, 10, 64)
			}
		case "EXPOSE":
			for _, f := range fields {
				p, perr := strconv.Atoi(strings.TrimSuffix(f, "/tcp"))
				err = errors.Join(err, perr)
				d.expose = append(d.expose, p)
			}
		case "COPY":
			fields = slices.DeleteFunc(fields, func(f string) bool { return strings.HasPrefix(f, "--chmod=") })
			if len(fields) != 2 {
				err = fmt.Errorf("want COPY [--chmod=M] SRC DST")
			} else {
				d.copies[fields[0]] = fields[1]
			}
		case "ENTRYPOINT":
			err = json.Unmarshal([]byte(args), &d.entrypoint)
		case "CMD":
			err = json.Unmarshal([]byte(args), &d.cmd)
		default:
			err = fmt.Errorf("instruction %s is not one deploy's tests read; teach readDockerfile", instr)
		}
		if err != nil {
			t.Fatalf("%s:%d: %s: %v", dockerfileFile, n+1, line, err)
		}
	}
	return d
}

func TestDockerfile(t *testing.T) {
	d := readDockerfile(t)
	if d.from != "scratch" {
		t.Errorf("FROM %s, want scratch: the binary is static", d.from)
	}
	if d.uid == 0 || d.gid == 0 {
		t.Errorf("USER %d:%d, want a non-root user and group", d.uid, d.gid)
	}
	if got := d.copies["ca-certificates.crt"]; got != "/etc/ssl/certs/ca-certificates.crt" {
		t.Errorf("the CA bundle goes to %q, want /etc/ssl/certs/ca-certificates.crt, where Go looks first", got)
	}
	bin := d.copies["otelcol-helicone"]
	if !slices.Equal(d.entrypoint, []string{bin}) || bin == "" {
		t.Errorf("ENTRYPOINT %q, want the binary %q alone", d.entrypoint, bin)
	}
	cfgPath := d.copies[imageConfigFile]
	if !slices.Equal(d.cmd, []string{"--config=" + cfgPath}) || cfgPath == "" {
		t.Errorf("CMD %q, want --config=%s (where config.yaml is copied)", d.cmd, cfgPath)
	}
	// The manifests mount their ConfigMaps where the image keeps its default.
	if path.Dir(cfgPath) != "/etc/otelcol-helicone" {
		t.Errorf("the default configuration is at %s; the manifests mount theirs on /etc/otelcol-helicone", cfgPath)
	}

	cfg, err := parseCollectorConfig(readFile(t, imageConfigFile))
	if err != nil {
		t.Fatalf("%s: %v", imageConfigFile, err)
	}
	col := collector{where: imageConfigFile, config: cfg}
	for name, port := range listenPorts(t, col) {
		if !slices.Contains(d.expose, port) {
			t.Errorf("EXPOSE %v lacks %d, the %s port of %s", d.expose, port, name, imageConfigFile)
		}
		if ep := configEndpoint(cfg, name); !strings.HasPrefix(ep, "0.0.0.0:") {
			t.Errorf("%s: the %s endpoint %q must listen on 0.0.0.0 to be reachable from outside the container", imageConfigFile, name, ep)
		}
	}
}

func configEndpoint(cfg collectorConfig, portName string) string {
	if p, ok := strings.CutPrefix(portName, "otlp-"); ok {
		return cfg.str("receivers", "otlp", "protocols", p, "endpoint")
	}
	return cfg.str("extensions", "health_check", "endpoint")
}
