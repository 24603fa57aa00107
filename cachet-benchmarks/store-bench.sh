#!/usr/bin/env bash
# Store benchmarks (docs/benchmarks.md, "Stores"): starts a real redis-server and memcached on
# free loopback ports, then
#  1. starts the benchmark application once per store configuration, all at the same time:
#     cachet.store=memory, redis (near cache, the default), redis with
#     cachet.redis.near-cache=false, and memcached; runs http-bench.sh's wrk rounds over all of
#     them in one rotation (side by side); prints the hit requests/s and CPU per request per
#     configuration and the ratios to memory;
#  2. runs dev.cachet.benchmarks.redis.TagInvalidationVsClear against the same (flushed) Redis:
#     Cachet tag invalidation over 10 vs 100,000 tagged entries, and Spring Data Redis's
#     RedisCache.clear() over 100,000 keys (KEYS, and SCAN count 1000);
# and stops both servers. Needs redis-server, memcached, wrk and curl. About 6 minutes.
#
# Usage, from anywhere:  bash cachet-benchmarks/store-bench.sh [--no-build]
# Settings (environment): ROUNDS=2 DURATION=10 WARMUP=5 THREADS=2 CONNECTIONS=32
#   ENDPOINTS="cachet-small cachet" STORES="memory redis redis-nonear memcached" PARTS="http tags"
#   ENTRIES=100000 INVALIDATIONS=2000 CLEARS=5
#   PIN=1: the applications, redis-server and memcached on CPU 0, wrk on CPU 1 (see http-bench.sh)
# Raw output goes to cachet-benchmarks/target/store-results/.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

export ROUNDS=${ROUNDS:-2} DURATION=${DURATION:-10} WARMUP=${WARMUP:-5} THREADS=${THREADS:-2}
export CONNECTIONS=${CONNECTIONS:-32} ENDPOINTS=${ENDPOINTS:-cachet-small cachet}
STORES=${STORES:-memory redis redis-nonear memcached}
PARTS=${PARTS:-http tags}
ENTRIES=${ENTRIES:-100000}
INVALIDATIONS=${INVALIDATIONS:-2000}
CLEARS=${CLEARS:-5}
if [[ "${PIN:-0}" == 1 ]]; then export APP_CPUS=${APP_CPUS:-0} WRK_CPUS=${WRK_CPUS:-1}; fi
on_app_cpus=()
[[ -n "${APP_CPUS:-}" ]] && on_app_cpus=(taskset -c "$APP_CPUS")
out=cachet-benchmarks/target/store-results
for tool in redis-server redis-cli memcached wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing" >&2; exit 1; }
done

if [[ "${1:-}" != "--no-build" ]]; then
  mvn -B -ntp -q -pl cachet-benchmarks -am package -Dmaven.test.skip=true
fi
jar=$(ls cachet-benchmarks/target/cachet-benchmarks-*-http.jar)
rm -rf "$out"
mkdir -p "$out"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
redis_port=$(free_port)
memcached_port=$(free_port)
"${on_app_cpus[@]}" redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no >"$out/redis.log" 2>&1 &
redis=$!
"${on_app_cpus[@]}" memcached -u nobody -p "$memcached_port" -l 127.0.0.1 >"$out/memcached.log" 2>&1 &
memcached=$!
stop() {
  kill "$redis" "$memcached" 2>/dev/null || true
  wait "$redis" "$memcached" 2>/dev/null || true
}
trap stop EXIT
for _ in $(seq 50); do
  redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG && break
  sleep 0.2
done
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$memcached_port") 2>/dev/null && break
  sleep 0.2
done

