#!/usr/bin/env bash
# `daneprobe check` against Postfix's `posttls-finger` on one signed DANE scenario, in turn,
# in one run, through the same warm validating Unbound.
#
#   Benchmarks/check.sh            # 20 runs of each
#   RUNS=50 Benchmarks/check.sh
#   OLD=/path/to/daneprobe Benchmarks/check.sh   # and another build of daneprobe, in the same turns
#
# The scenario: `bench.test.` (signed, under a signed `test.` and root, `daneprobe zone sign`,
# ECDSA P-256) with MX mx.bench.test., its A 127.0.0.81 and a `3 1 1` TLSA matching the
# certificate of an aiosmtpd server with STARTTLS on 127.0.0.81:25; zones served by `daneprobe
# serve` on 127.0.0.80:53; Unbound on 127.0.0.82:53 (trust anchor: the lab root's DS; warmed
# with one pass before timing). Both tools are timed per invocation (process start included):
#   daneprobe check bench.test --resolver 127.0.0.82 --trust-anchor ROOT.DS --first-only
#   posttls-finger -c -l dane -L summary bench.test   (in a private mount namespace whose
#                                                      /etc/resolv.conf names 127.0.0.82, trust-ad)
# daneprobe validates every answer itself from the trust anchor (its cache is cold in each
# process); posttls-finger trusts Unbound's AD bit. Needs root (ports 25/53 on 127.0.0.8x,
# unshare), postfix, unbound, python3-aiosmtpd, openssl.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=${RUNS:-20}
export PATH=$PATH:/usr/sbin:/sbin
for tool in unbound posttls-finger openssl unshare /usr/bin/python3; do
    command -v "$tool" > /dev/null || { echo "missing $tool (Debian: postfix, unbound, openssl, util-linux)" >&2; exit 1; }
done

source "$root/Benchmarks/lib.sh"
bench_build static
bench_workdir check

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
    -days 3650 -subj /CN=mx.bench.test -addext subjectAltName=DNS:mx.bench.test 2> /dev/null
record=$("$daneprobe" tlsa --cert "$work/cert.pem" | cut -f1)
cat > "$work/test.zone" << ZONE
\$ORIGIN test.
\$TTL 3600
@ SOA ns hm 1 3600 600 86400 300
@ NS ns
ns A 127.0.0.80
bench MX 10 mx.bench
mx.bench A 127.0.0.81
_25._tcp.mx.bench TLSA $record
ZONE
"$daneprobe" zone sign "$work/test.zone" --origin test. --single-key --keys "$work" -o "$work/test.zone.signed" > /dev/null 2>&1
{ printf '$ORIGIN .\n$TTL 3600\n. SOA ns.root. hm.root. 1 3600 600 86400 300\n. NS ns.root.\nns.root. A 127.0.0.80\n'
  printf 'test. NS ns.test.\nns.test. A 127.0.0.80\n'; cat "$work/dsset-test."; } > "$work/root.zone"
"$daneprobe" zone sign "$work/root.zone" --origin . --single-key --keys "$work" -o "$work/root.zone.signed" > /dev/null 2>&1

"$daneprobe" serve --listen 127.0.0.80:53 --zone "$work/root.zone.signed:." --zone "$work/test.zone.signed:test." > "$work/serve.log" 2>&1 &
pids+=($!)
cat > "$work/smtpd.py" << 'PY'
import asyncio, ssl, sys
from aiosmtpd.smtp import SMTP
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(sys.argv[1], sys.argv[2])
class Handler:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
async def main():
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(Handler(), tls_context=context, hostname="mx.bench.test"), "127.0.0.81", 25)
    print("ready", flush=True)
    await server.serve_forever()
