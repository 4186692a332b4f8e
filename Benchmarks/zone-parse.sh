#!/usr/bin/env bash
# Zone parse benchmark: daneprobe side by side with ldns and BIND in the same run.
#
#   Benchmarks/zone-parse.sh            # 1,000,000 records, best of 3 runs each
#   RECORDS=100000 RUNS=1 Benchmarks/zone-parse.sh
#   ZONE_TYPES=A,AAAA,MX,CNAME Benchmarks/zone-parse.sh   # only these types of the mix
#
# Builds `daneprobe` in release mode, generates a deterministic zone (Benchmarks/gen-zone.py),
# then times each tool reading it and printing every record, with GNU time's wall clock
# (%e) and peak resident set size (%M):
#   ldns-read-zone FILE > /dev/null
#   named-checkzone -i none -D -o /dev/null example.test FILE    (load + dump; -i none: no
#                    integrity checks, which would look names up outside the zone)
#   daneprobe zone print FILE --origin example.test. > /dev/null
# and prints a table: wall time (best of RUNS), records/s, peak MiB (largest of RUNS), peak
# MiB per MiB of zone file, and daneprobe's time and memory as multiples of each peer's.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
records=${RECORDS:-1000000}
runs=${RUNS:-3}
origin=example.test.
work="$root/.build-bench"
mkdir -p "$work"

for tool in ldns-read-zone named-checkzone /usr/bin/time python3; do
    command -v "$tool" > /dev/null || { echo "missing $tool (Debian: ldnsutils, bind9-utils, time, python3)" >&2; exit 1; }
done

echo "== building daneprobe (release)"
swift build -c release --product daneprobe
daneprobe="$(swift build -c release --show-bin-path)/daneprobe"

zone="$work/zone-$records${ZONE_TYPES:+-${ZONE_TYPES//,/-}}.zone"
echo "== generating $records records -> $zone"
python3 Benchmarks/gen-zone.py "$records" "$zone" ${ZONE_TYPES:+--types "$ZONE_TYPES"}
file_bytes=$(stat -c %s "$zone")

# measure NAME COMMAND…: runs COMMAND $runs times, stdout to /dev/null; records the best wall
# time and the largest peak RSS (KiB) in results[].
declare -a names=() walls=() peaks=()
measure() {
    local name=$1 best="" peak=0 wall rss
    shift
    for ((run = 1; run <= runs; run++)); do
        if ! /usr/bin/time -f '%e %M' -o "$work/time.out" -- "$@" > /dev/null 2> "$work/stderr.out"; then
            echo "$name failed:" >&2
            head -n 20 "$work/stderr.out" >&2
            exit 1
        fi
        read -r wall rss < <(tail -n 1 "$work/time.out")
        if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
        ((rss > peak)) && peak=$rss
    done
    echo "   $name: ${best}s, $((peak / 1024)) MiB"
    names+=("$name"); walls+=("$best"); peaks+=("$peak")
}

echo "== measuring (best of $runs)"
measure "ldns-read-zone" ldns-read-zone "$zone"
measure "named-checkzone" named-checkzone -i none -D -o /dev/null "${origin%.}" "$zone"
measure "daneprobe" "$daneprobe" zone print "$zone" --origin "$origin"

echo
echo "zone: $records records, $(awk -v b="$file_bytes" 'BEGIN { printf "%.1f", b / 1048576 }') MiB; $(nproc) cores; $(date -u +%Y-%m-%d)"
ours=$((${#names[@]} - 1))
printf '%-16s %9s %12s %9s %12s %14s %14s\n' tool "wall s" "records/s" "peak MiB" "MiB/file MiB" "daneprobe time" "daneprobe mem"
for i in "${!names[@]}"; do
    awk -v name="${names[$i]}" -v wall="${walls[$i]}" -v kib="${peaks[$i]}" -v n="$records" -v bytes="$file_bytes" \
        -v ourwall="${walls[$ours]}" -v ourkib="${peaks[$ours]}" -v self="$((i == ours))" 'BEGIN {
        rate = wall > 0 ? n / wall : 0
        mib = kib / 1024
        if (self) { tr = "-"; mr = "-" } else {
            tr = sprintf("%.2fx", wall > 0 ? ourwall / wall : 0)
            mr = sprintf("%.2fx", kib > 0 ? ourkib / kib : 0)
        }
        printf "%-16s %9.2f %12.0f %9.1f %12.2f %14s %14s\n", name, wall, rate, mib, mib / (bytes / 1048576), tr, mr
    }'
done
echo "(daneprobe time/mem: daneprobe's wall time and peak RSS as a multiple of that peer's; below 1 is better)"
