#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A hostile SIP client for examples/authgram_uas (issue [H], finding 10).

    uas_client.py CASE SERVER-PORT LOCAL-PORT

Plays one CASE against the server on 127.0.0.1:SERVER-PORT from
127.0.0.1:LOCAL-PORT (UDP) and checks each answer; tests/interop/
uas_refusals.sh starts the server with the options the case needs and
reads its log.  The digest responses are computed here with hashlib
(RFC 2617 section 3.2.2 / RFC 7616 section 3.4.1, MD5, qop=auth), not
with authgram: an oracle independent of the code under test.

Cases (the server refuses a replayed nonce count with 407 stale=true, a
digest-uri other than the Request-URI with 400):
  exact-replay    the INVITE that got a 200 (and was ACKed) sent again,
                  byte for byte: refused
  retransmission  the same INVITE before the ACK: the 200 again, byte for
                  byte (RFC 3261 section 17.2.1 / 13.3.1.4: a retransmission
                  is answered from the transaction, not authorized again)
  replay-call-id  the accepted Proxy-Authorization in an INVITE with another
                  Call-ID: refused
  nc-order        nc 1 accepted; 0, 1 again refused; 3 accepted; 2 refused
  uri-mismatch    a response computed for a uri other than the Request-URI:
                  400; the same nonce with the right uri: 200
  expired         (server --nonce-lifetime 1) an answer sent 2.5 s after the
                  challenge: 407 with stale=true and a new nonce, which works
  table-full      (server --nonce-slots 1) nonce A used, nonce B used (A
                  forgotten), A with nc 2: refused with stale=true
  no-qop-replay   (server --qop none) an answer without qop accepted once,
                  its replay under another Call-ID refused
  forged-nonce    a correct answer to a nonce the server did not issue (one
                  digit of its signature changed): a new challenge, not
                  stale (the nonce is signed: no table to look it up in)
  log-escape      a username with ESC and DEL (quoted-pairs) and an OPTIONS
                  whose Request-URI holds ESC: answered; the shell script
                  checks that the server's log shows them escaped

