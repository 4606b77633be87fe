package deploy

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// checkCollector makes the checks every collector gets, wherever it runs.
func checkCollector(t *testing.T, col collector, ms manifests) {
	t.Helper()
	c, cfg := col.container, col.config
	errorf := func(format string, args ...any) { t.Errorf("%s: "+format, append([]any{col.where}, args...)...) }

	if c.Image != collectorImage {
		errorf("image %q, want %q (what `make image` builds)", c.Image, collectorImage)
	}
	if err := cfg.knownComponents(); err != nil {
		errorf("%v", err)
	}

	// The key: the config reads it from the environment, the container sets it
	// from a Secret that the manifests define.
	if got := cfg.str("exporters", "helicone", "api_key"); got != "${env:"+apiKeyEnv+"}" {
		errorf("exporters.helicone.api_key is %q, want ${env:%s}", got, apiKeyEnv)
	}
	for _, name := range requiredEnv(col.configText) {
		if _, ok := env(c, name); !ok {
			errorf("the configuration needs ${env:%s} but the container does not set it", name)
		}
	}
	if e, ok := env(c, apiKeyEnv); !ok || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
		errorf("%s must come from a secretKeyRef", apiKeyEnv)
	} else {
		checkSecretRef(t, col.where, e.ValueFrom.SecretKeyRef, ms)
	}
	if !strings.HasPrefix(cfg.str("exporters", "helicone", "endpoint"), "${env:HELICONE_ENDPOINT:-https://") {
		errorf("exporters.helicone.endpoint should be ${env:HELICONE_ENDPOINT:-https://...} (HTTPS by default, movable for EU or self-hosted)")
	}

	// memory_limiter first in every pipeline, below the container's limit.
	for _, p := range cfg.keys("service", "pipelines") {
		if procs := cfg.list("service", "pipelines", p, "processors"); len(procs) == 0 || procs[0] != "memory_limiter" {
			errorf("pipeline %s: processors %q, want memory_limiter first", p, procs)
		}
	}
	checkMemory(t, col)

	// Nothing more than it needs (the user is checked by checkPodUser).
	sc := c.SecurityContext
	if sc == nil {
		errorf("no securityContext")
		return
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		errorf("securityContext.readOnlyRootFilesystem must be true")
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		errorf("securityContext.allowPrivilegeEscalation must be false")
	}
	if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
		errorf("securityContext.capabilities.drop must be [ALL]")
	}
}

// checkPodUser checks that the collector runs as non-root, as the image's
// USER, whether set on the container or the pod.
func checkPodUser(t *testing.T, col collector, pod *corev1.PodSpec) {
	t.Helper()
	var nonRoot *bool
	var uid, gid *int64
	if pod != nil && pod.SecurityContext != nil {
		nonRoot, uid, gid = pod.SecurityContext.RunAsNonRoot, pod.SecurityContext.RunAsUser, pod.SecurityContext.RunAsGroup
	}
	if sc := col.container.SecurityContext; sc != nil {
		nonRoot, uid, gid = cmp.Or(sc.RunAsNonRoot, nonRoot), cmp.Or(sc.RunAsUser, uid), cmp.Or(sc.RunAsGroup, gid)
	}
	img := readDockerfile(t)
	if nonRoot == nil || !*nonRoot {
		t.Errorf("%s: runAsNonRoot must be true", col.where)
	}
	if uid == nil || *uid != img.uid || gid == nil || *gid != img.gid {
		t.Errorf("%s: runs as %v:%v, want the image's USER %d:%d", col.where, deref(uid), deref(gid), img.uid, img.gid)
	}
}

func deref(p *int64) any {
	if p == nil {
		return "unset"
	}
	return *p
}

func checkSecretRef(t *testing.T, where string, ref *corev1.SecretKeySelector, ms manifests) {
	t.Helper()
	for _, s := range ofKind[*corev1.Secret](ms.in("")) {
		if s.Name != ref.Name {
			continue
		}
		if _, ok := s.StringData[ref.Key]; ok {
			return
		}
		if _, ok := s.Data[ref.Key]; ok {
			return
		}
		t.Errorf("%s: Secret %s has no key %q", where, ref.Name, ref.Key)
		return
	}
	t.Errorf("%s: Secret %s is not defined in %s/", where, ref.Name, manifestDir)
}

