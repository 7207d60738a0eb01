#!/usr/bin/env python3
"""CPU per request of `gatehouse serve`, by executor, against the bare route (issue 17), and of
each process on the `serve --upstream` path.

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

It also runs `gatehouse serve --upstream` (SQLite, event loops) in front of the bare route, and
counts for it and for the bare route reached directly the CPU of every process a request passes:
wrk itself (from the kernel's accounting of finished children), the gateway, the upstream. With
everything on the same cores, throughput is the cores divided by the sum, so the table ends with
the most `serve --upstream` could reach against its upstream reached directly if the gateway's
own CPU per request were no more than the bare route's (a server that parses a request and writes
a response, the least a proxy does before it acts as a client too).
"""
import argparse
import os
import resource
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


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(server, url, cookie, seconds, also=()):
    """req/s, and CPU microseconds per request of `server`, of each of `also`, and of wrk."""
    processes = [server, *also]
    before = [cpu_ticks(p.process.pid) for p in processes]
    wrk_before = children_cpu()
    result = bench.wrk(url, seconds, 32, cookie)
    wrk_used = children_cpu() - wrk_before
    used = [cpu_ticks(p.process.pid) - b for p, b in zip(processes, before)]
    requests = result["requests"]
    per_request = [u / TICKS / requests * 1e6 for u in used]
    return result["rps"], per_request[0], per_request[1:], wrk_used / requests * 1e6


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
                name = f"serve {label}, executor {executor}"
                # Empty (the default, whatever the caller's environment says) or `swift`.
                server = bench.serve(args, name, url, port, ["--policy", policy],
                                     env={"GATEHOUSE_EXECUTOR": "swift" if executor == "swift" else ""})
                servers.append(server)
                base = f"http://127.0.0.1:{port}"
                targets.append((name, server, base + "/secret/", bench.log_in(base, "alice")))
                port += 1
        for _, server, url, cookie in targets:
            bench.wrk(url, 2, 32, cookie)  # warm-up
            server.wait_idle()
        # The upstream path: the gateway in front of the bare route, on SQLite, as users start it.
        gateway = bench.serve(args, "serve --upstream", sqlite_url, port, ["--policy", policy, "--upstream", "http://127.0.0.1:18180"],
                              env={"GATEHOUSE_EXECUTOR": ""})
        servers.append(gateway)
        gateway_url = f"http://127.0.0.1:{port}/secret/"
        gateway_cookie = bench.log_in(f"http://127.0.0.1:{port}", "alice")
        bench.wrk(gateway_url, 2, 32, gateway_cookie)
        gateway.wait_idle()
        bare.wait_idle()
        rows = {name: [] for name, *_ in targets}
        chain = {"direct": [], "gateway": []}
        for round_number in range(args.rounds):
            for name, server, url, cookie in targets:
                rps, cpu, _, wrk_cpu = measure(server, url, cookie, args.seconds)
                server.wait_idle()
                rows[name].append((rps, cpu))
                if server is bare:
                    chain["direct"].append((rps, wrk_cpu, 0.0, cpu))
                bench.log(f"round {round_number + 1}: {name:40s} {rps:9.0f} req/s {cpu:7.1f} us CPU/request (wrk {wrk_cpu:.1f})")
            rps, cpu, (upstream_cpu,), wrk_cpu = measure(gateway, gateway_url, gateway_cookie, args.seconds, also=(bare,))
            gateway.wait_idle()
            bare.wait_idle()
            chain["gateway"].append((rps, wrk_cpu, cpu, upstream_cpu))
            bench.log(f"round {round_number + 1}: serve --upstream {rps:9.0f} req/s: wrk {wrk_cpu:.1f}, gateway {cpu:.1f}, upstream {upstream_cpu:.1f} us CPU/request")
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
    # Each column's median, and the median of each round's sum (not the sum of the medians).
    median = {key: [statistics.median(m[i] for m in measured) for i in range(4)] + [statistics.median(sum(m[1:]) for m in measured)]
              for key, measured in chain.items()}
    print("\nCPU per request of every process on the path, us (medians), `GET /secret/` with alice's session:\n")
    print("| path | req/s | wrk | gateway | upstream | sum (median of the rounds' sums) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for key, label in (("direct", "bare route reached directly"), ("gateway", "`serve --upstream` in front of it")):
        rps, wrk_cpu, gateway_cpu, upstream_cpu, total = median[key]
        gateway_text = f"{gateway_cpu:.1f}" if key == "gateway" else ""
        print(f"| {label} | {rps:.0f} | {wrk_cpu:.1f} | {gateway_text} | {upstream_cpu:.1f} | {total:.1f} |")
    direct_sum, bare_cpu = median["direct"][4], median["direct"][3]
    print(f"\n- measured: serve --upstream : its upstream directly = {median['gateway'][0] / median['direct'][0]:.2f} in throughput, "
          f"{direct_sum / median['gateway'][4]:.2f} by the CPU sums")
    print(f"- ceiling: a gateway costing no more than the bare route ({bare_cpu:.1f} us) and the upstream no more than when reached "
          f"directly would give at most {direct_sum / (direct_sum + bare_cpu):.2f} ({direct_sum:.1f} us against {direct_sum:.1f} + {bare_cpu:.1f})")


if __name__ == "__main__":
    main()
