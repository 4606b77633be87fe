package deploy

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

const (
	// collectorImage is what `make image` tags and every manifest runs.
	collectorImage = "otelcol-helicone:dev"
	// collectorContainer names the collector's container in every pod.
	collectorContainer = "otelcol-helicone"
	// apiKeyEnv is where the configurations read the Helicone key from.
	apiKeyEnv = "HELICONE_API_KEY"
	// appShutdownBudget is the part of a pod's terminationGracePeriodSeconds
	// left for the app to flush its spans before a sidecar collector is stopped.
	appShutdownBudget = 15 * time.Second
)

// collector is one collector as a manifest runs it: its container (for the
// operator, the container the operator will inject) and its configuration.
type collector struct {
	where      string
	container  corev1.Container
	config     collectorConfig
	configText string
}

// configFromVolume follows the container's --config flag to the ConfigMap
// key mounted there.
func configFromVolume(pod *corev1.PodSpec, c corev1.Container, ms manifests) (string, error) {
	var file string
	for _, a := range c.Args {
		if f, ok := strings.CutPrefix(a, "--config="); ok {
			file = f
		}
	}
	if file == "" {
		return "", fmt.Errorf("container %s: no --config=FILE argument (args %q)", c.Name, c.Args)
	}
	dir, key := path.Split(file)
	for _, vm := range c.VolumeMounts {
		if path.Clean(vm.MountPath) != path.Clean(dir) {
			continue
		}
		for _, v := range pod.Volumes {
			if v.Name != vm.Name || v.ConfigMap == nil {
				continue
			}
			for _, cm := range ofKind[*corev1.ConfigMap](ms) {
				if cm.Name != v.ConfigMap.Name {
					continue
				}
				text, ok := cm.Data[key]
				if !ok {
					return "", fmt.Errorf("ConfigMap %s has no key %q for --config=%s", cm.Name, key, file)
				}
				return text, nil
			}
			return "", fmt.Errorf("volume %s: ConfigMap %s is not in the same folder", v.Name, v.ConfigMap.Name)
		}
	}
	return "", fmt.Errorf("container %s: --config=%s is not on a volume mounted from a ConfigMap", c.Name, file)
}

func podCollector(t *testing.T, where string, pod *corev1.PodSpec, ms manifests) collector {
	t.Helper()
	for _, c := range slices.Concat(pod.InitContainers, pod.Containers) {
		if c.Name != collectorContainer {
			continue
		}
		text, err := configFromVolume(pod, c, ms)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		cfg, err := parseCollectorConfig(text)
		if err != nil {
			t.Fatalf("%s: the collector configuration: %v", where, err)
		}
		return collector{where: where, container: c, config: cfg, configText: text}
	}
	t.Fatalf("%s: no container named %s", where, collectorContainer)
	return collector{}
}

// operatorCollector is the container the operator injects for a CR.
func operatorCollector(t *testing.T, cr *openTelemetryCollector) collector {
	t.Helper()
	text, err := yaml.Marshal(cr.Spec.Config)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := parseCollectorConfig(string(text))
	if err != nil {
		t.Fatalf("OpenTelemetryCollector %s: spec.config: %v", cr.Name, err)
	}
	return collector{
		where:      "OpenTelemetryCollector " + cr.Name,
		container:  corev1.Container{Name: collectorContainer, Image: cr.Spec.Image, Env: cr.Spec.Env, Resources: cr.Spec.Resources, SecurityContext: cr.Spec.SecurityContext},
		config:     cfg,
		configText: string(text),
	}
}

func env(c corev1.Container, name string) (corev1.EnvVar, bool) {
	i := slices.IndexFunc(c.Env, func(e corev1.EnvVar) bool { return e.Name == name })
	if i < 0 {
		return corev1.EnvVar{}, false
	}
	return c.Env[i], true
}

// containerPort resolves a port number or name of a container; 0 if unknown.
func containerPort(c corev1.Container, p intstr.IntOrString) int {
	if p.Type == intstr.Int {
		return p.IntValue()
	}
	for _, cp := range c.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort)
		}
	}
	return 0
}

// listenPorts are the ports the configuration listens on, by the name the
// container should give them.
func listenPorts(t *testing.T, col collector) map[string]int {
	t.Helper()
	ports := map[string]int{}
	for _, p := range otlpProtocols {
		if col.config.has("receivers", "otlp", "protocols", p) {
			n, err := col.config.port("receivers", "otlp", "protocols", p, "endpoint")
			if err != nil {
				t.Fatalf("%s: %v", col.where, err)
			}
			ports["otlp-"+p] = n
		}
	}
	n, err := col.config.port("extensions", "health_check", "endpoint")
	if err != nil {
		t.Fatalf("%s: %v", col.where, err)
	}
	ports["health"] = n
	return ports
}
