#!/usr/bin/env bash
# `daneprobe scan` against Postfix's `posttls-finger` run 32 at a time by xargs (how such
# surveys are scripted today), on the same generated mail domains through the same Unbound,
# in one run.
#
#   Benchmarks/scan.sh              # 300 generated domains
#   DOMAINS=3000 ROUNDS=5 Benchmarks/scan.sh   # rounds of the two, in turn; the median ratio
#   PERF=/tmp/scan.perf DOMAINS=3000 Benchmarks/scan.sh   # and a profile of the scan
#
# `daneprobe lab serve --published-addresses --generate N` serves N synthetic domains (every
# kind of DANELab's generator in turn: verified, DANE-TA, unsigned, dane-failed, no STARTTLS,
# NOTIMP on TLSA, null MX, …) on 127.0.0.10-13:53 and their mail hosts on 127.2.x.y:25, signed
# today; a validating Unbound on 127.0.2.9:53 (stub for "." at the lab root, the lab's DS as
# trust anchor) is warmed by one posttls-finger pass and one scan, then timed, in turn,
# ROUNDS times (3):
#   xargs -P 32 posttls-finger -c -l dane -L summary DOMAIN   (private /etc/resolv.conf → Unbound)
#   daneprobe scan DOMAINS --resolver 127.0.2.9 --trust-anchor DS --concurrency C (fresh database)
# Prints domains/s of both and the ratio of each round, the median ratio (target ≥ 5×), our
# CPU per domain and the lab's and Unbound's meanwhile.
# Needs root (ports 25/53 on 127.0.x.y, unshare), postfix, unbound, GNU time.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
domains=${DOMAINS:-300}
concurrency=${CONCURRENCY:-128}
rounds=${ROUNDS:-3}
export PATH=$PATH:/usr/sbin:/sbin
for tool in unbound posttls-finger unshare /usr/bin/time; do
    command -v "$tool" > /dev/null || { echo "missing $tool (Debian: postfix, unbound, time)" >&2; exit 1; }
done

source "$root/Benchmarks/lib.sh"
bench_build static
bench_workdir scan

bench_generated_lab "$domains"
printf 'nameserver 127.0.2.9\noptions trust-ad\n' > "$work/resolv.conf"
mkdir -p "$work/postfix"
printf 'compatibility_level = 3.6\nsmtp_dns_support_level = dnssec\nsmtp_tls_security_level = dane\n' > "$work/postfix/main.cf"
touch -d 2026-01-01 "$work/postfix/main.cf"   # Postfix re-reads a main.cf written this second

fingers() {
    MAIL_CONFIG="$work/postfix" unshare -m sh -c "mount --bind '$work/resolv.conf' /etc/resolv.conf && \
        exec xargs -P 32 -n 1 posttls-finger -c -l dane -L summary -t 5 -T 5 < '$work/domains.txt'" > "$work/fingers.txt" 2>&1 || true
}
now() { date +%s.%N; }
echo "== warm-up: one posttls-finger pass and one scan (each fills Unbound's cache with what only it asks)"
fingers
"$daneprobe" scan "$work/domains.txt" --resolver 127.0.2.9 --trust-anchor "$work/lab.ds" --concurrency "$concurrency" \
    --db "$work/warm.sqlite" --no-progress --timeout 5 > /dev/null 2>&1
# PERF=FILE records a profile of the last round's scan (perf record -g) into FILE.
# CPU ticks (user + system) of the lab and Unbound, before and after: where the two cores go.
peer_ticks() { local total=0 pid; for pid in "${pids[@]}"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }
# The figures count only if the scan found what the generator made: every stored verdict
# must be the manifest's expectation (policy dane).
verify() {
python3 - "$work/manifest.json" "$work/scan.sqlite" << 'PY'
import json, sqlite3, sys
expected = {s["domain"]: s["expected"]["dane"] for s in json.load(open(sys.argv[1]))["scenarios"]}
stored = dict(sqlite3.connect(sys.argv[2]).execute("SELECT domain, verdict FROM domains"))
wrong = [(d, v, stored.get(d)) for d, v in expected.items() if stored.get(d) != v]
print(f"verdicts as generated: {len(expected) - len(wrong)}/{len(expected)}")
for d, v, got in wrong[:10]: print(f"  {d}: expected {v}, stored {got}")
sys.exit(1 if wrong else 0)
PY
}
ratios=()
for round in $(seq 1 "$rounds"); do
    echo "== round $round/$rounds: posttls-finger x32 (xargs), then daneprobe scan (concurrency $concurrency)"
    start=$(now); fingers; theirs=$(echo "$(now) - $start" | bc -l)
    profile=()
    if [[ -n "${PERF:-}" && $round == "$rounds" ]]; then profile=(perf record -F 1999 -g -o "$PERF" --); fi
    rm -f "$work/scan.sqlite" "$work/scan.sqlite-wal" "$work/scan.sqlite-shm"
    peers_before=$(peer_ticks)
    /usr/bin/time -f "%e %U %S %M" -o "$work/scan.time" "${profile[@]}" "$daneprobe" scan "$work/domains.txt" --resolver 127.0.2.9 --trust-anchor "$work/lab.ds" \
        --concurrency "$concurrency" --db "$work/scan.sqlite" --no-progress --timeout 5 > "$work/scan.txt" 2>&1
    read -r ours user sys rss < "$work/scan.time"
    peers_ms=$(( ($(peer_ticks) - peers_before) * 1000 / $(getconf CLK_TCK) ))
    tail -n 1 "$work/scan.txt"
    printf 'posttls-finger x32  %8.1f domains/s (%d in %.2f s)\n' "$(echo "$domains / $theirs" | bc -l)" "$domains" "$theirs"
    printf 'daneprobe scan      %8.1f domains/s (%d in %.2f s), %.2f ms CPU per domain, peak %d MiB\n' \
        "$(echo "$domains / $ours" | bc -l)" "$domains" "$ours" "$(echo "1000 * ($user + $sys) / $domains" | bc -l)" "$((rss / 1024))"
    printf 'lab serve + Unbound meanwhile: %.2f ms CPU per domain\n' "$(echo "$peers_ms / $domains" | bc -l)"
    ratio=$(echo "$theirs / $ours" | bc -l)
    ratios+=("$ratio")
    printf 'ratio (scan / posttls-finger x32): %.2fx\n' "$ratio"
    verify
done
median=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
printf 'median ratio over %d rounds: %.2fx (target >= 5x); rounds: %s\n' "$rounds" "$median" "$(printf '%.2f ' "${ratios[@]}")"
