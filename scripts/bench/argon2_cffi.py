"""Time libargon2 (through argon2-cffi) at Django's argon2 parameters.

    python scripts/bench/argon2_cffi.py N

Prints two lines, `threads=1 <cpu seconds per hash> <wall seconds per hash>` and the same for
`threads=8`. threads=1 computes the 8 lanes on one thread, as Gatehouse does; threads=8 is what
argon2-cffi's own hash_secret_raw does (one thread per lane).
"""

import sys
import time

from argon2.low_level import Type, ffi, hash_secret_raw, lib

PASSWORD = b"correct horse battery staple"
SALT = b"GatehouseBenchSalt0123"
T, M, P, LENGTH = 2, 102400, 8, 32


def one_thread():
    out = ffi.new("uint8_t[]", LENGTH)
    pwd = ffi.new("uint8_t[]", PASSWORD)
    salt = ffi.new("uint8_t[]", SALT)
    ctx = ffi.new(
        "argon2_context *",
        dict(
            out=out, outlen=LENGTH, pwd=pwd, pwdlen=len(PASSWORD), salt=salt, saltlen=len(SALT),
            secret=ffi.NULL, secretlen=0, ad=ffi.NULL, adlen=0, t_cost=T, m_cost=M, lanes=P,
            threads=1, version=19, allocate_cbk=ffi.NULL, free_cbk=ffi.NULL, flags=0,
        ),
    )
    rc = lib.argon2_ctx(ctx, lib.Argon2_id)
    assert rc == 0, rc
    return bytes(ffi.buffer(out, LENGTH))


def default_threads():
    return hash_secret_raw(PASSWORD, SALT, T, M, P, LENGTH, Type.ID)


def measure(function, n):
    function()  # warm up
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(n):
        function()
    return (time.process_time() - cpu) / n, (time.perf_counter() - wall) / n


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    assert one_thread() == default_threads()
    print("tag", one_thread().hex())
    for name, function in (("threads=1", one_thread), ("threads=8", default_threads)):
        cpu, wall = measure(function, n)
        print(f"{name} {cpu:.4f} {wall:.4f}")
