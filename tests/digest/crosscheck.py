#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks libauthgram-digest against an independent implementation of the
RFC 7616 section 3.4 formulas (Python's hashlib), over every algorithm we
compute, every qop form, passwords and stored H(A1), userhash-style
UTF-8 names and bodies, with random values.  Usage: crosscheck.py DRIVER"""
import hashlib
import random
import subprocess
import sys

ALGS = {"-": "md5", "MD5": "md5", "MD5-sess": "md5", "SHA-256": "sha256",
        "SHA-256-sess": "sha256", "SHA-512-256": "sha512_256",
        "SHA-512-256-sess": "sha512_256", "md5-SESS": "md5", "sha-256": "sha256"}


def H(alg, data):
    return hashlib.new(ALGS[alg], data).hexdigest().encode()


def expected(c):
    alg = c["alg"]
    ha1 = c["ha1"] if c["ha1"] is not None else H(alg, b":".join([c["user"], c["realm"], c["pw"]]))
    if alg.lower().endswith("-sess"):
        ha1 = H(alg, b":".join([ha1, c["nonce"], c["cnonce"]]))
    a2 = [c["method"], c["uri"]]
    if c["qop"] == "auth-int":
        a2.append(H(alg, c["body"] or b""))
    ha2 = H(alg, b":".join(a2))
    if c["qop"] == "none":
        return H(alg, b":".join([ha1, c["nonce"], ha2])).decode()
    return H(alg, b":".join([ha1, c["nonce"], c["nc"], c["cnonce"], c["qop"].encode(), ha2])).decode()


def rand_bytes(rng, lo=0, hi=24):
    # any byte but NUL-free is not required: spans carry lengths
    return bytes(rng.randrange(256) for _ in range(rng.randint(lo, hi)))


def hx(b):
    return "-" if b is None else (b.hex() if b else "")


def main():
    driver = sys.argv[1]
    rng = random.Random(7616)
    cases = []
    for i in range(3000):
        alg = rng.choice(list(ALGS))
        qop = rng.choice(["none", "auth", "auth-int"])
        c = {"alg": alg, "qop": qop,
             "user": rng.choice([b"Mufasa", "J\u00e4s\u00f8n Doe".encode(), rand_bytes(rng)]),
             "realm": rand_bytes(rng), "pw": rand_bytes(rng),
             "method": rng.choice([b"INVITE", b"REGISTER", b"GET", b"BYE"]),
             "uri": rng.choice([b"sip:bob@example.com", b"/dir/index.html", rand_bytes(rng, 1)]),
             "nonce": rand_bytes(rng, 1, 48), "cnonce": rand_bytes(rng, 1, 48),
             "nc": b"%08x" % rng.randrange(1 << 32),
             "body": rng.choice([None, b"", rand_bytes(rng, 0, 200)]), "ha1": None}
        if rng.random() < 0.3:  # a server's stored H(A1)
            c["ha1"] = H(alg, b":".join([c["user"], c["realm"], c["pw"]]))
        cases.append(c)
    lines = []
    for c in cases:
        # no field may be empty (the driver splits on tabs): "=" is the empty value
        f = [c["alg"], c["qop"]] + [hx(c[k]) or "=" for k in
                                     ("user", "realm", "pw", "ha1", "method", "uri", "nonce",
                                      "cnonce", "nc", "body")]
        lines.append("\t".join(f + [expected(c)]))
    out = subprocess.run([driver], input="\n".join(lines) + "\n", capture_output=True, text=True,
                         check=True).stdout.splitlines()
    if len(out) != len(cases):
        print(f"driver answered {len(out)} of {len(cases)} cases", file=sys.stderr)
        return 1
    bad = 0
    for c, line, got in zip(cases, lines, out):
        want = f"{expected(c)} AG_OK AG_ERR_MISMATCH"
        if got != want:
            bad += 1
            if bad <= 5:
                print(f"case {line!r}\n  got  {got}\n  want {want}", file=sys.stderr)
    print(f"digest crosscheck: {len(cases) - bad} of {len(cases)} cases agree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
