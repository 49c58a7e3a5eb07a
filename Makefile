# Tandem's two set-up commands are `make run` and `make test`; everything they need is
# installed on the way (see scripts/ and ../shared/TOOLCHAIN.md).

SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

ADDR ?= 127.0.0.1:8080
DATA_DIR ?= ./data
# Set PUBLIC_URL=/some/path/ to host dist/ under a sub-path.
PUBLIC_URL ?= /
# SFU=off: `make run` starts no Janus node (meetings stay peer-to-peer, up to 8 people).
SFU ?= on

.PHONY: run test tools test-tools lint app server server-debug rust-test e2e size bench clean

## run: install what is missing, build the app (release) and start the server, with a
## local Janus node as the SFU where one can run (scripts/run.sh says which).
run: app server
	@echo "Tandem: open http://$(ADDR)"
	SFU=$(SFU) scripts/run.sh ./target/release/tandem-server --addr $(ADDR) --data-dir $(DATA_DIR) \
		--static-dir dist

## test: the lint gate, then every test suite — all Rust crates, then the browser suite.
test: tools test-tools lint rust-test app server-debug e2e

tools:
	@scripts/install-build-tools.sh

test-tools:
	@scripts/install-test-tools.sh

## app: the release build in dist/, then 404.html (a copy of index.html: hosts without an
## SPA fallback, GitHub Pages-style, serve it for a deep link and the app boots there)
## and the brotli-11 / gzip-9 copies the server sends (scripts/precompress.sh).
app: tools
	trunk build --release --public-url $(PUBLIC_URL)
	cp dist/index.html dist/404.html
	scripts/precompress.sh dist

server:
	cargo build --release -p tandem-server

server-debug:
	cargo build -p tandem-server --features test-clock

## lint: static checks, cheapest first; any finding fails `make test` before a test runs.
## Clippy runs twice: natively over every crate and target (tests included), and for
## wasm32 over what the browser runs (the app and the two crates it compiles in). The wasm
## run skips test targets: they run natively, and the app's dev-dependency proptest does
## not build for wasm32-unknown-unknown. The server, bench and schedule crates are
## native-only.
lint: tools
	cargo fmt --all --check
	scripts/check-line-width.sh
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p tandem -p tandem-protocol -p tandem-board --target wasm32-unknown-unknown \
		--lib --bins -- -D warnings

## rust-test: every crate's tests (the server's on SQLite), then the server's integration
## tests again on a throwaway Postgres cluster (scripts/test-postgres.sh).
rust-test:
	cargo test --workspace
	scripts/test-postgres.sh

e2e:
	scripts/e2e.sh

## size: bytes on the wire of the built app (wasm + js + css), gzip-9 and brotli-11.
size: app
	@scripts/size.sh

## bench: performance figures, measured against the release server over loopback.
## Knobs: make bench FANOUT_ARGS="--clients 200" HISTORY_ARGS="--messages 10000" BOARD_ARGS="--ops 2000"
## CROWD_ARGS="--idle 2000" PEER_ARGS="--runs 3" (the socket.io peer, tools/fanout-peer)
## NODES_ARGS="--seconds 10" (fan-out on two nodes sharing a throwaway Postgres)
## SFU_BENCH_ARGS="--steps 10,20,40,80" (subscriber streams one Janus node carries, tools/sfu-load)
bench: server app test-tools
	scripts/install-bench-tools.sh
	cargo build --release -p tandem-bench
	ulimit -n 16384 && ./target/release/tandem-bench fanout $(FANOUT_ARGS)
	ulimit -n 16384 && ./target/release/tandem-bench crowd $(CROWD_ARGS)
	ulimit -n 16384 && ./target/release/tandem-bench peer $(PEER_ARGS)
	scripts/bench-nodes.sh 2 --ramp 100 $(NODES_ARGS)
	./target/release/tandem-bench history $(HISTORY_ARGS)
	./target/release/tandem-bench board $(BOARD_ARGS)
	scripts/e2e.sh --config bench.config.ts
	.tools/venv-sfu/bin/python tools/sfu-load/capacity.py $(SFU_BENCH_ARGS)

clean:
	cargo clean
	rm -rf dist
