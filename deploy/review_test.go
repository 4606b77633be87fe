package deploy

import (
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
)

// The reviewer's checks, one test per folder of kubernetes/; the checks
// themselves are in checks_test.go.

func TestSidecarManifests(t *testing.T) {
	all := loadManifests(t)
	ms := all.in("sidecar")
	d := only[*appsv1.Deployment](t, ms)
	pod := &d.Spec.Template.Spec
	col := podCollector(t, "sidecar/"+d.Name, pod, ms)

	// A native sidecar: an init container that keeps running, started (and
	// healthy) before the app, stopped after it.
	i := slices.IndexFunc(pod.InitContainers, func(c corev1.Container) bool { return c.Name == collectorContainer })
	if i < 0 || pod.InitContainers[i].RestartPolicy == nil || *pod.InitContainers[i].RestartPolicy != corev1.ContainerRestartPolicyAlways {
		t.Errorf("%s: the collector must be an init container with restartPolicy: Always (a native sidecar)", col.where)
	}
	checkCollector(t, col, all)
	checkPodUser(t, col, pod)
	checkProbes(t, col, "startupProbe", "readinessProbe", "livenessProbe")
	checkContainerPorts(t, col)
	checkGrace(t, col, pod, appShutdownBudget)
	if len(pod.Containers) == 0 {
		t.Fatalf("%s: no app container", col.where)
	}
	for _, app := range pod.Containers {
		checkApp(t, col.where, app, col)
	}
}

func TestOperatorManifests(t *testing.T) {
	all := loadManifests(t)
	ms := all.in("operator")
	cr := only[*openTelemetryCollector](t, ms)
	if cr.Spec.Mode != "sidecar" {
		t.Errorf("OpenTelemetryCollector %s: mode %q, want sidecar", cr.Name, cr.Spec.Mode)
	}
	col := operatorCollector(t, cr)
	checkCollector(t, col, all)
	checkPodUser(t, col, nil)

	d := only[*appsv1.Deployment](t, ms)
	pod := &d.Spec.Template.Spec
	if v := d.Spec.Template.Annotations["sidecar.opentelemetry.io/inject"]; v != cr.Name {
		t.Errorf("Deployment %s: pod annotation sidecar.opentelemetry.io/inject is %q, want the collector's name %q", d.Name, v, cr.Name)
	}
	checkGrace(t, col, pod, appShutdownBudget)
	for _, app := range slices.Concat(pod.InitContainers, pod.Containers) {
		if app.Image == collectorImage {
			t.Errorf("Deployment %s: runs the collector itself; the operator injects it", d.Name)
		}
		checkApp(t, "operator/"+d.Name, app, col)
	}
}

func TestGatewayManifests(t *testing.T) {
	all := loadManifests(t)
	ms := all.in("gateway")
	d := only[*appsv1.Deployment](t, ms)
	pod := &d.Spec.Template.Spec
	col := podCollector(t, "gateway/"+d.Name, pod, ms)
	checkCollector(t, col, all)
	checkPodUser(t, col, pod)
	checkProbes(t, col, "readinessProbe", "livenessProbe")
	checkContainerPorts(t, col)
	checkGrace(t, col, pod, 0)
	checkServices(t, ms, d.Spec.Template.Labels, col)

	hpa := only[*autoscalingv2.HorizontalPodAutoscaler](t, ms)
	if ref := hpa.Spec.ScaleTargetRef; ref.Kind != "Deployment" || ref.Name != d.Name || ref.APIVersion != "apps/v1" {
		t.Errorf("HorizontalPodAutoscaler %s scales %s %s, want Deployment %s", hpa.Name, ref.Kind, ref.Name, d.Name)
	}
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 2 || hpa.Spec.MaxReplicas < *hpa.Spec.MinReplicas {
		t.Errorf("HorizontalPodAutoscaler %s: want minReplicas >= 2 and maxReplicas >= minReplicas", hpa.Name)
	}
	for _, m := range hpa.Spec.Metrics {
		if m.Resource != nil {
			if _, ok := col.container.Resources.Requests[m.Resource.Name]; !ok {
				t.Errorf("HorizontalPodAutoscaler %s: scales on %s utilization, but the container requests no %s", hpa.Name, m.Resource.Name, m.Resource.Name)
			}
		}
	}
	pdb := only[*policyv1.PodDisruptionBudget](t, ms)
	if !selects(pdb.Spec.Selector.MatchLabels, d.Spec.Template.Labels) {
		t.Errorf("PodDisruptionBudget %s does not select the gateway's pods", pdb.Name)
	}
}

