#!/usr/bin/env bash
# Peak memory of `daneprobe scan` as the input grows from 10,000 to 1,000,000 domains (issue
# 8), most of them failing fast in DNS, as in a real sweep: a few generated lab mail domains
# and many names under the signed lab zone that do not exist (NXDOMAIN, proved by NSEC:
# `no-mail`). Iterative resolution from the lab's root hints (`lab serve` on loopback port 0,
# reached through --address-map), one run per size, fresh SQLite each.
#
#   Benchmarks/scan-memory.sh                     # 10,000 100,000 1,000,000
#   SIZES="10000 100000" Benchmarks/scan-memory.sh
# Prints, per size: wall time, domains/s, peak RSS. Flat peak RSS is the target.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
sizes=${SIZES:-"10000 100000 1000000"}
concurrency=${CONCURRENCY:-256}
command -v /usr/bin/time > /dev/null || { echo "missing GNU time (Debian: time)" >&2; exit 1; }

source "$root/Benchmarks/lib.sh"
bench_build static
bench_workdir scan-memory

"$daneprobe" lab serve --generate 20 --manifest "$work/manifest.json" > "$work/lab.log" 2>&1 &
pids+=($!)
until grep -q "^ready" "$work/lab.log"; do
    kill -0 "${pids[0]}" 2> /dev/null || { cat "$work/lab.log" >&2; exit 1; }
    read -r -t 0.2 < <(:) || true
done
python3 - "$work" << 'PY'
import json, sys
work = sys.argv[1]
m = json.load(open(f"{work}/manifest.json"))
open(f"{work}/hints", "w").write(m["root_hints"])
open(f"{work}/lab.ds", "w").write(m["trust_anchor"])
maps = [f"{s['published']}={s['listening']}" for s in m["name_servers"] + m["mail_servers"]]
open(f"{work}/maps", "w").write(",".join(maps))
open(f"{work}/generated", "w").write("".join(s["domain"] + "\n" for s in m["scenarios"]))
PY
printf '%10s %10s %12s %10s\n' domains seconds domains/s "peak MiB"
for n in $sizes; do
    input="$work/input-$n.txt"
    { cat "$work/generated"; seq 1 "$((n - 20))" | sed 's/^/nx-/; s/$/.lab/'; } > "$input"
    /usr/bin/time -f "%e %M" -o "$work/time-$n" "$daneprobe" scan "$input" --root-hints "$work/hints" --trust-anchor "$work/lab.ds" \
        --address-map "$(cat "$work/maps")" --allow-private-targets --concurrency "$concurrency" --timeout 5 \
        --db "$work/scan-$n.sqlite" --no-progress > "$work/scan-$n.out" 2>&1
    read -r seconds rss < "$work/time-$n"
    printf '%10d %10.1f %12.0f %10d\n' "$n" "$seconds" "$(echo "$n / $seconds" | bc -l)" "$((rss / 1024))"
    tail -n 1 "$work/scan-$n.out" | cut -c1-160
    rm -f "$work/scan-$n.sqlite"*
done
