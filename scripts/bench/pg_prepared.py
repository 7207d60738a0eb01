#!/usr/bin/env python3
"""PostgreSQL's CPU per request: sessions from memory, the session read as a prepared statement, and
as a plain query.

Three `gatehouse serve --policy` on one PostgreSQL database: the default (session cache on), then
`--database-session-cache off`, then that and `--database-prepared-statements off`; the authorized
GET driven by wrk at each in turn, round after round. For each run: requests/s,
Gatehouse's CPU per request and the PostgreSQL processes' CPU per request (from /proc, so the
cluster must run on this machine). Run it through scripts/bench/pg_prepared.sh.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_bench import cpu_seconds, drop_postgres, fresh_postgres, log, log_in, serve, write_policy, wrk  # noqa: E402


def cluster_cpu_seconds():
    return cpu_seconds(int(p) for p in subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", required=True, help="the built GatehouseBenchServer (for the users)")
    parser.add_argument("--gatehouse", required=True, help="the release gatehouse binary")
    parser.add_argument("--postgres-url", required=True, help="an admin URL of a local PostgreSQL cluster")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    args.workdir = tempfile.mkdtemp(prefix="gatehouse-pg-prepared-")
    url = fresh_postgres(args.postgres_url, "gatehouse_prepared")
    subprocess.run([args.server, "setup", "--database", url], check=True, stdout=subprocess.DEVNULL)
    policy = write_policy(args.workdir)
    servers = []
    try:
        servers.append(serve(args, "session cache", url, 18090, ["--policy", policy]))
        no_cache = ["--policy", policy, "--database-session-cache", "off"]
        servers.append(serve(args, "prepared", url, 18091, no_cache))
        servers.append(serve(args, "not prepared", url, 18092, no_cache + ["--database-prepared-statements", "off"]))
        targets = [(server, f"http://127.0.0.1:{server.port}", log_in(f"http://127.0.0.1:{server.port}", "alice")) for server in servers]
        for server, base, cookie in targets:
            wrk(base + "/secret/", 3, args.connections, cookie)
        rows = {server.name: [] for server in servers}
        for round_number in range(args.rounds):
            for server, base, cookie in targets:
                gatehouse_before, database_before = server.cpu_seconds(), cluster_cpu_seconds()
                result = wrk(base + "/secret/", args.seconds, args.connections, cookie)
                n = result["requests"]
                row = (result["rps"], (server.cpu_seconds() - gatehouse_before) / n * 1e6, (cluster_cpu_seconds() - database_before) / n * 1e6)
                rows[server.name].append(row)
                log(f"round {round_number + 1}: {server.name:14s} {row[0]:9.0f} req/s  Gatehouse {row[1]:6.1f} us  PostgreSQL {row[2]:6.1f} us per request")
    finally:
        for server in servers:
            server.stop()
        drop_postgres(args.postgres_url, "gatehouse_prepared")
    print(f"wrk -t2 -c{args.connections} -d{args.seconds}s, mean of {args.rounds} alternated rounds, "
          "`gatehouse serve --policy` on PostgreSQL, authorized GET.\n")
    print("| session | req/s | Gatehouse CPU per request, us | PostgreSQL CPU per request, us |")
    print("| --- | --- | --- | --- |")
    for name, measured in rows.items():
        print(f"| {name} | {statistics.mean(r[0] for r in measured):.0f} | {statistics.mean(r[1] for r in measured):.1f} | "
              f"{statistics.mean(r[2] for r in measured):.1f} |")


if __name__ == "__main__":
    main()
