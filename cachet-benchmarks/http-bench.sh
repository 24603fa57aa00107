#!/usr/bin/env bash
# HTTP load benchmark of the Spring MVC response cache (docs/benchmarks.md, "HTTP"): starts the
# benchmark application (dev.cachet.benchmarks.http) on a free loopback port, warms every
# endpoint up, runs ROUNDS rounds of wrk against each endpoint in one JVM (rotating the order
# each round), prints requests/s per round, the medians and the target ratios, and stops the
# application. Needs wrk (apt-get install -y wrk) and curl. About 5 minutes with the defaults.
#
# Usage, from anywhere:  bash cachet-benchmarks/http-bench.sh [--no-build]
# Settings (environment): ROUNDS=3 DURATION=10 (s per run) WARMUP=5 (s per endpoint)
#   THREADS=2 CONNECTIONS=32 ENDPOINTS="raw cachet ..." JAVA_OPTS="-Xms1g -Xmx1g"
#   APP_ARGS="--cachet.http.enabled=false" (extra application arguments)
#   HEADERS="Accept-Encoding: gzip" (request headers of every wrk run, ';'-separated; the bytes
#     each endpoint then answers are printed before the runs)
#   APPS="memory=--cachet.store=memory;redis=--cachet.store=redis ..." starts one application per
#     entry (name=arguments, ';'-separated, each also given APP_ARGS) and runs every endpoint
#     against each of them, all in one rotation: rows read app/endpoint, measured side by side.
#     An entry's arguments may start with jar:PATH to run another build (an older commit's
#     -http.jar from a git worktree), so that two versions are compared in one run.
#     Its -D... and -XX:... arguments go to that application's JVM (before -jar).
#   SETTLE=1 (default) loads each application after the warm-up until its JIT has settled (see
#     below); SETTLE_MAX=25 compilations per 10 s slice, SETTLE_ROUNDS=12 slices at most.
#   PIN=1 runs the applications on CPU 0 and wrk on CPU 1 (taskset), so that the load generator
#     does not take CPU time from the server it measures; APP_CPUS / WRK_CPUS choose other sets.
# Beside requests/s, each run reports the server's CPU time per request (from /proc), which
# other load on the machine disturbs far less than throughput.
# Raw output goes to cachet-benchmarks/target/http-results/.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
ENDPOINTS=${ENDPOINTS:-raw cachet spring plain raw-small cachet-small cachet-miss plain-miss}
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx1g}
APP_ARGS=${APP_ARGS:-}
header_args=()
if [[ -n "${HEADERS:-}" ]]; then
  IFS=';' read -r -a header_lines <<<"$HEADERS"
  for h in "${header_lines[@]}"; do header_args+=(-H "$h"); done
fi
if [[ "${PIN:-0}" == 1 ]]; then APP_CPUS=${APP_CPUS:-0} WRK_CPUS=${WRK_CPUS:-1}; fi
APP_CPUS=${APP_CPUS:-} WRK_CPUS=${WRK_CPUS:-}
on_app_cpus=() on_wrk_cpus=()
[[ -n "$APP_CPUS" ]] && on_app_cpus=(taskset -c "$APP_CPUS")
[[ -n "$WRK_CPUS" ]] && on_wrk_cpus=(taskset -c "$WRK_CPUS")
lua=cachet-benchmarks/wrk/random-query.lua
out=cachet-benchmarks/target/http-results
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [[ -n "$APP_CPUS$WRK_CPUS" ]]; then
  command -v taskset >/dev/null || { echo "taskset is missing: apt-get install -y util-linux" >&2; exit 1; }
fi

if [[ "${1:-}" != "--no-build" ]]; then
  mvn -B -ntp -q -pl cachet-benchmarks -am package -Dmaven.test.skip=true
fi
jar=$(ls cachet-benchmarks/target/cachet-benchmarks-*-http.jar)
rm -rf "$out"
mkdir -p "$out"
log="$out/app.log"

