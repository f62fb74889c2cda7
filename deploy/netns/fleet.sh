#!/usr/bin/env bash
# A kbench fleet across five "hosts" on one machine: the broker, the aggregator, two worker daemons and the
# controller each run in their own Linux network namespace, joined by veth links to a bridge that lives in a
# sixth namespace (nothing is added to the host's own network). Every address is in the loopback range,
# 127.213.0.0/24: each namespace routes it over its veth (route_localnet=1, lo keeps only 127.0.0.1).
#
# It runs a workload across both workers, prints the controller's output (the result summary) and every
# namespace's listening TCP sockets, sampled during the run: only the broker's may listen (the aggregator's
# metrics endpoint is off here; workers have none unless --metrics-port is given; the controller never listens).
#
#   sudo deploy/netns/fleet.sh [--kill-worker w2 --kill-after SECONDS] [--skew-clock w2:MS] [WORKLOAD]
#
# Needs root and iproute2 (ip, ss), and a built distribution (mvn -B package, or ./kbench once), found as the
# newest dist/target/kbench-*/ beside this script, or given as KBENCH_HOME. Namespaces and processes are removed
# on exit, whatever the outcome. Environment: KBENCH_FLEET_NS (namespace name prefix, default kbf),
# KBENCH_FLEET_DIR (work directory: logs, results; default a new temporary one), KBENCH_JAVA_OPTS.
#
# --kill-worker w2 --kill-after S then runs the workload a second time on the same fleet and kills every process
# of w2's namespace (daemon and agents, kill -9) S seconds after that run's start: the controller sees the worker
# stop heartbeating, stops the run (the other worker's agents stop), and it ends INCOMPLETE naming w2. The exit
# code is the first (complete) run's.
#
# --skew-clock w2:50 plays a host whose clock is 50 ms ahead (namespaces share one clock): that worker daemon gets
# --clock-skew-ms 50, which skews its clock probes and its agents' clocks. `kbench workers` then shows its offset
# against the cluster (about -50 ms, with its uncertainty), and end-to-end latency between w1 and w2 is corrected
# by the difference; the result keeps the raw figure (kbench.latencies.endToEndLatencyRawMicros) beside it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
kill_worker=""
kill_after=8
skew_worker=""
skew_ms=0
workload=""
while [ $# -gt 0 ]; do
  case $1 in
    --kill-worker) kill_worker=$2; shift 2 ;;
    --kill-after) kill_after=$2; shift 2 ;;
    --skew-clock) skew_worker=${2%%:*}; skew_ms=${2#*:}; shift 2 ;;
    -h | --help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fleet.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) workload=$1; shift ;;
  esac
done
workload=${workload:-$here/fleet-workload.yaml}

if [ "$(id -u)" != 0 ]; then
  echo "fleet.sh: needs root to create network namespaces (run with sudo)" >&2
  exit 3
fi
command -v ip >/dev/null && command -v ss >/dev/null || { echo "fleet.sh: needs iproute2 (ip, ss)" >&2; exit 3; }
home=${KBENCH_HOME:-$(ls -1dt "$repo"/dist/target/kbench-*/ 2>/dev/null | grep -v '\.tar' | head -n 1 || true)}
[ -n "$home" ] && [ -x "$home/bin/kbench" ] || {
  echo "fleet.sh: no kbench distribution: build one (mvn -B package) or set KBENCH_HOME" >&2; exit 3; }
kbench=$home/bin/kbench
[ -f "$workload" ] || { echo "fleet.sh: workload $workload: no such file" >&2; exit 2; }

ns=${KBENCH_FLEET_NS:-kbf}
net=127.213.0
bootstrap=$net.2:9092
work=${KBENCH_FLEET_DIR:-$(mktemp -d -t kbench-fleet.XXXXXX)}
mkdir -p "$work"
export KBENCH_JAVA_OPTS=${KBENCH_JAVA_OPTS:--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k}
# name:address of every host; the switch namespace holds only the bridge.
hosts="broker:$net.2 aggregator:$net.3 w1:$net.4 w2:$net.5 controller:$net.6"

