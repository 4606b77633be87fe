// Package deploy holds the otelcol-helicone image and Kubernetes manifests. It
// has no code of its own: its tests decode every manifest strictly into the
// Kubernetes API types, check them as a reviewer would, and run each collector
// configuration they embed against a local Helicone-compatible endpoint.
//
// It is a module of its own so that the Kubernetes API packages stay out of the
// collector's dependency graph.
package deploy
