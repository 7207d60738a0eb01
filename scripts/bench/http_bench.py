#!/usr/bin/env python3
"""The HTTP benchmark's driver (run it through scripts/bench/http.sh, which builds and installs).

In one run, with wrk at fixed concurrency, each scenario twice after a warm-up:
  1. a bare Hummingbird route (same binary, no middleware): the ceiling
  2. an authorized GET through the whole journey (session cookie, user, permission check, 200)
  3. a GET by a logged-in user without the permission (403)
  4. an anonymous GET (302 to the login page)
  5. login POSTs through the real form (CSRF included), PBKDF2 at Django's default cost
  6. 2-5 on Django 6.1 (gunicorn, 2 workers, SQLite, database sessions, permission_required)
  7. 2-4 on PostgreSQL
  8. 2-5 through the shipped binary, `gatehouse serve --policy` (its built-in page behind a policy rule),
     started as a user starts it (default logging to a file, as a service manager keeps it)
  9. 2-4 through `gatehouse serve --upstream` in front of the bare route (ratio: that upstream reached directly)
 10. 2-4 through `gatehouse serve --policy` on PostgreSQL
plus 2 while 5 saturates the hashing pool. Prints requests/s, p50, p99 and the server's peak
memory, with the ratios Gatehouse : bare route and Gatehouse : Django, as Markdown.
"""
import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "correct horse battery staple"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


class Server:
    def __init__(self, name, command, port, env=None, cwd=None, log_file=None):
        self.name, self.port = name, port
        self.log = open(log_file, "ab") if log_file else None
        self.process = subprocess.Popen(
            command, env={**os.environ, **(env or {})}, cwd=cwd, stdout=subprocess.DEVNULL,
            stderr=self.log or sys.stderr, start_new_session=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{name} exited with {self.process.returncode} before listening")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"{name} did not listen on {port} within 60 s")

    def peak_rss_mib(self):
        """VmHWM of the server and its children (gunicorn's workers), in MiB."""
        pids = [self.process.pid]
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()
        pids += [int(p) for p in children]
        total = 0
        for pid in pids:
            try:
                with open(f"/proc/{pid}/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            total += int(line.split()[1])
            except FileNotFoundError:
                pass
        return total / 1024

    def cpu_seconds(self):
        return cpu_seconds([self.process.pid] + child_pids(self.process.pid))

    def wait_idle(self, limit=60):
        """Until the server has finished the work wrk left queued (logins hash after wrk stops)."""
        deadline = time.time() + limit
        previous = self.cpu_seconds()
        while time.time() < deadline:
            time.sleep(0.5)
            current = self.cpu_seconds()
            if current - previous < 0.05:
                return
            previous = current

    def stop(self):
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


def child_pids(pid):
    return [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]


def cpu_seconds(pids):
    """User and system CPU time of `pids` (from /proc), in seconds; processes gone count nothing."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except FileNotFoundError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def opener(jar):
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())


def status_of(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener(http.cookiejar.CookieJar()).open(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def login_form(base):
    """A CSRF cookie and the form's token, as a browser has them before posting."""
    jar = http.cookiejar.CookieJar()
    with opener(jar).open(base + "/accounts/login/") as page:
        html = page.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    return jar, csrf, token


def log_in(base, username):
    jar, _, token = login_form(base)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": ""})
    try:
        opener(jar).open(urllib.request.Request(base + "/accounts/login/", data=body.encode()))
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise SystemExit(f"login of {username} at {base} answered {error.code}")
    session = next((c.value for c in jar if c.name == "sessionid"), None)
    if not session:
        raise SystemExit(f"login of {username} at {base} set no session cookie")
    return f"sessionid={session}"


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(text):
    def duration(value):
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
        return float(number) * UNITS[unit]

    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))}
    for percent in ("50", "99"):
        match = re.search(rf"^\s+{percent}%\s+(\S+)", text, re.M)
        result[f"p{percent}"] = duration(match.group(1)) if match else float("nan")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result["errors"] = sum(int(n) for n in errors.groups()) if errors else 0
    result["requests"] = int(re.search(r"(\d+) requests in", text).group(1))
    return result


