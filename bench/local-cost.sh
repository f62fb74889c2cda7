#!/usr/bin/env bash
# What the kbench local JVM costs beside the broker it hosts: its CPU by part (broker, kbench's own threads, the JVM)
# over a fixed-rate run's measurement, per message, next to the agent JVMs'.
# Run from the repository root: bench/local-cost.sh [options]   (options: see bench/README.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bench/build.sh
# The real CLI as users run it: the distribution's launcher (./kbench builds its tree when sources changed).
./kbench --version >/dev/null
launcher="$(ls -1dt "$PWD"/dist/target/kbench-*/bin/kbench | head -n 1)"
# Benchmarks share 2 cores with tests: hold the shared lock for the whole run.
exec flock "${TMPDIR:-/tmp}/kbench-bench.lock" java ${BENCH_JAVA_OPTS:-} -cp "bench/target/classes:$(cat bench/target/bench.classpath)" io.kbench.bench.LocalCost --launcher "$launcher" "$@"
