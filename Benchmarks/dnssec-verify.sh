#!/usr/bin/env bash
# ECDSA P-256 RRset verification rate of daneprobe's RRSetVerifier against the raw crypto
# floor, in the same run: swift-crypto's own P-256 verify (same library, no DNS work) and
# `openssl speed ecdsap256` (OpenSSL's best). Target: >= 70 % of the raw rate.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SECONDS_EACH=${SECONDS_EACH:-5}

swift build -c release --product dnssec-verify-bench >/dev/null
bench=$(swift build -c release --show-bin-path)/dnssec-verify-bench

echo "== daneprobe (${SECONDS_EACH} s each)"
ours=$("$bench" "$SECONDS_EACH")
echo "$ours"
echo "== openssl speed -seconds ${SECONDS_EACH} ecdsap256"
openssl_line=$(openssl speed -seconds "$SECONDS_EACH" ecdsap256 2>/dev/null | awk '/256 bits ecdsa/ {print}')
echo "$openssl_line"
openssl_verify=$(echo "$openssl_line" | awk '{print $(NF)}')
rrset=$(echo "$ours" | awk -F'\t' '/^rrset-verify/ {print $2}')
raw=$(echo "$ours" | awk -F'\t' '/^raw-p256/ {print $2}')
python3 - "$rrset" "$raw" "$openssl_verify" <<'PY'
import sys
rrset, raw, openssl = (float(x) for x in sys.argv[1:])
print(f"rrset verify/s {rrset:.0f}; swift-crypto raw {raw:.0f} ({rrset/raw:.0%} of it); openssl {openssl:.0f} ({rrset/openssl:.0%} of it)")
PY
