#!/usr/bin/env python3
"""Abuse driver for Benchmarks/smtp-abuse.sh: slowloris and flooding clients from 127.0.0.2
against one SMTP server, well-formed STARTTLS deliveries from 127.0.0.1 at the same time, and
the server process's resident memory sampled from /proc (VmRSS every 0.5 s, and the
kernel's peak VmHWM at the end). Prints one JSON object.

  smtp-abuse.py HOST PORT SERVER_PID SECONDS ABUSERS GOOD_WORKERS
"""
import asyncio, json, ssl, sys, time

host, port, pid, seconds, abusers, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
stats = {"good_completed": 0, "good_refused_421": 0, "good_failed": 0, "good_max_seconds": 0.0,
         "abuse_connections": 0, "abuse_refused_421": 0, "abuse_closed_by_server": 0,
         "abuse_closed_timeout_exceeded": 0, "abuse_closed_session_too_long": 0,
         "abuse_held_at_end": 0, "flood_octets_sent": 0}
deadline = time.monotonic() + seconds
tls = ssl.create_default_context()
tls.check_hostname = False
tls.verify_mode = ssl.CERT_NONE

def rss_kib(field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0

async def reply(reader):
    lines = []
    while True:
        line = await reader.readline()
        if not line:
            raise ConnectionError("closed")
        lines.append(line)
        if len(line) < 4 or line[3:4] != b"-":
            return lines[0][:3], b"".join(lines)

async def good_session():
    started = time.monotonic()
    reader, writer = await asyncio.open_connection(host, port, local_addr=("127.0.0.1", 0))
    try:
        code, _ = await reply(reader)
        if code == b"421":
            return "refused"
        writer.write(b"EHLO good.bench\r\n"); await writer.drain(); await reply(reader)
        writer.write(b"STARTTLS\r\n"); await writer.drain()
        code, _ = await reply(reader)
        if code != b"220":
            return "failed"
        await writer.start_tls(tls, server_hostname="mx.bench")
        for command in [b"EHLO good.bench", b"MAIL FROM:<a@good.bench>", b"RCPT TO:<postmaster@mx.bench>", b"DATA"]:
            writer.write(command + b"\r\n"); await writer.drain()
            code, _ = await reply(reader)
        if code != b"354":
            return "failed"
        writer.write(b"Subject: bench\r\n\r\nhello\r\n.\r\n"); await writer.drain()
        code, _ = await reply(reader)
        writer.write(b"QUIT\r\n"); await writer.drain()
        stats["good_max_seconds"] = max(stats["good_max_seconds"], time.monotonic() - started)
        return "completed" if code == b"250" else "failed"
    finally:
        writer.close()

async def good_worker():
    while time.monotonic() < deadline:
        try:
            outcome = await asyncio.wait_for(good_session(), 20)
        except Exception:
            outcome = "failed"
        stats["good_" + {"completed": "completed", "refused": "refused_421", "failed": "failed"}[outcome]] += 1

async def abuser(kind):
    """Reconnects as soon as the server closes: constant pressure until the deadline."""
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, port, local_addr=("127.0.0.2", 0))
            greeting = await asyncio.wait_for(reader.readline(), 10)
        except Exception:
            stats["abuse_connect_failed"] = stats.get("abuse_connect_failed", 0) + 1
            continue
        stats["abuse_connections"] += 1
        if greeting.startswith(b"421"):
            stats["abuse_refused_421"] += 1
            writer.close()
            continue
        stats["abuse_admitted"] = stats.get("abuse_admitted", 0) + 1
        heard = b""
        async def listen():
            nonlocal heard
            while True:
                chunk = await reader.read(4096)
                if not chunk:
                    return
                heard += chunk
        # The flooder never reads: the server's replies back up.
        listener = asyncio.ensure_future(listen()) if kind != "flood" else None
        closed = False
        try:
            while time.monotonic() < deadline and not (listener and listener.done()):
                if kind == "byte":
                    writer.write(b"x")
                    await asyncio.sleep(1)
                elif kind == "noop":
                    writer.write(b"NOOP\r\n")
                    await asyncio.sleep(20)
                elif kind == "flood":
                    writer.write(b"NOOP\r\n" * 10000)
                    await asyncio.wait_for(writer.drain(), 1)
                    stats["flood_octets_sent"] += 60000
                else:  # silent
                    await asyncio.sleep(1)
        except asyncio.TimeoutError:
            # The flooder's writes stopped draining: the server stopped reading (backpressure).
            stats["flood_stalled"] = stats.get("flood_stalled", 0) + 1
            await asyncio.sleep(max(0, deadline - time.monotonic()))
        except Exception:
            closed = True
        if listener and listener.done():
            closed = True
        if closed:
            stats["abuse_closed_by_server"] += 1
            if b"timeout exceeded" in heard:
                stats["abuse_closed_timeout_exceeded"] += 1
            if b"session too long" in heard:
                stats["abuse_closed_session_too_long"] += 1
        else:
            stats["abuse_held_at_end"] += 1
        if listener:
            listener.cancel()
        writer.close()

async def sample(peaks):
    while time.monotonic() < deadline:
        peaks.append(rss_kib("VmRSS:"))
        await asyncio.sleep(0.5)

async def main():
    peaks = []
    start_rss = rss_kib("VmRSS:")
    kinds = ["silent", "byte", "noop", "flood"]
    tasks = [asyncio.ensure_future(abuser(kinds[i % 4])) for i in range(abusers)]
    tasks += [asyncio.ensure_future(good_worker()) for _ in range(workers)]
    tasks.append(asyncio.ensure_future(sample(peaks)))
    await asyncio.wait(tasks, timeout=seconds + 30)
    stats["server_rss_start_mib"] = round(start_rss / 1024, 1)
    stats["server_rss_sampled_max_mib"] = round(max(peaks or [0]) / 1024, 1)
    # The kernel's high-water mark of the server's resident set (VmHWM), start-up included.
    stats["server_rss_peak_mib"] = round(rss_kib("VmHWM:") / 1024, 1)
    stats["server_rss_end_mib"] = round(rss_kib("VmRSS:") / 1024, 1)
    stats["seconds"] = seconds
    stats["abusers"] = abusers
    stats["good_workers"] = workers
    stats["good_max_seconds"] = round(stats["good_max_seconds"], 2)
    print(json.dumps(stats))
    for task in tasks:
        task.cancel()

asyncio.run(main())
