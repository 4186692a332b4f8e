#!/usr/bin/env bash
# Authoritative serving benchmark: `daneprobe serve` side by side with NSD in the same run.
#
#   Benchmarks/dns-serve.sh                  # 10,000 records, dnsperf -c 4 -l 10 against each
#   RECORDS=100000 SECONDS_EACH=20 Benchmarks/dns-serve.sh
#   UDP_SOCKETS=2 Benchmarks/dns-serve.sh    # our server with 2 SO_REUSEPORT sockets
#
# Builds `daneprobe` in release mode, generates a deterministic zone (Benchmarks/gen-zone.py)
# and a query file from it (every owner/type in the zone, plus one name in ten that does not
# exist, so NXDOMAIN is measured too; shuffled with a fixed seed), starts NSD (one server
# process, as ours is one process; its response rate limiting off) and our server on 127.0.0.1 at free ports, each from its
# own temporary folder, and runs
#   dnsperf -s 127.0.0.1 -p PORT -d QUERYFILE -c 4 -l SECONDS_EACH
# against each in turn. Prints queries/s, average latency and lost queries, and ours as a
# ratio of NSD's. Both servers are stopped by the PIDs recorded here; loopback only.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
records=${RECORDS:-10000}
seconds=${SECONDS_EACH:-10}
udp_sockets=${UDP_SOCKETS:-1}
origin=example.test.
export PATH=$PATH:/usr/sbin:/sbin

for tool in nsd dnsperf dig python3; do
    command -v "$tool" > /dev/null || { echo "missing $tool (Debian: nsd, dnsperf, bind9-dnsutils, python3)" >&2; exit 1; }
done

source "$root/Benchmarks/lib.sh"
bench_build
bench_workdir dns-serve

zone="$work/bench.zone"
queries="$work/queries.txt"
echo "== generating $records records -> $zone"
python3 Benchmarks/gen-zone.py "$records" "$zone" "$origin"
bench_query_file "$zone" "$queries" "$origin"


await_ready() { # PORT PID NAME: up to 100 SOA queries (each waits at most 0.2 s), no sleeping
    for _ in $(seq 1 100); do
        kill -0 "$2" 2> /dev/null || { echo "$3 exited early" >&2; cat "$work"/*.log >&2; exit 1; }
        if dig @127.0.0.1 -p "$1" +time=1 +tries=1 +norec "$origin" SOA +short 2> /dev/null | grep -q .; then return 0; fi
    done
    echo "$3 did not answer on port $1" >&2
    exit 1
}

nsd_port=$(bench_free_port)
mkdir -p "$work/nsd"
cat > "$work/nsd/nsd.conf" << EOF2
server:
  ip-address: 127.0.0.1@$nsd_port
  server-count: 1
  username: ""
  chroot: ""
  zonesdir: "$work/nsd"
  pidfile: "$work/nsd/nsd.pid"
  zonelistfile: "$work/nsd/zone.list"
  xfrdfile: "$work/nsd/xfrd.state"
  xfrdir: "$work/nsd"
  database: ""
  verbosity: 0
  do-ip6: no
  # Debian's NSD has response rate limiting on (200 qps per /24): off, or it measures RRL.
  rrl-ratelimit: 0
  rrl-whitelist-ratelimit: 0
remote-control:
  control-enable: no
zone:
  name: "$origin"
  zonefile: "$zone"
EOF2
nsd -d -c "$work/nsd/nsd.conf" > "$work/nsd.log" 2>&1 &
pids+=($!)
await_ready "$nsd_port" "${pids[-1]}" nsd

our_port=$(bench_free_port)
"$daneprobe" serve --zone "$zone:$origin" --listen "127.0.0.1:$our_port" --udp-sockets "$udp_sockets" > "$work/daneprobe.log" 2>&1 &
pids+=($!)
await_ready "$our_port" "${pids[-1]}" daneprobe

run() { # NAME PORT
    echo "== dnsperf against $1 (port $2, $seconds s, 4 clients)" >&2
    dnsperf -s 127.0.0.1 -p "$2" -d "$queries" -c 4 -l "$seconds" > "$work/$1.perf" 2>&1
    grep -E "Queries (sent|completed|lost)|Queries per second|Average Latency" "$work/$1.perf" >&2
    awk '/Queries per second/ {qps=$4} /Average Latency/ {lat=$4} /Queries lost/ {lost=$3}
         END {printf "%s %s %s\n", qps, lat, lost}' "$work/$1.perf"
}
read -r nsd_qps nsd_lat nsd_lost < <(run nsd "$nsd_port")
read -r our_qps our_lat our_lost < <(run daneprobe "$our_port")

echo
echo "== results: $records records, $(wc -l < "$queries") queries in the file, dnsperf -c 4 -l $seconds, $(nproc) cores"
printf "%-12s %14s %18s %10s\n" server "queries/s" "avg latency (ms)" lost
printf "%-12s %14.0f %18.3f %10s\n" nsd "$nsd_qps" "$(python3 -c "print($nsd_lat*1000)")" "$nsd_lost"
printf "%-12s %14.0f %18.3f %10s\n" daneprobe "$our_qps" "$(python3 -c "print($our_lat*1000)")" "$our_lost"
python3 -c "print(f'ratio daneprobe / nsd: {$our_qps / $nsd_qps:.2f}x queries/s, {$our_lat / $nsd_lat:.2f}x latency')"
