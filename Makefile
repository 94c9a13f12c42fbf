# CatalogSync — developer entry points. See README.md.
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
APT_PACKAGES := libcurl4-openssl-dev libsqlite3-dev sqlite3 pkg-config python3-yaml zlib1g-dev

.PHONY: setup build test soak bench format lint clean demo install release systemd-test

## setup: install what a fresh Debian 12 machine lacks (quietly, only if missing)
setup:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@python3 -c "import jsonschema, referencing" 2>/dev/null || { echo "setup: installing jsonschema (contract tests)"; \
	  python3 -m pip install -q jsonschema >/dev/null; }

build: setup
	$(SWIFT) build

## demo: the embedded default — sandbox config, sample catalog seeded, state in ./.catalogsync-sandbox
demo: setup
	$(SWIFT) build --product catalogsyncd
	$(SWIFT) build --product catalogctl
	@echo "demo: control socket .catalogsync-sandbox/control.sock; try:"
	@echo "  curl -s --unix-socket .catalogsync-sandbox/control.sock http://localhost/v1/status"
	@echo "  curl -s --unix-socket .catalogsync-sandbox/control.sock http://localhost/v1/products/PETHA-AGRA-500G"
	@echo "  curl -s --unix-socket .catalogsync-sandbox/control.sock --data-binary @config/sample-catalog.csv http://localhost/v1/import"
	@echo "  CATALOGSYNC_SOCKET=.catalogsync-sandbox/control.sock $$($(SWIFT) build --show-bin-path)/catalogctl status"
	"$$($(SWIFT) build --show-bin-path)/catalogsyncd" --sandbox

## test: build and run every test, in phases (unit, daemon, end to end), printing phase times and the slowest tests
test: setup
	SWIFT=$(SWIFT) bash Tests/Scripts/run-tests.sh

## soak: the long runs before a release — 1,000 SKUs on every platform at once through faults, and the
## quota efficiency of 100,000 price changes (figures: Tests/README.md, Benchmarks/README.md)
soak: setup
	$(SWIFT) build --build-tests
	CATALOGSYNC_SOAK=1 $(SWIFT) test --skip-build --filter SoakTests
	$(SWIFT) build -c release --product BenchSync
	$(SWIFT) build -c release --product marketplace-sandbox
	"$$($(SWIFT) build -c release --show-bin-path)/BenchSync" "$$($(SWIFT) build -c release --show-bin-path)/marketplace-sandbox" 1000 10000 100000

## bench: run the benchmarks (results: Benchmarks/README.md)
bench: setup
	$(SWIFT) build -c release
	bash Benchmarks/run.sh

format:
	$(SWIFT) format --in-place --recursive --parallel Package.swift Sources Tests adapters

lint:
	$(SWIFT) format lint --strict --recursive --parallel Package.swift Sources Tests adapters

clean:
	rm -rf .build

## release: catalogsyncd and catalogctl, optimised, with the Swift runtime linked in (--static-swift-stdlib):
## a production host needs only libcurl, libsqlite3 and glibc, no Swift toolchain
## BUILD_CONFIG=debug builds them unoptimised (still static, in .build-static): CI's make systemd-test does, where an
## optimised build would add ten minutes and the test checks the installation and the unit, not the optimiser.
## Unoptimised static links leave Foundation's own static libraries out of catalogctl's link
## (swiftlang/swift-package-manager#10564), so that build names them.
BUILD_CONFIG ?= release
ifeq ($(BUILD_CONFIG),debug)
STATIC_FLAGS := --scratch-path .build-static $(foreach l,_FoundationICU _FoundationCollections _FoundationCShims CoreFoundation,-Xswiftc -l$(l))
BIN_DIR := .build-static/debug
else
STATIC_FLAGS :=
BIN_DIR := .build/release
endif
release: setup
	$(SWIFT) build -c $(BUILD_CONFIG) --static-swift-stdlib $(STATIC_FLAGS) --product catalogsyncd
	$(SWIFT) build -c $(BUILD_CONFIG) --static-swift-stdlib $(STATIC_FLAGS) --product catalogctl

## install: release binaries, systemd units, sysusers/tmpfiles snippets, example config and the Rivexa spec.
## On a live system (or a DESTDIR holding a root file system, /etc/passwd present) it then creates the
## catalogsync user and group and applies the tmpfiles lines: the config is root:catalogsync 0640.
SHARE := $(PREFIX)/share/catalogsyncd
install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/lib/systemd/system $(DESTDIR)/usr/lib/sysusers.d \
	  $(DESTDIR)/usr/lib/tmpfiles.d $(DESTDIR)$(SHARE)
	install -d -m 0750 $(DESTDIR)/etc/catalogsyncd
	install -d -m 0700 $(DESTDIR)/etc/catalogsyncd/credentials
	install -m 0755 $(BIN_DIR)/catalogsyncd $(BIN_DIR)/catalogctl $(DESTDIR)$(PREFIX)/bin/
	sed 's|/usr/local/bin/|$(PREFIX)/bin/|' systemd/catalogsyncd.service >$(DESTDIR)/lib/systemd/system/catalogsyncd.service
	sed 's|/usr/local/bin/|$(PREFIX)/bin/|' systemd/catalogsyncd@.service >$(DESTDIR)/lib/systemd/system/catalogsyncd@.service
	chmod 0644 $(DESTDIR)/lib/systemd/system/catalogsyncd.service $(DESTDIR)/lib/systemd/system/catalogsyncd@.service
	install -m 0644 systemd/catalogsyncd.sysusers $(DESTDIR)/usr/lib/sysusers.d/catalogsyncd.conf
	install -m 0644 systemd/catalogsyncd.tmpfiles $(DESTDIR)/usr/lib/tmpfiles.d/catalogsyncd.conf
	install -m 0644 config/sandbox.toml config/sample-catalog.csv config/rivexa.toml $(DESTDIR)$(SHARE)/
	@if [ -e $(DESTDIR)/etc/catalogsyncd/catalogsyncd.toml ]; then \
	  echo "install: keeping existing $(DESTDIR)/etc/catalogsyncd/catalogsyncd.toml"; \
	else \
	  sed 's|^spec *= *"config/rivexa.toml".*|spec        = "$(SHARE)/rivexa.toml"     # the configurable REST adapter'"'"'s spec|' \
	    config/catalogsyncd.toml >$(DESTDIR)/etc/catalogsyncd/catalogsyncd.toml; \
	  chmod 0640 $(DESTDIR)/etc/catalogsyncd/catalogsyncd.toml; \
	fi
	@if [ -z "$(DESTDIR)" ] || [ -e "$(DESTDIR)/etc/passwd" ]; then \
	  if command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null; then \
	    root="$(if $(DESTDIR),--root=$(DESTDIR))"; \
	    systemd-sysusers $$root catalogsyncd.conf && systemd-tmpfiles $$root --create catalogsyncd.conf; \
	  else echo "install: no systemd-sysusers/systemd-tmpfiles here: apply them at boot"; fi; \
	fi

## systemd-test: make install into a minimal Debian 12 booted with systemd-nspawn; start, catalogctl as root and
## as a group member, reload, stop (systemd/nspawn-test.sh; prints why and passes where no container can boot)
systemd-test:
	bash systemd/nspawn-test.sh
