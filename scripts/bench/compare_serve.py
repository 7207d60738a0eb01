#!/usr/bin/env python3
"""Several `gatehouse` binaries side by side (a change against the commit before it), with the bare
route, in alternated rounds: requests/s and server CPU per request, and with `--jobs` the Swift
concurrency jobs each request queues.

    git stash; swift build -c release --product gatehouse; cp .build/release/gatehouse /tmp/gatehouse-before
    git stash pop; swift build -c release --product gatehouse
    python3 scripts/bench/compare_serve.py --server Benchmarks/.build/release/GatehouseBenchServer \
        /tmp/gatehouse-before .build/release/gatehouse [--rounds 5] [--jobs]

Each binary runs `serve --policy` as users start it (tasks on the event loops) on one fresh SQLite
file (with `--upstream`, in front of the bare route, whose own CPU is then not counted for them), and wrk -t2 -c32 asks each for `GET /secret/` with alice's session, one after another in every
round, so drift on a shared machine hits them alike, and the ratios are taken round by round. CPU is user
+ system from /proc/PID/stat.

`--jobs` (root, perf from Debian's linux-perf) first counts, in a round of its own, the calls of
`swift_task_enqueueGlobal` (a job queued on the executor) and `swift_task_switch` per request with
uprobes on libswift_Concurrency.so. The probes slow every call a lot, so that round's throughput
means nothing and is not printed.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http_bench as bench  # noqa: E402
from cpu_per_request import measure  # noqa: E402

CONCURRENCY = "/opt/swift/usr/lib/swift/linux/libswift_Concurrency.so"
EVENTS = ("swift_task_enqueueGlobal", "swift_task_switch")


def probe_events(library):
    for event in EVENTS:
        subprocess.run(["perf", "probe", "-q", "-x", library, event], stderr=subprocess.DEVNULL)
    return ",".join(f"probe_libswift_Concurrency:{event}" for event in EVENTS)


def count_jobs(events, pid, url, cookie):
    perf = subprocess.Popen(["perf", "stat", "-x,", "-e", events, "-p", str(pid)], stderr=subprocess.PIPE, text=True)
    result = bench.wrk(url, 2, 32, cookie)
    perf.send_signal(2)
    counts = {}
    for line in perf.communicate()[1].splitlines():
        fields = line.split(",")
        for event in EVENTS:
            if event in line and fields[0].isdigit():
                counts[event] = int(fields[0]) / result["requests"]
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True, help="GatehouseBenchServer (setup, and the bare route)")
    parser.add_argument("binaries", nargs="+", help="`gatehouse` binaries to compare")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--jobs", action="store_true", help="count jobs per request with perf uprobes first")
    parser.add_argument("--upstream", action="store_true", help="`serve --upstream` in front of the bare route instead of its built-in page")
    parser.add_argument("--concurrency-library", default=CONCURRENCY)
    args = parser.parse_args()
    args.workdir = tempfile.mkdtemp(prefix="gatehouse-compare-")
    database = "sqlite:///" + os.path.join(args.workdir, "bench.sqlite3")
    subprocess.run([args.server, "setup", "--database", database], check=True, stdout=subprocess.DEVNULL)
    policy = bench.write_policy(args.workdir)
    servers, targets = [], []
    try:
        bare = bench.Server("bare route", [args.server, "bare", "--database", database, "--port", "18180"], 18180)
        servers.append(bare)
        targets.append(("bare route", bare, "http://127.0.0.1:18180/secret/", None))
        for index, binary in enumerate(args.binaries):
            port = 18181 + index
            args.gatehouse = binary
            extra = ["--policy", policy] + (["--upstream", "http://127.0.0.1:18180"] if args.upstream else [])
            server = bench.serve(args, binary, database, port, extra, env={"GATEHOUSE_EXECUTOR": ""})
            servers.append(server)
            base = f"http://127.0.0.1:{port}"
            targets.append((binary, server, base + "/secret/", bench.log_in(base, "alice")))
        for _, server, url, cookie in targets:
            bench.wrk(url, 2, 32, cookie)  # warm-up
            server.wait_idle()
        if args.jobs:
            events = probe_events(args.concurrency_library)
            try:
                for name, server, url, cookie in targets:
                    counts = count_jobs(events, server.process.pid, url, cookie)
                    print(f"{name}: " + ", ".join(f"{event} {counts.get(event, 0):.1f}" for event in EVENTS) + " per request")
                    server.wait_idle()
            finally:
                subprocess.run(["perf", "probe", "-q", "-d", "probe_libswift_Concurrency:*"], stderr=subprocess.DEVNULL)
        rows = {name: [] for name, *_ in targets}
        for round_number in range(args.rounds):
            for name, server, url, cookie in targets:
                rps, cpu, _, _ = measure(server, url, cookie, args.seconds)
                rows[name].append((rps, cpu))
                bench.log(f"round {round_number + 1}: {name:40s} {rps:9.0f} req/s {cpu:7.1f} us CPU/request")
                server.wait_idle()
    finally:
        for server in servers:
            server.stop()
    print(f"\nwrk -t2 -c32 -d{args.seconds}s, {args.rounds} alternated rounds; server CPU from /proc (user + system).")
    print("On a shared machine the speed of every server drifts from round to round; the ratio columns are")
    print("the median of each round's own ratio (servers measured seconds apart), which drift moves least.\n")
    first = args.binaries[0]
    print("| server | req/s (median) | req/s : bare route | CPU per request, us (median) | CPU : bare route | CPU : first binary | rounds, us |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, measured in rows.items():
        rps = statistics.median(r for r, _ in measured)
        cpu = statistics.median(c for _, c in measured)
        per_round = lambda other, index: statistics.median(m[index] / o[index] for m, o in zip(measured, rows[other]))
        cpus = " / ".join(f"{c:.1f}" for _, c in measured)
        print(f"| {name} | {rps:.0f} | {per_round('bare route', 0):.2f} | {cpu:.1f} | {per_round('bare route', 1):.2f} | "
              f"{per_round(first, 1):.2f} | {cpus} |")

if __name__ == "__main__":
    main()
