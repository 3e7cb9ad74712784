#!/usr/bin/env bash
# Side by side with the real Prometheus (Debian 2.42): bytes per sample in persisted blocks and
# resident memory per active series, after the same remote-write load (5 h of 15 s samples, so
# both cut blocks). Usage: bench/compare-storage.sh [--series 5000 --points 1200]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
series=5000; points=1200
while [ $# -gt 0 ]; do case "$1" in --series) series=$2; shift 2;; --points) points=$2; shift 2;; *) shift;; esac; done

dotnet build -c Release src/Api -v q -nologo >/dev/null
dotnet build -c Release bench/Load -v q -nologo >/dev/null
strata=src/Api/bin/Release/net10.0/Strata
load=bench/Load/bin/Release/net10.0/Strata.Load

"$strata" --web.listen-address=127.0.0.1:19090 --storage.tsdb.path="$work/strata" --log.level=warn --storage.tsdb.maintenance-interval=5s &
prometheus --web.listen-address=127.0.0.1:19091 --storage.tsdb.path="$work/prom" --web.enable-remote-write-receiver \
  --config.file=/dev/null --log.level=warn 2>/dev/null &
for port in 19090 19091; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break; sleep 0.2; done
done
pid_of() { ss -ltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
rss_kib() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
spid=$(pid_of 19090); ppid=$(pid_of 19091)
s0=$(rss_kib "$spid"); p0=$(rss_kib "$ppid")

"$load" --target http://127.0.0.1:19090/api/v1/write --series "$series" --points "$points" | tail -1
"$load" --target http://127.0.0.1:19091/api/v1/write --series "$series" --points "$points" | tail -1

blocks_of() { find "$1" -maxdepth 2 -name meta.json | wc -l; }
for _ in $(seq 1 120); do
  [ "$(blocks_of "$work/strata")" -ge 1 ] && [ "$(blocks_of "$work/prom")" -ge 1 ] && break; sleep 1
done
sleep 3
bps() {  # bytes per sample over all blocks of a data dir
  local dir=$1 bytes=0 samples=0
  for m in $(find "$dir" -maxdepth 2 -name meta.json); do
    b=$(dirname "$m")
    bytes=$((bytes + $(du -sb "$b" | cut -f1)))
    samples=$((samples + $(grep -o '"numSamples": *[0-9]*' "$m" | grep -o '[0-9]*$')))
  done
  awk -v b="$bytes" -v s="$samples" 'BEGIN{ if (s > 0) printf "%.3f B/sample (%d bytes, %d samples)", b/s, b, s; else print "no blocks" }'
}
echo "Strata blocks:     $(bps "$work/strata")"
echo "Prometheus blocks: $(bps "$work/prom")"
s1=$(rss_kib "$spid"); p1=$(rss_kib "$ppid")
echo "RSS growth per active series: Strata $(( (s1 - s0) * 1024 / series )) B, Prometheus $(( (p1 - p0) * 1024 / series )) B (RSS Strata $((s1/1024)) MiB, Prometheus $((p1/1024)) MiB)"
