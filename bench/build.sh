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
# The agents' own class path over those copies, as a worker daemon finds it in a distribution (lib/agent/): the
# scripts that start a fleet pass it as KBENCH_AGENT_CLASSPATH, so agents start as they do in production (jars
# only: that is also what lets the daemon give them a class-data sharing archive).
{
  ls "$PWD"/bench/target/lib/kbench-agent-*.jar
  tr ':' '\n' <agent/target/agent.classpath | while read -r jar || [ -n "$jar" ]; do
    [ -n "$jar" ] && echo "$PWD/bench/target/lib/$(basename "$jar")"
  done
} | paste -sd: - >bench/target/agent.classpath
