#!/usr/bin/env bash
# Restart-to-ready and WAL replay speed of Strata with many active series. Loads --series series ×
# --points samples, then (1) stops cleanly (SIGTERM → checkpoint) and times the restart until
# /-/ready, (2) loads more, kills with SIGKILL and times the restart, reporting the WAL replay rate
# from the service's log. Usage: bench/restart.sh [--series 1000000 --points 3]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
# Servers start in a subshell ($(start)), so they are not jobs of this shell: track their pids.
trap 'for p in $(cat "$work/pids" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
series=1000000; points=3
while [ $# -gt 0 ]; do case "$1" in --series) series=$2; shift 2;; --points) points=$2; shift 2;; *) shift;; esac; done
dotnet build -c Release src/Api -v q -nologo >/dev/null
dotnet build -c Release bench/Load -v q -nologo >/dev/null
strata=src/Api/bin/Release/net10.0/Strata
load=bench/Load/bin/Release/net10.0/Strata.Load
start() { "$strata" --web.listen-address=127.0.0.1:19092 --storage.tsdb.path="$work/data" --log.level=info >>"$work/log" 2>&1 & echo $! >>"$work/pids"; echo $!; }
ready() { local t0; t0=$(date +%s.%N); for _ in $(seq 1 6000); do curl -sf http://127.0.0.1:19092/-/ready >/dev/null && break; sleep 0.05; done; awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}'; }
rss() { awk '/VmRSS/{print int($2/1024)}' "/proc/$1/status"; }
gone() { while kill -0 "$1" 2>/dev/null; do sleep 0.05; done; }

pid=$(start); ready >/dev/null
"$load" --target http://127.0.0.1:19092/api/v1/write --series "$series" --points "$points" --concurrency 4 | tail -1
echo "RSS with $series active series: $(rss "$pid") MiB ($(( $(awk '/VmRSS/{print $2}' /proc/$pid/status) * 1024 / series )) B/series)"
t0=$(date +%s.%N); kill -TERM "$pid"; gone "$pid"
echo "clean shutdown (checkpoint) took $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.2f", b-a}') s"
pid=$(start); echo "restart to ready after clean shutdown: $(ready) s"
grep -h "Replayed checkpoint" "$work/log" | tail -1

"$load" --target http://127.0.0.1:19092/api/v1/write --series "$series" --points "$points" --seed 2 --prefix again_ | tail -1
kill -KILL "$pid"; gone "$pid"
pid=$(start); echo "restart to ready after kill -9: $(ready) s"
grep -h "Replayed WAL" "$work/log" | tail -1 | sed -E 's/.*: ([0-9]+) entries, ([0-9]+) samples in ([0-9]+) ms/replayed \2 samples in \3 ms/' | awk '{print; if ($5 > 0) printf "WAL replay: %.1f M samples/s\n", $2 / $5 / 1000}'
