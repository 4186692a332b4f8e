#!/usr/bin/env bash
# A private PostgreSQL server for the tests and benchmarks: Debian's postgresql, a data
# folder of its own, listening on 127.0.0.1 only (a free port) and on a socket in DIR, trust
# authentication, fsync off (a scratch server: nothing in it outlives the run).
#   .ci/postgres.sh start DIR   prints postgres://postgres@127.0.0.1:PORT/postgres
#   .ci/postgres.sh stop DIR
# As root the server runs as the postgres user (PostgreSQL refuses to run as root).
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
command=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -n $bin && -x $bin/pg_ctl ]] || { echo "PostgreSQL server binaries not found (Debian package: postgresql)" >&2; exit 1; }

as_server() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $command in
    start)
        mkdir -p "$dir"
        chmod 700 "$dir"
        if [[ $(id -u) -eq 0 ]]; then
            chown postgres: "$dir"
            as_server test -w "$dir" || { echo "$dir: the postgres user cannot reach it (a parent folder is private?)" >&2; exit 1; }
        fi
        if ! as_server "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync > "$dir/initdb.log" 2>&1; then
            cat "$dir/initdb.log" >&2
            exit 1
        fi
        port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
        if ! as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
                -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start > /dev/null; then
            cat "$dir/server.log" >&2
            exit 1
        fi
        echo "postgres://postgres@127.0.0.1:$port/postgres"
        ;;
    stop)
        as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null
        ;;
    *) usage ;;
esac