One line per step on stdout; "FAIL: ..." and exit 1 when an answer is not
the expected one.  Every wait is bounded by WAIT seconds, generous on
purpose: a busy machine only makes the test slower, never wrong.
"""
import hashlib
import re
import socket
import sys
import time

WAIT = 60.0  # seconds for one answer: the bound of a hang, not an expectation
USER, PASSWORD, REALM = "alice", "secret", "example.org"
CNONCE = "0a4f113b"


def md5(s: bytes) -> str:
    return hashlib.md5(s).hexdigest()


def quote(s: bytes) -> bytes:
    """A quoted-string of RFC 3261 section 25.1: '"', '\\' and the control
    bytes quoted-pair allows are escaped (qdtext has no CTL)."""
    out = bytearray(b'"')
    for c in s:
        if c in (0x22, 0x5C) or c < 0x20 or c == 0x7F:
            out += b"\\"
        out.append(c)
    return bytes(out + b'"')


class Fail(Exception):
    pass


class Client:
    def __init__(self, port, lport):
        self.peer = ("127.0.0.1", port)
        self.lport = lport
        self.ruri = b"sip:bob@127.0.0.1:%d" % port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", lport))
        self.seq = 0

    def fresh(self, what):
        self.seq += 1
        return b"%s-%d-%d" % (what, self.lport, self.seq)

    def message(self, method, call_id, cseq, branch, extra=b"", ruri=None, cseq_method=None):
        ruri = ruri or self.ruri
        return (b"%s %s SIP/2.0\r\n" % (method, ruri) +
                b"Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK%s\r\n" % (self.lport, branch) +
                b"From: <sip:alice@127.0.0.1>;tag=hostile%d\r\n" % self.lport +
                b"To: <sip:bob@127.0.0.1>\r\n"
                b"Call-ID: %s\r\n" % call_id +
                b"CSeq: %d %s\r\n" % (cseq, cseq_method or method) +
                b"Max-Forwards: 70\r\n" + extra +
                b"Content-Length: 0\r\n\r\n")

    def exchange(self, msg, branch):
        """Sends msg, returns (status, response bytes) of the first final
        response whose Via carries branch."""
        self.sock.sendto(msg, self.peer)
        end = time.monotonic() + WAIT
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise Fail("no final response within %d s" % WAIT)
            self.sock.settimeout(left)
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            m = re.match(rb"SIP/2\.0 (\d{3}) ", data)
            if not m or b"branch=z9hG4bK" + branch not in data:
                continue
            code = int(m.group(1))
            if code >= 200:
                return code, data

    def ack(self, call_id, cseq, resp, branch=None):
        to = re.search(rb"^To:[^\r\n]*", resp, re.M | re.I).group(0)
        msg = self.message(b"ACK", call_id, cseq, branch or self.fresh(b"ack"),
                           cseq_method=b"ACK").replace(b"To: <sip:bob@127.0.0.1>", to)
        self.sock.sendto(msg, self.peer)

    def challenge(self):
        """An INVITE without credentials: the nonce of its 407."""
        call_id, branch = self.fresh(b"call"), self.fresh(b"b")
        code, resp = self.exchange(self.message(b"INVITE", call_id, 1, branch), branch)
        if code != 407:
            raise Fail("INVITE without credentials got %d, expected 407" % code)
        self.ack(call_id, 1, resp, branch)
        return nonce_of(resp)

    def credentials(self, nonce, nc, uri=None, user=USER.encode(), qop=True):
        uri = uri or self.ruri
        ha1 = md5(b"%s:%s:%s" % (user, REALM.encode(), PASSWORD.encode()))
        ha2 = md5(b"INVITE:" + uri)
        if qop:
            resp = md5(("%s:%s:%08x:%s:auth:%s" % (ha1, nonce, nc, CNONCE, ha2)).encode())
            tail = b', cnonce="%s", nc=%08x, qop=auth' % (CNONCE.encode(), nc)
        else:
            resp = md5(("%s:%s:%s" % (ha1, nonce, ha2)).encode())
            tail = b""
        return (b"Proxy-Authorization: Digest username=" + quote(user) +
                b', realm="%s", nonce="%s", uri="%s", response="%s"' %
                (REALM.encode(), nonce.encode(), uri, resp.encode()) + tail + b"\r\n")

    def invite(self, creds, expect, what, call_id=None):
        """An INVITE with the credentials line creds; checks its status
        (and stale=true for "stale"), ACKs it; returns (message sent,
        response, call_id, branch)."""
        call_id, branch = call_id or self.fresh(b"call"), self.fresh(b"b")
        msg = self.message(b"INVITE", call_id, 2, branch, creds)
        code, resp = self.exchange(msg, branch)
        check(code, resp, expect, what)
        return msg, resp, call_id, branch


def nonce_of(resp):
    m = re.search(rb'^Proxy-Authenticate: Digest [^\r\n]*nonce="([^"]*)"', resp, re.M)
    if not m:
        raise Fail("a 407 without a Digest nonce")
    return m.group(1).decode("ascii")


def is_stale(resp):
    return re.search(rb"^Proxy-Authenticate: Digest [^\r\n]*stale=true", resp,
                     re.M | re.I) is not None


def check(code, resp, expect, what):
    """expect: 200, 400, 407 (without stale=true), or "stale" (407 whose
    challenge says stale=true)."""
    got = "407 stale=true" if code == 407 and is_stale(resp) else str(code)
    want = "407 stale=true" if expect == "stale" else str(expect)
    print("uas-client: %s: %s" % (what, got), flush=True)
    if got != want:
        raise Fail("%s: got %s, expected %s" % (what, got, want))


def run(case, c):
    if case == "exact-replay":
        msg, resp, call_id, branch = c.invite(c.credentials(c.challenge(), 1), 200, "nc 1")
        c.ack(call_id, 2, resp)
        code, resp = c.exchange(msg, branch)
        check(code, resp, "stale", "the same INVITE again after the ACK (exact replay)")
    elif case == "retransmission":
        msg, resp, call_id, branch = c.invite(c.credentials(c.challenge(), 1), 200, "nc 1")
        code, again = c.exchange(msg, branch)
        check(code, again, 200, "the same INVITE before the ACK (retransmission)")
        if again != resp:
            raise Fail("the retransmission's 200 differs from the first one")
        c.ack(call_id, 2, again)
    elif case == "replay-call-id":
        creds = c.credentials(c.challenge(), 1)
        _, resp, call_id, _ = c.invite(creds, 200, "nc 1")
        c.ack(call_id, 2, resp)
        c.invite(creds, "stale", "the same credentials under another Call-ID")
    elif case == "nc-order":
        nonce = c.challenge()
        for nc, expect in ((1, 200), (0, "stale"), (1, "stale"), (3, 200), (2, "stale"),
                           (3, "stale")):
            _, resp, call_id, _ = c.invite(c.credentials(nonce, nc), expect, "nc %08x" % nc)
            c.ack(call_id, 2, resp)
    elif case == "uri-mismatch":
        nonce = c.challenge()
        other = b"sip:alice@127.0.0.1"
        c.invite(c.credentials(nonce, 1, uri=other), 400,
                 "uri %s, Request-URI %s" % (other.decode(), c.ruri.decode()))
        c.invite(c.credentials(nonce, 1), 200, "the same nonce and nc with uri = Request-URI")
    elif case == "expired":
        nonce = c.challenge()
        time.sleep(2.5)  # past the server's --nonce-lifetime 1: a lower bound only
        _, resp, _, _ = c.invite(c.credentials(nonce, 1), "stale", "nc 1 after 2.5 s")
        fresh = nonce_of(resp)
        if fresh == nonce:
            raise Fail("the stale challenge repeats the expired nonce")
        c.invite(c.credentials(fresh, 1), 200, "the new nonce")
    elif case == "table-full":
        a, b = c.challenge(), c.challenge()
        c.invite(c.credentials(a, 1), 200, "nonce A, nc 1")
        c.invite(c.credentials(b, 1), 200, "nonce B, nc 1 (A leaves the one slot)")
        c.invite(c.credentials(a, 2), "stale", "nonce A, nc 2 (forgotten)")
    elif case == "no-qop-replay":
        creds = c.credentials(c.challenge(), 0, qop=False)
        c.invite(creds, 200, "no qop")
        c.invite(creds, "stale", "the same credentials under another Call-ID")
    elif case == "forged-nonce":
        nonce = c.challenge()
        forged = nonce[:-1] + ("0" if nonce[-1] != "0" else "1")
        c.invite(c.credentials(forged, 1), 407, "a nonce with a changed signature")
    elif case == "log-escape":
        user = b"al\x1b]0;pwned\x07ice\x7f"
        c.invite(c.credentials(c.challenge(), 1, user=user), 200, "a username with ESC, BEL, DEL")
        branch = c.fresh(b"b")
        code, _ = c.exchange(c.message(b"OPTIONS", c.fresh(b"call"), 1, branch,
                                       ruri=b"sip:\x1b[2Jbob@127.0.0.1"), branch)
        print("uas-client: OPTIONS with ESC in the Request-URI: %d" % code, flush=True)
        if code != 200:
            raise Fail("OPTIONS got %d, expected 200" % code)
    else:
        print("unknown case %s" % case, file=sys.stderr)
        return 2
    return 0


def main():
    if len(sys.argv) != 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    c = Client(int(sys.argv[2]), int(sys.argv[3]))
    try:
        return run(sys.argv[1], c)
    except Fail as e:
        print("uas-client: FAIL: %s" % e, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