def wrk(url, seconds, connections, cookie=None, script=None, timeout="10s"):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", f"--timeout={timeout}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def post_script(directory, name, csrf, token, username):
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD, "next": ""})
    path = os.path.join(directory, f"login-{name}.lua")
    with open(path, "w") as script:
        script.write(
            'wrk.method = "POST"\n'
            f'wrk.body = "{body}"\n'
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
            f'wrk.headers["Cookie"] = "csrftoken={csrf}"\n'
        )
    return path


def scenario_list(name, base, server, with_login, workdir):
    """(key, label, server, url, expected status, cookie, wrk script, timeout) for one server."""
    alice = log_in(base, "alice")
    bob = log_in(base, "bob")
    items = [
        ("authorized", f"{name}: authorized GET (200)", server, base + "/secret/", 200, alice, None, "10s"),
        ("forbidden", f"{name}: no permission (403)", server, base + "/secret/", 403, bob, None, "10s"),
        ("anonymous", f"{name}: anonymous (302 to login)", server, base + "/secret/", 302, None, None, "10s"),
    ]
    if with_login:
        _, csrf, token = login_form(base)
        script = post_script(workdir, name.split()[0].lower(), csrf, token, "alice")
        items.append(("login", f"{name}: login POST (302)", server, base + "/accounts/login/", 302, None, script, "60s"))
    return items


