#!/usr/bin/env bash
# Builds what the benchmarks run: kbench's modules (installed into the local Maven repository, which the
# standalone bench/ project resolves them from), then bench/ itself. Quiet; the log is target/bench-build.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p target
if ! { mvn -B -q install -DskipTests -Dspotless.check.skip=true && mvn -B -q -f bench/pom.xml package; } \
    >target/bench-build.log 2>&1; then
  echo "bench: build failed; last lines of target/bench-build.log:" >&2
  tail -n 30 target/bench-build.log >&2
  exit 1
fi
