//go:build image

package deploy

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/otelcol-helicone/otelcol-helicone/internal/helicone"
	"github.com/otelcol-helicone/otelcol-helicone/internal/llmspans"
)

// The pod test runs with `make test-image`, after `make image` and
// `make image-llmtracegen`: it needs podman, buildah's images and root.

// appImageEnv names the image of the demo app (cmd/llmtracegen).
const appImageEnv = "LLMTRACEGEN_IMAGE"

// containersConf is podman's configuration for these machines: crun fails
// on the kernel's cgroup mode, so runc with cgroupfs (no systemd); no
// default ulimits, which the container may not raise; events to a file, as
// there is no journald.
const containersConf = `[containers]
default_ulimits = []

[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
events_logger = "file"
`

// podman runs podman as the Makefile does (PODMAN), with containersConf
// unless CONTAINERS_CONF names another.
type podman struct{ conf string }

func newPodman(t *testing.T) podman {
	t.Helper()
	if conf := os.Getenv("CONTAINERS_CONF"); conf != "" {
		return podman{conf: conf}
	}
	conf := filepath.Join(t.TempDir(), "containers.conf")
	if err := os.WriteFile(conf, []byte(containersConf), 0o644); err != nil {
		t.Fatal(err)
	}
	return podman{conf: conf}
}

func (p podman) cmd(args ...string) *exec.Cmd {
	cmd := toolCmd("PODMAN", "podman --storage-driver vfs", args...)
	cmd.Env = append(os.Environ(), "CONTAINERS_CONF="+p.conf)
	return cmd
}

// run runs podman, failing the test on an error.
func (p podman) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := p.cmd(args...).CombinedOutput()
	if err != nil {
		t.Fatalf("podman %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// localImage is the name podman finds a locally built image by: buildah
// tags an unqualified name as localhost/NAME, and podman would otherwise
// look for it in a registry.
func localImage(name string) string {
	if first, _, ok := strings.Cut(name, "/"); ok && strings.ContainsAny(first, ".:") || first == "localhost" {
		return name
	}
	return "localhost/" + name
}

// TestPodSidecar runs the pod of kubernetes/sidecar/ with `podman kube
// play`: the collector from the project's image with the ConfigMap's
// configuration and the key from a secret, next to the demo app
// (cmd/llmtracegen's image) in place of the example app, which sends its
// traces as the manifest configures it (OTEL_EXPORTER_OTLP_*). The LLM calls
// of those traces, and nothing else, must reach Helicone with the key.
//
// What changes from the manifest, because podman is not a kubelet: the native
// sidecar runs as a regular container (podman runs init containers to
// completion first), so the app may start before the collector listens; the
// pod restarts it on failure (restartPolicy OnFailure, which also lets it
// exit once it has sent). The pod shares the host's network, with the
// collector's ports moved to free ones and the app's endpoint with them,
// and Helicone is the local endpoint (HELICONE_ENDPOINT).
func TestPodSidecar(t *testing.T) {
	ms := loadManifests(t).in("sidecar")
	deployments := ofKind[*appsv1.Deployment](ms)
	if len(deployments) != 1 {
		t.Fatalf("kubernetes/sidecar/ has %d Deployments, want 1", len(deployments))
	}
	d := deployments[0]
	spec := d.Spec.Template.Spec.DeepCopy()
	col := podCollector(t, "Deployment "+d.Name, spec, ms)
	file, _ := strings.CutPrefix(col.container.Args[0], "--config=")
	run := newLocalRun(t, col.config, file, "")

	srv := startHelicone(t, helicone.Faults{})
	pm := newPodman(t)
	secret := fmt.Sprintf("helicone-pod-test-%d", os.Getpid())
	createSecret(t, pm, secret)

	// The native sidecar becomes a regular container, first.
	var inits []corev1.Container
	for _, c := range spec.InitContainers {
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			c.RestartPolicy = nil
			spec.Containers = append([]corev1.Container{c}, spec.Containers...)
		} else {
			inits = append(inits, c)
		}
	}
	spec.InitContainers = inits
	spec.HostNetwork = true
	spec.RestartPolicy = corev1.RestartPolicyOnFailure
	var appName, service string
	for i := range spec.Containers {
		c := &spec.Containers[i]
		if c.Name == collectorContainer {
			c.Image = localImage(cmp.Or(os.Getenv(imageEnv), collectorImage))
			c.Args = run.args
			for j := range c.Env {
				if ref := c.Env[j].ValueFrom; ref != nil && ref.SecretKeyRef != nil {
					ref.SecretKeyRef.Name = secret
				}
			}
			c.Env = append(c.Env, corev1.EnvVar{Name: "HELICONE_ENDPOINT", Value: srv.URL()})
			// On the host's network podman refuses port mappings; the probes
			// ask the moved health port.
			c.Ports = nil
			health := intstr.FromInt32(int32(urlPort(t, run.health)))
			for _, pr := range []*corev1.Probe{c.StartupProbe, c.ReadinessProbe, c.LivenessProbe} {
				if pr != nil && pr.HTTPGet != nil {
					pr.HTTPGet.Port = health
				}
			}
			continue
		}
		appName = c.Name
		c.Image = localImage(cmp.Or(os.Getenv(appImageEnv), "llmtracegen:dev"))
		for j := range c.Env {
			switch c.Env[j].Name {
			case "OTEL_EXPORTER_OTLP_ENDPOINT":
				c.Env[j].Value = movedPort(t, c.Env[j].Value, run.otlpHTTP)
			case "OTEL_SERVICE_NAME":
				service = c.Env[j].Value
			}
		}
	}
	if appName == "" || service == "" {
		t.Fatalf("Deployment %s: no app container with OTEL_SERVICE_NAME", d.Name)
	}
	pod := corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-test-%d", d.Name, os.Getpid()), Labels: d.Spec.Template.Labels},
		Spec:       *spec,
	}
	play := writeKube(t, ms, pod)

	start := time.Now()
	pm.run(t, "kube", "play", play)
	t.Cleanup(func() {
		if t.Failed() {
			for _, c := range spec.Containers {
				out, _ := pm.cmd("logs", pod.Name+"-"+c.Name).CombinedOutput()
				t.Logf("podman logs %s-%s:\n%s", pod.Name, c.Name, out)
			}
		}
		_ = pm.cmd("kube", "down", play).Run()
	})

	chats := demoChats()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := srv.WaitForSpans(ctx, len(chats)); err != nil {
		t.Fatalf("Helicone logged %d of the app's %d LLM calls: %v", srv.SpanCount(), len(chats), err)
	}
	// The app has sent everything and exited 0; the collector drains on stop.
	app := pod.Name + "-" + appName
	waitExited(t, pm, app)
	pm.run(t, "pod", "stop", "--time", fmt.Sprint(spec.TerminationGracePeriodSeconds), pod.Name)
	t.Logf("pod started, LLM spans delivered, pod stopped in %s", time.Since(start).Round(time.Millisecond))

	calls := srv.Calls()
	var got []string
	for _, c := range calls {
		got = append(got, c.SpanName+" "+c.Model)
		if c.Properties["Service"] != service {
			t.Errorf("%s: property Service %q, want %q (the app's OTEL_SERVICE_NAME)", c.SpanName, c.Properties["Service"], service)
		}
	}
	slices.Sort(got)
	if !slices.Equal(got, chats) {
		t.Errorf("Helicone logged\n  %q\nwant the app's LLM calls, once each, and no other span\n  %q", got, chats)
	}
	for i, r := range srv.Requests() {
		if a := r.Header.Get("Authorization"); a != "Bearer "+testAPIKey {
			t.Errorf("request %d: Authorization %q, want the key from the secret", i, a)
		}
	}
}

