#!/usr/bin/env bash
# Runs the RAGSync benchmarks on demand and writes each result to bench/results/<name>.txt (git-ignored).
#   bench/run.sh [bulk|latency|bigfile|idle|faults|all]
# Sizes: DOCS (bulk, default 10000), CHANGES (latency, 30), MIB (bigfile, 1024), IDLE_S (idle, 60),
# FAULT_DOCS (faults, 200; FAULT_PERCENT, 30).
# Bulk conditions: WARMUP=N (both clients first sync N other documents, unmeasured: warm JVMs instead of fresh ones),
# STUB_DELAY_MS=D (the stub answers after D ms, as a RAGFlow on another machine: latency-bound instead of CPU-bound),
# STUB_CPUS=LIST (taskset list, e.g. 0: the RAGFlow stub runs on these CPUs only, the clients, their database and the
# bench on the others, as RAGFlow runs on its own machine; by default all share every CPU). Needs taskset (util-linux).
# Extra Maven arguments (e.g. -Dmaven.repo.local=...) via MAVEN_ARGS. Needs only a JDK 17 and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
# shellcheck disable=SC2086
mvn -B -ntp -q -Pbench ${MAVEN_ARGS:-} -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=bench/results/classpath.txt
CP="target/test-classes:target/classes:$(cat bench/results/classpath.txt)"
# expands a taskset CPU list ("0,2-3") to one CPU per line
cpus() { local part; for part in ${1//,/ }; do seq "${part%-*}" "${part#*-}"; done; }
PIN=()
if [[ -n ${STUB_CPUS:-} ]]; then
    others=$(cpus "$(taskset -cp $$ | sed 's/.*: //')" | grep -vxF -f <(cpus "$STUB_CPUS") | paste -sd, || true)
    [[ -n $others ]] || { echo "STUB_CPUS=$STUB_CPUS leaves no CPU for the clients" >&2; exit 2; }
    PIN=(taskset -c "$others")
fi
# BENCH_OPTS="-Dhub.app.jobs.batch-size=40" tunes the hub under test (any hub property, prefixed with hub.)
# CAMEL_FLOOR=1 adds the two floors to bulk and the ratios against their targets: the same calls through the cheapest
# Camel routes (no database), and as jobs of the cheapest durable queue on the hub's schema (JDBC, no Camel)
# PG_STATS=1 adds the hub's database statements by total time (pg_stat_statements) to the bulk report
# shellcheck disable=SC2086
run() { "${PIN[@]}" java -Xmx"${BENCH_HEAP:-3g}" ${PG_STATS:+-Dragsync.bench.pg-stats=true} ${WARMUP:+-Dbench.warmup=$WARMUP} \
    ${STUB_DELAY_MS:+-Dbench.stub-delay-ms=$STUB_DELAY_MS} ${CAMEL_FLOOR:+-Dbench.floors=true} ${STUB_CPUS:+-Dbench.stub-cpus=$STUB_CPUS} \
    ${FAULT_PERCENT:+-Dbench.fault-percent=$FAULT_PERCENT} \
    ${BENCH_OPTS:-} -cp "$CP" io.ragsync.bench.Bench "$@"; }
what="${1:-all}"
if [[ $what == bulk || $what == all ]]; then run bulk "${DOCS:-10000}" bench/results/bulk.txt; fi
if [[ $what == latency || $what == all ]]; then run latency "${CHANGES:-30}" bench/results/latency.txt; fi
if [[ $what == bigfile || $what == all ]]; then run bigfile "${MIB:-1024}" bench/results/bigfile.txt; fi
if [[ $what == idle || $what == all ]]; then run idle "${IDLE_S:-60}" bench/results/idle.txt; fi
if [[ $what == faults || $what == all ]]; then
    run faults "${FAULT_DOCS:-200}" bench/results/faults.txt
fi
