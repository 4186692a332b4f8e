#!/usr/bin/env bash
# Validating resolution benchmark: `daneprobe resolve --batch` (iterative from a test root,
# cold cache) side by side with Unbound driven by dnsperf on the same queries, in one run.
#
#   Benchmarks/resolve.sh                        # 2,000 signed domains, 10,000 MX/A/TLSA queries
#   DOMAINS=500 QUERIES=2000 Benchmarks/resolve.sh
#
# Builds `daneprobe` (release), generates DOMAINS signed zones dK.test. (MX, the MX host's A,
# its TLSA), `test.` delegating to them with DS records and the root `.` delegating to
# `test.`, all signed with `daneprobe zone sign` (ECDSA P-256, one key each), served by one
# `daneprobe serve` on LAB_ADDR:53 (default 127.0.0.77; every glue address is LAB_ADDR).
# Then, each with a cold cache and the root DS as trust anchor:
#   daneprobe resolve --batch Q --root-hints H --trust-anchor A --concurrency C
#   unbound (stub-zone "." at LAB_ADDR@53) + dnsperf -d Q -n 1 -q C
# Prints validated lookups per second for both, the ratio, and peak RSS (GNU time for ours,
# VmHWM for Unbound's). KEEP=1 keeps the generated zones, queries and outputs. Needs root (port 53 on LAB_ADDR), unbound, dnsperf, GNU time.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
domains=${DOMAINS:-2000}
queries_n=${QUERIES:-10000}
concurrency=${CONCURRENCY:-200}
lab=${LAB_ADDR:-127.0.0.77}
export PATH=$PATH:/usr/sbin:/sbin

for tool in unbound dnsperf python3 /usr/bin/time; do
    command -v "$tool" > /dev/null || { echo "missing $tool (Debian: unbound, dnsperf, time)" >&2; exit 1; }
done

source "$root/Benchmarks/lib.sh"
bench_build
bench_workdir resolve

echo "== generating and signing $domains zones in $work"
mkdir -p "$work/zones" "$work/keys"
python3 - "$work" "$domains" "$queries_n" "$lab" << 'PY'
import hashlib, random, sys
work, n, q, lab = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
soa = "@ 3600 SOA ns hostmaster 1 3600 600 86400 300\n@ 3600 NS ns\nns 3600 A {lab}\n"
for k in range(n):
    h = hashlib.sha256(f"d{k}".encode()).hexdigest().upper()
    text = f"$ORIGIN d{k}.test.\n" + soa.format(lab=lab) + f"@ 3600 MX 10 mail\nmail 3600 A 192.0.2.{k % 250 + 1}\n_25._tcp.mail 3600 TLSA 3 1 1 {h}\n"
    open(f"{work}/zones/d{k}.test.zone", "w").write(text)
rng = random.Random(20261201)
lines = []
for _ in range(q):
    k = rng.randrange(n)
    lines.append(rng.choice([f"d{k}.test. MX", f"mail.d{k}.test. A", f"_25._tcp.mail.d{k}.test. TLSA"]))
open(f"{work}/queries.txt", "w").write("\n".join(lines) + "\n")
PY
sign() { # file origin
    "$daneprobe" zone sign --origin "$2" --single-key --keys "$work/keys" -o "$1.signed" "$1" 2> /dev/null
}
: > "$work/test.ds"
for ((k = 0; k < domains; k++)); do
    sign "$work/zones/d$k.test.zone" "d$k.test."
    cat "$work/zones/dsset-d$k.test." >> "$work/test.ds"
done
{
    echo "\$ORIGIN test."
    echo "@ 3600 SOA ns hostmaster 1 3600 600 86400 300"
    echo "@ 3600 NS ns"
    echo "ns 3600 A $lab"
    for ((k = 0; k < domains; k++)); do echo "d$k 3600 NS ns.d$k"; echo "ns.d$k 3600 A $lab"; done
    cat "$work/test.ds"
} > "$work/zones/test.zone"
sign "$work/zones/test.zone" "test."
{
    echo "\$ORIGIN ."
    echo ". 3600 SOA ns.root. hostmaster.root. 1 3600 600 86400 300"
    echo ". 3600 NS ns.root."
    echo "ns.root. 3600 A $lab"
    echo "test. 3600 NS ns.test."
    echo "ns.test. 3600 A $lab"
    cat "$work/zones/dsset-test."
} > "$work/zones/root.zone"
sign "$work/zones/root.zone" "."
cp "$work/zones/dsset-." "$work/root.ds"
printf '. NS ns.root.\nns.root. A %s\n' "$lab" > "$work/hints.zone"

