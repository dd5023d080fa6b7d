#!/usr/bin/env bash
# Local vector index benchmark (see bench/README.md, section "local-index"): embedding pipeline vs raw model
# throughput, and retrieval latency p50/p95 with pgvector HNSW at 100k chunks. Report: bench/results/local-index-*.md
# Options (system properties): -Dbench.documents=40 -Dbench.paragraphs=10 -Dbench.parallelism=2
#   -Dbench.chunks=100000 -Dbench.queries=200 -Dbench.exact-queries=20 -Dbench.skip-pipeline -Dbench.skip-retrieval
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f src/test/pglite/node_modules/.package-lock.json ]; then
  npm ci --prefix src/test/pglite --no-audit --no-fund
fi
mvn -B -ntp -Pbench "$@" -Dtest=LocalIndexBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -DargLine="-Xmx3g" -Dsurefire.timeout=0 test
ls -t bench/results/local-index-*.md | head -1
