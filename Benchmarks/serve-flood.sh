#!/usr/bin/env bash
# `daneprobe serve` under load and abuse (issue 10): dnsperf floods a signed zone while a
# second sender sends malformed queries and holds half-open TCP connections; well-formed
# clients must keep being answered and the server's memory must stay bounded.
#
#   Benchmarks/serve-flood.sh                 # 10,000 records, 20 s
#   RECORDS=100000 SECONDS_EACH=60 Benchmarks/serve-flood.sh
#   DANEPROBE=.build/debug/daneprobe Benchmarks/serve-flood.sh   # no release build
#
# Builds `daneprobe` (release), generates a zone (gen-zone.py), signs it (`daneprobe zone
# sign`, ECDSA P-256, NSEC), serves it on 127.0.0.1 at a free port (defaults: 256 TCP
# connections, 10 s idle timeout), then for SECONDS_EACH seconds at once:
#   - dnsperf -D -c 4 -l SECONDS_EACH (DO set: signed answers);
#   - the abuser (python3, below): UDP datagrams of random bytes, headers cut short, a QNAME
#     pointing at itself, responses (QR set), an OPT claiming 65,535 octets with a 4 KiB
#     option, over-long labels; and TCP connections (ABUSE_TCP, default 300: more than the
#     limit) that send half a length prefix, or a prefix promising 65,535 octets, and hang,
#     reopened as the server closes them, from ABUSE_SOURCES addresses (default 8:
#     127.0.0.2–127.0.0.9, 8 × the 64 per client > the 256 slots, so the server must evict);
#   - probes, back to back: `dig` over UDP and `kdig +tcp` for the SOA with DNSSEC.
# Prints dnsperf's completed share and rate, the abuser's counts, the probes answered, and
# the server's peak RSS (VmHWM) and RSS at the end. Loopback only; processes stopped by PID.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
records=${RECORDS:-10000}
seconds=${SECONDS_EACH:-20}
abuse_tcp=${ABUSE_TCP:-300}
abuse_sources=${ABUSE_SOURCES:-8}
origin=example.test.
export PATH=$PATH:/usr/sbin:/sbin

for tool in dnsperf dig kdig python3; do
    command -v "$tool" > /dev/null || { echo "missing $tool (Debian: dnsperf, bind9-dnsutils, knot-dnsutils, python3)" >&2; exit 1; }
done

source "$root/Benchmarks/lib.sh"
if [[ -n "${DANEPROBE:-}" ]]; then daneprobe=$DANEPROBE; echo "== using $daneprobe"; else bench_build; fi
bench_workdir serve-flood

zone="$work/flood.zone"
queries="$work/queries.txt"
echo "== generating $records records, signing"
python3 Benchmarks/gen-zone.py "$records" "$zone" "$origin"
mkdir -p "$work/keys"
"$daneprobe" zone sign --origin "$origin" --single-key --keys "$work/keys" -o "$zone.signed" "$zone" 2> /dev/null
bench_query_file "$zone" "$queries" "$origin"

port=$(bench_free_port)
"$daneprobe" serve --zone "$zone.signed:$origin" --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
serve_pid=$!
pids+=("$serve_pid")
until grep -q "listening tcp" "$work/serve.log"; do
    kill -0 "$serve_pid" 2> /dev/null || { cat "$work/serve.log" >&2; exit 1; }
    read -r -t 0.1 < <(:) || true
done
dig @127.0.0.1 -p "$port" +time=2 +tries=3 +norec "$origin" SOA +short | grep -q . || { echo "serve does not answer" >&2; exit 1; }
echo "== serving on 127.0.0.1:$port (pid $serve_pid); flood + abuse for $seconds s"

python3 - "$port" "$seconds" "$abuse_tcp" "$abuse_sources" > "$work/abuse.out" 2>&1 << 'PY' &
import os, random, select, socket, struct, sys, time
port, seconds, tcp_target, sources = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(7)
def name(text):
    return b"".join(bytes([len(l)]) + l.encode() for l in text.strip(".").split(".")) + b"\0"
