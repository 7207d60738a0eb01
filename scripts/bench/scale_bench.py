#!/usr/bin/env python3
"""The scale-out benchmark's driver (run it through scripts/bench/scale.sh, which starts the set-ups).

One instance and three instances of `gatehouse serve`, each set-up behind nginx on its own
PostgreSQL: the authorized GET through nginx, the two set-ups alternated round by round so that the
machine's drift hits both alike. Prints requests/s, p50 and p99 and the ratio, as Markdown.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_bench import child_pids, cpu_seconds, log, log_in, status_of, wrk  # noqa: E402


def read_env(path):
    values = {}
    for line in open(path):
        match = re.match(r'export (\w+)=(.*)$', line.strip())
        if match:
            values[match.group(1)] = match.group(2).strip('"')
    return values


def postgres_cpu_seconds(data_directory):
    """CPU time of the cluster's processes (the postmaster and its children), in seconds."""
    pid = int(open(os.path.join(data_directory, "postmaster.pid")).readline())
    return cpu_seconds([pid] + child_pids(pid))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--one", required=True, help="the export lines of the one-instance set-up")
    parser.add_argument("--three", required=True, help="the export lines of the three-instance set-up")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    setups = []
    for label, path in (("1 instance", args.one), ("3 instances", args.three)):
        env = read_env(path)
        base = env["GATEHOUSE_SCALE_URL"]
        cookie = log_in(base, "alice")
        if status_of(base + "/secret/", cookie) != 200:
            raise SystemExit(f"{label}: the authorized GET does not answer 200")
        data = open(os.path.join(env["GATEHOUSE_SCALE_DIR"], "pg.data")).read().strip()
        setups.append((label, base, cookie, data))
        wrk(base + "/secret/", 3, args.connections, cookie)
    runs = {label: [] for label, *_ in setups}
    database_cpu = {label: [] for label, *_ in setups}
    for round_number in range(args.rounds):
        for label, base, cookie, data in setups:
            before = postgres_cpu_seconds(data)
            result = wrk(base + "/secret/", args.seconds, args.connections, cookie)
            spent = postgres_cpu_seconds(data) - before
            runs[label].append(result)
            database_cpu[label].append(spent / result["requests"] * 1e6)
            log(f"round {round_number + 1}: {label:12s} {result['rps']:10.1f} req/s  p99 {result['p99']:7.2f} ms  "
                f"PostgreSQL {database_cpu[label][-1]:.1f} us CPU per request")
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"Machine: {os.cpu_count()} cores, {cpu}; nginx (1 worker, keepalive 16) round robin in front; "
          f"wrk -t2 -c{args.connections} -d{args.seconds}s, mean of {args.rounds} alternated rounds.\n")
    print("| set-up | authorized GET req/s (runs) | p50 ms | p99 ms | PostgreSQL CPU per request, us |")
    print("| --- | --- | --- | --- | --- |")
    means = {}
    for label, *_ in setups:
        measured = runs[label]
        means[label] = statistics.mean(r["rps"] for r in measured)
        each = " / ".join(f"{r['rps']:.0f}" for r in measured)
        print(f"| {label} | {means[label]:.0f} ({each}) | "
              f"{statistics.mean(r['p50'] for r in measured):.2f} | {statistics.mean(r['p99'] for r in measured):.2f} | "
              f"{statistics.mean(database_cpu[label]):.1f} |")
    print(f"\n3 instances : 1 instance throughput = {means['3 instances'] / means['1 instance']:.2f}")


if __name__ == "__main__":
    main()
