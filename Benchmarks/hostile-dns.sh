#!/usr/bin/env bash
# Worst-case figures of the resolver against hostile DNS peers (issue 10): runs the
# `HostileDNSFigures` test, which plays every case of DNSResolverTests/AdversarialPeerTests
# (raw hostile UDP/TCP servers and the signed KeyTrap / NSEC3 zones, all on 127.0.0.1 port 0)
# RUNS times and prints, per case, the outcome, the worst wall time, the queries the peers
# received, signature verifications, NSEC3 hashes and the test process's peak RSS (VmHWM,
# reset before each case through /proc/self/clear_refs; the whole test process, so an upper
# bound). Debug build (what `swift test` builds); no timing is asserted.
#
#   Benchmarks/hostile-dns.sh            # 3 runs of each case
#   RUNS=10 Benchmarks/hostile-dns.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
HOSTILE_DNS_FIGURES=1 HOSTILE_DNS_RUNS=${RUNS:-3} swift test --filter HostileDNSFigures 2>&1 \
    | sed -n '/HOSTILE-DNS-FIGURES-BEGIN/,/HOSTILE-DNS-FIGURES-END/p' | sed '1d;$d'
echo "($(nproc) cores, $(date -u +%Y-%m-%d), $(git rev-parse --short HEAD))"