// demoChats are the LLM calls the demo app sends, as "span-name model",
// sorted.
func demoChats() []string {
	var out []string
	for _, r := range llmspans.Demo() {
		for _, c := range r.Chats() {
			out = append(out, c.SpanName()+" "+c.ResponseModel)
		}
	}
	slices.Sort(out)
	return out
}

// movedPort is the manifest's endpoint URL with the port of the URL to.
func movedPort(t *testing.T, endpoint, to string) string {
	t.Helper()
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatalf("OTEL_EXPORTER_OTLP_ENDPOINT %q: %v", endpoint, err)
	}
	u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(urlPort(t, to)))
	return u.String()
}

// urlPort is the port of a URL with an explicit one.
func urlPort(t *testing.T, raw string) int {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("%s: no port: %v", raw, err)
	}
	return p
}

// createSecret stores testAPIKey as podman's kube play reads a Secret for
// secretKeyRef: a JSON object of base64 values, under the key the manifest
// names. (podman 4.3 cannot read the Secret documents it stores itself.)
func createSecret(t *testing.T, pm podman, name string) {
	t.Helper()
	data, err := json.Marshal(map[string]string{"api-key": base64.StdEncoding.EncodeToString([]byte(testAPIKey))})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	pm.run(t, "secret", "create", name, file)
	t.Cleanup(func() { _ = pm.cmd("secret", "rm", name).Run() })
}

// writeKube writes the folder's ConfigMaps and the pod as one file for
// podman kube play.
func writeKube(t *testing.T, ms manifests, pod corev1.Pod) string {
	t.Helper()
	var docs []string
	for _, cm := range ofKind[*corev1.ConfigMap](ms) {
		b, err := yaml.Marshal(cm)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
	}
	b, err := yaml.Marshal(pod)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "pod.yaml")
	if err := os.WriteFile(file, []byte(strings.Join(append(docs, string(b)), "---\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// waitExited waits for the container to exit and fails the test unless it
// exited 0.
func waitExited(t *testing.T, pm podman, ctr string) {
	t.Helper()
	code := pm.run(t, "wait", ctr)
	if code != "0" {
		t.Fatalf("the app (%s) exited with %s", ctr, code)
	}
}
