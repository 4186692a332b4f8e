#!/usr/bin/env bash
# Signing rate of `daneprobe zone sign` against `ldns-signzone`, on the same 100,000-name zone
# with the same keys (algorithm 13, a KSK and a ZSK made by ldns-keygen), NSEC, in the same run.
# Prints each wall time, the signatures per second and the ratio; daneprobe runs twice, on one
# thread (like ldns-signzone) and on every core.
#
#   Benchmarks/zone-sign.sh [NAMES]        (default 100000; needs ldns-utils)
#
# Set VERIFY=1 to also check both outputs with ldns-verify-zone (slow).
set -euo pipefail

names=${1:-100000}
here=$(cd "$(dirname "$0")/.." && pwd)
for tool in ldns-keygen ldns-signzone; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: ldns-utils)" >&2; exit 2; }
done

echo "building daneprobe (release)…" >&2
swift build -c release --product daneprobe --package-path "$here" >&2
daneprobe="$(swift build -c release --show-bin-path --package-path "$here")/daneprobe"

work=$(mktemp -d "${TMPDIR:-/tmp}/zone-sign-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

# The zone: SOA, NS and MX at the apex, then NAMES names with an A record (every tenth with
# an AAAA too, every hundredth a delegation with glue).
awk -v n="$names" 'BEGIN {
  print "$ORIGIN bench."; print "$TTL 3600"
  print "@ SOA ns1 hostmaster 1 7200 3600 1209600 300"
  print "@ NS ns1"; print "@ MX 10 mail"; print "ns1 A 192.0.2.1"; print "mail A 192.0.2.2"
  for (i = 0; i < n; i++) {
    if (i % 100 == 99) { printf "d%d NS ns.d%d\nns.d%d A 198.51.100.%d\n", i, i, i, i % 250 + 1; continue }
    printf "h%d A 10.%d.%d.%d\n", i, int(i / 65536) % 256, int(i / 256) % 256, i % 256
    if (i % 10 == 0) printf "h%d AAAA 2001:db8::%x:%x\n", i, int(i / 65536), i % 65536
  }
}' > zone
mkdir keys
( cd keys && ldns-keygen -a ECDSAP256SHA256 -k bench. >/dev/null && ldns-keygen -a ECDSAP256SHA256 bench. >/dev/null )
ksk=$(grep -l "DNSKEY.257" keys/*.key); zsk=$(grep -l "DNSKEY.256" keys/*.key)

now() { date +%s.%N; }

start=$(now)
ldns-signzone -o bench. -f ldns.signed zone "${ksk%.key}" "${zsk%.key}"
ldns_time=$(echo "$(now) - $start" | bc)

start=$(now)
"$daneprobe" zone sign zone --keys keys --threads 1 -o ours1.signed 2>ours1.log
ours1_time=$(echo "$(now) - $start" | bc)

start=$(now)
"$daneprobe" zone sign zone --keys keys -o ours.signed 2>ours.log
ours_time=$(echo "$(now) - $start" | bc)

ldns_sigs=$(grep -c $'\tRRSIG\t' ldns.signed || true)
ours_sigs=$(awk '$4 == "RRSIG"' ours.signed | wc -l)

if [ "${VERIFY:-0}" = 1 ]; then
  ldns-verify-zone ldns.signed >/dev/null && echo "ldns-verify-zone: ldns output verifies" >&2
  ldns-verify-zone ours.signed >/dev/null && echo "ldns-verify-zone: daneprobe output verifies" >&2
fi

cores=$(nproc)
rate() { echo "$1 / $2" | bc -l; }
printf 'zone: %d names, %d lines; algorithm 13 (ECDSAP256SHA256), NSEC; %s cores\n' "$names" "$(wc -l < zone)" "$cores"
printf '%-30s %8.2f s  %7d RRSIGs  %8.0f signatures/s\n' "ldns-signzone" "$ldns_time" "$ldns_sigs" "$(rate "$ldns_sigs" "$ldns_time")"
printf '%-30s %8.2f s  %7d RRSIGs  %8.0f signatures/s\n' "daneprobe zone sign --threads 1" "$ours1_time" "$ours_sigs" "$(rate "$ours_sigs" "$ours1_time")"
printf '%-30s %8.2f s  %7d RRSIGs  %8.0f signatures/s\n' "daneprobe zone sign ($cores threads)" "$ours_time" "$ours_sigs" "$(rate "$ours_sigs" "$ours_time")"
printf 'ratio (daneprobe time / ldns-signzone time): %.2f with 1 thread, %.2f with %s\n' \
  "$(rate "$ours1_time" "$ldns_time")" "$(rate "$ours_time" "$ldns_time")" "$cores"
