# Crossplane packages without a container engine (docs/packages.md): the
# function's runtime image is written by tools/runtime-image, the
# packages by the pinned crossplane CLI, all into $(XPKG_DIR).

XPKG_DIR     := $(OUTPUT)/xpkg
XPKG_ARCHES  ?= amd64 arm64
# Where `make xpkg-push` publishes; the Configurations depend on
# xpkg.crossplane.io/agentops-io/function-agentops (configuration/*.yaml).
XPKG_REPO    ?= xpkg.crossplane.io/agentops-io
CROSSPLANE   := $(TOOLS_BIN)/crossplane
XPKG_TOOLS   := $(XPKG_DIR)/tools

# Image and file times come from the last commit, so a rebuild of a commit is
# byte-identical; a tree without commits uses 0 (1970-01-01).
ifndef SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
endif
export SOURCE_DATE_EPOCH

# The v2 Configuration: its metadata, the package content assembled next to
# it, and the examples shipped with it (not examples/functions.yaml, which
# only tells `crossplane composition render` where the function runs).
XPKG_CONFIG_SOURCES   := apis/definition.yaml compositions/agentdeployment.yaml
XPKG_CONFIG_EXAMPLES  := $(filter-out examples/functions.yaml,$(wildcard examples/*.yaml))
XPKG_LEGACY_SOURCES   := apis/legacy/definition.yaml compositions/legacy.yaml
XPKG_LEGACY_EXAMPLES  := $(wildcard examples/legacy/*.yaml)
XPKG_REMOTE_SOURCES   := compositions/agentdeployment-remote.yaml

xpkg-comma := ,
xpkg-space := $(subst x, ,x)
# $(call xpkg-join,WORDS) joins words with commas, as xpkg push -f wants.
xpkg-join = $(subst $(xpkg-space),$(xpkg-comma),$(strip $(1)))

# $(call xpkg-configuration,NAME,META,SOURCES,EXAMPLES) assembles a package
# root (and an examples root) under $(XPKG_DIR) and builds NAME.xpkg from it.
define xpkg-configuration
	rm -rf $(XPKG_DIR)/root/$(1) $(XPKG_DIR)/examples/$(1)
	mkdir -p $(XPKG_DIR)/root/$(1) $(XPKG_DIR)/examples/$(1)
	cp $(2) $(XPKG_DIR)/root/$(1)/crossplane.yaml
	cp $(3) $(XPKG_DIR)/root/$(1)/
	$(if $(4),cp $(4) $(XPKG_DIR)/examples/$(1)/)
	$(CROSSPLANE) xpkg build --package-root=$(XPKG_DIR)/root/$(1) \
		--examples-root=$(XPKG_DIR)/examples/$(1) -o $(XPKG_DIR)/$(1).xpkg
endef

# The Function package ships no examples (they are XRs of the Configuration's
# XRD, and ship there): --examples-root names a folder that does not exist,
# since the CLI's default, ./examples, would take them in.
.PHONY: xpkg
xpkg: ## Build the Function package (amd64, arm64) and the Configuration packages into _output/xpkg, without Docker.
	tools/build.sh crossplane
	mkdir -p $(XPKG_TOOLS)
	cd tools/runtime-image && $(GO) build -o $(XPKG_TOOLS)/runtime-image .
	for arch in $(XPKG_ARCHES); do \
		GOOS=linux GOARCH=$$arch tools/build-function.sh --release $(XPKG_DIR)/bin/linux_$$arch/function; \
		$(XPKG_TOOLS)/runtime-image -binary $(XPKG_DIR)/bin/linux_$$arch/function -arch $$arch \
			-o $(XPKG_DIR)/runtime-$$arch.tar; \
		$(CROSSPLANE) xpkg build --package-root=package \
			--embed-runtime-image-tarball=$(XPKG_DIR)/runtime-$$arch.tar \
			--examples-root=package/examples -o $(XPKG_DIR)/function-agentops-$$arch.xpkg; \
	done
	$(MAKE) --no-print-directory runtime-image
	$(call xpkg-configuration,configuration-agentops,configuration/crossplane.yaml,$(XPKG_CONFIG_SOURCES),$(XPKG_CONFIG_EXAMPLES))
	$(call xpkg-configuration,configuration-agentops-legacy,configuration/legacy/crossplane.yaml,$(XPKG_LEGACY_SOURCES),$(XPKG_LEGACY_EXAMPLES))
	$(call xpkg-configuration,configuration-agentops-remote,configuration/remote/crossplane.yaml,$(XPKG_REMOTE_SOURCES),)
	@ls -l $(XPKG_DIR)/*.xpkg

.PHONY: xpkg-verify
xpkg-verify: xpkg xpkg-reproducible ## Verify the packages, run the packaged function, push them to a local registry and pull them back.
	tools/build.sh crane
	cd test/xpkg && $(GO) build -o $(XPKG_TOOLS)/verify-xpkg ./cmd/verify-xpkg
	$(XPKG_TOOLS)/verify-xpkg $(foreach a,$(XPKG_ARCHES),function/$(a)=$(XPKG_DIR)/function-agentops-$(a).xpkg) \
		configuration=$(XPKG_DIR)/configuration-agentops.xpkg \
		configuration=$(XPKG_DIR)/configuration-agentops-legacy.xpkg \
		configuration=$(XPKG_DIR)/configuration-agentops-remote.xpkg
	cd test/xpkg && XPKG_DIR=$(XPKG_DIR) CROSSPLANE=$(CROSSPLANE) CRANE=$(TOOLS_BIN)/crane \
		$(GO) test -count=1 ./...

# A second build into another folder must give the same bytes: nothing of
# the time, the path or the run may leak into a package.
XPKG_REBUILD_DIR := $(OUTPUT)/xpkg-rebuild
.PHONY: xpkg-reproducible
xpkg-reproducible: xpkg ## Rebuild the packages elsewhere and check they are byte-identical.
	$(MAKE) --no-print-directory xpkg XPKG_DIR=$(XPKG_REBUILD_DIR) >/dev/null
	cd $(XPKG_DIR) && for f in *.xpkg agent-runtime-*.tar; do cmp "$$f" "$(XPKG_REBUILD_DIR)/$$f"; done
	@cd $(XPKG_DIR) && sha256sum *.xpkg agent-runtime-*.tar

.PHONY: xpkg-push
xpkg-push: ## Push the packages to $(XPKG_REPO) and the agent runtime to $(RUNTIME_IMAGE_REPO) as $(VERSION) (the VERSION file), each one multi-arch index.
	@[[ "$(VERSION)" == "$$(cat VERSION)" ]] || { echo "VERSION=$(VERSION) differs from the VERSION file ($$(cat VERSION)): the Configurations' constraints and the catalog follow the file; edit it and run make generate" >&2; exit 1; }
	$(MAKE) --no-print-directory xpkg
	$(CROSSPLANE) xpkg push -f $(call xpkg-join,$(foreach a,$(XPKG_ARCHES),$(XPKG_DIR)/function-agentops-$(a).xpkg)) \
		$(XPKG_REPO)/function-agentops:$(VERSION)
	$(MAKE) --no-print-directory runtime-image-push
	$(CROSSPLANE) xpkg push -f $(XPKG_DIR)/configuration-agentops.xpkg $(XPKG_REPO)/configuration-agentops:$(VERSION)
	$(CROSSPLANE) xpkg push -f $(XPKG_DIR)/configuration-agentops-legacy.xpkg $(XPKG_REPO)/configuration-agentops-legacy:$(VERSION)
	$(CROSSPLANE) xpkg push -f $(XPKG_DIR)/configuration-agentops-remote.xpkg $(XPKG_REPO)/configuration-agentops-remote:$(VERSION)
	printf '%s\n' $(foreach p,function-agentops configuration-agentops configuration-agentops-legacy configuration-agentops-remote,$(XPKG_REPO)/$(p):$(VERSION)) \
		$(RUNTIME_IMAGE_REPO):$(VERSION) >$(XPKG_DIR)/pushed.txt

# The agent runtime's image (runtime/, docs/agent-contract.md): one static
# binary for every provider, written by the same image writer as the
# function's, one tarball per architecture beside the packages.
.PHONY: runtime-image
runtime-image: ## Build the agent runtime's image tarballs (amd64, arm64) into _output/xpkg, without Docker.
	mkdir -p $(XPKG_TOOLS)
	cd tools/runtime-image && $(GO) build -o $(XPKG_TOOLS)/runtime-image .
	for arch in $(XPKG_ARCHES); do \
		(cd runtime && CGO_ENABLED=0 GOOS=linux GOARCH=$$arch $(GO) build -trimpath -ldflags='-s -w' \
			-o $(XPKG_DIR)/bin/linux_$$arch/agent-runtime ./cmd/agent-runtime); \
		$(XPKG_TOOLS)/runtime-image -binary $(XPKG_DIR)/bin/linux_$$arch/agent-runtime -arch $$arch \
			-entrypoint /agent-runtime -port 8080/tcp -tag agent-runtime:latest -o $(XPKG_DIR)/agent-runtime-$$arch.tar; \
	done

# Where the agent runtime's image is pushed: the catalog's default image
# (apis/catalog.RuntimeImage) is this repository at the release's version.
RUNTIME_IMAGE_REPO ?= ghcr.io/agentops-io/agent-runtime

# One tag per architecture, then the multi-arch index under $(VERSION).
.PHONY: runtime-image-push
runtime-image-push: ## Push the agent runtime's image (built by make xpkg) to $(RUNTIME_IMAGE_REPO):$(VERSION) as a multi-arch index.
	@[[ -n "$(VERSION)" ]] || { echo "set VERSION, e.g. make xpkg-push VERSION=v0.1.0" >&2; exit 1; }
	tools/build.sh crane
	for arch in $(XPKG_ARCHES); do \
		$(TOOLS_BIN)/crane push $(XPKG_DIR)/agent-runtime-$$arch.tar $(RUNTIME_IMAGE_REPO):$(VERSION)-$$arch; \
	done
	$(TOOLS_BIN)/crane index append --docker-empty-base $(foreach a,$(XPKG_ARCHES),-m $(RUNTIME_IMAGE_REPO):$(VERSION)-$(a)) \
		-t $(RUNTIME_IMAGE_REPO):$(VERSION)