// checkMemory: the memory limiter refuses data before the kernel kills the
// container, and uses most of what the container may use; GOMEMLIMIT has the
// garbage collector work harder before the limiter's soft limit.
func checkMemory(t *testing.T, col collector) {
	t.Helper()
	limit, ok := col.container.Resources.Limits[corev1.ResourceMemory]
	if !ok {
		t.Errorf("%s: no memory limit", col.where)
		return
	}
	if _, ok := col.container.Resources.Requests[corev1.ResourceCPU]; !ok {
		t.Errorf("%s: no cpu request", col.where)
	}
	limitMiB := float64(limit.Value()) / (1 << 20)
	hard, ok1 := col.config.num("processors", "memory_limiter", "limit_mib")
	spike, ok2 := col.config.num("processors", "memory_limiter", "spike_limit_mib")
	if !ok1 || !ok2 {
		t.Errorf("%s: memory_limiter needs limit_mib and spike_limit_mib", col.where)
		return
	}
	if hard > 0.85*limitMiB || hard < 0.6*limitMiB {
		t.Errorf("%s: memory_limiter.limit_mib %v is not within 60-85%% of the container's %s limit (%.0f-%.0f MiB)", col.where, hard, limit.String(), 0.6*limitMiB, 0.85*limitMiB)
	}
	if spike <= 0 || spike >= hard {
		t.Errorf("%s: spike_limit_mib %v must be between 0 and limit_mib %v", col.where, spike, hard)
	}
	e, ok := env(col.container, "GOMEMLIMIT")
	if !ok {
		t.Errorf("%s: no GOMEMLIMIT", col.where)
		return
	}
	q, err := resource.ParseQuantity(strings.TrimSuffix(e.Value, "B"))
	if err != nil {
		t.Errorf("%s: GOMEMLIMIT %q: %v", col.where, e.Value, err)
		return
	}
	if gm := float64(q.Value()) / (1 << 20); gm > hard-spike {
		t.Errorf("%s: GOMEMLIMIT %s is above memory_limiter's soft limit %v MiB", col.where, e.Value, hard-spike)
	}
}

// checkProbes: every probe asks health_check, on its port and path.
func checkProbes(t *testing.T, col collector, want ...string) {
	t.Helper()
	healthPort, err := col.config.port("extensions", "health_check", "endpoint")
	if err != nil {
		t.Errorf("%s: %v", col.where, err)
		return
	}
	probes := map[string]*corev1.Probe{"startupProbe": col.container.StartupProbe, "readinessProbe": col.container.ReadinessProbe, "livenessProbe": col.container.LivenessProbe}
	for _, name := range want {
		if probes[name] == nil {
			t.Errorf("%s: no %s", col.where, name)
		}
	}
	for name, p := range probes {
		if p == nil {
			continue
		}
		if p.HTTPGet == nil {
			t.Errorf("%s: %s is not an httpGet on health_check", col.where, name)
			continue
		}
		if port := containerPort(col.container, p.HTTPGet.Port); port != healthPort {
			t.Errorf("%s: %s on port %s (%d), but health_check listens on %d", col.where, name, p.HTTPGet.Port.String(), port, healthPort)
		}
		if p.HTTPGet.Path != col.config.healthPath() {
			t.Errorf("%s: %s on path %q, health_check answers on %q", col.where, name, p.HTTPGet.Path, col.config.healthPath())
		}
	}
}

func checkContainerPorts(t *testing.T, col collector) {
	t.Helper()
	for name, want := range listenPorts(t, col) {
		if got := containerPort(col.container, intstr.FromString(name)); got != want {
			t.Errorf("%s: container port %q is %d, the configuration listens on %d", col.where, name, got, want)
		}
	}
}

