#!/usr/bin/env bash
# The lab's SMTP server (SMTPServerService, as `daneprobe lab serve` runs it: 64 sessions,
# 16 per client address, 30 s line deadline, 600 s session deadline) under abuse, while
# well-formed clients deliver:
#
#   Benchmarks/smtp-abuse.sh                         # 60 s, 200 abusers, 8 good workers
#   SECONDS_RUN=120 ABUSERS=400 Benchmarks/smtp-abuse.sh
#   DANEPROBE=/path/to/daneprobe Benchmarks/smtp-abuse.sh   # another build (e.g. before a change)
#
# Abusers connect from 127.0.0.2 and reconnect as soon as they are closed, a quarter each:
# silent (connect, send nothing), a byte a second of an endless line, a complete NOOP every
# 20 s, and a flood of pipelined NOOPs whose replies are never read. Good workers connect
# from 127.0.0.1 and each runs EHLO, STARTTLS, EHLO, MAIL, RCPT, DATA, QUIT in a loop. The
# server process's VmRSS is sampled every 0.5 s. Prints the driver's JSON figures
# (Benchmarks/smtp-abuse.py). Needs python3 (standard library only).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source "$root/Benchmarks/lib.sh"
if [[ -n ${DANEPROBE:-} ]]; then daneprobe=$DANEPROBE; else bench_build; fi
bench_workdir smtp-abuse

"$daneprobe" lab serve --only control-311 --manifest "$work/manifest.json" > "$work/serve.log" 2>&1 &
server=$!
pids+=("$server")
# Readiness: `lab serve` prints "ready" once every listener is bound.
for _ in $(seq 300); do
    grep -q '^ready' "$work/serve.log" && break
    kill -0 "$server" 2> /dev/null || { echo "lab serve exited" >&2; cat "$work/serve.log" >&2; exit 1; }
    sleep 0.2
done
grep -q '^ready' "$work/serve.log" || { echo "lab serve did not become ready in 60 s" >&2; exit 1; }
listening=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mail_servers"][0]["listening"])' "$work/manifest.json")
echo "== lab SMTP server (control-311) on $listening, PID $server; ${SECONDS_RUN:-60} s, ${ABUSERS:-200} abusers, ${WORKERS:-8} good workers"
python3 "$root/Benchmarks/smtp-abuse.py" "${listening%:*}" "${listening##*:}" "$server" "${SECONDS_RUN:-60}" "${ABUSERS:-200}" "${WORKERS:-8}"
kill -0 "$server" 2> /dev/null && echo "server still running: yes" || { echo "server still running: NO" >&2; exit 1; }
