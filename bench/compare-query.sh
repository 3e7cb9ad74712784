#!/usr/bin/env bash
# End-to-end PromQL comparison: Strata vs the real Prometheus (Debian 2.42) holding the same data.
# One bench/Load run is fanned out to both servers by QueryCompare's remote-write tee (two Load
# runs would stamp samples from two different clocks), then bench/queries/dashboard.txt is timed
# and the answers compared series by series. Usage:
#   bench/compare-query.sh [--series 20000 --points 480] [QueryCompare options: --runs 15 --range 1h --step 15s --markdown FILE ...]
# Load options (--series, --points, --batch, --concurrency, --seed) go to bench/Load, the rest to
# bench/QueryCompare (which has the final say, so e.g. --end or --queries may be overridden).
# ARTIFACTS=/some/dir builds with --artifacts-path there instead of the projects' bin/ folders.
# KEEP=1 leaves both servers running after the comparison (until Ctrl-C) to investigate differences.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "compare-query: $*" >&2; exit 1; }

series=20000; points=480
load_args=()
qc_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --series) [ $# -ge 2 ] || fail "$1 needs a value"; series=$2; shift 2;;
    --points) [ $# -ge 2 ] || fail "$1 needs a value"; points=$2; shift 2;;
    --batch|--concurrency|--seed) [ $# -ge 2 ] || fail "$1 needs a value"; load_args+=("$1" "$2"); shift 2;;
    *) qc_args+=("$1"); shift;;
  esac
done
load_args=(--series "$series" --points "$points" "${load_args[@]}")

strata_port=19090; prom_port=19091; tee_port=19092
for port in $strata_port $prom_port $tee_port; do
  if ss -ltn "sport = :$port" | grep -q LISTEN; then fail "port $port is already in use"; fi
done
command -v prometheus >/dev/null || fail "prometheus is not on PATH"

build() {
  local out
  if [ -n "${ARTIFACTS:-}" ]; then
    out=$(dotnet build -c Release "$1" --artifacts-path "$ARTIFACTS" -v q -nologo 2>&1) || { echo "$out" >&2; fail "build of $1 failed"; }
  else
    out=$(dotnet build -c Release "$1" -v q -nologo 2>&1) || { echo "$out" >&2; fail "build of $1 failed"; }
  fi
}
build src/Api; build bench/Load; build bench/QueryCompare
if [ -n "${ARTIFACTS:-}" ]; then
  strata=$ARTIFACTS/bin/Api/release/Strata
  load=$ARTIFACTS/bin/Load/release/Strata.Load
  qc=$ARTIFACTS/bin/QueryCompare/release/Strata.QueryCompare
else
  strata=src/Api/bin/Release/net10.0/Strata
  load=bench/Load/bin/Release/net10.0/Strata.Load
  qc=bench/QueryCompare/bin/Release/net10.0/Strata.QueryCompare
fi
for f in "$strata" "$load" "$qc"; do [ -x "$f" ] || fail "missing build output $f"; done

"$strata" --web.listen-address=127.0.0.1:$strata_port --storage.tsdb.path="$work/strata" --log.level=warn &
pids+=($!)
prometheus --web.listen-address=127.0.0.1:$prom_port --storage.tsdb.path="$work/prom" --web.enable-remote-write-receiver \
  --config.file=/dev/null --log.level=warn 2>"$work/prom.log" &
pids+=($!)
wait_ready() {  # url, name, pid, expected HTTP status (servers answer 503 on -/ready while starting)
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = "$4" ] && return 0
    kill -0 "$3" 2>/dev/null || { tail -5 "$work/prom.log" "$work/tee.log" 2>/dev/null >&2; fail "$2 exited during startup"; }
    sleep 0.2
  done
  fail "$2 not ready after 60 s"
}
wait_ready "http://127.0.0.1:$strata_port/-/ready" Strata "${pids[0]}" 200
wait_ready "http://127.0.0.1:$prom_port/-/ready" Prometheus "${pids[1]}" 200

"$qc" tee --listen 127.0.0.1:$tee_port --to "http://127.0.0.1:$strata_port/api/v1/write" \
  --to "http://127.0.0.1:$prom_port/api/v1/write" >"$work/tee.log" 2>&1 &
tee_pid=$!; pids+=($tee_pid)
wait_ready "http://127.0.0.1:$tee_port/" tee "$tee_pid" 405

echo "== loading the same data into both (${load_args[*]})"
load_start=$(date +%s)
"$load" --target "http://127.0.0.1:$tee_port/api/v1/write" "${load_args[@]}" || { cat "$work/tee.log" >&2; fail "load failed"; }
kill "$tee_pid" 2>/dev/null || true
sleep 5

series_count() {
  curl -s "http://127.0.0.1:$1/api/v1/query" --data-urlencode 'query=count({job="kubernetes-pods"})' \
    | grep -o '"value":\[[^]]*\]' | grep -o '"[0-9]*"]' | tr -d '"]' || true
}
echo "series loaded: Strata $(series_count $strata_port), Prometheus $(series_count $prom_port)"

# The data ends at Load's clock when it started generating (about load_start; last sample 15 s
# before). A minute back keeps instant queries on complete data; +0.337 s keeps evaluation times
# off the second grid. After a quick load (small --series) that would put the deepest lookback of
# the default 1 h range ([1h] windows at its start) before the first sample, where Prometheus
# 2.42's rate() extrapolation differs from 2.51+ (see bench/queries/dashboard.txt), so never
# go earlier than 20 s past the load's start; lookback still finds the last samples from there.
end_s=$(( $(date +%s) - 60 ))
[ "$end_s" -ge $(( load_start + 20 )) ] || end_s=$(( load_start + 20 ))
end="$end_s.337"
echo "== Strata vs Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}'), end=$end"
"$qc" --strata "http://127.0.0.1:$strata_port" --prometheus "http://127.0.0.1:$prom_port" \
  --queries bench/queries/dashboard.txt --runs 15 --end "$end" --range 1h --step 15s "${qc_args[@]}"
if [ -n "${KEEP:-}" ]; then
  echo "KEEP: Strata on :$strata_port, Prometheus on :$prom_port, data in $work; Ctrl-C to stop and clean up"
  wait "${pids[0]}" "${pids[1]}" || true
fi
