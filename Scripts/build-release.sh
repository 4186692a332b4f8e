#!/usr/bin/env bash
# Builds the daneprobe binary as it ships: release, the Swift runtime and Foundation linked in
# (`--static-swift-stdlib`), and two settings for start-up that `swift build -c release` alone
# does not give (figures: Benchmarks/README.md, "check vs posttls-finger"):
#
#   -disable-concrete-type-metadata-mangled-name-accessors (every module, dependencies too)
#       Generic types such as Set<InputKey> get their metadata from accessor functions that
#       are handed the conformances, instead of from mangled names the runtime decodes. A
#       decoded name must look up each of its conformances (Hashable, Sequence, …), and the
#       first lookup of each type/protocol pair scans all ~9,400 conformance records of the
#       binary: 106 such scans in one `check`, 62 with this flag.
#   --no-export-dynamic
#       The executable exports no symbols (it loads no plug-ins): 44,000 dynamic symbols
#       become 534, and the runtime's start-up `dladdr` stops walking them.
#   -use-ld=lld -z pack-relative-relocs (the toolchain's own lld)
#       The 125,000 relative relocations of the position-independent executable are stored
#       as RELR bitmaps (glibc ≥ 2.36): 3 MB of .rela.dyn the loader reads at every start
#       become 24 KB; the image is still loaded at a random address.
#   --disable-local-rpath (static builds)
#       No $ORIGIN run path: with the Swift runtime linked in there is nothing to find next
#       to the binary, and the loader no longer probes a dozen directories beside it
#       (glibc-hwcaps/x86-64-v4, tls/x86_64, …) for each shared library before the system's.
#   libstdc++ and libgcc linked in (static builds)
#       The binary then needs only libc and libm: two fewer shared objects to map, relocate,
#       search for symbols and initialise at every start. The linker is pointed at a folder
#       holding only the toolchain's libstdc++.a, so the `-lstdc++` the Swift driver passes
#       finds the archive; `-static-libgcc` does the same for the unwinder.
#       Together with the run path: `check` 19.8 -> 16.6 ms, `--version` 8.0 -> 5.7 ms.
#
#   Scripts/build-release.sh            # prints the installed copy's path on the last line
#   SCRATCH=DIR Scripts/build-release.sh   (default .build-static)
#   STATIC=0 Scripts/build-release.sh      (dynamic Swift runtime; .build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
flags=(-c release --product daneprobe
       -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
       -Xlinker --no-export-dynamic
       -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
if [[ ${STATIC:-1} == 1 ]]; then
    scratch=${SCRATCH:-.build-static}
    archive=$(clang -print-file-name=libstdc++.a)
    [[ -f $archive ]] || { echo "no libstdc++.a (Debian: libstdc++-12-dev)" >&2; exit 1; }
    mkdir -p "$scratch/static-libstdc++"
    ln -sf "$archive" "$scratch/static-libstdc++/libstdc++.a"
    flags+=(--static-swift-stdlib --scratch-path "$scratch" --disable-local-rpath
            -Xlinker -L"$(cd "$scratch/static-libstdc++" && pwd)" -Xswiftc -Xclang-linker -Xswiftc -static-libgcc)
elif [[ -n ${SCRATCH:-} ]]; then
    flags+=(--scratch-path "$SCRATCH")
fi
swift build "${flags[@]}" >&2
built="$(swift build "${flags[@]}" --show-bin-path)/daneprobe"
if [[ ${STATIC:-1} == 1 ]] && readelf -d "$built" | grep -q 'libstdc++\|libgcc_s'; then
    echo "warning: $built still loads libstdc++ or libgcc_s" >&2
fi
# The binary as it is installed: a copy, next to the build folder. The file the linker wrote
# starts slower than a copy of the same bytes for as long as the page cache it left behind
# stays (a `check` 2.6-3.3 ms slower in alternating runs, the same once that cache was
# dropped); a user runs an installed copy, so that is what this prints and the benchmarks time.
installed="$(dirname "$built")/installed"
mkdir -p "$installed"
install -m 755 "$built" "$installed/daneprobe"
echo "$installed/daneprobe"
