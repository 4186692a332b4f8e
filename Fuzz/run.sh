#!/usr/bin/env bash
# Builds one libFuzzer target and runs it for a bounded time.
#   Fuzz/run.sh message|zone|smtp|dane|store SECONDS [extra libFuzzer arguments…]
# message, zone, smtp: swiftc over the module sources (no package dependencies).
# dane, store: need swift-certificates / swift-crypto / sqlite-nio, so SwiftPM builds them
# (products fuzz-dane, fuzz-store, declared only when DANEPROBE_FUZZ is set) in release with
# coverage instrumentation and AddressSanitizer, linked against libFuzzer's no-main runtime
# (Fuzz/driver/FuzzDriver.swift says why); scratch path .build-fuzz/spm.
# The binary goes to .build-fuzz/<target>; new corpus entries to .build-fuzz/corpus-<target>
# (the seed corpus in Fuzz/corpus/<target>/ is only read); crash reproducers to
# .build-fuzz/artifacts-<target>/. Exit status: libFuzzer's (non-zero on a crash, a timeout
# or an out-of-memory).
set -euo pipefail

usage() { echo "usage: $0 message|zone|smtp|dane|store SECONDS [libFuzzer args…]" >&2; exit 2; }
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
    dane|store)
        spm=yes
        ;;
    *) usage ;;
esac

swiftc=${SWIFTC:-swiftc}
if [[ ${spm:-no} == yes ]]; then
    # libFuzzer's runtime without its main, from the toolchain's clang resource directory.
    resource=$("$swiftc" -print-target-info | sed -n 's/.*"runtimeResourcePath": "\(.*\)",*/\1/p')
    nomain=$(ls "$resource"/../clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -n 1 || true)
    [[ -n $nomain ]] || { echo "libclang_rt.fuzzer_no_main not found under $resource/../clang" >&2; exit 1; }
    echo "building fuzz target '$target' with SwiftPM (fuzz-$target) -> $out/$target"
    DANEPROBE_FUZZ=1 swift build -c release --scratch-path "$out/spm" --product "fuzz-$target" \
        -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
        -Xswiftc -g -Xlinker "$nomain" -Xlinker -lstdc++
    cp "$(DANEPROBE_FUZZ=1 swift build -c release --scratch-path "$out/spm" --show-bin-path)/fuzz-$target" "$out/$target"
else
    echo "building fuzz target '$target' (${#sources[@]} files) -> $out/$target"
    "$swiftc" -sanitize=fuzzer,address -parse-as-library -O -g \
        -module-name "${module:-DNSCore}" \
        -package-name daneprobe \
        -suppress-warnings \
        "${sources[@]}" -o "$out/$target"
fi

corpus="$out/corpus-$target"
artifacts="$out/artifacts-$target"
mkdir -p "$corpus" "$artifacts"
echo "running '$target' for ${seconds}s (seed corpus Fuzz/corpus/$target)"
# The first corpus directory receives new inputs; the seed directory is read only.
# A libFuzzer dictionary beside the entry point, when there is one (Fuzz/store: JSON keys).
dictionary=()
[[ -f $root/Fuzz/$target/$target.dict ]] && dictionary=(-dict="$root/Fuzz/$target/$target.dict")
# LeakSanitizer suppressions beside the entry point, when there are some (Fuzz/store: SwiftNIO's
# process-wide thread pool, started by the first SQLite open and never torn down).
[[ -f $root/Fuzz/$target/lsan.supp ]] && export LSAN_OPTIONS="suppressions=$root/Fuzz/$target/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# No Swift backtracer on a crash: libFuzzer and ASan print the stack, and the backtracer's
# interactive wait would stall an unattended run.
export SWIFT_BACKTRACE=enable=no
exec "$out/$target" "$corpus" "$root/Fuzz/corpus/$target" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 ${dictionary[@]+"${dictionary[@]}"} "$@"
