# CatalogSync — developer entry points. See README.md.
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
APT_PACKAGES := libcurl4-openssl-dev libsqlite3-dev sqlite3 pkg-config

.PHONY: setup build test bench format lint clean

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

build: setup
	$(SWIFT) build

## test: build and run every test
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2

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
