# CatalogSync — developer entry points. See README.md.
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
APT_PACKAGES := libcurl4-openssl-dev libsqlite3-dev sqlite3 pkg-config python3-yaml

.PHONY: setup build test soak bench format lint clean demo install

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
	@echo "demo: control socket .catalogsync-sandbox/control.sock; try:"
	@echo "  curl -s --unix-socket .catalogsync-sandbox/control.sock http://localhost/v1/status"
	@echo "  curl -s --unix-socket .catalogsync-sandbox/control.sock http://localhost/v1/products/PETHA-AGRA-500G"
	@echo "  curl -s --unix-socket .catalogsync-sandbox/control.sock --data-binary @config/sample-catalog.csv http://localhost/v1/import"
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

## install: binaries (from .build/release when built), systemd units, sysusers/tmpfiles snippets, example config
install:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/lib/systemd/system $(DESTDIR)/usr/lib/sysusers.d \
	  $(DESTDIR)/usr/lib/tmpfiles.d $(DESTDIR)/etc/catalogsyncd $(DESTDIR)/etc/catalogsyncd/credentials
	@for b in catalogsyncd catalogctl; do \
	  if [ -x .build/release/$$b ]; then install -m 0755 .build/release/$$b $(DESTDIR)$(PREFIX)/bin/$$b; \
	  else echo "install: .build/release/$$b not built (run: swift build -c release), skipped"; fi; \
	done
	sed 's|/usr/local/bin/|$(PREFIX)/bin/|' systemd/catalogsyncd.service >$(DESTDIR)/lib/systemd/system/catalogsyncd.service
	sed 's|/usr/local/bin/|$(PREFIX)/bin/|' systemd/catalogsyncd@.service >$(DESTDIR)/lib/systemd/system/catalogsyncd@.service
	chmod 0644 $(DESTDIR)/lib/systemd/system/catalogsyncd.service $(DESTDIR)/lib/systemd/system/catalogsyncd@.service
	install -m 0644 systemd/catalogsyncd.sysusers $(DESTDIR)/usr/lib/sysusers.d/catalogsyncd.conf
	install -m 0644 systemd/catalogsyncd.tmpfiles $(DESTDIR)/usr/lib/tmpfiles.d/catalogsyncd.conf
	@if [ -e $(DESTDIR)/etc/catalogsyncd/catalogsyncd.toml ]; then \
	  echo "install: keeping existing $(DESTDIR)/etc/catalogsyncd/catalogsyncd.toml"; \
	else install -m 0640 config/catalogsyncd.toml $(DESTDIR)/etc/catalogsyncd/catalogsyncd.toml; fi
	install -d $(DESTDIR)$(PREFIX)/share/catalogsyncd
	install -m 0644 config/sandbox.toml config/sample-catalog.csv $(DESTDIR)$(PREFIX)/share/catalogsyncd/
