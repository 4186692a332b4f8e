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
#
#   Scripts/build-release.sh            # prints the binary's path on the last line
#   SCRATCH=DIR Scripts/build-release.sh   (default .build-static)
#   STATIC=0 Scripts/build-release.sh      (dynamic Swift runtime; .build)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
flags=(-c release --product daneprobe
       -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
       -Xlinker --no-export-dynamic
       -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs)
if [[ ${STATIC:-1} == 1 ]]; then
    flags+=(--static-swift-stdlib --scratch-path "${SCRATCH:-.build-static}")
elif [[ -n ${SCRATCH:-} ]]; then
    flags+=(--scratch-path "$SCRATCH")
fi
swift build "${flags[@]}" >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/daneprobe"
