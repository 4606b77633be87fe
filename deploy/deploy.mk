# deploy/deploy.mk: the container image and the tests of the Kubernetes
# manifests. The top-level Makefile includes it after defining BIN, BUILD_DIR,
# ROOT and GO.
#
#   make image        builds $(IMAGE) from deploy/Dockerfile with buildah (as
#                     root, no daemon needed); IMAGE_BUILD='docker build' uses Docker
#   make test-image   builds the image and runs the binary inside it
#   make test-deploy  checks the manifests and runs the collector configurations
#                     they embed (the Go tests in deploy/, a module of its own)
#   make ci-deps      installs buildah and the CA bundle from Debian when missing
#                     (as root; about 10 s); .ci/run calls it before `make test`

IMAGE         ?= otelcol-helicone:dev
IMAGE_CONTEXT := $(BUILD_DIR)/image
# The build host's CA bundle goes into the image: no base image is pulled.
CA_BUNDLE     ?= /etc/ssl/certs/ca-certificates.crt
BUILDAH       ?= buildah --storage-driver vfs
IMAGE_BUILD   ?= $(BUILDAH) bud --isolation chroot

.PHONY: image
image: build
	rm -rf $(IMAGE_CONTEXT)
	mkdir -p $(IMAGE_CONTEXT)
	cp $(BIN) deploy/config.yaml $(CA_BUNDLE) $(IMAGE_CONTEXT)/
	@# the previous build's image would stay behind, untagged, in buildah's storage
	@$(BUILDAH) rmi $(IMAGE) >/dev/null 2>&1 || true
	$(IMAGE_BUILD) -f deploy/Dockerfile -t $(IMAGE) $(IMAGE_CONTEXT)

# Runs only deploy/image_test.go (build tag `image`), against the image just built.
.PHONY: test-image
test-image: image
	cd deploy && OTELCOL_HELICONE_IMAGE=$(IMAGE) BUILDAH='$(BUILDAH)' \
		$(GO) test -tags=image -run='^TestImage' $(GOTESTFLAGS) ./...

.PHONY: test-deploy
test-deploy: build
	cd deploy && $(GO) vet ./... && $(GO) vet -tags=image ./...
	@unformatted="$$(gofmt -l deploy)"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on:"; echo "$$unformatted"; exit 1; fi
	cd deploy && OTELCOL_HELICONE_BIN=$(ROOT)/$(BIN) $(GO) test $(GOTESTFLAGS) ./...

.PHONY: ci-deps
ci-deps:
	@if ! command -v buildah >/dev/null || [ ! -s $(CA_BUNDLE) ]; then \
		echo ">> installing buildah and ca-certificates for make test-image"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah ca-certificates >/dev/null; \
	fi

# `make test` runs test-image where buildah can build images: installed, and
# run as root (CI, after ci-deps).
TEST_EXTRA_TARGETS += test-deploy
ifneq ($(and $(shell command -v buildah 2>/dev/null),$(filter 0,$(shell id -u))),)
TEST_EXTRA_TARGETS += test-image
endif