func TestPersistentGatewayManifests(t *testing.T) {
	all := loadManifests(t)
	ms := all.in("gateway-persistent")
	s := only[*appsv1.StatefulSet](t, ms)
	pod := &s.Spec.Template.Spec
	col := podCollector(t, "gateway-persistent/"+s.Name, pod, ms)
	checkCollector(t, col, all)
	checkPodUser(t, col, pod)
	checkProbes(t, col, "readinessProbe", "livenessProbe")
	checkContainerPorts(t, col)
	checkGrace(t, col, pod, 0)
	checkServices(t, ms, s.Spec.Template.Labels, col)

	// The exporter's queue is in file_storage, on a volume claimed per replica.
	if got := col.config.str("exporters", "helicone", "sending_queue", "storage"); got != "file_storage" {
		t.Errorf("%s: exporters.helicone.sending_queue.storage is %q, want file_storage", col.where, got)
	}
	if !slices.Contains(col.config.list("service", "extensions"), "file_storage") {
		t.Errorf("%s: file_storage is not in service.extensions", col.where)
	}
	for _, p := range fileStorageDirs {
		dir := col.config.str(p...)
		if dir == "" {
			t.Errorf("%s: %s is not set", col.where, strings.Join(p, "."))
			continue
		}
		i := slices.IndexFunc(col.container.VolumeMounts, func(vm corev1.VolumeMount) bool {
			return strings.HasPrefix(path.Clean(dir)+"/", path.Clean(vm.MountPath)+"/")
		})
		if i < 0 {
			t.Errorf("%s: %s %s is on no volume", col.where, strings.Join(p, "."), dir)
			continue
		}
		vm := col.container.VolumeMounts[i]
		if !slices.ContainsFunc(s.Spec.VolumeClaimTemplates, func(c corev1.PersistentVolumeClaim) bool { return c.Name == vm.Name }) {
			t.Errorf("%s: %s %s is on volume %s, which is not one of the volumeClaimTemplates", col.where, strings.Join(p, "."), dir, vm.Name)
		}
		if vm.ReadOnly {
			t.Errorf("%s: the queue volume is mounted read-only", col.where)
		}
	}
	if sc := pod.SecurityContext; sc == nil || sc.FSGroup == nil || *sc.FSGroup != readDockerfile(t).gid {
		t.Errorf("%s: the pod's fsGroup must be the image's group, so that the collector can write to its volume", col.where)
	}
	var headless bool
	for _, svc := range ofKind[*corev1.Service](ms) {
		headless = headless || (svc.Name == s.Spec.ServiceName && svc.Spec.ClusterIP == corev1.ClusterIPNone)
	}
	if !headless {
		t.Errorf("StatefulSet %s: serviceName %q is not a headless Service in the folder", s.Name, s.Spec.ServiceName)
	}
	// Scaling in by an autoscaler would strand the removed replicas' queues.
	if hpas := ofKind[*autoscalingv2.HorizontalPodAutoscaler](ms); len(hpas) > 0 {
		t.Errorf("gateway-persistent: no HorizontalPodAutoscaler, scale-in strands queued spans on the removed replicas' volumes")
	}
	if p := s.Spec.PersistentVolumeClaimRetentionPolicy; p == nil || p.WhenScaled != appsv1.RetainPersistentVolumeClaimRetentionPolicyType {
		t.Errorf("StatefulSet %s: persistentVolumeClaimRetentionPolicy.whenScaled must be Retain, or scaling in deletes queued spans", s.Name)
	}
}

// The image's default configuration is the sidecar's, and the operator's is
// the same again: one configuration, three places.
func TestSidecarConfigsAgree(t *testing.T) {
	all := loadManifests(t)
	ms := all.in("sidecar")
	d := only[*appsv1.Deployment](t, ms)
	sidecar := podCollector(t, "sidecar", &d.Spec.Template.Spec, ms)
	operator := operatorCollector(t, only[*openTelemetryCollector](t, all.in("operator")))
	image, err := parseCollectorConfig(readFile(t, imageConfigFile))
	if err != nil {
		t.Fatalf("%s: %v", imageConfigFile, err)
	}
	if !reflect.DeepEqual(image, sidecar.config) {
		t.Errorf("%s and the sidecar's ConfigMap differ; keep them the same", imageConfigFile)
	}
	if !reflect.DeepEqual(operator.config, sidecar.config) {
		t.Errorf("the operator's spec.config and the sidecar's ConfigMap differ; keep them the same")
	}
}
