# Shared by the benchmark scripts (sourced, not run): building daneprobe, a work folder whose
# background processes are stopped and which is removed on exit, and a private Unbound.

# bench_build [static]: builds the release `daneprobe` the way it ships (Scripts/build-release.sh)
# and sets $daneprobe. With `static`, the Swift runtime and Foundation are linked in
# (`--static-swift-stdlib`, how a command-line tool ships; half the start-up), in its own
# scratch path ($SCRATCH, default .build-static); without, in .build.
bench_build() {
    local static=0 log
    log=$(mktemp)
    if [[ ${1:-} == static ]]; then static=1; fi
    echo "== building daneprobe (release$([[ $static == 1 ]] && echo ", --static-swift-stdlib"))"
    if ! daneprobe=$(STATIC=$static "$root/Scripts/build-release.sh" 2> "$log" | tail -1) || [[ ! -x $daneprobe ]]; then
        cat "$log" >&2
        rm -f "$log"
        echo "the release build failed" >&2
        exit 1
    fi
    rm -f "$log"
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

# bench_query_file ZONE OUT ORIGIN: a dnsperf query file from a zone file: every owner/type
# pair it holds, plus one name in ten that does not exist (NXDOMAIN), shuffled with a fixed seed.
bench_query_file() {
python3 - "$1" "$2" "$3" << 'PY'
import random, sys
zone, out, origin = sys.argv[1:4]
pairs, owner = [], origin
for line in open(zone, encoding="ascii"):
    if not line.strip() or line.startswith((";", "$")):
        continue
    fields = line.split()
    if not line[0].isspace():
        owner = fields.pop(0)
        owner = origin if owner == "@" else (owner if owner.endswith(".") else owner + "." + origin)
    fields = [f for f in fields if not f.isdigit() and f not in ("IN", "(")]
    if fields:
        pairs.append((owner, fields[0]))
pairs = sorted(set(pairs))
rng = random.Random(20240601)
lines = [f"{name} {rtype}" for name, rtype in pairs]
lines += [f"nx{i}.{origin} A" for i in range(len(lines) // 10)]
rng.shuffle(lines)
open(out, "w", encoding="ascii").write("\n".join(lines) + "\n")
print(f"{len(lines)} queries ({len(pairs)} existing owner/type pairs)")
PY
}

# bench_free_port: a port free on 127.0.0.1 for both UDP and TCP.
bench_free_port() {
    python3 -c 'import socket
while True:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0)); p = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.bind(("127.0.0.1", p)); print(p); break
    except OSError: pass
    finally: u.close(); t.close()'
}
