#!/usr/bin/env bash
# Builds what the benchmarks run: bench/ and the modules it uses, in one reactor build (bench/target/lib holds
# copies of every jar, so a later build cannot replace one under a running benchmark). Quiet; the log is
# target/bench-build.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p target
if ! mvn -B -q package -DskipTests -Dspotless.check.skip=true -pl bench -am \
    >target/bench-build.log 2>&1; then
  echo "bench: build failed; last lines of target/bench-build.log:" >&2
  tail -n 30 target/bench-build.log >&2
  exit 1
fi
