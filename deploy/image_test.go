//go:build image

package deploy

import (
	"cmp"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
)

// The image test runs with `make test-image`, after `make image`: it needs
// buildah and root, so it is kept behind the `image` build tag.

// imageEnv names the image to test.
const imageEnv = "OTELCOL_HELICONE_IMAGE"

// buildah runs buildah as the Makefile does (BUILDAH), failing the test on
// an error.
func buildah(t *testing.T, args ...string) string {
	t.Helper()
	cmd := buildahCmd(args...)
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s: %v\n%s%s", strings.Join(cmd.Args, " "), err, out, stderr)
	}
	return string(out)
}

func buildahCmd(args ...string) *exec.Cmd {
	return toolCmd("BUILDAH", "buildah --storage-driver vfs", args...)
}

// toolCmd runs the command line in the environment variable env, as the
// Makefile passes it (e.g. BUILDAH='buildah --storage-driver vfs'), or def,
// with args added.
func toolCmd(env, def string, args ...string) *exec.Cmd {
	base := strings.Fields(cmp.Or(os.Getenv(env), def))
	return exec.Command(base[0], slices.Concat(base[1:], args)...)
}

// imageConfig is the part of the image's OCI configuration the test reads.
type imageConfig struct {
	User         string
	ExposedPorts map[string]struct{}
	Entrypoint   []string
	Cmd          []string
}

func TestImage(t *testing.T) {
	image := cmp.Or(os.Getenv(imageEnv), collectorImage)
	var inspected struct {
		OCIv1 struct {
			Config imageConfig `json:"config"`
		}
	}
	if err := json.Unmarshal([]byte(buildah(t, "inspect", "--type", "image", image)), &inspected); err != nil {
		t.Fatal(err)
	}
	cfg := inspected.OCIv1.Config

	// What the Dockerfile says is what the image has.
	d := readDockerfile(t)
	if want := fmt.Sprintf("%d:%d", d.uid, d.gid); cfg.User != want {
		t.Errorf("image user %q, want %q", cfg.User, want)
	}
	if !slices.Equal(cfg.Entrypoint, d.entrypoint) || !slices.Equal(cfg.Cmd, d.cmd) {
		t.Errorf("image entrypoint %q cmd %q, want %q %q", cfg.Entrypoint, cfg.Cmd, d.entrypoint, d.cmd)
	}
	for _, p := range d.expose {
		if _, ok := cfg.ExposedPorts[strconv.Itoa(p)+"/tcp"]; !ok {
			t.Errorf("image exposes %v, not %d", cfg.ExposedPorts, p)
		}
	}

	ctr := strings.TrimSpace(buildah(t, "from", "--name", fmt.Sprintf("otelcol-helicone-test-%d", os.Getpid()), image))
	t.Cleanup(func() { _ = buildahCmd("rm", ctr).Run() })
	checkImageFiles(t, ctr, d)

	run := func(env []string, args ...string) *exec.Cmd {
		a := []string{"run", "--isolation", "chroot"}
		for _, e := range env {
			a = append(a, "--env", e)
		}
		return buildahCmd(slices.Concat(a, []string{ctr, "--"}, cfg.Entrypoint, args)...)
	}

	// validate the default configuration, which needs the key.
	if out, err := run([]string{apiKeyEnv + "=dummy"}, slices.Concat([]string{"validate"}, cfg.Cmd)...).CombinedOutput(); err != nil {
		t.Errorf("validate in the image: %v\n%s", err, out)
	}
	if err := run([]string{apiKeyEnv + "="}, slices.Concat([]string{"validate"}, cfg.Cmd)...).Run(); err == nil {
		t.Errorf("validate in the image passes without %s", apiKeyEnv)
	}

	// components: the exporter, and every component a shipped configuration uses.
	out, err := run(nil, "components").CombinedOutput()
	if err != nil {
		t.Fatalf("components in the image: %v\n%s", err, out)
	}
	for _, sc := range shippedConfigs(t) {
		c, err := parseCollectorConfig(sc.text)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"receivers", "processors", "exporters", "extensions"} {
			for _, id := range c.keys(kind) {
				if !strings.Contains(string(out), "- name: "+strings.SplitN(id, "/", 2)[0]+"\n") {
					t.Errorf("%s uses %s %s, which the image's binary lacks", sc.name, kind, id)
				}
			}
		}
	}

	// Start the image's entrypoint and command, with its ports moved to free
	// loopback ones (the container shares the host's network here), and send
	// it one LLM span.
	srv := startHelicone(t, helicone.Faults{})
	httpAddr, health := freeAddr(t), freeAddr(t)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	args := slices.Concat(cfg.Cmd, []string{
		"--set=receivers::otlp::protocols::http::endpoint=" + httpAddr,
		"--set=receivers::otlp::protocols::grpc::endpoint=" + freeAddr(t),
		"--set=extensions::health_check::endpoint=" + health,
		"--config=yaml:service::telemetry::metrics::level: none",
	})
	cmd := run([]string{apiKeyEnv + "=" + testAPIKey, "HELICONE_ENDPOINT=" + srv.URL()}, args...)
	p := startProcess(t, cmd.Path, cmd.Args[1:], nil)
	if err := p.waitHealthy("http://"+health+"/", 30*time.Second); err != nil {
		t.Fatalf("the collector in the image: %v", err)
	}
	span := sendLLMSpan(t, "http://localhost:"+httpPort)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.WaitForSpans(ctx, 1); err != nil {
		t.Fatalf("the span sent to the collector in the image did not reach Helicone: %v", err)
	}
	checkArrived(t, srv, span, testAPIKey)
	// buildah run ends the container's process when it is itself signalled.
	_ = p.stop(10 * time.Second)
	if c, err := net.DialTimeout("tcp", health, time.Second); err == nil {
		c.Close()
		t.Errorf("the collector in the image still listens on %s after buildah run was stopped", health)
	}
}

// checkImageFiles looks into the container's root file system: the binary,
// the CA bundle and the default configuration.
func checkImageFiles(t *testing.T, ctr string, d dockerfile) {
	t.Helper()
	root := strings.TrimSpace(buildah(t, "mount", ctr))
	t.Cleanup(func() { _ = buildahCmd("umount", ctr).Run() })
	file := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }

	if fi, err := os.Stat(file(d.entrypoint[0])); err != nil || fi.Mode().Perm()&0o005 != 0o005 {
		t.Errorf("%s: not readable and executable by the image's user: %v", d.entrypoint[0], err)
	}
	pem, err := os.ReadFile(file(d.copies["ca-certificates.crt"]))
	if err != nil {
		t.Fatal(err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		t.Errorf("%s holds no certificates", d.copies["ca-certificates.crt"])
	}
	got, err := os.ReadFile(file(d.copies[imageConfigFile]))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != readFile(t, imageConfigFile) {
		t.Errorf("the image's %s differs from deploy/%s; rebuild it with make image", d.copies[imageConfigFile], imageConfigFile)
	}
}
