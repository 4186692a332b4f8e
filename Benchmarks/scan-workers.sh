#!/usr/bin/env bash
# Throughput of 1, 2 and 4 `daneprobe scan` workers sharing one PostgreSQL run (issue 9),
# against the same generated lab through the same Unbound, with one SQLite scan beside them,
# in one run.
#
#   Benchmarks/scan-workers.sh                  # 1,000 generated domains, concurrency 64 per worker
#   DOMAINS=3000 CONCURRENCY=128 Benchmarks/scan-workers.sh
#
# `lab serve --published-addresses --generate N` and a validating Unbound on 127.0.2.9 (see
# lib.sh: bench_generated_lab); a private PostgreSQL (.ci/postgres.sh) in the work folder. The
# Unbound cache is warmed by one SQLite scan first; then, in turn: a SQLite scan (one
# process), and W = 1, 2, 4 workers started together on a fresh database, timed until the last
# one exits. Prints domains/s, CPU ms per domain (all workers' user+sys) and peak RSS per
# worker, and checks every stored verdict against the generator. Needs root (ports 25/53 on
# 127.0.x.y), unbound, postgresql, GNU time.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
domains=${DOMAINS:-1000}
concurrency=${CONCURRENCY:-64}
export PATH=$PATH:/usr/sbin:/sbin
for tool in unbound psql /usr/bin/time; do
    command -v "$tool" > /dev/null || { echo "missing $tool (Debian: unbound, postgresql, time)" >&2; exit 1; }
done

source "$root/Benchmarks/lib.sh"
bench_build static
bench_workdir scan-workers
bench_generated_lab "$domains"

echo "== PostgreSQL"
mkdir -p "$work/pg" && chmod 755 "$work"
admin=$(.ci/postgres.sh start "$work/pg/server")
stop_pg() { .ci/postgres.sh stop "$work/pg/server" 2> /dev/null || true; bench_cleanup; }
trap stop_pg EXIT
base=${admin%/postgres}

common=(--resolver 127.0.2.9 --trust-anchor "$work/lab.ds" --timeout 5 --no-progress)
now() { date +%s.%N; }

# verify SOURCE: "domain|verdict" lines on stdin against the manifest (policy dane).
verify() {
    python3 -c '
import json, sys
expected = {s["domain"]: s["expected"]["dane"] for s in json.load(open(sys.argv[1]))["scenarios"]}
stored = {}
for line in sys.stdin:
    if "|" in line:
        d, v = line.strip().split("|", 1); stored[d] = v
wrong = [(d, v, stored.get(d)) for d, v in expected.items() if stored.get(d) != v]
print(f"  verdicts as generated: {len(expected) - len(wrong)}/{len(expected)}")
for d, v, got in wrong[:5]: print(f"    {d}: expected {v}, stored {got}")
sys.exit(1 if wrong else 0)' "$work/manifest.json"
}

echo "== warm-up: one SQLite scan"
"$daneprobe" scan "$work/domains.txt" "${common[@]}" --concurrency "$concurrency" --db "$work/warm.sqlite" > /dev/null

echo "== SQLite, one process (concurrency $concurrency)"
/usr/bin/time -f "%e %U %S %M" -o "$work/sqlite.time" "$daneprobe" scan "$work/domains.txt" "${common[@]}" \
    --concurrency "$concurrency" --db "$work/scan.sqlite" > /dev/null
read -r wall user sys rss < "$work/sqlite.time"
printf 'sqlite    1 process  %7.1f domains/s  %5.2f ms CPU/domain  peak %d MiB\n' \
    "$(echo "$domains / $wall" | bc -l)" "$(echo "1000 * ($user + $sys) / $domains" | bc -l)" "$((rss / 1024))"
python3 -c 'import sqlite3,sys; [print(f"{d}|{v}") for d, v in sqlite3.connect(sys.argv[1]).execute("SELECT domain, verdict FROM domains")]' "$work/scan.sqlite" | verify

for workers in 1 2 4; do
    db="bench_w$workers"
    psql "$admin" -q -c "CREATE DATABASE $db"
    url="$base/$db"
    echo "== PostgreSQL, $workers worker(s) (concurrency $concurrency each)"
    start=$(now)
    worker_pids=()
    for k in $(seq 1 "$workers"); do
        /usr/bin/time -f "%e %U %S %M" -o "$work/w$workers-$k.time" "$daneprobe" scan "$work/domains.txt" "${common[@]}" \
            --concurrency "$concurrency" --db "$url" --run bench --worker "w$k" --shard "$k/$workers" > "$work/w$workers-$k.out" 2>&1 &
        worker_pids+=($!)
    done
    for pid in "${worker_pids[@]}"; do wait "$pid"; done
    wall=$(echo "$(now) - $start" | bc -l)
    cpu=0; peak=0
    for k in $(seq 1 "$workers"); do
        read -r _ user sys rss < "$work/w$workers-$k.time"
        cpu=$(echo "$cpu + $user + $sys" | bc -l)
        (( rss > peak )) && peak=$rss
    done
    printf 'postgres  %d worker(s) %7.1f domains/s  %5.2f ms CPU/domain  peak %d MiB per worker\n' \
        "$workers" "$(echo "$domains / $wall" | bc -l)" "$(echo "1000 * $cpu / $domains" | bc -l)" "$((peak / 1024))"
    psql "$url" -At -F '|' -c "SELECT domain, verdict FROM scan_results" | verify
    psql "$url" -At -c "SELECT 'results per worker: ' || string_agg(worker || ' ' || n, ', ' ORDER BY worker) FROM (SELECT worker, count(*) n FROM scan_results GROUP BY worker) t"
done
