#!/usr/bin/env bash
# Profiles endpoints of one benchmark application side by side (docs/benchmarks.md, "Session 4
# results" and "Session 5 results"): alternating wrk warm-up, then 20 s of each endpoint under
# async-profiler (CPU, 1 ms), written as collapsed stacks with each run's request count, so that
# they can be compared per request. Endpoints ending in -miss get a fresh query per request, as
# in http-bench.sh ("plain-miss" is /plain, "cachet-miss" is /cachet-miss).
#
# Usage, from anywhere:  PROFILER=/path/to/libasyncProfiler.so bash cachet-benchmarks/profile.sh
#   (async-profiler 4.1: the linux-x64 library inside the tools.profiler:async-profiler jar on
#   Maven Central, or a release archive). WARM=30 (s per endpoint and warm-up round, 4 rounds),
#   ENDPOINTS="plain-miss cachet-miss" (hits, for example: "raw-small cachet-small"),
#   APP_ARGS="--cachet.store=redis --cachet.redis.url=redis://127.0.0.1:6379" (extra arguments).
# Needs the built jar (mvn -B -ntp -pl cachet-benchmarks -am package -DskipTests), wrk and jcmd.
# Output: cachet-benchmarks/target/profile/<endpoint>.collapsed and wrk-<endpoint>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PROFILER:?set PROFILER to the path of libasyncProfiler.so}"
WARM=${WARM:-30}
ENDPOINTS=${ENDPOINTS:-plain-miss cachet-miss}
APP_ARGS=${APP_ARGS:-}
jar=$(ls cachet-benchmarks/target/cachet-benchmarks-*-http.jar)
out=cachet-benchmarks/target/profile
rm -rf "$out" && mkdir -p "$out"
# shellcheck disable=SC2086 # APP_ARGS is a list
java -Xms1g -Xmx1g -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -jar "$jar" \
  --server.address=127.0.0.1 --server.port=0 $APP_ARGS >"$out/app.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
port=
for _ in $(seq 180); do
  port=$(grep -oE 'Tomcat started on port [0-9]+' "$out/app.log" | grep -oE '[0-9]+$' || true)
  [[ -n "$port" ]] && break
  sleep 0.5
done
[[ -n "$port" ]] || { cat "$out/app.log" >&2; exit 1; }
lua=cachet-benchmarks/wrk/random-query.lua
base=http://127.0.0.1:$port
load() { # endpoint seconds label
  local path=/${1%-miss} args=()
  [[ "$1" == *-miss ]] && args=(-s "$lua")
  [[ "$1" == cachet-miss ]] && path=/cachet-miss
  wrk -t2 -c32 "-d${2}s" "${args[@]}" "$base$path" -- "$3"
}
for round in 1 2 3 4; do
  for ep in $ENDPOINTS; do load "$ep" "$WARM" "w$round" >/dev/null; done
done
for ep in $ENDPOINTS; do
  jcmd "$pid" JVMTI.agent_load "$PROFILER" '"start,event=cpu,interval=1ms"' >/dev/null
  load "$ep" 20 profiled >"$out/wrk-$ep.txt"
  jcmd "$pid" JVMTI.agent_load "$PROFILER" "\"stop,collapsed,file=$PWD/$out/$ep.collapsed\"" >/dev/null
  echo "$ep: $(grep -E 'requests in' "$out/wrk-$ep.txt")"
done
