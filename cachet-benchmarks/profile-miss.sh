#!/usr/bin/env bash
# Profiles the uncached handler (/plain) and the all-miss endpoint (/cachet-miss) in one benchmark
# application (docs/benchmarks.md, "Session 4 results"): alternating wrk warm-up, then 20 s of
# each endpoint under async-profiler (CPU, 1 ms), written as collapsed stacks with each run's
# request count, so that the two can be compared per request.
#
# Usage, from anywhere:  PROFILER=/path/to/libasyncProfiler.so bash cachet-benchmarks/profile-miss.sh
#   (async-profiler 4.1: the linux-x64 library inside the tools.profiler:async-profiler jar on
#   Maven Central, or a release archive). WARM=30 (s per endpoint and warm-up round, 4 rounds).
# Needs the built jar (mvn -B -ntp -pl cachet-benchmarks -am package -DskipTests), wrk and jcmd.
# Output: cachet-benchmarks/target/miss-profile/{plain,cachet-miss}.collapsed and wrk-*.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PROFILER:?set PROFILER to the path of libasyncProfiler.so}"
WARM=${WARM:-30}
jar=$(ls cachet-benchmarks/target/cachet-benchmarks-*-http.jar)
out=cachet-benchmarks/target/miss-profile
rm -rf "$out" && mkdir -p "$out"
java -Xms1g -Xmx1g -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -jar "$jar" \
  --server.address=127.0.0.1 --server.port=0 >"$out/app.log" 2>&1 &
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
for round in 1 2 3 4; do
  wrk -t2 -c32 "-d${WARM}s" -s "$lua" "$base/plain" -- "w$round" >/dev/null
  wrk -t2 -c32 "-d${WARM}s" -s "$lua" "$base/cachet-miss" -- "w$round" >/dev/null
done
for ep in plain cachet-miss; do
  jcmd "$pid" JVMTI.agent_load "$PROFILER" '"start,event=cpu,interval=1ms"' >/dev/null
  wrk -t2 -c32 -d20s -s "$lua" "$base/$ep" -- profiled >"$out/wrk-$ep.txt"
  jcmd "$pid" JVMTI.agent_load "$PROFILER" "\"stop,collapsed,file=$PWD/$out/$ep.collapsed\"" >/dev/null
  echo "$ep: $(grep -E 'requests in' "$out/wrk-$ep.txt")"
done
