package deploy

import (
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// A few of the API server's own validations that decoding alone does not
// make, so that `kubectl apply` does not reject what the tests accepted.
func TestPodTemplatesValid(t *testing.T) {
	type workload struct {
		name     string
		selector *metav1.LabelSelector
		template corev1.PodTemplateSpec
	}
	var ws []workload
	ms := loadManifests(t)
	for _, d := range ofKind[*appsv1.Deployment](ms) {
		ws = append(ws, workload{"Deployment " + d.Name, d.Spec.Selector, d.Spec.Template})
	}
	for _, s := range ofKind[*appsv1.StatefulSet](ms) {
		// The claim templates are volumes of the pods too.
		tmpl := *s.Spec.Template.DeepCopy()
		for _, c := range s.Spec.VolumeClaimTemplates {
			tmpl.Spec.Volumes = append(tmpl.Spec.Volumes, corev1.Volume{Name: c.Name})
		}
		ws = append(ws, workload{"StatefulSet " + s.Name, s.Spec.Selector, tmpl})
	}
	if len(ws) == 0 {
		t.Fatal("no workloads")
	}
	for _, w := range ws {
		if w.selector == nil || !selects(w.selector.MatchLabels, w.template.Labels) {
			t.Errorf("%s: spec.selector does not match the pod template's labels", w.name)
		}
		pod := w.template.Spec
		var volumes []string
		for _, v := range pod.Volumes {
			volumes = append(volumes, v.Name)
		}
		var names []string
		for _, c := range slices.Concat(pod.InitContainers, pod.Containers) {
			if slices.Contains(names, c.Name) {
				t.Errorf("%s: two containers named %s", w.name, c.Name)
			}
			names = append(names, c.Name)
			checkContainerValid(t, w.name+" container "+c.Name, c, volumes)
		}
	}
}

func checkContainerValid(t *testing.T, where string, c corev1.Container, volumes []string) {
	t.Helper()
	for res, req := range c.Resources.Requests {
		if lim, ok := c.Resources.Limits[res]; ok && req.Cmp(lim) > 0 {
			t.Errorf("%s: %s request %s above its limit %s", where, res, req.String(), lim.String())
		}
	}
	var ports []string
	for _, p := range c.Ports {
		if len(p.Name) > 15 || slices.Contains(ports, p.Name) {
			t.Errorf("%s: port name %q is longer than 15 characters or repeated", where, p.Name)
		}
		ports = append(ports, p.Name)
	}
	var envs []string
	for _, e := range c.Env {
		if slices.Contains(envs, e.Name) {
			t.Errorf("%s: env %s set twice", where, e.Name)
		}
		envs = append(envs, e.Name)
	}
	for _, vm := range c.VolumeMounts {
		if !slices.Contains(volumes, vm.Name) {
			t.Errorf("%s: volumeMount %s has no volume", where, vm.Name)
		}
	}
}
