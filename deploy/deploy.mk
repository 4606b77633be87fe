# deploy/deploy.mk: the container image and the tests of the Kubernetes
# manifests. The top-level Makefile includes it after defining BIN, BUILD_DIR,
# ROOT and GO.
#
#   make image        builds $(IMAGE) from deploy/Dockerfile with buildah (as
#                     root, no daemon needed); IMAGE_BUILD='docker build' uses Docker
#   make image-llmtracegen
#                     builds $(APP_IMAGE), the demo app (cmd/llmtracegen) from
#                     deploy/Dockerfile.llmtracegen, for the pod test
#   make test-image   builds both images, runs the binary inside the first, and
#                     runs the sidecar pod of kubernetes/sidecar/ with podman
#   make test-deploy  checks the manifests and runs the collector configurations
#                     they embed (the Go tests in deploy/, a module of its own)
#   make ci-deps      installs buildah, podman, runc and the CA bundle from
#                     Debian when missing (as root; about a minute); .ci/run
#                     calls it before `make test`

IMAGE         ?= otelcol-helicone:dev
IMAGE_CONTEXT := $(BUILD_DIR)/image
APP_IMAGE     ?= llmtracegen:dev
APP_CONTEXT   := $(BUILD_DIR)/llmtracegen-image
# The build host's CA bundle goes into the image: no base image is pulled.
CA_BUNDLE     ?= /etc/ssl/certs/ca-certificates.crt
BUILDAH       ?= buildah --storage-driver vfs
IMAGE_BUILD   ?= $(BUILDAH) bud --isolation chroot
# The same storage as buildah's, where podman finds the images built here.
# crun fails on these machines' cgroups: deploy/pod_test.go gives podman a
# containers.conf with runc and cgroupfs (or set CONTAINERS_CONF).
PODMAN        ?= podman --storage-driver vfs
# What the image tests need; `make ci-deps` installs them.
IMAGE_TOOLS   := buildah podman runc

.PHONY: image
image: build
	rm -rf $(IMAGE_CONTEXT)
	mkdir -p $(IMAGE_CONTEXT)
	cp $(BIN) deploy/config.yaml $(CA_BUNDLE) $(IMAGE_CONTEXT)/
	@# the previous build's image would stay behind, untagged, in buildah's storage
	@$(BUILDAH) rmi $(IMAGE) >/dev/null 2>&1 || true
	$(IMAGE_BUILD) -f deploy/Dockerfile -t $(IMAGE) $(IMAGE_CONTEXT)

.PHONY: image-llmtracegen
image-llmtracegen:
	rm -rf $(APP_CONTEXT)
	mkdir -p $(APP_CONTEXT)
	$(GO) build -trimpath -o $(APP_CONTEXT)/llmtracegen ./cmd/llmtracegen
	@$(BUILDAH) rmi $(APP_IMAGE) >/dev/null 2>&1 || true
	$(IMAGE_BUILD) -f deploy/Dockerfile.llmtracegen -t $(APP_IMAGE) $(APP_CONTEXT)

# Runs only the tests behind the build tag `image` (deploy/image_test.go,
# deploy/pod_test.go), against the images just built.
.PHONY: test-image
test-image: image image-llmtracegen
	cd deploy && OTELCOL_HELICONE_IMAGE=$(IMAGE) LLMTRACEGEN_IMAGE=$(APP_IMAGE) \
		BUILDAH='$(BUILDAH)' PODMAN='$(PODMAN)' \
		$(GO) test -tags=image -run='^(TestImage|TestPodSidecar)$$' $(GOTESTFLAGS) ./...

.PHONY: test-deploy
test-deploy: build
	cd deploy && $(GO) vet ./... && $(GO) vet -tags=image ./...
	@unformatted="$$(gofmt -l deploy)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	cd deploy && OTELCOL_HELICONE_BIN=$(ROOT)/$(BIN) $(GO) test $(GOTESTFLAGS) ./...

.PHONY: ci-deps
ci-deps:
	@missing=; for tool in $(IMAGE_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ] || [ ! -s $(CA_BUNDLE) ]; then \
		echo ">> installing$$missing ca-certificates for make test-image"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(IMAGE_TOOLS) ca-certificates >/dev/null; \
	fi

# `make test` runs test-image where the image tools are installed and it runs
# as root (CI, after ci-deps), and otherwise says in one line what it left out.
TEST_EXTRA_TARGETS += test-deploy
IMAGE_TOOLS_MISSING := $(strip $(foreach tool,$(IMAGE_TOOLS),$(if $(shell command -v $(tool) 2>/dev/null),,$(tool))))
IMAGE_TESTS_SKIPPED := $(strip $(if $(IMAGE_TOOLS_MISSING),$(IMAGE_TOOLS_MISSING) not installed) \
	$(if $(filter 0,$(shell id -u)),,not root))
ifeq ($(IMAGE_TESTS_SKIPPED),)
TEST_EXTRA_TARGETS += test-image
else
TEST_EXTRA_TARGETS += image-tests-skipped
endif

.PHONY: image-tests-skipped
image-tests-skipped:
	@echo "make test: skipped the image tests (deploy/image_test.go, deploy/pod_test.go: $(IMAGE_TESTS_SKIPPED)); run them as root with: make ci-deps test-image"