// checkGrace: the pod's grace period covers the time before the collector is
// stopped plus two rounds of export requests while its queue drains.
func checkGrace(t *testing.T, col collector, pod *corev1.PodSpec, before time.Duration) {
	t.Helper()
	timeout, err := col.config.duration("exporters", "helicone", "timeout")
	if err != nil {
		t.Errorf("%s: %v", col.where, err)
		return
	}
	want := before + 2*timeout
	if pod.TerminationGracePeriodSeconds == nil || time.Duration(*pod.TerminationGracePeriodSeconds)*time.Second < want {
		t.Errorf("%s: terminationGracePeriodSeconds %v, want at least %v (%v before the collector stops + 2 × exporter timeout %v)", col.where, deref(pod.TerminationGracePeriodSeconds), want.Seconds(), before, timeout)
	}
}

// checkApp: the app sends OTLP to the sidecar's receiver, with the protocol
// that port speaks.
func checkApp(t *testing.T, where string, app corev1.Container, col collector) {
	t.Helper()
	ports := listenPorts(t, col)
	e, ok := env(app, "OTEL_EXPORTER_OTLP_ENDPOINT")
	if !ok {
		t.Errorf("%s: container %s has no OTEL_EXPORTER_OTLP_ENDPOINT", where, app.Name)
		return
	}
	u, err := url.Parse(e.Value)
	if err != nil || u.Scheme != "http" || u.Hostname() != "localhost" || (u.Path != "" && u.Path != "/") {
		t.Errorf("%s: OTEL_EXPORTER_OTLP_ENDPOINT %q, want http://localhost:<port> (the sidecar, in the same pod)", where, e.Value)
		return
	}
	port, _ := strconv.Atoi(u.Port())
	proto, _ := env(app, "OTEL_EXPORTER_OTLP_PROTOCOL")
	switch port {
	case ports["otlp-http"]:
		if proto.Value != "http/protobuf" && proto.Value != "http/json" {
			t.Errorf("%s: port %d is OTLP/HTTP, but OTEL_EXPORTER_OTLP_PROTOCOL is %q", where, port, proto.Value)
		}
	case ports["otlp-grpc"]:
		if proto.Value != "grpc" {
			t.Errorf("%s: port %d is OTLP/gRPC, but OTEL_EXPORTER_OTLP_PROTOCOL is %q", where, port, proto.Value)
		}
	default:
		t.Errorf("%s: OTEL_EXPORTER_OTLP_ENDPOINT port %d is not a port of the collector's otlp receiver %v", where, port, ports)
	}
}

// checkServices: each Service selects the collector's pods and forwards to
// ports the collector listens on.
func checkServices(t *testing.T, ms manifests, podLabels map[string]string, col collector) {
	t.Helper()
	svcs := ofKind[*corev1.Service](ms)
	if len(svcs) == 0 {
		t.Errorf("%s: no Service", col.where)
	}
	ports := listenPorts(t, col)
	var otlpHTTP bool
	for _, svc := range svcs {
		if !selects(svc.Spec.Selector, podLabels) {
			t.Errorf("Service %s does not select the collector's pods", svc.Name)
		}
		for _, p := range svc.Spec.Ports {
			target := containerPort(col.container, p.TargetPort)
			if target == 0 {
				t.Errorf("Service %s port %s: targetPort %s is not a container port", svc.Name, p.Name, p.TargetPort.String())
			}
			if want, ok := ports[p.Name]; ok && target != want {
				t.Errorf("Service %s port %s forwards to %d, the collector listens on %d", svc.Name, p.Name, target, want)
			}
			otlpHTTP = otlpHTTP || (p.Name == "otlp-http" && target == ports["otlp-http"])
		}
	}
	if !otlpHTTP {
		t.Errorf("%s: no Service forwards OTLP/HTTP", col.where)
	}
}

func selects(selector, podLabels map[string]string) bool {
	return len(selector) > 0 && labels.SelectorFromSet(selector).Matches(labels.Set(podLabels))
}
