#!/usr/bin/env python3
"""Compares two `perf record -g` profiles per request, component by component.

    perf record -F 1999 -g -p PID_A -o a.data -- sleep 6 &  wrk ... (N_A requests)
    perf record -F 1999 -g -p PID_B -o b.data -- sleep 6 &  wrk ... (N_B requests)
    python3 scripts/bench/perf_components.py a.data N_A b.data N_B

Each sample is charged to the first frame above it (leaf first) that names a Gatehouse, Hummingbird
or NIO component, so runtime work (retain, release, allocation) counts for the code that caused it.
Prints samples per 1,000 requests for both and their difference, largest first (at 1999 Hz one
sample is about 0.5 ms, so samples per 1,000 requests / 2 is microseconds per request).
Needs perf and `swift demangle`.
"""
import sys, collections, re, subprocess
def attribute(data, n):
    out = subprocess.run(f"perf script -i {data} -F comm,ip,sym 2>/dev/null | swift demangle --simplified", shell=True, capture_output=True, text=True).stdout
    ours = re.compile(r'(Gatehouse|Gateway|Policy|Permission|Session|CSRF|AccessLog|Cookie|Metrics|Middleware|SQLite|Router|Trie|Responder|HTTP1|HTTPServer|Hummingbird|Application|Request|Response|Logger|LogHandler|ModelBackend|Cache|Login|Identity|Security|Outage|Host|Proxy|Readiness|Timeouts|ExpectContinue|NIOAsync|Channel|Socket|Selector|EventLoop|ByteBuffer|HTTPDecoder|HTTPParser|llhttp|sqlite3|Template|HTML)')
    cnt = collections.Counter(); total = 0
    for block in out.split('\n\n'):
        lines = [l.strip() for l in block.strip().split('\n')[1:]]
        if not lines: continue
        total += 1
        name = 'other'
        for l in lines:
            sym = l.split(' ', 1)[1] if ' ' in l else l
            if ours.search(sym):
                # shorten: strip generic params and closures
                name = re.sub(r'^(specialized |partial apply for |closure #\d+ in |implicit closure #\d+ in |\(\d+\) (await resume|suspend resume) partial function for |protocol witness for |merged |thunk for )+', '', sym)
                name = re.sub(r'\(.*', '', name)
                break
        cnt[name] += 1
    return cnt, total
a, ta = attribute(sys.argv[1], int(sys.argv[2])); b, tb = attribute(sys.argv[3], int(sys.argv[4]))
na, nb = int(sys.argv[2]), int(sys.argv[4])
# samples per 1000 requests
keys = set(a) | set(b)
rows = sorted(keys, key=lambda k: b[k]/nb - a[k]/na, reverse=True)
print(f"samples/1k req: A {ta/na*1000:.1f}  B {tb/nb*1000:.1f}")
for k in rows[:40]: print(f"{(b[k]/nb - a[k]/na)*1000:7.2f} {a[k]/na*1000:7.2f} {b[k]/nb*1000:7.2f} {k[:130]}")
