#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests of the authgram command.

    cli_test.py AUTHGRAM DATA_DIR CASE

runs one case (each a CTest entry) against the binary AUTHGRAM with the
input files of DATA_DIR (tests/cli).  A case fails with a message naming
what differed."""
import json
import os
import resource
import subprocess
import sys
import tempfile

AG, DATA, CASE = sys.argv[1], sys.argv[2], sys.argv[3]


def run(*args, stdin=None):
    p = subprocess.run([AG, *args], input=stdin, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def data(name):
    return os.path.join(DATA, name)


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def eq(got, want, what):
    expect(got == want, f"{what}: expected {want!r}, got {got!r}")


def lines(b):
    return b.decode("utf-8", "replace").splitlines()


def summary(out):
    last = lines(out)[-1]
    expect(last.startswith("authgram: "), f"last line is not the summary: {last!r}")
    return last


# ---- check, text output ---------------------------------------------------------------

def case_check_text():
    f = data("headers.txt")
    rc, out, err = run("check", f)
    eq(rc, 1, "exit status with one invalid header")
    out = lines(out)
    # the invalid header: line 6, the 'q' where COMMA is needed; column in bytes
    line6 = 'proxy-authenticate: Digest realm="example.org", nonce="abc" qop="auth"'
    col = line6.index('qop=') + 1
    want = f"{f}:6:{col}: error: unexpected 'q', expected one of HTAB CR SP ',' [COMMA] (RFC 3261 section 25.1)"
    eq(out[0], want, "error line")
    eq(out[1], "  " + line6, "offending line")
    eq(out[2], "  " + " " * (col - 1) + "^", "caret line")
    # the warning on line 7, with its stable id; the caret under the scheme
    expect(out[3].startswith(f"{f}:7:21: warning: ") and "[digest-no-qop] (RFC 3261 section 22.4)" in out[3],
           f"warning line: {out[3]!r}")
    eq(out[5], "  " + " " * 20 + "^", "warning caret")
    # the folded WWW-Authenticate of lines 4-5 and the valid one: no output
    eq(out[-1], "authgram: 4 headers checked: 2 conforming, 1 with warnings, 1 failing", "summary")
    eq(len(out), 7, "number of output lines")


def case_check_fold_error_position():
    # an error on the continuation line of a folded header is reported on
    # that line, at its column
    text = b'X: y\r\nWWW-Authenticate: Digest realm="a",\r\n  nonce="b" qop="auth"\r\n'
    rc, out, _ = run("check", "-", stdin=text)
    eq(rc, 1, "exit status")
    first = lines(out)[0]
    col = len('  nonce="b" ') + 1
    eq(first.split(": error:")[0], f"<stdin>:3:{col}", "position of the error on the continuation line")


def case_check_quiet_werror():
    f = data("headers.txt")
    rc, out, _ = run("check", "--quiet", f)
    eq(rc, 1, "exit status")
    eq(len(lines(out)), 1, "--quiet prints the summary only")
    good = b'Proxy-Authenticate: Digest realm="a", nonce="b"\r\n'  # warning: no qop
    rc, out, _ = run("check", stdin=good)
    eq(rc, 0, "warnings alone do not fail")
    eq(summary(out), "authgram: 1 header checked: 0 conforming, 1 with warnings, 0 failing", "summary")
    rc, out, _ = run("check", "--werror", stdin=good)
    eq(rc, 1, "--werror: warnings fail")
    eq(summary(out), "authgram: 1 header checked: 0 conforming, 0 with warnings, 1 failing", "summary")
    rc, out, _ = run("check", stdin=b'Proxy-Authenticate: Digest realm="a", nonce="b", qop="auth"\r\n')
    eq(rc, 0, "a conforming header")


def case_exit_status():
    eq(run("check", "--bogus")[0], 2, "unknown option")
    eq(run("check", "--input")[0], 2, "option without value")
    rc, _, err = run("check", "--input", "lines")
    eq(rc, 2, "bad --input")
    # the hint is a command that runs
    expect(b"Try 'authgram check --help'." in err, "usage hint names 'check --help'")
    eq(run("check", "--format", "xml")[0], 2, "bad --format")
    eq(run("check", "--profile", "ftp")[0], 2, "unknown profile")
    eq(run("build", "digest", "--realm", "r", "--nonce", "n", "--profile", "ftp")[0], 2, "build: unknown profile")
    rc, out, err = run("check", "/nonexistent/file")
    eq(rc, 2, "missing file")
    expect(b"/nonexistent/file" in err, "the message names the file")
    eq(run("frobnicate")[0], 2, "unknown command")
    eq(run()[0], 2, "no command")
    for cmd in ("check", "parse", "canon", "build"):
        rc, out, _ = run(cmd, "--help")
        eq(rc, 0, f"{cmd} --help")
        expect(out.startswith(b"usage: authgram " + cmd.encode()), f"{cmd} --help text")
    rc, out, _ = run("--help")
    eq(rc, 0, "--help")
    rc, out, _ = run("--version")
    expect(rc == 0 and out.startswith(b"authgram "), "--version")
    # an empty input: nothing checked is not success ([I]5, case_empty_input)
    rc, out, _ = run("check", stdin=b"")
    eq(rc, 3, "empty input")


# ---- JSON ------------------------------------------------------------------------------

def json_lines(out):
    objs = [json.loads(l) for l in lines(out)]
    for o in objs:
        for k in ("file", "line", "offset", "header", "profile", "verdict", "errors", "warnings"):
            expect(k in o, f"key {k} missing in {o}")
        expect(o["verdict"] in ("valid", "valid-warn", "invalid"), f"verdict {o['verdict']}")
        for e in o["errors"] + o["warnings"]:
            for k in ("id", "rule", "offset", "message", "rfc"):
                expect(k in e, f"key {k} missing in {e}")
    return objs


def case_json_values():
    f = data("values.txt")
    raw = open(f, "rb").read()
    rc, out, _ = run("check", "--input", "values", "--format", "json", f)
    eq(rc, 1, "exit status")
    # python's json.tool must accept every line as well
    for l in lines(out):
        subprocess.run([sys.executable, "-m", "json.tool"], input=l.encode(), check=True, capture_output=True)
    o = json_lines(out)
    eq([x["verdict"] for x in o], ["valid", "valid-warn", "invalid", "valid-warn"], "verdicts")
    eq([x["line"] for x in o], [1, 3, 4, 5], "line numbers (the empty line is skipped)")
    starts = [i + 1 for i, b in enumerate(raw) if b == 10]
    eq([x["offset"] for x in o], [0] + [starts[i - 2] for i in (3, 4, 5)], "offsets of the values")
    eq(o[0]["fields"]["realm"], "example.org", "realm")
    eq(o[0]["fields"]["qop"], ["auth"], "qop")
    eq(o[0]["header"], None, "no header name in values mode")
    eq(o[1]["warnings"][0]["id"], "dedicated-param-fallthrough", "fallthrough warning")
    eq(o[1]["warnings"][0]["rule"], "qop-options", "fallthrough rule")
    e = o[2]["errors"][0]
    eq((e["rule"], e["offset"]), ("COMMA", len('Digest realm="example.org" ')), "error rule and offset")
    expect("fields" not in o[2], "no fields for an invalid value")
    eq(o[3]["warnings"][0]["id"], "sip-basic-scheme", "Basic warning")


def case_json_headers():
    f = data("headers.txt")
    raw = open(f, "rb").read()
    rc, out, _ = run("check", "--format", "json", f)
    o = json_lines(out)
    eq(len(o), 4, "headers checked")
    eq([x["header"] for x in o], ["Proxy-Authenticate", "WWW-Authenticate", "Proxy-Authenticate",
                                  "Proxy-Authenticate"], "header names")
    # offset: where the value (the scheme) starts in the file
    for x in o:
        eq(raw[x["offset"]:x["offset"] + 6], b"Digest", f"offset of the value on line {x['line']}")
    eq(o[1]["fields"]["nonce"], "def", "folded header parsed")
    eq(o[1]["line"], 4, "line of a folded header")


def case_json_binary():
    # bytes that are not UTF-8 still give valid JSON
    v = b'Digest realm="caf\xc3\xa9 \xc0\x80", nonce="\\"q\\\\"\n'
    rc, out, _ = run("check", "--input", "values", "--format", "json", stdin=v)
    o = json_lines(out)[0]
    eq(o["fields"]["realm"], "caf\u00e9 \u00c0\u0080", "realm: UTF-8 kept, other bytes as code points")
    eq(o["fields"]["nonce"], '"q\\', "nonce unescaped")
    eq([w["id"] for w in o["warnings"]], ["digest-no-qop", "not-rfc3629-utf8"], "warnings")


def case_json_buffer():
    # the JSON of a record is built in a 64 KiB buffer, and "challenges"[0]
    # copied from "fields" while the buffer still holds it: values longer
    # than the buffer, escapes at its edges, and many records across it
    big = "a" * 70000
    vals = [f'Digest realm="{big}\\"{big}", nonce="\xc0\x80\xc3\xa9"'.encode("latin-1")]
    # and one whose "fields" alone crosses the buffer's end in small pieces
    vals += [("Digest " + ", ".join(f'p{k}="{chr(97 + k % 26) * 1700}"' for k in range(40))).encode()]
    vals += [f'Digest realm="r{i}", nonce="{"n" * (i * 37 % 3000)}", qop="auth"'.encode() for i in range(400)]
    rc, out, _ = run("check", "--input", "values", "--format", "json", stdin=b"\n".join(vals) + b"\n")
    o = json_lines(out)
    eq(len(o), len(vals), "records")
    eq(o[0]["fields"]["realm"], big + '"' + big, "a value longer than the buffer, unescaped")
    eq(o[0]["fields"]["nonce"], "\u00c0\u0080\u00e9", "other bytes as code points, UTF-8 kept")
    for i, x in enumerate(o):
        eq(x["challenges"], [x["fields"]], f"challenges[0] is fields (record {i})")
        if i > 1:
            eq(x["fields"]["nonce"], "n" * ((i - 2) * 37 % 3000), f"nonce of record {i}")
    eq([p["value"] for p in o[1]["fields"]["params"]], [chr(97 + k % 26) * 1700 for k in range(40)],
       "the parameters of a record longer than the buffer")


# ---- input modes -------------------------------------------------------------------------

def case_message():
    f = data("message.log")
    rc, out, _ = run("check", "--input", "message", "--format", "json", f)
    eq(rc, 0, "exit status")
    o = json_lines(out)
    # the Proxy-Authenticate text inside the MESSAGE body is skipped by Content-Length
    eq([(x["header"], x["fields"]["nonce"]) for x in o],
       [("Proxy-Authenticate", "n1"), ("WWW-Authenticate", "n2")], "headers of the log's messages")
    text = open(f, "rb").read().decode()
    eq(o[1]["line"], text[:text.index("WWW-Authenticate")].count("\n") + 1, "line in the log")
    # the same file read as plain header lines sees the body's fake header
    rc, out, _ = run("check", "--format", "json", f)
    eq(len(json_lines(out)), 3, "headers mode does not know about bodies")
    eq(rc, 1, "and the body's text is not a valid challenge")
    # several files, one of them on stdin
    rc, out, _ = run("check", "--input", "message", "--quiet", f, "-", stdin=open(f, "rb").read())
    eq(summary(out), "authgram: 4 headers checked: 4 conforming, 0 with warnings, 0 failing", "two inputs")


def case_raw():
    d = tempfile.mkdtemp()
    cases = {
        "ok": (b'Digest realm="a", nonce="b", qop="auth"', "valid", None),
        "trailing-lf": (b'Digest realm="a", nonce="b", qop="auth"\n', "invalid", 39),
        # CRLF may begin a fold: the input ends where WSP is needed
        "trailing-crlf": (b'Digest realm="a", nonce="b", qop="auth"\r\n', "invalid", 41),
        # a CR may begin the CRLF of a fold: the byte after it is refused
        "cr-inside": (b'Digest realm="a\rb", nonce="b", qop="auth"', "invalid", 16),
        "lf-inside": (b'Digest realm="a", \nnonce="b", qop="auth"', "invalid", 18),
        "nul-inside": (b'Digest realm="a\x00b", nonce="b", qop="auth"', "invalid", 15),
        "fold-inside": (b'Digest realm="a",\r\n nonce="b", qop="auth"', "valid", None),
        "two-folds": (b'Digest realm="a",\r\n \r\n nonce="b"', "invalid", 20),
    }
    for name, (content, verdict, off) in cases.items():
        p = os.path.join(d, name)
        with open(p, "wb") as fh:
            fh.write(content)
        arg = os.path.relpath(p)
        rc, out, _ = run("check", "--raw", "--format", "json", arg)
        o = json_lines(out)
        eq(len(o), 1, f"{name}: one value per file")
        eq(o[0]["file"], arg, f"{name}: file as given")
        eq(o[0]["verdict"], verdict, f"{name}: verdict")
        if off is not None:
            eq(o[0]["errors"][0]["offset"], off, f"{name}: error offset")
        eq(rc, 0 if verdict == "valid" else 1, f"{name}: exit status")
    # text output of a raw value with a CR: the caret line shows it escaped
    rc, out, _ = run("check", "--raw", os.path.join(d, "cr-inside"))
    out = lines(out)
    expect(out[0].split(": error: ")[1].startswith("in the realm parameter: unexpected 'b', expected LF"), out[0])
    eq(out[1], '  Digest realm="a\\x0Db", nonce="b", qop="auth"', "escaped CR in the offending line")
    eq(out[2], "  " + " " * (15 + 4) + "^", "caret under the byte after the CR")


# ---- parse, canon, build ---------------------------------------------------------------

def case_parse():
    rc, out, _ = run("parse", data("headers.txt"))
    eq(rc, 1, "exit status (one invalid)")
    text = out.decode()
    expect("Proxy-Authenticate Digest" in text and "  realm      example.org" in text, text)
    expect("  qop        auth" in text, text)
    rc, out, _ = run("parse", "--format", "json", "--input", "message", data("message.log"))
    o = json_lines(out)
    eq(o[1]["fields"]["algorithm"], "SHA-256", "algorithm")
    eq(o[1]["fields"]["qop"], ["auth", "auth-int"], "qop list")


def case_canon():
    src = (b'Proxy-Authenticate :  Digest  realm="a\\b" ,nonce="n",\r\n qop="auth" , stale=TRUE\r\n'
           b'WWW-Authenticate: Digest realm="x" nonce="y"\r\n'
           b'WWW-Authenticate: Basic realm="z"\r\n')
    rc, out, err = run("canon", stdin=src)
    eq(rc, 1, "exit status (one invalid)")
    eq(out, b'Proxy-Authenticate: Digest realm="ab", nonce="n", qop="auth", stale=TRUE\r\n'
            b'WWW-Authenticate: Basic realm="z"\r\n', "canonical header lines")
    # the invalid header is on line 3 (the first one is folded over two)
    expect(err.startswith(b"<stdin>:3:36: error: ") and b"[COMMA]" in err, f"error on stderr: {err!r}")
    # canonical input comes back byte for byte; values mode gives values
    canon = b'Digest realm="a\\"b", nonce="n", algorithm=MD5, qop="auth,auth-int", domain="sip:a /b"\n'
    rc, out, _ = run("canon", "--input", "values", stdin=canon)
    eq((rc, out), (0, canon), "canonical value unchanged")


def case_build():
    rc, out, err = run("build", "digest", "--realm", "example.org", "--nonce", "abc", "--opaque", "o",
                       "--algorithm", "SHA-256", "--qop", "auth", "--qop", "auth-int", "--stale", "true",
                       "--domain", "sip:a.example.org", "--domain", "/path", "--param", "x=a b",
                       "--token-param", "y=tok", "--header")
    eq((rc, err), (0, b""), "build succeeds")
    eq(out, b'Proxy-Authenticate: Digest realm="example.org", nonce="abc", opaque="o", algorithm=SHA-256, '
            b'qop="auth,auth-int", stale=true, domain="sip:a.example.org /path", x="a b", y=tok\r\n', "bytes")
    rc, out, _ = run("build", "basic", "--realm", 'a"b', "--www", "--header")
    eq(out, b'WWW-Authenticate: Basic realm="a\\"b"\r\n', "basic, escaped")
    rc, out, _ = run("build", "digest", "--realm=r", "--nonce=n", "--userhash=true", "--charset=UTF-8")
    eq(out, b'Digest realm="r", nonce="n", userhash=true, charset=UTF-8\n', "value form, RFC 7616 params")
    # the output parses back
    rc, out2, _ = run("check", "--input", "values", "--format", "json", stdin=out)
    eq(json_lines(out2)[0]["verdict"], "valid-warn", "built value parses (no qop: warning)")
    refusals = [
        (["--realm", "a\rb", "--nonce", "n"], b"realm"),
        (["--realm", "a\nVia: x", "--nonce", "n"], b"realm"),
        (["--realm", "r", "--nonce", "n", "--qop", "a b"], b"qop"),
        (["--realm", "r", "--nonce", "n", "--qop", ""], b"qop"),
        (["--realm", "r", "--nonce", "n", "--algorithm", "MD5;x"], b"algorithm"),
        (["--realm", "r", "--nonce", "n", "--domain", "not a uri"], b"domain"),
        (["--realm", "r", "--nonce", "n", "--param", "realm=x"], b"use --realm"),
        (["--realm", "r", "--nonce", "n", "--token-param", "x=a b"], b"param-value"),
        (["--realm", "r", "--nonce", "n", "--stale", "maybe"], b"--stale"),
        (["--realm", "r"], b"--nonce"),
        (["--nonce", "n"], b"--realm"),
        (["--realm", "r", "--nonce", "n", "--param", "novalue"], b"NAME=VALUE"),
    ]
    for args, word in refusals:
        rc, out, err = run("build", "digest", *args)
        eq(rc, 2, f"{args}: exit status")
        eq(out, b"", f"{args}: nothing on stdout")
        expect(word in err, f"{args}: stderr names {word!r}: {err!r}")
    rc, out, err = run("build", "digest", "--realm", "a\rb", "--nonce", "n")
    expect(b"[LWS]" in err, f"the rule is named: {err!r}")
    eq(run("build", "kerberos", "--realm", "r")[0], 2, "unknown scheme")


# ---- size ----------------------------------------------------------------------------------

def case_big_input():
    # 100 MB of header lines through stdin: memory stays flat
    line = b'Proxy-Authenticate: Digest realm="example.org", nonce="' + b"n" * 400 + b'", qop="auth"\r\n'
    filler = b"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK" + b"x" * 400 + b"\r\n"
    block = (line + filler) * 1000
    total = 100 * 1000 * 1000
    reps = total // len(block) + 1
    p = subprocess.Popen([AG, "check", "--quiet"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    import threading
    def feed():
        for _ in range(reps):
            p.stdin.write(block)
        p.stdin.close()
    t = threading.Thread(target=feed)
    t.start()
    out = p.stdout.read()
    t.join()
    eq(p.wait(), 0, "exit status")
    eq(lines(out)[-1], f"authgram: {reps * 1000} headers checked: {reps * 1000} conforming, 0 with warnings, 0 failing",
       "every header of 100 MB checked")
    rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    limit = int(os.environ.get("AG_RSS_LIMIT_KIB", 64 * 1024))
    expect(rss_kib < limit, f"constant memory: max RSS {rss_kib} KiB (limit {limit})")


def case_long_line():
    # one value of 1 MiB on one line, and a folded header over many lines
    v = b'Digest realm="' + b"r" * (1 << 20) + b'", nonce="n", qop="auth"'
    rc, out, _ = run("check", "--input", "values", "--format", "json", stdin=v + b"\n")
    o = json_lines(out)[0]
    eq((rc, o["verdict"], len(o["fields"]["realm"])), (0, "valid", 1 << 20), "1 MiB value")
    bad = v[:-1] + b"\x01\""
    rc, out, _ = run("check", "--input", "values", stdin=bad + b"\n")
    out = lines(out)
    eq(rc, 1, "1 MiB invalid value")
    expect(out[0].startswith(f"<stdin>:1:{len(bad) - 1}: error:"), out[0])
    expect(out[1].startswith("  ...") and len(out[1]) < 200, "long lines are shown as a window")
    eq(out[2].index("^"), out[1].index("\\x01"), "caret under the byte in the window")


# ---- the http profile -------------------------------------------------------------

def case_http():
    v = (b'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"\n'
         b'Digest realm = x ,, stale=yes, Negotiate abc==,\n'
         b'Digest\trealm="a"\n')
    rc, out, _ = run("check", "--profile", "http", "--input", "values", "--format", "json", stdin=v)
    eq(rc, 1, "exit status (one invalid)")
    o = json_lines(out)
    eq([x["profile"] for x in o], ["http"] * 3, "profile")
    eq([x["verdict"] for x in o], ["valid", "valid-warn", "invalid"], "verdicts")
    eq([c["scheme"] for c in o[0]["challenges"]], ["Newauth", "Basic"], "two challenges in one value")
    eq(o[0]["fields"]["scheme"], "Newauth", "fields: the first challenge")
    eq(o[0]["challenges"][0]["params"][2]["value"], 'Login to "apps"', "unescaped value")
    eq([c["token68"] for c in o[1]["challenges"]], [None, "abc=="], "token68")
    ids = [w["id"] for w in o[1]["warnings"]]
    for want in ("http-bws", "http-realm-unquoted", "http-empty-list-element", "http-bool-value"):
        expect(want in ids, f"warning {want} in {ids}")
    # HTAB may only be OWS before a comma here: the "r" after it is refused
    eq(o[2]["errors"][0]["offset"], 7, "HTAB after the scheme: 1*SP only")
    # the same value in the sip profile: a second challenge is an error there
    rc, out, _ = run("check", "--input", "values", "--format", "json", stdin=v.split(b"\n")[0] + b"\n")
    eq(json_lines(out)[0]["verdict"], "invalid", "sip: one challenge per header field")
    # canon joins the list in one field; build writes http Digest parameters
    rc, out, _ = run("canon", "--profile", "http", "--input", "values",
                     stdin=b',Newauth  realm = "apps" ,, type=1,Basic realm="simple", Negotiate  abc==\n')
    eq((rc, out), (0, b'Newauth realm="apps", type=1, Basic realm="simple", Negotiate abc==\n'), "canon http")
    rc, out, _ = run("build", "digest", "--profile", "http", "--realm", "r", "--nonce", "n", "--qop", "auth",
                     "--userhash", "true", "--charset", "UTF-8", "--www", "--header")
    eq(out, b'WWW-Authenticate: Digest realm="r", nonce="n", qop="auth", userhash=true, charset=UTF-8\r\n',
       "build http")
    rc, out2, _ = run("check", "--profile", "http", "--format", "json", stdin=out)
    o = json_lines(out2)[0]
    eq((o["verdict"], o["fields"]["userhash"], o["fields"]["charset"]), ("valid", True, "UTF-8"),
       "the built header checks as http with typed userhash and charset")


def case_lenient():
    v = b'Digest realm=example.org, nonce=abc,, qop="auth, auth-int" \n'
    rc, out, _ = run("check", "--input", "values", "--format", "json", stdin=v)
    eq((rc, json_lines(out)[0]["verdict"]), (1, "invalid"), "strict by default")
    rc, out, _ = run("check", "--input", "values", "--format", "json", "--lenient", stdin=v)
    o = json_lines(out)[0]
    eq((rc, o["verdict"]), (0, "valid-warn"), "read leniently")
    eq([w["id"] for w in o["warnings"]], ["lenient-unquoted", "lenient-unquoted", "lenient-empty-element",
                                          "lenient-qop-list", "lenient-trailing"], "every deviation reported")
    eq((o["fields"]["realm"], o["fields"]["qop"]), ("example.org", ["auth", "auth-int"]), "typed fields")
    rc, out, _ = run("canon", "--input", "values", "--lenient", stdin=v)
    eq(out, b'Digest realm="example.org", nonce="abc", qop="auth,auth-int"\n', "canon writes the strict form")
    rc, out, _ = run("check", "--input", "values", "--lenient", stdin=b'Digest realm="r" nonce="n"\n')
    eq(rc, 1, "a missing comma is never read")
    rc, out, _ = run("check", "--profile", "http", "--lenient", "--input", "values", "--format", "json",
                     stdin=b'Digest realm=r, nonce="n", qop="auth", Basic realm="x" \n')
    o = json_lines(out)[0]
    eq([w["id"] for w in o["warnings"]], ["lenient-unquoted", "lenient-trailing"], "http lenient")
    # an HTTP message log, read as messages, in the http profile, leniently, as text
    log = (b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 5\r\n"
           b"WWW-Authenticate: Digest realm=r, nonce=\"n\", qop=\"auth\"\r\n"
           b"WWW-Authenticate: Basic realm=\"x\", charset=\"UTF-8\"\r\n\r\nhello"
           b"GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
    rc, out, _ = run("check", "--profile", "http", "--lenient", "--input", "message", stdin=log)
    out = lines(out)
    eq(rc, 0, "HTTP messages read")
    expect(out[0].startswith("<stdin>:3:") and "[lenient-unquoted]" in out[0], out[0])
    eq(out[-1], "authgram: 2 headers checked: 1 conforming, 1 with warnings, 0 failing", "summary")


def case_lenient_limit():
    # 16 doubled commas are read; the 17th is the library's documented limit,
    # reported where it is (never "unexpected ','" at a comma it can read)
    def value(n):
        return b'Digest realm="r", nonce="n", qop="auth"' + b"".join(b",, a%d=b" % i for i in range(n)) + b"\n"
    rc, out, _ = run("check", "--input", "values", "--lenient", "--format", "json", stdin=value(16))
    eq((rc, json_lines(out)[0]["verdict"]), (0, "valid-warn"), "16 deviations are read")
    v = value(17)
    col = v.index(b",, a16=") + 2  # the second comma, 1-based
    rc, out, _ = run("check", "--input", "values", "--lenient", stdin=v)
    first = lines(out)[0]
    eq(rc, 1, "past the limit: not conforming")
    expect(first.startswith(f"<stdin>:1:{col}: error: past a limit of the library: at most 16 ")
           and first.endswith("[lenient-limit]"), first)
    rc, out, _ = run("check", "--input", "values", "--lenient", "--format", "json", stdin=v)
    e = json_lines(out)[0]["errors"][0]
    eq((e["id"], e["rule"], e["offset"]), ("limit", "lenient-limit", col - 1), "JSON error")


# ---- digest ----------------------------------------------------------------------------

RFC7616 = (b'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=%s, '
           b'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", '
           b'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"')
MUFASA = ["--username", "Mufasa", "--password", "Circle of Life", "--method", "GET",
          "--uri", "/dir/index.html"]


def kv(out):
    return dict(line.split("=", 1) for line in lines(out))


def case_credentials():
    # the answer side: digest --format header writes the line with the
    # builder; check, parse and canon read Authorization / Proxy-Authorization
    hdr = (b'Proxy-Authenticate: Digest realm="testrealm@host.com", qop="auth,auth-int", '
           b'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"\n')
    common = ["--username", "Mufasa", "--password", "Circle Of Life", "--method", "GET",
              "--uri", "sip:bob@host.com", "--cnonce", "0a4f113b"]
    rc, line, err = run("digest", *common, "--format", "header", stdin=hdr)
    eq((rc, err), (0, b""), "digest --format header")
    expect(line.startswith(b'Proxy-Authorization: Digest username="Mufasa", realm="testrealm@host.com", ')
           and line.endswith(b'cnonce="0a4f113b", opaque="5ccc069c403ebaf9f0171e9517f40e41", qop=auth, '
                             b'nc=00000001\r\n'), line)
    rc, out, err = run("check", stdin=line)
    eq((rc, summary(out + err)), (0, "authgram: 1 header checked: 1 conforming, 0 with warnings, 0 failing"),
       "the built answer conforms")
    rc, out, err = run("canon", stdin=line)
    eq((rc, out), (0, line), "canon gives the same line back")
    rc, out, _ = run("check", "--format", "json", stdin=line)
    o = json.loads(out)
    eq((o["header"], o["verdict"], o["fields"]["username"], o["fields"]["uri"], o["fields"]["nc"]),
       ("Proxy-Authorization", "valid", "Mufasa", "sip:bob@host.com", "00000001"), "json fields")
    expect("challenges" not in o, "credentials have no challenges list")
    eq([p["kind"] for p in o["fields"]["params"]],
       ["username", "realm", "nonce", "digest-uri", "dresponse", "algorithm", "cnonce", "opaque", "message-qop",
        "nonce-count"], "kinds")
    # errors and warnings of the answer side, GCC-style, with the rule
    bad = (b'Authorization: Digest username="a", realm="r", nonce="n", uri="/x", response="0"\n'
           b'Proxy-Authorization: Digest username="a" realm="r"\n'
           b'Authorization: Digest username="a", realm="r", nonce="n", uri="sip:h", nc=00000001\n')
    rc, out, err = run("check", stdin=bad)
    eq(rc, 1, "an invalid one fails")
    t = out.decode()
    expect("<stdin>:1:59: warning:" in t and "[dedicated-param-fallthrough]" in t and "digest-uri fails" in t, t)
    expect("[digest-response-length]" in t, t)
    expect("<stdin>:2:42: error: unexpected 'r'" in t and "[COMMA]" in t, t)
    expect("<stdin>:3:16: warning: Digest response without dresponse [digest-missing-param]" in t, t)
    expect("[digest-qop-mismatch]" in t, t)
    # bare values need --credentials; http's username*
    v = b"Digest username*=UTF-8''J%C3%A4s%C3%B8n, realm=\"r\", nonce=\"n\", uri=\"/a\", response=\"" + b"0" * 32 + b"\"\n"
    rc, out, err = run("parse", "--input", "values", "--credentials", "--profile", "http", stdin=v)
    eq(rc, 0, err)
    expect(b"username*  UTF-8''J%C3%A4s%C3%B8n" in out and b"[username-ext]" in out, out)
    # without --credentials the same value is read as a challenge (a Digest
    # challenge with auth-params and no qop)
    rc, out, err = run("check", "--input", "values", stdin=v)
    expect(rc == 0 and b"[digest-no-qop]" in out, out)

def case_digest():
    import hashlib
    # RFC 7616 section 3.9.1 as a 401 with both challenges: SHA-256 is chosen
    # whichever comes first (no downgrade by reordering)
    for order in (("MD5", "SHA-256"), ("SHA-256", "MD5")):
        msg = b"HTTP/1.1 401 Unauthorized\r\n" + b"".join(
            b"WWW-Authenticate: " + RFC7616 % a.encode() + b"\r\n" for a in order) + b"Content-Length: 0\r\n\r\n"
        rc, out, err = run("digest", "--profile", "http", "--input", "message", *MUFASA,
                           "--cnonce", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", stdin=msg)
        eq((rc, err), (0, b""), f"{order}: answered")
        got = kv(out)
        eq(got["response"], "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
           f"{order}: the RFC's SHA-256 response")
        eq((got["header"], got["algorithm"], got["qop"], got["nc"], got["source"]),
           ("Authorization", "SHA-256", "auth", "00000001", f"<stdin>:{2 + order.index('SHA-256')}"), "fields")
        eq(got["opaque"], "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", "opaque echoed")
    # RFC 2617 section 3.5 in SIP, as JSON, password from a file and from the environment
    hdr = (b'Proxy-Authenticate: Digest realm="testrealm@host.com", qop="auth,auth-int", '
           b'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"\n')
    with tempfile.TemporaryDirectory() as d:
        pw = os.path.join(d, "pw")
        with open(pw, "wb") as f:
            f.write(b"Circle Of Life\r\nsecond line ignored\n")
        common = ["--username", "Mufasa", "--method", "GET", "--uri", "/dir/index.html", "--cnonce", "0a4f113b"]
        rc, out, err = run("digest", *common, "--password-file", pw, "--format", "json", stdin=hdr)
        eq((rc, err), (0, b""), "password file")
        o = json.loads(out)
        eq((o["response"], o["header"], o["algorithm"], o["qop"]),
           ("6629fae49393a05397450978507c4ef1", "Proxy-Authorization", "MD5", "auth"), "RFC 2617 example")
        os.environ["AG_TEST_PW"] = "Circle Of Life"
        rc, out, _ = run("digest", *common, "--password-env", "AG_TEST_PW", "--format", "json", stdin=hdr)
        eq(json.loads(out)["response"], "6629fae49393a05397450978507c4ef1", "password from the environment")
        # auth-int only: the body's hash enters A2 (checked with hashlib here)
        body = os.path.join(d, "body")
        with open(body, "wb") as f:
            f.write(b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n")
        ai = hdr.replace(b'qop="auth,auth-int"', b'qop="auth-int"').replace(b"Digest ", b"Digest algorithm=SHA-512-256-sess, ")
        rc, out, err = run("digest", *common, "--password", "pw", "--body-file", body, "--nc", "0000002a", stdin=ai)
        eq((rc, err), (0, b""), "auth-int")
        H = lambda *p: hashlib.new("sha512_256", b":".join(p)).hexdigest().encode()
        ha1 = H(H(b"Mufasa", b"testrealm@host.com", b"pw"), b"dcd98b7102dd2f0e8b11d0f600bfb0c093", b"0a4f113b")
        ha2 = H(b"GET", b"/dir/index.html", hashlib.new("sha512_256", open(body, "rb").read()).hexdigest().encode())
        want = H(ha1, b"dcd98b7102dd2f0e8b11d0f600bfb0c093", b"0000002a", b"0a4f113b", b"auth-int", ha2).decode()
        eq((kv(out)["response"], kv(out)["qop"]), (want, "auth-int"), "auth-int response")
    # a random cnonce by default: 32 hex digits, new each time
    c1 = kv(run("digest", *MUFASA, stdin=hdr)[1])["cnonce"]
    c2 = kv(run("digest", *MUFASA, stdin=hdr)[1])["cnonce"]
    expect(len(c1) == 32 and all(ch in "0123456789abcdef" for ch in c1) and c1 != c2, f"cnonces {c1} {c2}")
    # nothing to answer: exit 1, each challenge's reason
    rc, out, err = run("digest", *MUFASA, stdin=b'Proxy-Authenticate: Basic realm="x"\n'
                       b'Proxy-Authenticate: Digest realm="x", nonce="n", algorithm=AKAv1-MD5\n'
                       b'Proxy-Authenticate: Digest realm="x" nonce="n"\n')
    eq((rc, out), (1, b""), "no usable challenge")
    e = lines(err)
    expect(any("<stdin>:1" in l and "not-digest" in l for l in e), f"Basic's reason: {e}")
    expect(any("<stdin>:2" in l and "algorithm" in l for l in e), f"AKA's reason: {e}")
    expect(any(l.startswith("<stdin>:3:") and "error:" in l and "[COMMA]" in l for l in e),
           f"the invalid one is reported: {e}")
    rc, out, err = run("digest", *MUFASA, stdin=b"")
    eq(rc, 1, "no challenge at all")
    expect(b"no challenge" in err, err)
    # usage errors: exit 2, nothing on stdout
    for args in (["--username", "u", "--method", "M", "--uri", "u"],  # no password
                 MUFASA + ["--password-env", "X"],                 # two passwords
                 MUFASA[:-2],                                      # no uri
                 MUFASA + ["--nc", "1"], MUFASA + ["--nc", "0000000A"],
                 MUFASA + ["--cnonce", 'a"b'], MUFASA + ["--format", "xml"], MUFASA + ["--bogus"]):
        rc, out, err = run("digest", *args, stdin=hdr)
        eq((rc, out), (2, b""), f"{args}: usage error")
        expect(b"authgram digest --help" in err, f"{args}: hint: {err!r}")
    eq(run("digest", "--help")[0], 0, "--help")


def case_diagnostics_same_everywhere():
    # [I]8: check, parse, canon and digest print a failure the same way:
    # GCC style, the parameter it is inside of, the rule, the RFC, a caret
    v = b'Proxy-Authenticate: Digest realm="a", nonce="abc\n'
    want = [f'<stdin>:1:{len(v)}: error: in the nonce parameter: unexpected end of input '
            f'[quoted-string] (RFC 3261 section 25.1)',
            '  Proxy-Authenticate: Digest realm="a", nonce="abc',
            '  ' + ' ' * (len(v) - 1) + '^']
    for args in (["check"], ["parse"], ["canon"], ["digest", *MUFASA]):
        rc, out, err = run(*args, stdin=v)
        text = lines(err) if args[0] in ("canon", "digest") else lines(out)
        eq(text[:3], want, f"{args[0]}: the diagnostic")
        eq(rc, 1, f"{args[0]}: exit status")
    # a bare LF where a fold begins says what is missing
    rc, out, _ = run("check", "--raw", "--input", "values", "/dev/stdin", stdin=b'Digest realm="a",\n nonce="b"')
    expect(lines(out)[0].endswith("unexpected LF, expected CR before LF (a line fold is CRLF followed by "
                                  "SP or HTAB) [challenge] (RFC 3261 section 25.1)"), lines(out)[0])
    # the warning's RFC is the profile's
    rc, out, _ = run("check", "--input", "values", stdin=b'Digest realm="a", nonce="n"\n')
    expect("[digest-no-qop] (RFC 3261 section 22.4)" in lines(out)[0], lines(out)[0])
    rc, out, _ = run("check", "--profile", "http", "--input", "values", stdin=b'Digest realm="a", nonce="n"\n')
    expect("[digest-no-qop] (RFC 7616 section 3.3)" in lines(out)[0], lines(out)[0])
    rc, out, _ = run("check", "--profile", "http", "--input", "values", "--format", "json",
                     stdin=b'Digest realm="a", nonce="n"\n')
    eq(json.loads(out)["warnings"][0]["rfc"], "RFC 7616 section 3.3", "JSON: the profile's RFC")
    # build: a dedicated name given as --param names the option that sets it
    for opt, name in (("--param", "realm"), ("--token-param", "Nonce"), ("--param", "qop")):
        rc, out, err = run("build", "digest", "--realm", "r", "--nonce", "n", opt, f"{name}=x")
        eq((rc, out), (2, b""), f"{opt} {name}=x refused")
        expect(f"use --{name.lower()}".encode() in err and b"setter" not in err, err)


# ---- hostile input (issue [H]) ---------------------------------------------------

def run_fed(args, chunks):
    """Runs the command with stdin fed from the iterable chunks (bytes), in
    a thread, without holding the whole input; returns (rc, out, err, rss)
    where rss is the maximum resident size (KiB) of the child."""
    import threading
    p = subprocess.Popen([AG, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    def feed():
        try:
            for c in chunks:
                p.stdin.write(c)
            p.stdin.close()
        except BrokenPipeError:
            pass
    t = threading.Thread(target=feed)
    t.start()
    errbuf = []
    te = threading.Thread(target=lambda: errbuf.append(p.stderr.read()))
    te.start()
    out = p.stdout.read()
    t.join()
    te.join()
    _, status, ru = os.wait4(p.pid, 0)  # this child's own maximum RSS
    p.returncode = rc = os.waitstatus_to_exitcode(status)
    return rc, out, errbuf[0], ru.ru_maxrss


def rss_limit(default_mib):
    # the sanitizers' shadow memory is not the command's
    return int(os.environ.get("AG_RSS_LIMIT_KIB", default_mib * 1024))


def case_field_limit():
    # [H]1: a line that is not a header is skipped in constant memory, however
    # long; a field longer than --max-field-bytes is an error at its line,
    # skipped, and the run goes on
    big = 120 * 1024 * 1024
    def nonheader():
        yield b'Proxy-Authenticate: Digest realm="a", nonce="b", qop="auth"\r\n'
        chunk = b"a" * (1 << 20)
        for _ in range(big >> 20):
            yield chunk
        yield b'\r\nWWW-Authenticate: Digest realm="c", nonce="d", qop="auth"\r\n'
    rc, out, err, rss = run_fed(["check"], nonheader())
    eq(rc, 0, "a long line that is not a header is no error")
    eq(summary(out), "authgram: 2 headers checked: 2 conforming, 0 with warnings, 0 failing", "both headers read")
    expect(rss < rss_limit(48), f"a {big >> 20} MiB line is skipped in constant memory: max RSS {rss} KiB")
    # a field above the default limit (2 MiB): an error at its line, the next one read
    long_field = b'Proxy-Authenticate: Digest realm="' + b"r" * (3 << 20) + b'", nonce="n", qop="auth"\r\n'
    src = b"X: y\r\n" + long_field + b' , opaque="o"\r\n' + b'WWW-Authenticate: Digest realm="c", nonce="d", qop="auth"\r\n'
    rc, out, err = run("check", stdin=src)
    eq(rc, 1, "a field above the limit fails the run")
    out = lines(out)
    expect(out[0].startswith("<stdin>:2:1: error: ") and "--max-field-bytes" in out[0] and "[field-too-long]" in out[0],
           f"the error at the field's line: {out[0]!r}")
    eq(out[-1], "authgram: 2 headers checked: 1 conforming, 0 with warnings, 1 failing", "the next header is read")
    rc, out, _ = run("check", "--format", "json", stdin=src)
    o = json_lines(out)
    eq([(x["line"], x["verdict"]) for x in o], [(2, "invalid"), (4, "valid")], "JSON records")
    eq(o[0]["errors"][0]["id"], "field-too-long", "JSON error id")
    eq(o[0]["header"], "Proxy-Authenticate", "the field's header")
    # the option, in every input mode
    v = b'Digest realm="' + b"r" * 200 + b'", nonce="n", qop="auth"'
    rc, out, _ = run("check", "--max-field-bytes", "100", "--input", "values", "--format", "json",
                     stdin=v + b"\n" + v[:20] + b'", nonce="n", qop="auth"\n')
    o = json_lines(out)
    eq((rc, [x["verdict"] for x in o], o[0]["errors"][0]["id"]), (1, ["invalid", "valid"], "field-too-long"),
       "--input values")
    rc, out, _ = run("check", "--max-field-bytes=100", "--format", "json",
                     stdin=b"Proxy-Authenticate: " + v + b"\r\n")
    eq((rc, json_lines(out)[0]["errors"][0]["id"]), (1, "field-too-long"), "--max-field-bytes=N")
    msg = b"INVITE sip:a@b SIP/2.0\r\nProxy-Authenticate: " + v + b"\r\nContent-Length: 0\r\n\r\n"
    rc, out, _ = run("check", "--max-field-bytes", "100", "--input", "message", "--format", "json", stdin=msg)
    eq((rc, json_lines(out)[0]["errors"][0]["id"]), (1, "field-too-long"), "--input message")
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "v")
        with open(f, "wb") as fh:
            fh.write(v)
        rc, out, _ = run("check", "--raw", "--max-field-bytes", "100", "--format", "json", f)
        eq((rc, json_lines(out)[0]["errors"][0]["id"]), (1, "field-too-long"), "--raw: a FILE above the limit")
        rc, out, _ = run("check", "--raw", "--max-field-bytes", str(len(v)), "--format", "json", f)
        eq((rc, json_lines(out)[0]["verdict"]), (0, "valid"), "--raw: a FILE of exactly the limit")
    for bad in ("0", "x", "-1", "12k"):
        eq(run("check", "--max-field-bytes", bad)[0], 2, f"--max-field-bytes {bad}")
    # memory is a small constant factor of the field (parameters and
    # warnings included): 16 MiB of ', a=b' (3.3M parameters)
    # (distinct names: no warnings, and not the duplicate check's time)
    def params():
        yield b"Proxy-Authenticate: Digest realm=\"r\", nonce=\"n\", qop=\"auth\""
        for k in range(0, 1 << 21, 1 << 14):
            yield b"".join(b", %x=b" % i for i in range(k, k + (1 << 14)))
        yield b"\r\n"
    size = sum(len(c) for c in params())
    rc, out, err, rss = run_fed(["check", "--quiet", "--max-field-bytes", str(32 << 20)], params())
    eq((rc, summary(out)), (0, "authgram: 1 header checked: 1 conforming, 0 with warnings, 0 failing"),
       "the big field is checked")
    expect(rss < rss_limit(12 * size >> 20), f"a {size >> 20} MiB field in at most 12x its size: max RSS {rss} KiB")


def case_json_buffer_edges():
    # [H]3: "challenges"[0] is copied from "fields" while the 64 KiB buffer
    # holds it; the key before it may flush the buffer.  Records whose fields
    # end at every offset around the buffer's end (value length and file
    # name length both vary); under ASan an overlapping copy aborts
    with tempfile.TemporaryDirectory() as d:
        for name_len in (1, 7, 30):
            name = os.path.join(d, "f" * name_len)
            with open(name, "wb") as fh:
                for k in range(32500, 32575):
                    fh.write(b'Digest realm="' + b"r" * k + b'", nonce="n", qop="auth"\n')
            rc, out, err = run("check", "--input", "values", "--format", "json", name)
            eq((rc, err), (0, b""), f"exit status and stderr (name of {name_len})")
            o = json_lines(out)
            eq(len(o), 75, "records")
            for i, x in enumerate(o):
                eq(len(x["fields"]["realm"]), 32500 + i, f"realm of record {i}")
                eq(x["challenges"], [x["fields"]], f"challenges[0] is fields (record {i}, name of {name_len})")


CONTROL = b'Proxy-Authenticate: Digest realm="evil\\\x1b]0;pwned\\\x07\\\x1b[2J\\\x00x\\\x7f", nonce="n", qop="auth"\r\n'


def raw_controls(b, allowed=b"\n\t"):
    return sorted({c for c in b if (c < 0x20 or c == 0x7f) and c not in allowed})


def case_control_bytes():
    # [H]4: text output never writes a C0 byte, DEL or NUL raw, and never
    # truncates at NUL; JSON escapes; wire output is exact off a terminal
    rc, out, err = run("check", stdin=CONTROL)
    eq((rc, raw_controls(out + err)), (0, []), "check: conforming, nothing raw")
    rc, out, err = run("parse", stdin=CONTROL)
    eq((rc, raw_controls(out + err)), (0, []), "parse text: no raw control byte")
    realm = [l for l in lines(out) if l.strip().startswith("realm")][0]
    eq(realm.split(None, 1)[1], "evil\\x1B]0;pwned\\x07\\x1B[2J\\x00x\\x7F", "parse text: escaped, not truncated")
    param = [l for l in lines(out) if "param" in l and "realm=" in l][0]
    expect("\\x00x" in param and "\\x1B" in param, f"parse text: raw parameter escaped: {param!r}")
    rc, out, _ = run("parse", "--format", "json", stdin=CONTROL)
    eq(json_lines(out)[0]["fields"]["realm"], "evil\x1b]0;pwned\x07\x1b[2J\x00x\x7f", "parse JSON: exact")
    # an error message that quotes input: the caret line (a raw ESC in a value is an error)
    rc, out, err = run("check", stdin=b'Proxy-Authenticate: Digest realm="a\x1b[2Jb", nonce="n"\r\n')
    eq((rc, raw_controls(out + err)), (1, []), "check: the offending line escaped")
    expect("\\x1B[2J" in out.decode(), out)
    # file names are shown escaped too
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "a\x1b[2Jb")
        with open(f, "wb") as fh:
            fh.write(b'Proxy-Authenticate: Digest realm="a", nonce="n"\r\n')
        rc, out, err = run("check", f)
        eq(raw_controls(out + err), [], "check: the file name escaped")
    # digest text output
    rc, out, err = run("digest", *MUFASA, stdin=CONTROL)
    eq((rc, raw_controls(out + err)), (0, []), "digest text: no raw control byte")
    eq(kv(out)["realm"], "evil\\x1B]0;pwned\\x07\\x1B[2J\\x00x\\x7F", "digest text: escaped, not truncated")
    # canon to a pipe: exact wire bytes (quoted-pairs) when the serializer writes them
    rc, out, err = run("canon", stdin=CONTROL)
    if rc == 0:
        eq(out, CONTROL, "canon off a terminal: the exact bytes")
    # to a terminal: escaped, and said once on stderr
    rc, got, err = run_pty(["canon"], CONTROL + CONTROL)
    if rc == 0:
        eq(raw_controls(got, b"\r\n\t"), [], "canon on a terminal: escaped")
        eq(err.count(b"escaped"), 1, f"said once on stderr: {err!r}")
    # build writes wire bytes too: ESC as a quoted-pair, exact to a pipe, escaped on a terminal
    args = ["build", "digest", "--realm", "a\x1b[2Jb", "--nonce", "n"]
    rc, out, _ = run(*args)
    if rc == 0:
        expect(b"\x1b[2J" in out, f"build to a pipe: the exact bytes: {out!r}")
        rc, got, err = run_pty(args, b"")
        eq((rc, raw_controls(got, b"\r\n\t")), (0, []), "build on a terminal: escaped")
        expect(b"escaped" in err, err)


def run_pty(args, stdin):
    """Runs the command with standard output on a pseudo-terminal."""
    import pty
    m, sl = pty.openpty()
    p = subprocess.run([AG, *args], input=stdin, stdout=sl, stderr=subprocess.PIPE)
    os.close(sl)
    got = b""
    while True:
        try:
            b = os.read(m, 65536)
        except OSError:
            break
        if not b:
            break
        got += b
    os.close(m)
    return p.returncode, got, p.stderr


def case_digest_buffers():
    # [H]6: no fixed output buffer: a valid challenge with a 9,000-character
    # nonce is answered as a header line that parses back
    nonce = "n" * 9000
    hdr = f'Proxy-Authenticate: Digest realm="r", nonce="{nonce}", qop="auth"\r\n'.encode()
    rc, out, err = run("digest", *MUFASA, "--uri", "sip:bob@example.com", "--cnonce", "c", "--format", "header",
                       stdin=hdr)
    eq((rc, err), (0, b""), "answered")
    rc, out, err = run("parse", "--format", "json", stdin=out)
    o = json_lines(out)[0]
    eq((rc, o["header"], o["fields"]["nonce"]), (0, "Proxy-Authorization", nonce), "the header parses back")


def case_digest_memory():
    # [H]7: one record at a time: 100,000 challenges in bounded memory
    rc, out, err, rss = run_fed(["digest", *MUFASA], [b"WWW-Authenticate: a\r\n" * 100000])
    eq((rc, out), (1, b""), "nothing to answer")
    expect(rss < rss_limit(48), f"digest over 100,000 challenges: max RSS {rss} KiB")
    src = (b'WWW-Authenticate: Digest realm="r", nonce="n", algorithm=MD5\r\n' * 50000 +
           b'WWW-Authenticate: Digest realm="r", nonce="s", algorithm=SHA-256\r\n' +
           b'WWW-Authenticate: Digest realm="r", nonce="t", algorithm=SHA-256\r\n' +
           b'WWW-Authenticate: Digest realm="r", nonce="m", algorithm=MD5\r\n' * 50000)
    rc, out, err, rss = run_fed(["digest", *MUFASA], [src])
    eq((rc, kv(out)["nonce"], kv(out)["source"]), (0, "s", "<stdin>:50001"), "the strongest, topmost among equals")
    expect(rss < rss_limit(48), f"digest over 100,002 challenges: max RSS {rss} KiB")


def case_message_bodies():
    # [H]9: a Content-Length that runs past what follows never hides later
    # messages silently
    ok = (b'SIP/2.0 407 Proxy Authentication Required\r\n'
          b'Proxy-Authenticate: Digest realm="a", nonce="n1", qop="auth"\r\nContent-Length: 0\r\n\r\n')
    bad = (b'SIP/2.0 407 Proxy Authentication Required\r\n'
           b'Proxy-Authenticate: Digest realm="a" nonce="n2"\r\nContent-Length: 0\r\n\r\n')
    def check(src):
        rc, out, _ = run("check", "--input", "message", "--format", "json", stdin=src)
        return rc, json_lines(out)
    # a huge Content-Length, in full or compact form, before the invalid challenge
    for cl in (b"Content-Length: 99999999999", b"l: 4000", b"content-length:   123456789012345678901234567890"):
        src = ok.replace(b"Content-Length: 0", cl) + bad
        rc, o = check(src)
        eq(rc, 1, f"{cl}: exit status")
        ids = [e["id"] for x in o for e in x["errors"]]
        expect("syntax" in ids, f"{cl}: the invalid challenge after it is still read: {ids}")
        expect(any(i.startswith("content-length") for i in ids), f"{cl}: the Content-Length is reported: {ids}")
        # reported where it shows: at its own line, or at the start line that
        # ends the body (naming the Content-Length's line)
        cl_rec = [x for x in o if any(e["id"].startswith("content-length") for e in x["errors"])][0]
        expect(cl_rec["line"] == 3 or (cl_rec["line"] == 5 and "line 3" in cl_rec["errors"][0]["message"]),
               f"{cl}: reported at its line: {cl_rec}")
    # a body that runs past the end of the input
    rc, o = check(ok + ok.replace(b"Content-Length: 0", b"Content-Length: 10") + b"abc")
    eq(rc, 1, "body past the end: exit status")
    eq([e["id"] for x in o for e in x["errors"]], ["content-length-past-end"], "body past the end: reported")
    # two different Content-Lengths
    rc, o = check(ok.replace(b"Content-Length: 0\r\n", b"Content-Length: 0\r\nl: 5\r\n") + bad)
    ids = [e["id"] for x in o for e in x["errors"]]
    expect(rc == 1 and "content-length-conflict" in ids and "syntax" in ids, f"duplicated Content-Length: {ids}")
    # the same value twice is fine
    rc, o = check(ok.replace(b"Content-Length: 0\r\n", b"Content-Length: 0\r\nl: 0\r\n") + ok)
    eq((rc, len(o)), (0, 2), "the same Content-Length twice")
    # a start line inside a body that is not message/*: the body ended early
    body = b"v=0\r\n"
    msg = ok.replace(b"Content-Length: 0", b"Content-Length: 2000") + body
    rc, o = check(msg + bad)
    ids = [e["id"] for x in o for e in x["errors"]]
    expect(rc == 1 and "content-length-overrun" in ids and "syntax" in ids, f"overrun: {ids}")
    # message/sipfrag bodies may hold start lines: read by Content-Length
    frag = b"SIP/2.0 200 OK\r\nProxy-Authenticate: Digest realm=\"x\" y\r\n"
    notify = (b"NOTIFY sip:a@b SIP/2.0\r\nContent-Type: message/sipfrag\r\nContent-Length: %d\r\n\r\n" % len(frag)) + frag
    rc, o = check(notify + ok)
    eq((rc, [x["fields"]["nonce"] for x in o]), (0, ["n1"]), "a sipfrag body is skipped whole")
    # the text output says what was assumed
    rc, out, _ = run("check", "--input", "message", stdin=ok.replace(b"Content-Length: 0", b"l: 4000") + bad)
    first = [l for l in lines(out) if "content-length" in l][0]
    expect(first.startswith("<stdin>:5:1: error: ") and "line 3" in first and "[content-length-overrun]" in first,
           first)
    # digest refuses to answer when input was skipped (a stronger challenge may be in it)
    rc, out, err = run("digest", *MUFASA, "--input", "message",
                       stdin=ok.replace(b"Content-Length: 0", b"Content-Length: 10") + b"abc")
    eq((rc, out), (1, b""), "digest: skipped input, no answer")
    expect(b"content-length-past-end" in err, err)


def case_manpage_exit_status():
    # [H]11: canon --profile http is not a usage error
    rc, out, _ = run("canon", "--profile", "http", "--input", "values", stdin=b'Basic realm="r"\n')
    eq((rc, out), (0, b'Basic realm="r"\n'), "canon --profile http works")
    man = open(os.path.join(DATA, "..", "..", "docs", "authgram.1"), encoding="utf-8").read()
    status = man[man.index('.SH "EXIT STATUS"'):man.index(".SH EXAMPLES")]
    expect("canon \\-\\-profile http" not in status, "EXIT STATUS lists canon --profile http as a usage error")
    for opt in ("max\\-field\\-bytes", "Content\\-Length"):
        expect(opt in man, f"the man page documents {opt}")


def case_digest_nul():
    # [H]5: a realm with a NUL (a quoted-pair in sip): the header written
    # carries all 3 bytes, the value the response was computed over, so it
    # re-parses to the same realm and verifies
    import hashlib
    hdr = b'Proxy-Authenticate: Digest realm="a\\\x00b", nonce="n", qop="auth"\r\n'
    args = ["--username", "u", "--password", "p", "--method", "INVITE", "--uri", "sip:b@example.com",
            "--cnonce", "c"]
    rc, out, err = run("digest", *args, "--format", "header", stdin=hdr)
    eq((rc, err), (0, b""), "answered")
    rc, back, _ = run("parse", "--format", "json", stdin=out)
    f = json_lines(back)[0]["fields"]
    eq((rc, f["realm"]), (0, "a\x00b"), "the header re-parses with the 3-byte realm")
    H = lambda *p: hashlib.md5(b":".join(p)).hexdigest().encode()
    want = H(H(b"u", b"a\x00b", b"p"), b"n", b"00000001", b"c", b"auth", H(b"INVITE", b"sip:b@example.com")).decode()
    eq(f["response"], want, "the response verifies over the realm written")
    eq(kv(run("digest", *args, stdin=hdr)[1])["response"], want, "the same response as the text output")


def case_empty_input():
    # [I]5: a run that found no header to check exits 3 and says so, so that
    # a CI job pointed at the wrong input mode fails; --allow-empty accepts it
    value = b'Digest realm="a", nonce="n", qop="auth"\n'
    for cmd in ("check", "parse", "canon"):
        rc, out, err = run(cmd, stdin=value)
        eq(rc, 3, f"{cmd}: a bare value read as header lines")
        expect(b"no header to check" in err, f"{cmd}: says nothing was checked: {err!r}")
        expect(b"authgram: <stdin>:1: this line is a bare header value: use --input values" in err,
               f"{cmd}: suggests --input values at line 1: {err!r}")
        rc, out, err = run(cmd, "--allow-empty", stdin=value)
        eq((rc, err), (0, b""), f"{cmd} --allow-empty")
    rc, out, err = run("check", "--format", "json", stdin=b"")
    eq((rc, out), (3, b""), "json: empty input")
    rc, out, err = run("check", stdin=b"")
    eq(rc, 3, "empty input")
    expect(b"0 headers checked" in out, "the summary line is still printed")
    expect(b"bare header value" not in err, "no suggestion without a line")
    # credentials are suggested with --credentials
    rc, out, err = run("check", stdin=b'Digest username="u", realm="r", nonce="n", uri="/", response="0"\n')
    eq(rc, 3, "bare credentials")
    expect(b"use --input values (and --credentials" in err, err)
    # text that merely parses as an http challenge (scheme + token68) is not
    # called a header value; a later value line is not looked for either
    rc, _, err = run("check", "--profile", "http", stdin=b"hello world\n" + value)
    eq(rc, 3, "prose")
    expect(b"bare header value" not in err, f"prose is not a header value: {err!r}")
    rc, _, err = run("check", "--input", "values", stdin=b"\n\n")
    eq(rc, 3, "values: only empty lines")
    expect(b"(it is empty)" in err, err)
    rc, _, err = run("check", "--input", "message", stdin=value)
    eq(rc, 3, "message mode")
    expect(b"--input message reads" in err and b"use --input values" in err, err)
    # a framing error is a failure, not an empty run
    rc, _, _ = run("check", "--max-field-bytes", "10", stdin=b"WWW-Authenticate: " + value)
    eq(rc, 1, "a field too long fails with 1")
    # files: one empty and one with a header: something was checked
    rc, _, _ = run("check", "/dev/null", data("headers.txt"))
    expect(rc in (0, 1), f"a header in the second file: status {rc}")


CASES = {k[5:]: v for k, v in globals().items() if k.startswith("case_")}

if __name__ == "__main__":
    if CASE not in CASES:
        sys.exit(f"unknown case {CASE}; known: {' '.join(sorted(CASES))}")
    try:
        CASES[CASE]()
    except AssertionError as e:
        print(f"FAIL {CASE}: {e}")
        sys.exit(1)
    print(f"ok {CASE}")
