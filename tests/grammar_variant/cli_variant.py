#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The command built from the grammar variant (tests/CMakeLists.txt: stale
gains the literal "maybe", a parameter x-example is added, no C change).

    cli_variant.py AUTHGRAM-VARIANT AUTHGRAM

stale=maybe is then the stale parameter, typed as OTHER: the JSON record
shows its exact bytes and kind "stale", with no fallthrough warning; the
command built from the real grammar reads the same value as an auth-param
with the warning.  x-example="..." is its own kind in the variant, an
auth-param in the real grammar.  Each record is the one line the command
prints for the value, compared whole."""
import json
import subprocess
import sys

VARIANT, MAIN = sys.argv[1], sys.argv[2]
VALUE = b'Digest realm="a", nonce="n", stale=maybe\n'

NO_QOP = ('{"id":"digest-no-qop","rule":"qop-options","offset":0,'
          '"message":"Digest challenge without qop (a server MUST send it)",'
          '"rfc":"RFC 3261 section 22.4"}')


def record(stale, kind, warnings, last=None):
    last = last or f'{{"name":"stale","value":"maybe","quoted":false,"kind":"{kind}"}}'
    fields = ('{"scheme":"Digest","realm":"a","nonce":"n","opaque":null,"algorithm":null,'
              f'"stale":{stale},"qop":[],"domain":[],"params":['
              '{"name":"realm","value":"a","quoted":true,"kind":"realm"},'
              '{"name":"nonce","value":"n","quoted":true,"kind":"nonce"},'
              f'{last}]}}')
    return ('{"file":"-","line":1,"offset":0,"header":null,"profile":"sip","verdict":"valid-warn",'
            f'"errors":[],"warnings":[{",".join(warnings)}],"fields":{fields},"challenges":[{fields}]}}')


def check(binary, want, value=VALUE):
    p = subprocess.run([binary, "check", "--format", "json", "--input", "values", "-"], input=value,
                       capture_output=True)
    out = p.stdout.decode()
    if p.returncode != 0 or p.stderr:
        sys.exit(f"{binary}: exit {p.returncode}, stderr {p.stderr!r}")
    if out != want + "\n":
        sys.exit(f"{binary}: record differs\n got: {out!r}\nwant: {want!r}")
    json.loads(out)  # and it is JSON


check(VARIANT, record('"maybe"', "stale", [NO_QOP]))
check(MAIN, record("null", "auth-param", [NO_QOP, (
    '{"id":"dedicated-param-fallthrough","rule":"stale","offset":29,"message":"parameter does not '
    'match its dedicated production and was read as auth-param: stale fails at offset 35",'
    '"rfc":"RFC 3261 section 25.1"}')]))
# the variant's new dedicated parameter: its own kind, its value unescaped
X = b'Digest realm="a", nonce="n", x-example="hi \\"x\\""\n'
check(VARIANT, record("null", None, [NO_QOP], '{"name":"x-example","value":"hi \\"x\\"","quoted":true,'
                      '"kind":"x-example"}'), X)
check(MAIN, record("null", None, [NO_QOP], '{"name":"x-example","value":"hi \\"x\\"","quoted":true,'
                   '"kind":"auth-param"}'), X)
print("cli_variant: every record as expected")