cleanup() {
  for h in $hosts; do
    local n=$ns-${h%%:*}
    ip netns pids "$n" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
  done
  for h in $hosts switch:; do ip netns del "$ns-${h%%:*}" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cleanup # leftovers of an earlier run that was killed

ip netns add "$ns-switch"
ip -n "$ns-switch" link add br0 type bridge
ip -n "$ns-switch" link set br0 up
for h in $hosts; do
  name=${h%%:*} addr=${h#*:} n=$ns-${h%%:*}
  ip netns add "$n"
  ip link add "$ns-$name" type veth peer name eth0 netns "$n"
  ip link set "$ns-$name" netns "$ns-switch"
  ip -n "$ns-switch" link set "$ns-$name" master br0 up
  ip -n "$n" link set lo up
  # 127.0.0.0/8 is all local by default; keep only 127.0.0.1 on lo so 127.213.0.0/24 goes out over eth0.
  ip -n "$n" route del 127.0.0.0/8 dev lo table local
  ip netns exec "$n" sysctl -qw net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.eth0.route_localnet=1
  ip -n "$n" addr add "$addr/24" dev eth0
  ip -n "$n" link set eth0 up
done

in_ns() { local n=$ns-$1; shift; ip netns exec "$n" "$@"; }
start() { # host, log name, command...
  local host=$1 log=$2; shift 2
  in_ns "$host" "$@" >"$work/$log.log" 2>&1 &
}

echo "fleet: namespaces $ns-{broker,aggregator,w1,w2,controller} on $net.0/24; work dir $work"
start broker broker "$kbench" broker --host "$net.2" --port 9092
for _ in $(seq 1 120); do
  grep -q "broker ready" "$work/broker.log" 2>/dev/null && break
  sleep 0.5
done
grep -q "broker ready" "$work/broker.log" || { echo "fleet: broker did not start; log:" >&2; tail -20 "$work/broker.log" >&2; exit 1; }
start aggregator aggregator "$kbench" aggregator -b "$bootstrap" --member-id agg-1 --metrics-port -1 \
  --state-dir "$work/aggregator-state"
for w in w1 w2; do
  skew=()
  [ "$w" = "$skew_worker" ] && skew=(--clock-skew-ms "$skew_ms")
  start "$w" "$w" "$kbench" worker -b "$bootstrap" --worker-id "$w" --allow-target "$bootstrap" \
    --max-agents 8 --log-dir "$work/$w-logs" ${skew[@]+"${skew[@]}"}
done

# The fleet is up when the controller's host sees both workers and the aggregator live and healthy, and both
# workers have estimated their clock offsets (so the runs' end-to-end latency is corrected from the start).
for _ in $(seq 1 60); do
  if in_ns controller "$kbench" workers -b "$bootstrap" >"$work/workers.txt" 2>&1 &&
    [ "$(grep -cE '^(w1|w2|agg-1) .* live .* healthy$' "$work/workers.txt")" = 3 ] &&
    [ "$(grep -cE '^(w1|w2) .* ms [+]/- [0-9.]+ +healthy$' "$work/workers.txt")" = 2 ]; then
    break
  fi
  sleep 1
done
cat "$work/workers.txt"

# Listening sockets, sampled every second while runs go (agents live only then).
sample() {
  while :; do
    for h in $hosts; do
      in_ns "${h%%:*}" ss -ltnpH >>"$work/sockets-${h%%:*}.txt" 2>/dev/null || true
    done
    sleep 1
  done
}
sample &
sampler=$!

# Agent JVMs in a host's namespace (pgrep alone would see the whole machine's: namespaces do not hide pids).
agents_in() {
  local p count=0
  for p in $(ip netns pids "$ns-$1"); do
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q io.kbench.agent.AgentMain && count=$((count + 1))
  done
  echo "$count"
}

# One run from the controller's namespace; with a worker to kill, every process of that worker's namespace is
# killed (-9) some seconds after the start barrier.
bench() { # label, worker to kill or ""
  local label=$1 victim=$2 status killer="" began=$SECONDS took
  echo "fleet: run '$label'"
  if [ -n "$victim" ]; then
    (
      for _ in $(seq 1 240); do grep -q "start barrier set" "$work/run-$label.log" 2>/dev/null && break; sleep 0.5; done
      sleep "$kill_after"
      echo "fleet: killing every process of $ns-$victim (kill -9): $(ip netns pids "$ns-$victim" | tr '\n' ' ')"
      ip netns pids "$ns-$victim" | xargs -r kill -9
    ) &
    killer=$!
  fi
  set +e
  # A run that loses a worker is given a longer measurement, so it is the loss that stops it, not its schedule.
  in_ns controller "$kbench" run -b "$bootstrap" --workers 2 -o "$work/results-$label" \
    ${victim:+--duration 60} "$workload" 2>&1 |
    tee "$work/run-$label.log"
  status=${PIPESTATUS[0]}
  set -e
  [ -z "$killer" ] || wait "$killer"
  took=$((SECONDS - began))
  # What the remaining workers' agents did: stopped, within their daemon's stop grace (5 s polite, then 5 s more
  # before a forcible kill) of the run's end.
  for w in w1 w2; do
    [ "$w" = "$victim" ] && continue
    left=0
    for _ in $(seq 1 30); do
      left=$(agents_in "$w")
      [ "${left:-0}" = 0 ] && break
      sleep 0.5
    done
    echo "fleet: agent JVMs left in $ns-$w after run '$label' (waited up to 15 s): ${left:-0}"
  done
  echo "fleet: run '$label' exit code $status after $took s"
  return "$status"
}

status=0
bench complete "" || status=$?
if [ -n "$kill_worker" ]; then
  # The same fleet again, losing a whole host mid-run: the run must end INCOMPLETE naming it (exit 1).
  bench killed "$kill_worker" || true
fi
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true

echo "fleet: listening TCP sockets per namespace, sampled during the run:"
for h in $hosts; do
  name=${h%%:*}
  listening=$(awk '{print $4, $6}' "$work/sockets-$name.txt" 2>/dev/null | sed 's/,fd=[0-9]*//; s/users:((//; s/))//; s/\[::ffff:\([0-9.]*\)\]/\1/' | sort -u)
  if [ -z "$listening" ]; then
    echo "  $name: none"
  else
    echo "$listening" | sed "s/^/  $name: /"
  fi
done
echo "fleet: results in $work/results-*; logs in $work"
exit "$status"
