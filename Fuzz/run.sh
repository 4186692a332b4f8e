#!/usr/bin/env bash
# Builds one libFuzzer target from the module sources and runs it for a bounded time.
#   Fuzz/run.sh message|zone|smtp SECONDS [extra libFuzzer arguments…]
# The binary goes to .build-fuzz/<target>; new corpus entries to .build-fuzz/corpus-<target>
# (the seed corpus in Fuzz/corpus/<target>/ is only read); crash reproducers to
# .build-fuzz/artifacts-<target>/. Exit status: libFuzzer's (non-zero on a crash, a timeout
# or an out-of-memory).
set -euo pipefail

usage() { echo "usage: $0 message|zone|smtp SECONDS [libFuzzer args…]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target=$1
seconds=$2
shift 2
[[ $seconds =~ ^[0-9]+$ ]] || usage

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/.build-fuzz"
mkdir -p "$out"

shopt -s globstar nullglob
case $target in
    message)
        # DNSCore alone, plus the entry point.
        sources=("$root"/Sources/DNSCore/**/*.swift "$root/Fuzz/message/MessageFuzz.swift")
        ;;
    zone)
        # DNSCore and DNSZoneFile in one module named DNSCore, so DNSZoneFile's
        # `import DNSCore` is only a warning ("file is part of module 'DNSCore'").
        sources=("$root"/Sources/DNSCore/**/*.swift "$root"/Sources/DNSZoneFile/**/*.swift "$root/Fuzz/zone/ZoneFuzz.swift")
        ;;
    smtp)
        # SMTPCore alone (replies, commands, EHLO, state machines), plus the entry point.
        module=SMTPCore
        sources=("$root"/Sources/SMTPCore/**/*.swift "$root/Fuzz/smtp/SMTPFuzz.swift")
        ;;
    *) usage ;;
esac

swiftc=${SWIFTC:-swiftc}
echo "building fuzz target '$target' (${#sources[@]} files) -> $out/$target"
"$swiftc" -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name "${module:-DNSCore}" \
    -package-name daneprobe \
    -suppress-warnings \
    "${sources[@]}" -o "$out/$target"

corpus="$out/corpus-$target"
artifacts="$out/artifacts-$target"
mkdir -p "$corpus" "$artifacts"
echo "running '$target' for ${seconds}s (seed corpus Fuzz/corpus/$target)"
# The first corpus directory receives new inputs; the seed directory is read only.
exec "$out/$target" "$corpus" "$root/Fuzz/corpus/$target" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "$@"