def measure_interleaved(groups, args):
    """Runs every scenario of every server once per round, round after round, so that the machine's
    drift hits all of them alike; returns {group: {key: row}}."""
    runs = {}
    for group, items in groups.items():
        for key, label, server, url, expected, cookie, script, timeout in items:
            if script is None:
                got = status_of(url, cookie)
                if got != expected:
                    raise SystemExit(f"{label}: expected {expected}, got {got}")
            wrk(url, args.warmup, args.connections, cookie, script, timeout)
            server.wait_idle()
    for round_number in range(args.rounds):
        for group, items in groups.items():
            for key, label, server, url, expected, cookie, script, timeout in items:
                result = wrk(url, args.seconds, args.connections, cookie, script, timeout)
                server.wait_idle()
                if result["errors"]:
                    log(f"warning: {label}: {result['errors']} socket errors")
                runs.setdefault((group, key), []).append(result)
                log(f"round {round_number + 1}: {label:48s} {result['rps']:10.1f} req/s  p50 {result['p50']:7.2f} ms  "
                    f"p99 {result['p99']:7.2f} ms")
    out = {}
    for group, items in groups.items():
        for key, label, server, *_ in items:
            measured = runs[(group, key)]
            out.setdefault(group, {})[key] = {
                "label": label, "server": server.name, "runs": measured,
                "rps": statistics.mean(r["rps"] for r in measured),
                "p50": statistics.mean(r["p50"] for r in measured),
                "p99": statistics.mean(r["p99"] for r in measured),
            }
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True, help="the built GatehouseBenchServer")
    parser.add_argument("--gatehouse", help="the release `gatehouse` binary; omit to leave out `gatehouse serve`")
    parser.add_argument("--django-python", help="a Python with Django 6.1 and gunicorn; omit to skip Django")
    parser.add_argument("--postgres-url", help="an admin URL of a PostgreSQL cluster; omit to skip PostgreSQL")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--scale", action="store_true", help="also the 1,000,000-row scale run (adds several minutes)")
    parser.add_argument("--published-sqlite-route", action="store_true",
                        help="also Gatehouse with inlineSessionReads off: sessions read through sqlite-nio's published API "
                             "instead of SQLiteSessionReader (docs/dependencies.md)")
    args = parser.parse_args()
    args.workdir = tempfile.mkdtemp(prefix="gatehouse-bench-")
    here = os.path.dirname(os.path.abspath(__file__))
    sqlite_path = os.path.join(args.workdir, "bench.sqlite3")
    sqlite_url = "sqlite:///" + sqlite_path  # four slashes in total: an absolute path
    subprocess.run([args.server, "setup", "--database", sqlite_url], check=True, stdout=subprocess.DEVNULL)

    servers = []
    results = {}
    pg_admin, pg_url = args.postgres_url, None
    try:
        bare = Server("bare route", [args.server, "bare", "--database", sqlite_url, "--port", "18080"], 18080)
        servers.append(bare)
        gatehouse = Server("Gatehouse", [args.server, "gatehouse", "--database", sqlite_url, "--port", "18081"], 18081)
        servers.append(gatehouse)
        # The same route with Swift concurrency's jobs on NIO's event loops, as `gatehouse` runs
        # them by default: the binary's rows are also given against it.
        bare_nio = Server("bare route, event-loop executor", [args.server, "bare", "--database", sqlite_url, "--port", "18089"], 18089,
                          env={"GATEHOUSE_EXECUTOR": "nio"})
        servers.append(bare_nio)
        groups = {
            "bare": [("bare", "bare Hummingbird route (200)", bare, "http://127.0.0.1:18080/secret/", 200, None, None, "10s")],
            "bare_nio": [("bare", "bare route, event-loop executor (200)", bare_nio, "http://127.0.0.1:18089/secret/", 200, None, None,
                          "10s")],
            "gatehouse": scenario_list("Gatehouse SQLite", "http://127.0.0.1:18081", gatehouse, True, args.workdir),
        }
        if args.published_sqlite_route:
            published = Server(
                "Gatehouse published SQLite route",
                [args.server, "gatehouse", "--database", sqlite_url, "--port", "18084"], 18084,
                env={"GATEHOUSE_BENCH_INLINE_SESSION_READS": "0"},
            )
            servers.append(published)
            groups["published"] = scenario_list(
                "Gatehouse SQLite, published route", "http://127.0.0.1:18084", published, False, args.workdir
            )
        if args.gatehouse:
            policy = write_policy(args.workdir)
            serve_policy = serve(args, "serve --policy", sqlite_url, 18086, ["--policy", policy])
            servers.append(serve_policy)
            groups["serve"] = scenario_list("serve --policy SQLite", "http://127.0.0.1:18086", serve_policy, True, args.workdir)
            serve_upstream = serve(args, "serve --upstream", sqlite_url, 18087,
                                   ["--policy", policy, "--upstream", "http://127.0.0.1:18080"])
            servers.append(serve_upstream)
            groups["upstream"] = scenario_list("serve --upstream SQLite", "http://127.0.0.1:18087", serve_upstream, False,
                                               args.workdir)
        if args.django_python:
            gunicorn = os.path.join(os.path.dirname(os.path.abspath(args.django_python)), "gunicorn")
            django = Server(
                "Django",
                [gunicorn, "--workers", "2", "--bind", "127.0.0.1:18082", "--log-level", "warning", "benchsite.wsgi"],
                18082, env={"BENCH_SQLITE_PATH": sqlite_path}, cwd=os.path.join(here, "django"),
            )
            servers.append(django)
            groups["django"] = scenario_list("Django SQLite", "http://127.0.0.1:18082", django, True, args.workdir)
        if pg_admin:
            pg_url = fresh_postgres(pg_admin, "gatehouse_bench")
            subprocess.run([args.server, "setup", "--database", pg_url], check=True, stdout=subprocess.DEVNULL)
            pg = Server("Gatehouse PostgreSQL", [args.server, "gatehouse", "--database", pg_url, "--port", "18083"], 18083)
            servers.append(pg)
            groups["postgres"] = scenario_list("Gatehouse PostgreSQL", "http://127.0.0.1:18083", pg, False, args.workdir)
            if args.gatehouse:
                serve_pg = serve(args, "serve --policy PostgreSQL", pg_url, 18088, ["--policy", write_policy(args.workdir)])
                servers.append(serve_pg)
                groups["serve_postgres"] = scenario_list("serve --policy PostgreSQL", "http://127.0.0.1:18088", serve_pg, False,
                                                         args.workdir)
        measured = measure_interleaved(groups, args)
        results["bare"] = measured["bare"]["bare"]
        results["bare_nio"] = measured["bare_nio"]["bare"]
        for group in ("gatehouse", "published", "django", "postgres", "serve", "upstream", "serve_postgres"):
            if group in measured:
                results[group] = measured[group]

        # Other requests while logins saturate the hashing pool.
        gatehouse.wait_idle()
        _, csrf, token = login_form("http://127.0.0.1:18081")
        script = post_script(args.workdir, "saturate", csrf, token, "alice")
        alice = log_in("http://127.0.0.1:18081", "alice")
        flood = subprocess.Popen(
            ["wrk", "-t1", "-c16", f"-d{args.seconds + 4}s", "--timeout=60s", "-s", script, "http://127.0.0.1:18081/accounts/login/"],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(2)
        results["during_logins"] = wrk("http://127.0.0.1:18081/secret/", args.seconds, 4, alice)
        flood.wait()
        log(f"{'Gatehouse SQLite: authorized GET during logins':48s} {results['during_logins']['rps']:10.1f} req/s  "
            f"p99 {results['during_logins']['p99']:7.2f} ms")
        results["rss"] = {server.name: server.peak_rss_mib() for server in servers}
    finally:
        for server in servers:
            server.stop()
        if pg_url:
            drop_postgres(pg_admin, "gatehouse_bench")

    report(results, args)
    if args.scale:
        scale(args)
    shutil.rmtree(args.workdir, ignore_errors=True)


POLICY = """default: authenticated
rules:
  - path: /secret/
    require:
      permissions: [blog.view_post]
"""


def write_policy(directory):
    path = os.path.join(directory, "policy.yaml")
    with open(path, "w") as policy:
        policy.write(POLICY)
    return path


def serve(args, name, database, port, extra, env=None):
    """`gatehouse serve` as a user starts it: default log level and format, its log in a file (as
    journald or a container runtime keeps it). Only the per-address login turns are off, as in the
    library server: wrk sends every login from one address. `env` adds to its environment."""
    command = [args.gatehouse, "serve", "--database", database, "--port", str(port), "--login-checks-per-address", "0"]
    return Server(name, command + extra, port, env={"GATEHOUSE_SECRET_KEY": BENCH_SECRET_KEY, **(env or {})},
                  log_file=os.path.join(args.workdir, f"serve-{port}.log"))


BENCH_SECRET_KEY = "benchmark-secret-key-0123456789abcdefghijklmnop"


def fresh_postgres(admin, name):
    subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", "-c", f"CREATE DATABASE {name}"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return admin.rsplit("/", 1)[0] + "/" + name


def drop_postgres(admin, name):
    subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def rotating_script(directory, cookie_file):
    path = os.path.join(directory, "rotate.lua")
    with open(path, "w") as script:
        script.write(
            "local cookies = {}\n"
            f'for line in io.lines("{cookie_file}") do cookies[#cookies + 1] = "sessionid=" .. line end\n'
            "local i = math.random(#cookies)\n"
            "request = function()\n"
            "  i = i % #cookies + 1\n"
            '  return wrk.format(nil, nil, {["Cookie"] = cookies[i]})\n'
            "end\n"
        )
    return path


def scale(args):
    """The authorized GET with 1,000 rows and with 1,000,000 users and sessions; many distinct users
    (bounded memory); clearsessions of 1,000,000 expired sessions while requests are served."""
    engines = [("SQLite", lambda name: "sqlite:///" + os.path.join(args.workdir, name + ".sqlite3"))]
    if args.postgres_url:
        engines.append(("PostgreSQL", lambda name: fresh_postgres(args.postgres_url, name)))
    print("\n### Scale\n")
    print("| engine | rows | authorized GET req/s | p99 ms | server peak RSS MiB | note |")
    print("| --- | --- | --- | --- | --- | --- |")
    for engine, make_url in engines:
        small = make_url("gatehouse_small")
        large = make_url("gatehouse_large")
        cookies = os.path.join(args.workdir, f"cookies-{engine}.txt")
        for url in (small, large):
            subprocess.run([args.server, "setup", "--database", url], check=True, stdout=subprocess.DEVNULL)
        started = time.time()
        subprocess.run([args.server, "load", "--database", small, "--users", "1000", "--groups", "100"], check=True)
        subprocess.run([args.server, "load", "--database", large, "--users", "1000000", "--groups", "100000",
                        "--cookies", cookies, "--cookie-count", "20000"], check=True)
        log(f"{engine}: loaded in {time.time() - started:.0f} s")
        small_server = Server(f"{engine} 1,000", [args.server, "gatehouse", "--database", small, "--port", "18084"], 18084)
        large_server = Server(f"{engine} 1,000,000", [args.server, "gatehouse", "--database", large, "--port", "18085"], 18085)
        measured = {}
        try:
            targets = [("1,000", small_server, 18084), ("1,000,000", large_server, 18085)]
            cookies_by_port = {port: log_in(f"http://127.0.0.1:{port}", "alice") for _, _, port in targets}
            for _, server, port in targets:
                wrk(f"http://127.0.0.1:{port}/secret/", args.warmup, args.connections, cookies_by_port[port])
            runs = {label: [] for label, _, _ in targets}
            for _ in range(args.rounds):  # alternated, like the main run
                for label, server, port in targets:
                    runs[label].append(wrk(f"http://127.0.0.1:{port}/secret/", args.seconds, args.connections, cookies_by_port[port]))
            for label, server, port in targets:
                measured[label] = statistics.mean(r["rps"] for r in runs[label])
                p99 = statistics.mean(r["p99"] for r in runs[label])
                print(f"| {engine} | {label} users and sessions | {measured[label]:.0f} | {p99:.2f} | {server.peak_rss_mib():.0f} | one user |")
            small_server.stop()
            port = 18085
            alice = cookies_by_port[port]
            script = rotating_script(args.workdir, cookies)
            many = wrk(f"http://127.0.0.1:{port}/secret/", args.seconds, args.connections, script=script)
            print(f"| {engine} | 1,000,000 | {many['rps']:.0f} | {many['p99']:.2f} | {large_server.peak_rss_mib():.0f} | "
                  f"20,000 distinct users in turn (caches hold 10,000) |")
            expire(large, engine)
            clear = subprocess.Popen([args.server, "clear", "--database", large], stdout=subprocess.PIPE, text=True)
            during = wrk(f"http://127.0.0.1:{port}/secret/", args.seconds, args.connections, alice)
            output, _ = clear.communicate()
            print(f"| {engine} | 1,000,000 | {during['rps']:.0f} | {during['p99']:.2f} | {large_server.peak_rss_mib():.0f} | "
                  f"during clearsessions: {output.strip()} |")
        finally:
            small_server.stop()
            large_server.stop()
        print(f"| {engine} | ratio | {measured['1,000,000'] / measured['1,000']:.2f} | | | target >= 0.85 |")
        if engine == "PostgreSQL":
            drop_postgres(args.postgres_url, "gatehouse_small")
            drop_postgres(args.postgres_url, "gatehouse_large")


def expire(url, engine):
    """Every loaded session expires (the rows stay for clearsessions to remove)."""
    statement = ("UPDATE django_session SET expire_date = '2000-01-01 00:00:00' WHERE session_key LIKE 'ld%'"
                 if engine == "SQLite" else
                 "UPDATE django_session SET expire_date = '2000-01-01 00:00:00+00' WHERE session_key LIKE 'ld%'")
    if engine == "SQLite":
        import sqlite3
        connection = sqlite3.connect(url[len("sqlite:///"):], timeout=30)
        connection.execute(statement)
        connection.commit()
        connection.close()
    else:
        subprocess.run(["psql", "-q", url, "-c", statement], check=True, stdout=subprocess.DEVNULL)


def report(results, args):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"Machine: {os.cpu_count()} cores, {cpu}; wrk -t2 -c{args.connections} -d{args.seconds}s after a "
          f"{args.warmup} s warm-up, mean of {args.rounds} rounds; every round runs every scenario once, so "
          f"drift hits all alike.\n")
    print("| scenario | server | req/s (runs) | p50 ms | p99 ms | peak RSS MiB |")
    print("| --- | --- | --- | --- | --- | --- |")
    rss = results.get("rss", {})
    for row in bench_rows(results):
        runs = " / ".join(f"{r['rps']:.0f}" for r in row["runs"])
        memory = rss.get(row["server"])
        memory_text = f"{memory:.0f}" if memory else ""
        print(f"| {row['label']} | {row['server']} | {row['rps']:.1f} ({runs}) | {row['p50']:.2f} | {row['p99']:.2f} | {memory_text} |")
    if "during_logins" in results:
        d = results["during_logins"]
        print(f"| authorized GET while 16 connections log in | Gatehouse | {d['rps']:.1f} | {d['p50']:.2f} | {d['p99']:.2f} | |")
    print()
    bare = results["bare"]["rps"]
    g = results["gatehouse"]
    print("| ratio | value | target |")
    print("| --- | --- | --- |")
    print(f"| authorized GET : bare route | {g['authorized']['rps'] / bare:.2f} | >= 0.60 |")
    print(f"| 403 : bare route | {g['forbidden']['rps'] / bare:.2f} | >= 0.70 |")
    print(f"| anonymous 302 : bare route | {g['anonymous']['rps'] / bare:.2f} | >= 0.70 |")
    if "published" in results:
        u = results["published"]
        print(f"| published SQLite route authorized GET : bare route | {u['authorized']['rps'] / bare:.2f} | |")
        print(f"| published SQLite route : SQLiteSessionReader, authorized GET | {u['authorized']['rps'] / g['authorized']['rps']:.2f} | |")
        print(f"| published SQLite route : SQLiteSessionReader, 403 | {u['forbidden']['rps'] / g['forbidden']['rps']:.2f} | |")
    if "postgres" in results:
        p = results["postgres"]
        print(f"| PostgreSQL authorized GET : bare route | {p['authorized']['rps'] / bare:.2f} | |")
    if "serve" in results:
        v = results["serve"]
        print(f"| serve --policy authorized GET : bare route | {v['authorized']['rps'] / bare:.2f} | >= 0.70 |")
        print(f"| serve --policy 403 : bare route | {v['forbidden']['rps'] / bare:.2f} | >= 0.70 |")
        print(f"| serve --policy anonymous 302 : bare route | {v['anonymous']['rps'] / bare:.2f} | >= 0.70 |")
        print(f"| serve --policy login POST : library login POST | {v['login']['rps'] / g['login']['rps']:.2f} | |")
    if "upstream" in results:
        u = results["upstream"]
        print(f"| serve --upstream authorized GET : its upstream directly | {u['authorized']['rps'] / bare:.2f} | >= 0.60 |")
        print(f"| serve --upstream 403 : its upstream directly | {u['forbidden']['rps'] / bare:.2f} | |")
        print(f"| serve --upstream anonymous 302 : its upstream directly | {u['anonymous']['rps'] / bare:.2f} | |")
    if "serve_postgres" in results:
        p = results["serve_postgres"]
        print(f"| serve --policy PostgreSQL authorized GET : bare route | {p['authorized']['rps'] / bare:.2f} | >= 0.50 |")
        print(f"| serve --policy PostgreSQL 403 : bare route | {p['forbidden']['rps'] / bare:.2f} | |")
    if "bare_nio" in results and "serve" in results:
        # The binary runs its tasks on the event loops (EventLoopExecutor); so does this bare route.
        same = results["bare_nio"]["rps"]
        print(f"| bare route, event-loop executor : bare route | {same / bare:.2f} | |")
        print(f"| serve --policy authorized GET : bare route, event-loop executor | {results['serve']['authorized']['rps'] / same:.2f} | |")
        print(f"| serve --policy 403 : bare route, event-loop executor | {results['serve']['forbidden']['rps'] / same:.2f} | |")
        print(f"| serve --policy anonymous 302 : bare route, event-loop executor | {results['serve']['anonymous']['rps'] / same:.2f} | |")
        if "serve_postgres" in results:
            print(f"| serve --policy PostgreSQL authorized GET : bare route, event-loop executor | "
                  f"{results['serve_postgres']['authorized']['rps'] / same:.2f} | |")
    if "django" in results:
        d = results["django"]
        print(f"| authorized GET : Django | {g['authorized']['rps'] / d['authorized']['rps']:.1f}x | >= 15x |")
        print(f"| 403 : Django | {g['forbidden']['rps'] / d['forbidden']['rps']:.1f}x | |")
        print(f"| anonymous 302 : Django | {g['anonymous']['rps'] / d['anonymous']['rps']:.1f}x | |")
        print(f"| login POST : Django | {g['login']['rps'] / d['login']['rps']:.2f}x | >= 1.5x |")
    print(f"| authorized GET p99 | {g['authorized']['p99']:.2f} ms | < 5 ms |")
    if "during_logins" in results:
        print(f"| authorized GET p99 while logins saturate the pool | {results['during_logins']['p99']:.2f} ms | < 20 ms |")


def bench_rows(results):
    rows = [results["bare"]] + ([results["bare_nio"]] if "bare_nio" in results else [])
    for key in ("gatehouse", "published", "django", "postgres", "serve", "upstream", "serve_postgres"):
        if key in results:
            rows += list(results[key].values())
    return rows


if __name__ == "__main__":
    main()
