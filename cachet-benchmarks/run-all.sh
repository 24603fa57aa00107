#!/usr/bin/env bash
# Runs every Cachet benchmark with the short settings docs/benchmarks.md reports (about 9 minutes
# on 2 cores) and keeps the raw output in cachet-benchmarks/target/results/.
# Usage, from the repository root:  bash cachet-benchmarks/run-all.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" != "--no-build" ]]; then
  mvn -B -ntp -q -pl cachet-benchmarks -am package -DskipTests
fi

jar=cachet-benchmarks/target/benchmarks.jar
out=cachet-benchmarks/target/results
mkdir -p "$out"
short=(-f 1 -wi 3 -w 1s -i 5 -r 1s)

# Share of the CPUs busy over 3 s: the machine is shared, so each result notes how quiet it was.
busy() {
  local a b
  read -r -a a < /proc/stat; sleep 3; read -r -a b < /proc/stat
  local total=0 idle=$(( b[4] - a[4] ))
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo "$(( 100 * (total - idle) / total ))% busy before the run"
}

{
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc: $(nproc)"
  java -version 2>&1
} > "$out/machine.txt"

for bench in HitBenchmark HitBreakdownBenchmark PutBenchmark TagInvalidationBenchmark HttpHitBenchmark HttpMissBenchmark; do
  busy | tee "$out/$bench.txt"
  java -jar "$jar" "$bench" "${short[@]}" -prof gc -rf json -rff "$out/$bench.json" \
    | tee -a "$out/$bench.txt" | grep -E '^[A-Za-z]+Benchmark\.' | grep -E ':p0.50|alloc.rate.norm' || true
done

busy | tee "$out/HeapOverhead.txt"
java -Djdk.attach.allowAttachSelf=true -cp "$jar" dev.cachet.benchmarks.HeapOverhead 100000 100 \
  | tee -a "$out/HeapOverhead.txt" | grep '^tags='
