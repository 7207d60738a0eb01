#!/usr/bin/env python3
"""Server CPU per request of `gatehouse serve`, by executor, against the bare route (issue 17).

    python3 scripts/bench/cpu_per_request.py --server Benchmarks/.build/release/GatehouseBenchServer \
        --gatehouse .build/release/gatehouse [--postgres-url postgres://...] [--rounds 3]

(scripts/bench/cpu_per_request.sh builds both and passes them.) Starts, on one fresh SQLite file
(and a fresh PostgreSQL database when given): the bare route, and `gatehouse serve --policy` twice,
once as users start it (tasks on the event loops) and once with `GATEHOUSE_EXECUTOR=swift` (the
runtime's thread pool). Then, round after round, runs wrk -t2 -c32 for `--seconds` against each
with alice's session on `GET /secret/` and reads the server's user+system CPU from /proc/PID/stat
before and after. Prints requests/s and CPU microseconds per request for each round, and the
median of each. A ratio of throughputs depends on wrk sharing the cores; CPU per request does not
(but moves by about 10% between runs on a shared machine: compare within one run).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as bench  # noqa: E402  (Server, log_in, wrk, fresh_postgres, write_policy)

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def measure(server, url, cookie, seconds):
    before = cpu_ticks(server.process.pid)
    result = bench.wrk(url, seconds, 32, cookie)
    used = cpu_ticks(server.process.pid) - before
    requests = result["rps"] * seconds
    return result["rps"], used / TICKS / requests * 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True)
    parser.add_argument("--gatehouse", required=True)
    parser.add_argument("--postgres-url")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="gatehouse-cpu-")
    args.workdir = work
    sqlite_url = "sqlite:///" + os.path.join(work, "bench.sqlite3")
    subprocess.run([args.server, "setup", "--database", sqlite_url], check=True, stdout=subprocess.DEVNULL)
    policy = bench.write_policy(work)
    databases = [("SQLite", sqlite_url)]
    pg_url = None
    if args.postgres_url:
        pg_url = bench.fresh_postgres(args.postgres_url, "gatehouse_cpu")
        subprocess.run([args.server, "setup", "--database", pg_url], check=True, stdout=subprocess.DEVNULL)
        databases.append(("PostgreSQL", pg_url))
    servers = []
    targets = []
    try:
        bare = bench.Server("bare route", [args.server, "bare", "--database", sqlite_url, "--port", "18180"], 18180)
        servers.append(bare)
        targets.append(("bare route", bare, "http://127.0.0.1:18180/secret/", None))
        port = 18181
        for label, url in databases:
            for executor in ("event-loops", "swift"):
                command = [args.gatehouse, "serve", "--database", url, "--port", str(port), "--policy", policy,
                           "--login-checks-per-address", "0"]
                # Empty (the default, whatever the caller's environment says) or `swift`.
                env = {"GATEHOUSE_SECRET_KEY": bench.BENCH_SECRET_KEY, "GATEHOUSE_EXECUTOR": "swift" if executor == "swift" else ""}
                name = f"serve {label}, executor {executor}"
                server = bench.Server(name, command, port, env=env, log_file=os.path.join(work, f"serve-{port}.log"))
                servers.append(server)
                base = f"http://127.0.0.1:{port}"
                targets.append((name, server, base + "/secret/", bench.log_in(base, "alice")))
                port += 1
        for _, server, url, cookie in targets:
            bench.wrk(url, 2, 32, cookie)  # warm-up
            server.wait_idle()
        rows = {name: [] for name, *_ in targets}
        for round_number in range(args.rounds):
            for name, server, url, cookie in targets:
                rps, cpu = measure(server, url, cookie, args.seconds)
                server.wait_idle()
                rows[name].append((rps, cpu))
                bench.log(f"round {round_number + 1}: {name:40s} {rps:9.0f} req/s {cpu:7.1f} us CPU/request")
    finally:
        for server in servers:
            server.stop()
        if pg_url:
            bench.drop_postgres(args.postgres_url, "gatehouse_cpu")
    print(f"wrk -t2 -c32 -d{args.seconds}s, {args.rounds} alternated rounds; server CPU from /proc (user + system).\n")
    print("| server | req/s (median) | CPU per request, us (median) | rounds, us |")
    print("| --- | --- | --- | --- |")
    for name, measured in rows.items():
        cpus = " / ".join(f"{cpu:.1f}" for _, cpu in measured)
        print(f"| {name} | {statistics.median(r for r, _ in measured):.0f} | {statistics.median(c for _, c in measured):.1f} | {cpus} |")


if __name__ == "__main__":
    main()