{
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "nproc: $(nproc)"
  java -version 2>&1 | tail -1
  redis-server --version
  memcached -V
  echo "redis port $redis_port, memcached port $memcached_port"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

declare -A med cmed
if [[ " $PARTS " == *" http "* ]]; then
  # Every store's application runs at once and the wrk runs rotate over all of them, round by
  # round: load from other jobs falls on every store alike, so the ratios are side by side.
  apps=()
  for store in $STORES; do
    case $store in
      memory) args="--cachet.store=memory" ;;
      redis) args="--cachet.store=redis --cachet.redis.url=redis://127.0.0.1:$redis_port" ;;
      redis-nonear) args="--cachet.store=redis --cachet.redis.url=redis://127.0.0.1:$redis_port --cachet.redis.near-cache=false" ;;
      memcached) args="--cachet.store=memcached --cachet.memcached.servers=127.0.0.1:$memcached_port" ;;
      *) echo "unknown store $store" >&2; exit 1 ;;
    esac
    apps+=("$store=$args")
  done
  echo "== stores: ${apps[*]}"
  APPS=$(IFS=';'; echo "${apps[*]}") bash cachet-benchmarks/http-bench.sh --no-build >"$out/http.log" 2>&1 \
    || { cat "$out/http.log" >&2; exit 1; }
  cp -r cachet-benchmarks/target/http-results "$out/http"
  grep '^round' "$out/http/rounds.txt"
  # The median columns of the requests/s and the CPU tables, rows "store/endpoint".
  while read -r t row m; do
    if [[ $t == rps ]]; then med[$row]=$m; else cmed[$row]=$m; fi
  done < <(awk -F'|' '/^\| requests\/s/ { t = "rps"; next } /^\| server CPU/ { t = "cpu"; next } /^$/ { t = "" }
      t && $2 !~ /---/ { gsub(/[ *]/, "", $2); gsub(/[ *]/, "", $(NF - 1)); print t, $2, $(NF - 1) }' \
    "$out/http/tables.md")
  {
    echo
    printf '| store |'; for ep in $ENDPOINTS; do printf ' %s req/s | x memory | CPU µs/req | x memory by CPU |' "$ep"; done; echo
    printf '| --- |'; for ep in $ENDPOINTS; do printf ' ---: | ---: | ---: | ---: |'; done; echo
    for store in $STORES; do
      printf '| %s |' "$store"
      for ep in $ENDPOINTS; do
        awk -v v="${med[$store/$ep]:-0}" -v m="${med[memory/$ep]:-0}" -v c="${cmed[$store/$ep]:-0}" -v cm="${cmed[memory/$ep]:-0}" \
          'BEGIN { printf " %.0f | %s | %.0f | %s |", v, (m > 0 ? sprintf("%.2f", v / m) : "-"), c, (c > 0 ? sprintf("%.2f", cm / c) : "-") }'
      done
      echo
    done
  } | tee "$out/http-table.md"
  # Each store against memory within each round (runs a round apart share the machine's load of
  # the moment), and the median of those round ratios.
  awk '$1 == "round" { split($3, a, "/"); v[$2, a[1], a[2]] = $4; r[$2] = 1; s[a[1]] = 1; e[a[2]] = 1 }
    END {
      for (st in s) if (st != "memory") for (ep in e) {
        n = 0; line = ""
        for (i = 1; i in r; i++) if (v[i, "memory", ep] > 0) { x[++n] = v[i, st, ep] / v[i, "memory", ep]; line = line sprintf(" %.2f", x[n]) }
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] < x[i]) { t = x[i]; x[i] = x[j]; x[j] = t }
        m = n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
        printf "%s/%s x memory by round:%s; median of rounds %.2f\n", st, ep, line, m
      }
    }' "$out/http/rounds.txt" | sort | tee -a "$out/http-table.md"
fi

if [[ " $PARTS " == *" tags "* ]]; then
  redis-cli -p "$redis_port" flushall >/dev/null
  echo "== tag invalidation vs Spring Data Redis clear(), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xms1g -Xmx1g -cp "$jar" -Dloader.main=dev.cachet.benchmarks.redis.TagInvalidationVsClear \
    org.springframework.boot.loader.launch.PropertiesLauncher "$redis_port" "$ENTRIES" "$INVALIDATIONS" "$CLEARS" \
    2>&1 | grep -v -E 'DEBUG|^\s*$' | tee "$out/tags.txt"
  {
    echo
    echo '| operation | samples | median ms | p99 ms | max ms |'
    echo '| --- | ---: | ---: | ---: | ---: |'
    sed -n 's/^RESULT //p' "$out/tags.txt"
  } | tee "$out/tags-table.md"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"
