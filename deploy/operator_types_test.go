package deploy

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// openTelemetryCollector mirrors the part of the OpenTelemetry Operator's
// opentelemetry.io/v1beta1 OpenTelemetryCollector that operator/collector.yaml
// uses. k8s.io/api has no type for this custom resource, and importing the
// operator's module would pull in controller-runtime, so this is a hand-kept
// subset: the field names and types are the operator's, and decoding strictly
// into it makes any other field (or a typo) an error. Add a field here, from
// the operator's apis/v1beta1, before using it in the manifest.
type openTelemetryCollector struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              openTelemetryCollectorSpec `json:"spec"`
}

type openTelemetryCollectorSpec struct {
	// Mode is deployment, daemonset, statefulset or sidecar.
	Mode  string `json:"mode"`
	Image string `json:"image"`
	// Config is the collector configuration as a YAML object, not a string as
	// in v1alpha1.
	Config          map[string]any               `json:"config"`
	Env             []corev1.EnvVar              `json:"env,omitempty"`
	Resources       corev1.ResourceRequirements  `json:"resources,omitempty"`
	SecurityContext *corev1.SecurityContext      `json:"securityContext,omitempty"`
	Args            map[string]string            `json:"args,omitempty"`
	VolumeMounts    []corev1.VolumeMount         `json:"volumeMounts,omitempty"`
	Volumes         []corev1.Volume              `json:"volumes,omitempty"`
	Ports           []openTelemetryCollectorPort `json:"ports,omitempty"`
}

// openTelemetryCollectorPort is the operator's PortsSpec: a ServicePort with a
// host port.
type openTelemetryCollectorPort struct {
	corev1.ServicePort `json:",inline"`
	HostPort           int32 `json:"hostPort,omitempty"`
}