declare -A pid base
names=()
if [[ -z "${APPS:-}" ]]; then APPS="_="; fi # one application, "_": rows without a prefix
IFS=';' read -r -a app_specs <<<"$APPS"
stop_apps() { for n in "${names[@]}"; do kill "${pid[$n]}" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop_apps EXIT
for spec in "${app_specs[@]}"; do
  name=${spec%%=*}
  names+=("$name")
  log="$out/app-$name.log"
  args=${spec#*=}
  app_jar=$jar
  if [[ "$args" == jar:* ]]; then # "name=jar:PATH args": another build, e.g. an older commit's
    app_jar=${args#jar:}; app_jar=${app_jar%% *}
    args=${args#jar:"$app_jar"}
  fi
  jvm_args=() app_args=() # an application's -D and -XX arguments are the JVM's, the rest its own
  for a in $args; do
    if [[ "$a" == -D* || "$a" == -XX:* ]]; then jvm_args+=("$a"); else app_args+=("$a"); fi
  done
  # shellcheck disable=SC2086 # JAVA_OPTS and APP_ARGS are lists
  "${on_app_cpus[@]}" java $JAVA_OPTS "${jvm_args[@]}" -jar "$app_jar" --server.address=127.0.0.1 --server.port=0 "${app_args[@]}" $APP_ARGS >"$log" 2>&1 &
  pid[$name]=$!
  port=
  for _ in $(seq 180); do # up to 90 s
    port=$(grep -oE 'Tomcat started on port [0-9]+' "$log" | grep -oE '[0-9]+$' || true)
    [[ -n "$port" ]] && break
    kill -0 "${pid[$name]}" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.5
  done
  [[ -n "$port" ]] || { echo "the application ${name} did not start in 90 s" >&2; exit 1; }
  base[$name]="http://127.0.0.1:$port"
done

{
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "nproc: $(nproc)"
  java -version 2>&1
  wrk --version 2>&1 | head -1 || true
  echo "java options: $JAVA_OPTS; applications: ${APPS}; extra arguments: ${APP_ARGS:-none}; headers: ${HEADERS:-none}; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, ${WARMUP}s warm-up"
  echo "CPUs: applications ${APP_CPUS:-any}, wrk ${WRK_CPUS:-any}"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

# The same document from every endpoint, and the cache outcomes the runs rely on.
read -r -a endpoints <<<"$ENDPOINTS"
eps=()
for n in "${names[@]}"; do
  b=${base[$n]}
  sum() { curl -sf "$b$1" | md5sum | cut -d' ' -f1; }
  [[ $(sum /raw) == $(sum /plain) && $(sum /raw) == $(sum /cachet) && $(sum /raw) == $(sum /spring) ]] \
    || { echo "the endpoints do not serve the same document" >&2; exit 1; }
  [[ $(sum /raw-small) == $(sum /cachet-small) ]] || { echo "the small documents differ" >&2; exit 1; }
  xcache() { curl -sf -o /dev/null -D - "$b$1" | tr -d '\r' | sed -n 's/^X-Cache: //p'; }
  for ep in "${endpoints[@]}"; do
    if [[ $n == _ ]]; then eps+=("$ep"); else eps+=("$n/$ep"); fi
    case $ep in
      cachet | cachet-small) want=HIT path=/$ep ;;
      cachet-miss) want=MISS path="/cachet-miss?r=check-$(date +%s%N)" ;;
      *) continue ;;
    esac
    [[ $want == HIT ]] && xcache "$path" >/dev/null # the first request may store the entry
    [[ $(xcache "$path") == "$want" ]] || { echo "$n: $path did not answer X-Cache: $want" >&2; exit 1; }
  done
done
echo "document: $(curl -sf "${base[${names[0]}]}/raw" | wc -c) bytes (small: $(curl -sf "${base[${names[0]}]}/raw-small" | wc -c) bytes)" \
  | tee -a "$out/machine.txt"
if [[ ${#header_args[@]} -gt 0 ]]; then
  for ep in "${eps[@]}"; do # what each endpoint sends with the runs' headers (after its entry is stored)
    n=_ e=$ep; [[ "$ep" == */* ]] && { n=${ep%%/*}; e=${ep#*/}; }
    [[ "$e" == *-miss ]] && continue
    curl -sf -o /dev/null "${header_args[@]}" "${base[$n]}/$e"
    echo "$ep with ${HEADERS}: $(curl -sf -o /dev/null -w '%{size_download} bytes, Content-Encoding: %header{content-encoding}' "${header_args[@]}" "${base[$n]}/$e")"
  done | tee -a "$out/machine.txt"
fi

# The application's CPU time so far, in clock ticks (user + system).
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/${pid[$1]}/stat"; }
hz=$(getconf CLK_TCK)
# One wrk run; prints requests/s and the server's CPU microseconds per request. Miss runs
# (*-miss) send a distinct ?r= with every request.
run() { # [app/]endpoint seconds tag
  local n=_ ep=$1 args=() t0 t1
  [[ "$1" == */* ]] && { n=${1%%/*}; ep=${1#*/}; }
  local path="/${ep%-miss}"
  [[ "$ep" == *-miss ]] && args=(-s "$lua")
  [[ "$ep" == cachet-miss ]] && path=/cachet-miss
  t0=$(ticks "$n")
  timeout $(($2 + 30)) "${on_wrk_cpus[@]}" wrk "-t$THREADS" "-c$CONNECTIONS" "-d${2}s" "${args[@]}" "${header_args[@]}" "${base[$n]}$path" -- "$3" \
    > "$out/wrk-${3//\//-}.txt"
  # Socket timeouts while warming up (a busy machine, code not compiled yet) are not measured.
  local errors='Non-2xx|Socket errors'
  [[ "$3" == warmup-* || "$3" == settle-* ]] && errors='Non-2xx'
  grep -q -E "$errors" "$out/wrk-${3//\//-}.txt" && { echo "errors in $out/wrk-${3//\//-}.txt" >&2; exit 1; }
  t1=$(ticks "$n")
  awk -v t=$((t1 - t0)) -v hz="$hz" '/ requests in / { n = $1 } /^Requests\/sec:/ { r = $2 }
    END { printf "%s %.1f\n", r, t / hz * 1e6 / n }' "$out/wrk-${3//\//-}.txt"
}
# Outcome counts of the cached routes (route result count), from the application's timers.
stats() { curl -sf "${base[$1]}/bench/stats"; }
outcomes() { # before after: the outcomes that changed, e.g. "GET /cachet hit=29501"
  join -a2 -e0 -o 0,1.2,2.2 <(awk '{c=$NF; $NF=""; gsub(/ /,"_"); print $0, c}' <<<"$1" | sort) \
    <(awk '{c=$NF; $NF=""; gsub(/ /,"_"); print $0, c}' <<<"$2" | sort) \
    | awk '$3 != $2 { k=$1; sub(/_$/,"",k); gsub(/_/," ",k); printf "%s%s=%d", (n++ ? ", " : ""), k, $3 - $2 }'
}

echo "warm-up: ${WARMUP}s per endpoint"
for ep in "${eps[@]}"; do run "$ep" "$WARMUP" "warmup-$ep-$(date +%s%N)" >/dev/null; done

# Then each application is loaded further until its JIT compiler has settled: on these 2 shared
# CPUs C2 keeps compiling, and recompiling what it deoptimized, for a minute or more after the
# start of load, longer in an application with more code on its hot path (Lettuce and Netty in
# the Redis ones). Rounds taken before that compare one application's finished code with
# another's unfinished code. SETTLE=0 skips this; SETTLE_MAX is the most compilations a 10 s slice
# of an application's endpoints may cause for it to count as settled, SETTLE_ROUNDS the most slices.
compilations() { jstat -compiler "${pid[$1]}" | awk 'NR == 2 { print $1 }'; }
if [[ "${SETTLE:-1}" == 1 ]]; then
  for n in "${names[@]}"; do
    for ((s = 1; s <= ${SETTLE_ROUNDS:-12}; s++)); do
      c0=$(compilations "$n")
      for ep in "${eps[@]}"; do
        if [[ $n == _ || "$ep" == "$n"/* ]]; then run "$ep" 10 "settle-${ep//\//-}-$s" >/dev/null; fi
      done
      c1=$(compilations "$n")
      echo "JIT settling: $n, slice $s: $((c1 - c0)) compilations" | tee -a "$out/machine.txt"
      ((c1 - c0 <= ${SETTLE_MAX:-25})) && break
    done
  done
fi

declare -A rps cpu
for ((r = 1; r <= ROUNDS; r++)); do
  n=${#eps[@]}
  for ((i = 0; i < n; i++)); do
    ep=${eps[$(((i + r - 1) % n))]}
    app_of=_; [[ "$ep" == */* ]] && app_of=${ep%%/*}
    before=$(stats "$app_of")
    line=$(run "$ep" "$DURATION" "r$r-$ep-$(date +%s%N)")
    read -r v c <<<"$line"
    rps[$ep,$r]=$v
    cpu[$ep,$r]=$c
    printf 'round %d  %-24s %10s req/s %8s µs CPU/req   %s\n' "$r" "$ep" "$v" "$c" "$(outcomes "$before" "$(stats "$app_of")")" \
      | tee -a "$out/rounds.txt"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/machine.txt"

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
declare -A med cmed
table() { # title array-name median-array-name
  local -n values=$2 medians=$3
  echo
  printf '| %s |' "$1"; for ((r = 1; r <= ROUNDS; r++)); do printf ' round %d |' "$r"; done; echo ' median |'
  printf '| --- |'; for ((r = 1; r <= ROUNDS; r++)); do printf ' ---: |'; done; echo ' ---: |'
  for ep in "${eps[@]}"; do
    local vals=()
    for ((r = 1; r <= ROUNDS; r++)); do vals+=("${values[$ep,$r]}"); done
    medians[$ep]=$(median "${vals[@]}")
    printf '| %s |' "$ep"; printf ' %.0f |' "${vals[@]}"; printf ' **%.0f** |\n' "${medians[$ep]}"
  done
}
table "requests/s" rps med >"$out/tables.md"
table "server CPU µs/request" cpu cmed >>"$out/tables.md"
cat "$out/tables.md"
echo

# a/b of the median requests/s, the same ratio within each round and its median (adjacent runs
# share the machine's load of the moment, so with many short rounds this median is the steadier
# figure on a busy machine), and (b's CPU per request) / (a's): the throughput ratio the CPU
# cost alone predicts.
ratio() { # label a b target-text
  [[ -n "${med[$2]:-}" && -n "${med[$3]:-}" ]] || return 0
  local per=()
  for ((r = 1; r <= ROUNDS; r++)); do per+=("$(awk -v a="${rps[$2,$r]}" -v b="${rps[$3,$r]}" 'BEGIN { printf "%.2f", a / b }')"); done
  awk -v l="$1" -v a="${med[$2]}" -v b="${med[$3]}" -v ca="${cmed[$2]}" -v cb="${cmed[$3]}" -v t="$4" -v p="${per[*]}" \
    -v pm="$(median "${per[@]}")" \
    'BEGIN { printf "%-44s %.3f  (rounds: %s; median of rounds: %.2f; by CPU/request: %.3f)  %s\n", l, a / b, p, pm, cb / ca, t }'
}
{
  ratio "hit / floor (cachet / raw)" cachet raw "target >= 0.95"
  ratio "hit / floor, 1 KB (cachet-small / raw-small)" cachet-small raw-small "target >= 0.95"
  ratio "hit / @Cacheable (cachet / spring)" cachet spring "target >= 3"
  ratio "hit / uncached (cachet / plain)" cachet plain ""
  ratio "uncached / miss (plain-miss / cachet-miss)" plain-miss cachet-miss "miss overhead = this - 1; target < 0.05"
} | tee "$out/ratios.txt"
