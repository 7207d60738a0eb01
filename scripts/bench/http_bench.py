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
    def __init__(self, name, command, port, env=None, cwd=None):
        self.name, self.port = name, port
        self.process = subprocess.Popen(
            command, env={**os.environ, **(env or {})}, cwd=cwd, stdout=subprocess.DEVNULL, stderr=sys.stderr,
            start_new_session=True,
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

    def stop(self):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)


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


class Bench:
    def __init__(self, arguments):
        self.args = arguments
        self.rows = []

    def measure(self, label, server, url, expected, cookie=None, script=None, timeout="10s", connections=None):
        connections = connections or self.args.connections
        if script is None:
            got = status_of(url, cookie)
            if got != expected:
                raise SystemExit(f"{label}: expected {expected}, got {got}")
        wrk(url, self.args.warmup, connections, cookie, script, timeout)
        runs = [wrk(url, self.args.seconds, connections, cookie, script, timeout) for _ in range(self.args.rounds)]
        for run in runs:
            if run["errors"]:
                log(f"warning: {label}: {run['errors']} socket errors")
        row = {
            "label": label,
            "server": server.name,
            "runs": runs,
            "rps": statistics.mean(r["rps"] for r in runs),
            "p50": statistics.mean(r["p50"] for r in runs),
            "p99": statistics.mean(r["p99"] for r in runs),
        }
        self.rows.append(row)
        log(f"{label:48s} {row['rps']:10.1f} req/s  p50 {row['p50']:7.2f} ms  p99 {row['p99']:7.2f} ms")
        return row

    def journey(self, name, server, base, with_login=True):
        alice = log_in(base, "alice")
        bob = log_in(base, "bob")
        out = {
            "authorized": self.measure(f"{name}: authorized GET (200)", server, base + "/secret/", 200, alice),
            "forbidden": self.measure(f"{name}: no permission (403)", server, base + "/secret/", 403, bob),
            "anonymous": self.measure(f"{name}: anonymous (302 to login)", server, base + "/secret/", 302),
        }
        if with_login:
            _, csrf, token = login_form(base)
            script = post_script(self.args.workdir, name.split()[0].lower(), csrf, token, "alice")
            out["login"] = self.measure(f"{name}: login POST (302)", server, base + "/accounts/login/", 302, script=script, timeout="60s")
        return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True, help="the built GatehouseBenchServer")
    parser.add_argument("--django-python", help="a Python with Django 6.1 and gunicorn; omit to skip Django")
    parser.add_argument("--postgres-url", help="an admin URL of a PostgreSQL cluster; omit to skip PostgreSQL")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    args.workdir = tempfile.mkdtemp(prefix="gatehouse-bench-")
    here = os.path.dirname(os.path.abspath(__file__))
    bench = Bench(args)
    sqlite_path = os.path.join(args.workdir, "bench.sqlite3")
    sqlite_url = "sqlite:///" + sqlite_path  # four slashes in total: an absolute path
    subprocess.run([args.server, "setup", "--database", sqlite_url], check=True, stdout=subprocess.DEVNULL)

    results = {}
    bare = Server("bare route", [args.server, "bare", "--database", sqlite_url, "--port", "18080"], 18080)
    try:
        results["bare"] = bench.measure("bare Hummingbird route (200)", bare, "http://127.0.0.1:18080/secret/", 200)
        results["bare_rss"] = bare.peak_rss_mib()
    finally:
        bare.stop()

    gatehouse = Server("Gatehouse", [args.server, "gatehouse", "--database", sqlite_url, "--port", "18081"], 18081)
    try:
        results["gatehouse"] = bench.journey("Gatehouse SQLite", gatehouse, "http://127.0.0.1:18081")
        # Other requests while logins saturate the hashing pool.
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
        results["gatehouse_rss"] = gatehouse.peak_rss_mib()
    finally:
        gatehouse.stop()

    if args.django_python:
        django_dir = os.path.join(here, "django")
        gunicorn = os.path.join(os.path.dirname(os.path.abspath(args.django_python)), "gunicorn")
        env = {"BENCH_SQLITE_PATH": sqlite_path}
        django = Server(
            "Django",
            [gunicorn, "--workers", "2", "--bind", "127.0.0.1:18082", "--log-level", "warning", "benchsite.wsgi"],
            18082, env=env, cwd=django_dir,
        )
        try:
            results["django"] = bench.journey("Django SQLite", django, "http://127.0.0.1:18082")
            results["django_rss"] = django.peak_rss_mib()
        finally:
            django.stop()

    if args.postgres_url:
        name = "gatehouse_bench"
        admin = args.postgres_url
        subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", "-c", f"CREATE DATABASE {name}"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pg_url = admin.rsplit("/", 1)[0] + "/" + name
        subprocess.run([args.server, "setup", "--database", pg_url], check=True, stdout=subprocess.DEVNULL)
        pg = Server("Gatehouse PostgreSQL", [args.server, "gatehouse", "--database", pg_url, "--port", "18083"], 18083)
        try:
            results["postgres"] = bench.journey("Gatehouse PostgreSQL", pg, "http://127.0.0.1:18083", with_login=False)
            results["postgres_rss"] = pg.peak_rss_mib()
        finally:
            pg.stop()
            subprocess.run(["psql", "-q", admin, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    report(results, args)
    shutil.rmtree(args.workdir, ignore_errors=True)


def report(results, args):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    print(f"Machine: {os.cpu_count()} cores, {cpu}; wrk -t2 -c{args.connections} -d{args.seconds}s after a "
          f"{args.warmup} s warm-up, mean of {args.rounds} runs.\n")
    print("| scenario | server | req/s (runs) | p50 ms | p99 ms | peak RSS MiB |")
    print("| --- | --- | --- | --- | --- | --- |")
    rss = {"bare route": results.get("bare_rss"), "Gatehouse": results.get("gatehouse_rss"),
           "Django": results.get("django_rss"), "Gatehouse PostgreSQL": results.get("postgres_rss")}
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
    if "postgres" in results:
        p = results["postgres"]
        print(f"| PostgreSQL authorized GET : bare route | {p['authorized']['rps'] / bare:.2f} | |")
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
    rows = [results["bare"]]
    for key in ("gatehouse", "django", "postgres"):
        if key in results:
            rows += list(results[key].values())
    return rows


if __name__ == "__main__":
    main()
