#!/usr/bin/env bash
# Side-by-side remote-write ingest: Strata vs the real Prometheus (Debian 2.42) on this machine,
# the same pre-encoded dataset sent the same way to each. Usage:
#   bench/compare-ingest.sh [--series 20000 --points 240 --batch 2000 --concurrency 4]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build -c Release src/Api -v q -nologo >/dev/null
dotnet build -c Release bench/Load -v q -nologo >/dev/null
strata=src/Api/bin/Release/net10.0/Strata
load=bench/Load/bin/Release/net10.0/Strata.Load

"$strata" --web.listen-address=127.0.0.1:19090 --storage.tsdb.path="$work/strata" --log.level=warn &
prometheus --web.listen-address=127.0.0.1:19091 --storage.tsdb.path="$work/prom" --web.enable-remote-write-receiver \
  --config.file=/dev/null --log.level=warn 2>/dev/null &
for port in 19090 19091; do
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null && break; sleep 0.2; done
done

pid_of() { ss -ltnp "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }
spid=$(pid_of 19090); ppid=$(pid_of 19091)

# Warm up both (JIT tiering for Strata; same work for Prometheus) on separate series, then measure.
"$load" --target http://127.0.0.1:19090/api/v1/write --series 20000 --points 60 --prefix warmup_ >/dev/null
"$load" --target http://127.0.0.1:19091/api/v1/write --series 20000 --points 60 --prefix warmup_ >/dev/null

c0=$(cpu_of "$spid")
echo "== Strata"; "$load" --target http://127.0.0.1:19090/api/v1/write "$@" | tee "$work/strata.txt"
c1=$(cpu_of "$spid")
echo "Strata server CPU: $(awk -v a="$c0" -v b="$c1" 'BEGIN{printf "%.2f", b-a}') s"
c2=$(cpu_of "$ppid")
echo "== Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}')"; "$load" --target http://127.0.0.1:19091/api/v1/write "$@" | tee "$work/prom.txt"
c3=$(cpu_of "$ppid")
echo "Prometheus server CPU: $(awk -v a="$c2" -v b="$c3" 'BEGIN{printf "%.2f", b-a}') s"
echo "CPU ratio Prometheus/Strata: $(awk -v a="$c0" -v b="$c1" -v c="$c2" -v d="$c3" 'BEGIN{printf "%.2f", (d-c)/(b-a)}')x"
s=$(grep -o '[0-9]* samples/s' "$work/strata.txt" | awk '{print $1}')
p=$(grep -o '[0-9]* samples/s' "$work/prom.txt" | awk '{print $1}')
echo "ratio Strata/Prometheus: $(awk -v s="$s" -v p="$p" 'BEGIN{printf "%.2f", s/p}')x"
echo "RSS after load: Strata $(( $(awk '/VmRSS/{print $2}' /proc/$spid/status) / 1024 )) MiB, Prometheus $(( $(awk '/VmRSS/{print $2}' /proc/$ppid/status) / 1024 )) MiB"