good = struct.pack(">HHHHHH", 0x4242, 0, 1, 0, 0, 0) + name("www.example.test.") + b"\0\1\0\1"
def malformed():
    kind = rng.randrange(7)
    if kind == 0: return os.urandom(rng.randrange(1, 1400))
    if kind == 1: return good[:rng.randrange(1, 12)]
    if kind == 2: return struct.pack(">HHHHHH", rng.randrange(65536), 0, 1, 0, 0, 0) + b"\xc0\x0c\0\1\0\1"
    if kind == 3: return good[:2] + b"\x80" + good[3:]
    if kind == 4:
        return (struct.pack(">HHHHHH", rng.randrange(65536), 0, 1, 0, 0, 1) + name("www.example.test.") + b"\0\1\0\1"
                + b"\0\0\x29\xff\xff\0\0\x80\0" + struct.pack(">HHH", 4100, 0xff00, 4096) + os.urandom(4096))
    if kind == 5: return good[:12] + b"\x40" + b"a" * 64 + b"\0\0\1\0\1"
    return struct.pack(">HHHHHH", rng.randrange(65536), 0, 1, 0, 0, 0) + b"\x3fa" * 5
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.setblocking(False)
conns, opened, refused, datagrams = [], 0, 0, 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    for _ in range(200):
        try:
            udp.sendto(malformed(), ("127.0.0.1", port)); datagrams += 1
        except (BlockingIOError, ConnectionRefusedError):
            pass
    try:
        while True: udp.recv(65535)
    except (BlockingIOError, ConnectionRefusedError):
        pass
    # Reap closed connections, open new half-open ones up to the target.
    alive = []
    for c in conns:
        r, _, _ = select.select([c], [], [], 0)
        if r:
            try:
                if c.recv(1) == b"": c.close(); continue
            except OSError:
                c.close(); continue
        alive.append(c)
    conns = alive
    while len(conns) < tcp_target:
        c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            c.bind((f"127.0.0.{2 + opened % sources}", 0))
            c.connect(("127.0.0.1", port))
            c.send(b"\x00" if opened % 2 == 0 else b"\xff\xff" + b"A" * 100)
            conns.append(c); opened += 1
        except OSError:
            refused += 1; c.close(); break
    time.sleep(0.005)
print(f"malformed datagrams sent: {datagrams}")
print(f"half-open TCP connections opened: {opened} from {sources} addresses (connect failures {refused}; open at the end {len(conns)})")
PY
abuse_pid=$!
pids+=("$abuse_pid")

dnsperf -s 127.0.0.1 -p "$port" -d "$queries" -D -c 4 -l "$seconds" > "$work/dnsperf.out" 2>&1 &
perf_pid=$!
pids+=("$perf_pid")

udp_ok=0 udp_n=0 tcp_ok=0 tcp_n=0
while kill -0 "$perf_pid" 2> /dev/null; do
    udp_n=$((udp_n + 1))
    if dig @127.0.0.1 -p "$port" +time=2 +tries=1 +norec +dnssec "$origin" SOA 2> /dev/null | grep -q "status: NOERROR"; then udp_ok=$((udp_ok + 1)); fi
    tcp_n=$((tcp_n + 1))
    if kdig @127.0.0.1 -p "$port" +tcp +time=2 +retry=0 +norec +dnssec "$origin" SOA 2> /dev/null | grep -q "status: NOERROR"; then tcp_ok=$((tcp_ok + 1)); fi
done
wait "$perf_pid" || true
wait "$abuse_pid" || true
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$serve_pid/status")
rss=$(awk '/VmRSS/ {print $2}' "/proc/$serve_pid/status")
alive=$(kill -0 "$serve_pid" 2> /dev/null && echo yes || echo no)

echo
echo "== results: $records records signed, dnsperf -D -c 4 -l $seconds, abuse alongside, $(nproc) cores"
grep -E "Queries (sent|completed|lost)|Queries per second|Average Latency" "$work/dnsperf.out"
cat "$work/abuse.out"
echo "probes during the flood: dig UDP $udp_ok/$udp_n answered, kdig TCP $tcp_ok/$tcp_n answered"
echo "serve: alive $alive, peak RSS $((hwm / 1024)) MiB, RSS at the end $((rss / 1024)) MiB"
