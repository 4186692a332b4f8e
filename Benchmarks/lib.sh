# Shared by the benchmark scripts (sourced, not run): building daneprobe, a work folder whose
# background processes are stopped and which is removed on exit, and a private Unbound.

# bench_build [static]: builds the release `daneprobe` and sets $daneprobe. With `static`, the
# Swift runtime and Foundation are linked in (`--static-swift-stdlib`, how a command-line tool
# ships; half the start-up), in its own scratch path ($SCRATCH, default .build-static).
bench_build() {
    local flags=()
    if [[ ${1:-} == static ]]; then
        flags=(--static-swift-stdlib --scratch-path "${SCRATCH:-.build-static}")
        echo "== building daneprobe (release, --static-swift-stdlib)"
    else
        echo "== building daneprobe (release)"
    fi
    swift build -c release "${flags[@]}" --product daneprobe > /dev/null
    daneprobe="$(swift build -c release "${flags[@]}" --show-bin-path)/daneprobe"
}

# bench_workdir NAME: sets $work to a fresh folder and `pids` to an empty list; on exit every
# PID in `pids` is stopped and waited for, and the folder removed (kept with KEEP=1).
bench_workdir() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/daneprobe-$1.XXXXXX")
    pids=()
    trap bench_cleanup EXIT
}
bench_cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
    if [[ -n "${KEEP:-}" ]]; then echo "kept $work"; else rm -rf "$work"; fi
}

# bench_unbound_conf ADDRESS PORT TRUST_ANCHOR_FILE STUB_ADDR [EXTRA_SERVER_LINES]: prints a
# validating Unbound's configuration (INTEROP.md) listening on ADDRESS:PORT, resolving "."
# through STUB_ADDR (ADDR@PORT), its files in $work.
bench_unbound_conf() {
    cat << CONF
server:
  interface: $1
  port: $2
  so-reuseport: no
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  username: ""
  chroot: ""
  directory: "$work"
  pidfile: "$work/unbound.pid"
  use-syslog: no
  logfile: "$work/unbound.log"
  do-not-query-localhost: no
  local-zone: "test." nodefault
  trust-anchor-file: "$3"
  trust-anchor-signaling: no
${5:-}
stub-zone:
  name: "."
  stub-addr: $4
remote-control:
  control-enable: no
CONF
}

# bench_generated_lab N: `daneprobe lab serve --published-addresses --generate N` (N synthetic
# mail domains of every kind the generator knows, on 127.0.0.10-13:53 and 127.2.x.y:25) and a
# validating Unbound on 127.0.2.9:53 in front of it, both stopped on exit. Leaves the lab's DS
# in $work/lab.ds, the domains in $work/domains.txt and the manifest in $work/manifest.json.
bench_generated_lab() {
    echo "== lab serve: $1 generated domains on their published addresses"
    "$daneprobe" lab serve --published-addresses --generate "$1" --manifest "$work/manifest.json" > "$work/lab.log" 2>&1 &
    pids+=($!)
    until grep -q "^ready" "$work/lab.log"; do
        kill -0 "${pids[0]}" 2> /dev/null || { cat "$work/lab.log" >&2; exit 1; }
        read -r -t 0.2 < <(:) || true
    done
    sed -n 's/^trust-anchor //p' "$work/lab.log" > "$work/lab.ds"
    python3 -c 'import json,sys; [print(s["domain"].rstrip(".")) for s in json.load(open(sys.argv[1]))["scenarios"]]' "$work/manifest.json" > "$work/domains.txt"

    bench_unbound_conf 127.0.2.9 53 "$work/lab.ds" 127.0.0.10@53 "$(printf '  msg-cache-size: 64m\n  rrset-cache-size: 64m')" > "$work/unbound.conf"
    unbound -d -c "$work/unbound.conf" &
    pids+=($!)
    until dig +short +time=1 +tries=1 @127.0.2.9 lab. SOA > /dev/null 2>&1; do
        kill -0 "${pids[-1]}" 2> /dev/null || { cat "$work/unbound.log" >&2; exit 1; }
        read -r -t 0.2 < <(:) || true
    done
}