asyncio.run(main())
PY
/usr/bin/python3 "$work/smtpd.py" "$work/cert.pem" "$work/key.pem" > "$work/smtpd.log" 2>&1 &
pids+=($!)
bench_unbound_conf 127.0.0.82 53 "$work/dsset-." 127.0.0.80@53 > "$work/unbound.conf"
unbound -d -c "$work/unbound.conf" &
pids+=($!)
until grep -q "listening udp" "$work/serve.log" && grep -q ready "$work/smtpd.log" \
      && dig +short +time=1 +tries=1 @127.0.0.82 test. SOA > /dev/null 2>&1; do
    for pid in "${pids[@]}"; do kill -0 "$pid" 2> /dev/null || { cat "$work"/*.log >&2; exit 1; }; done
    read -r -t 0.2 < <(:) || true
done
printf 'nameserver 127.0.0.82\noptions trust-ad\n' > "$work/resolv.conf"
mkdir -p "$work/postfix"
printf 'compatibility_level = 3.6\nsmtp_dns_support_level = dnssec\nsmtp_tls_security_level = dane\n' > "$work/postfix/main.cf"

ours() { "$daneprobe" check bench.test --resolver 127.0.0.82 --trust-anchor "$work/dsset-." --first-only --timeout 5; }
theirs() {
    MAIL_CONFIG="$work/postfix" unshare -m sh -c "mount --bind '$work/resolv.conf' /etc/resolv.conf && exec posttls-finger -c -l dane -L summary bench.test"
}
echo "== warm-up and agreement"
ours | tee "$work/ours.txt" | grep -m1 "Verified TLS connection" || { cat "$work/ours.txt"; exit 1; }
theirs 2>&1 | tee "$work/theirs.txt" | grep -m1 "Verified TLS connection" || { cat "$work/theirs.txt"; exit 1; }

# Each invocation timed by bash's own clock ($EPOCHREALTIME, µs; no `date` process inside the
# window, which would add the same ~1-2 ms to both tools and pull the ratio towards 1).
ours_total=0 theirs_total=0
ours_runs=() theirs_runs=() old_runs=()
echo "== $runs runs each, in turn"
for ((i = 0; i < runs; i++)); do
    start=${EPOCHREALTIME/./}; ours > /dev/null; end=${EPOCHREALTIME/./}
    ours_runs+=($((10#$end - 10#$start))); ours_total=$((ours_total + 10#$end - 10#$start))
    start=${EPOCHREALTIME/./}; theirs > /dev/null 2>&1; end=${EPOCHREALTIME/./}
    theirs_runs+=($((10#$end - 10#$start))); theirs_total=$((theirs_total + 10#$end - 10#$start))
    if [[ -n ${OLD:-} ]]; then
        start=${EPOCHREALTIME/./}; "$OLD" check bench.test --resolver 127.0.0.82 --trust-anchor "$work/dsset-." --first-only --timeout 5 > /dev/null
        end=${EPOCHREALTIME/./}; old_runs+=($((10#$end - 10#$start)))
    fi
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
ours_ms=$(echo "$ours_total / $runs / 1000" | bc -l)
theirs_ms=$(echo "$theirs_total / $runs / 1000" | bc -l)
ours_median=$(echo "$(median "${ours_runs[@]}") / 1000" | bc -l)
theirs_median=$(echo "$(median "${theirs_runs[@]}") / 1000" | bc -l)
printf 'daneprobe check   %8.1f ms per domain (median %.1f)\n' "$ours_ms" "$ours_median"
printf 'posttls-finger    %8.1f ms per domain (median %.1f)\n' "$theirs_ms" "$theirs_median"
printf 'ratio (daneprobe / posttls-finger): %.2fx of the means, %.2fx of the medians (target <= 0.8x)\n' \
    "$(echo "$ours_ms / $theirs_ms" | bc -l)" "$(echo "$ours_median / $theirs_median" | bc -l)"
if [[ -n ${OLD:-} ]]; then
    old_median=$(echo "$(median "${old_runs[@]}") / 1000" | bc -l)
    printf '%s (OLD): median %.1f ms, %.2fx of posttls-finger, this build %.2fx of it\n' "$OLD" "$old_median" \
        "$(echo "$old_median / $theirs_median" | bc -l)" "$(echo "$ours_median / $old_median" | bc -l)"
fi
