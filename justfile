# Everyday commands. A fresh machine needs only cargo: these are conveniences.

default: test

build:
    cargo build --workspace --release

test:
    cargo test --workspace

lint:
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings

demo:
    cargo run -q --release -p sbom-gen -- docker-archive:testdata/demo/demo-app.docker.tar -o cyclonedx-json=target/demo.cdx.json
    cargo run -q --release -p sbom-match -- db import testdata/demo/osv --db target/demo-osv.db
    cargo run -q --release -p sbom-match -- target/demo.cdx.json --db target/demo-osv.db

bench:
    bash scripts/bench.sh