args=(--zone "$work/zones/root.zone.signed:." --zone "$work/zones/test.zone.signed:test.")
for ((k = 0; k < domains; k++)); do args+=(--zone "$work/zones/d$k.test.zone.signed:d$k.test."); done
echo "== serving on $lab:53"
"$daneprobe" serve --listen "$lab:53" "${args[@]}" > "$work/serve.log" 2>&1 &
pids+=($!)
until grep -q "listening udp" "$work/serve.log"; do
    kill -0 "${pids[0]}" 2> /dev/null || { cat "$work/serve.log" >&2; exit 1; }
    read -r -t 0.2 < <(:) || true
done

echo "== daneprobe resolve --batch ($queries_n queries, concurrency $concurrency, cold cache)"
/usr/bin/time -f "%e %M %U %S" -o "$work/ours.time" "$daneprobe" resolve --batch "$work/queries.txt" --root-hints "$work/hints.zone" \
    --trust-anchor "$work/root.ds" --concurrency "$concurrency" --timeout 2 > "$work/ours.jsonl"
read -r ours_wall ours_rss ours_user ours_sys < "$work/ours.time"
if [[ -n "${PERF:-}" ]]; then  # PERF=1: a second (cold) run under perf, top symbols printed
    perf record -F 999 -g -o "$work/perf.data" "$daneprobe" resolve --batch "$work/queries.txt" --root-hints "$work/hints.zone" \
        --trust-anchor "$work/root.ds" --concurrency "$concurrency" --timeout 2 > /dev/null 2> "$work/perf.log"
    perf report -i "$work/perf.data" --stdio --no-children --sort dso,symbol 2> /dev/null | grep -E "^ +[0-9]" | head -40 || true
fi
ours_secure=$(grep -c '"status":"secure"' "$work/ours.jsonl" || true)

port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
bench_unbound_conf 127.0.0.1 "$port" "$work/root.ds" "$lab@53" "$(printf '%s\n' '  verbosity: 0' '  num-threads: 1' \
    '  qname-minimisation: no' '  msg-cache-size: 64m' '  rrset-cache-size: 64m' '  num-queries-per-thread: 4096')" > "$work/unbound.conf"
unbound -d -c "$work/unbound.conf" &
ub=$!
pids+=($ub)
until dnsperf -s 127.0.0.1 -p "$port" -d <(echo ". SOA") -n 1 -t 1 2> /dev/null | grep -q "Queries completed: *1 "; do
    kill -0 "$ub" 2> /dev/null || { echo "unbound exited" >&2; exit 1; }
done
echo "== Unbound + dnsperf (same queries, -q $concurrency, cold cache)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ub_before=$(cpu_ticks "$ub")
dnsperf -s 127.0.0.1 -p "$port" -d "$work/queries.txt" -n 1 -q "$concurrency" -t 5 -D > "$work/dnsperf.txt" 2>&1 || true
unbound_qps=$(awk '/Queries per second/ {print $4}' "$work/dnsperf.txt")
unbound_rss=$(awk '/VmHWM/ {print $2}' "/proc/$ub/status")
unbound_cpu=$(python3 -c "print(($(cpu_ticks "$ub") - $ub_before) / $(getconf CLK_TCK))")

ours_qps=$(python3 -c "print(round($queries_n / max($ours_wall, 0.001), 1))")
ratio=$(python3 -c "print(round($ours_qps / max(float('${unbound_qps:-0}'), 0.001), 2))")
echo
printf '%-12s %14s %12s\n' "resolver" "lookups/s" "peak MiB"
printf '%-12s %14s %12s\n' "daneprobe" "$ours_qps" "$((ours_rss / 1024))"
echo "daneprobe CPU: user ${ours_user} s, system ${ours_sys} s, wall ${ours_wall} s"
printf '%-12s %14s %12s\n' "unbound" "${unbound_qps:-?}" "$((${unbound_rss:-0} / 1024))"
echo "unbound CPU (user + system, one thread): ${unbound_cpu} s"
echo "daneprobe / unbound: $ratio (secure answers: $ours_secure of $queries_n)"
grep -E "Queries (sent|completed|lost)|Response codes" "$work/dnsperf.txt" || true
