#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The synopses of the documentation against the command's own --help.

    python3 tests/docs_synopsis.py AUTHGRAM SOURCE_DIR

For each subcommand (check, parse, canon, build, digest), the options are
the --xxx words that "AUTHGRAM SUBCOMMAND --help" prints.  Two synopses
must list exactly those for that subcommand, no fewer and no more:

  - README.md: the first ``` block under "## The command"; an entry begins
    at a line "authgram SUBCOMMAND ..." and runs until the next such line;
  - docs/authgram.1: the SYNOPSIS section (".SH SYNOPSIS" up to the next
    ".SH"), read as text (font macros dropped, "\\-" read as "-"); an entry
    begins at ".SY authgram SUBCOMMAND" (or ".B authgram SUBCOMMAND" after
    a break) and runs until the next .YS, .PP or .br.

--help itself need not be listed (both synopses show it once, as
"authgram COMMAND --help"); lines for no subcommand (authgram --help,
--version, COMMAND --help) may carry only --help and --version.
Every mismatch is printed; exit status 0 when there is none, 1 otherwise,
2 on a usage error or when the command cannot be run.
"""
import os
import re
import subprocess
import sys

COMMANDS = ("check", "parse", "canon", "build", "digest")
# may appear in any entry without being listed by --help, never required
ALWAYS_KNOWN = {"--help"}
GLOBAL = "(authgram itself)"
GLOBAL_OPTIONS = {"--help", "--version"}
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def options_of(text):
    return set(OPTION.findall(text))


def help_options(authgram):
    """{subcommand: set of --options its --help prints}"""
    known = {}
    for cmd in COMMANDS:
        try:
            p = subprocess.run([authgram, cmd, "--help"], stdin=subprocess.DEVNULL, capture_output=True,
                               timeout=60)
        except (OSError, subprocess.SubprocessError) as e:
            print(f"docs_synopsis: cannot run {authgram}: {e}", file=sys.stderr)
            sys.exit(2)
        if p.returncode != 0:
            print(f"docs_synopsis: '{authgram} {cmd} --help' exited with status {p.returncode}: "
                  f"{p.stderr.decode(errors='replace').strip()}", file=sys.stderr)
            sys.exit(2)
        known[cmd] = options_of(p.stdout.decode("utf-8", errors="replace")) - ALWAYS_KNOWN
        if not known[cmd]:
            print(f"docs_synopsis: '{cmd} --help' prints no option", file=sys.stderr)
            sys.exit(2)
    return known


def entries(lines, starts):
    """[(subcommand or GLOBAL, text)] from lines of synopsis text; starts(line)
    returns the subcommand an entry begins with, GLOBAL, or None (the line
    continues the entry before it)."""
    out = []
    for line in lines:
        who = starts(line)
        if who is not None:
            out.append([who, line])
        elif out:
            out[-1][1] += "\n" + line
        elif line.strip():
            out.append([GLOBAL, line])
    return out


def entry_start(line):
    m = re.match(r"\s*authgram(?:\s+(\S+))?", line)
    if not m:
        return None
    return m.group(1) if m.group(1) in COMMANDS else GLOBAL


def readme_synopsis(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r"^## The command[ \t]*$", text, re.M)
    if not m:
        return None, "README.md has no '## The command' section"
    rest = text[m.end():]
    nxt = re.search(r"^## ", rest, re.M)
    section = rest[:nxt.start()] if nxt else rest
    b = re.search(r"^```[^\n]*\n(.*?)^```", section, re.M | re.S)
    if not b:
        return None, "README.md: no ``` block under '## The command'"
    return entries(b.group(1).splitlines(), entry_start), None


def man_text_line(line):
    """A line of man source as the text it shows, for the synopsis."""
    if line.startswith(".") or line.startswith("'"):
        m = re.match(r"[.'](\S+)\s*(.*)", line)
        if not m:
            return ""
        macro, args = m.group(1), m.group(2)
        words = [a.replace('""', '"') if a or not b else b
                 for a, b in re.findall(r'"((?:[^"]|"")*)"|((?:\\ |[^\s"])+)', args)]
        if macro in ("B", "I", "R", "SM", "SB"):
            line = " ".join(words)
        elif macro in ("BR", "RB", "BI", "IB", "RI", "IR"):
            line = "".join(words)
        elif macro == "SY":  # a synopsis entry (groff's an-ext): its command
            return "\0" + " ".join(words)
        elif macro == "OP":  # an optional option and its argument
            line = "[" + " ".join(words) + "]"
        else:
            return None  # a break (.PP, .br, .sp, ...) or another request
    line = line.replace("\\-", "-").replace("\\(en", "-").replace("\\(em", "-")
    line = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", line)  # font changes
    line = re.sub(r"\\[|^&/,)]", "", line)  # zero- and small-width spaces
    line = line.replace("\\ ", " ").replace("\\e", "\\")
    return line


def man_synopsis(path):
    src = open(path, encoding="utf-8").read().splitlines()
    try:
        i = next(k for k, l in enumerate(src) if re.match(r"\.SH\s+\"?SYNOPSIS\"?\s*$", l))
    except StopIteration:
        return None, "docs/authgram.1 has no .SH SYNOPSIS"
    lines = []
    for l in src[i + 1:]:
        if l.startswith(".SH"):
            break
        if l.startswith('.\\"'):
            continue
        t = man_text_line(l)
        lines.append("\0" if t is None else t)  # \0: a break between entries
        # (.SY returns "\0" + its command: the break and the entry's start)
    # an entry's words are spread over several macro lines: join them
    # between breaks, then split where an entry begins
    paragraphs = " ".join(lines).split("\0")
    return entries([p.strip() for p in paragraphs if p.strip()], entry_start), None


def compare(doc, found, known):
    bad = []
    seen = {}
    for who, text in found:
        opts = options_of(text)
        if who == GLOBAL:
            for o in sorted(opts - GLOBAL_OPTIONS):
                bad.append(f"{doc}: lists {o} for no subcommand: {' '.join(text.split())}")
            continue
        seen.setdefault(who, set()).update(opts)
    for cmd in COMMANDS:
        if cmd not in seen:
            bad.append(f"{doc}: no entry for 'authgram {cmd}'")
            continue
        for o in sorted(known[cmd] - seen[cmd]):
            bad.append(f"{doc}: {cmd}: missing {o} (printed by 'authgram {cmd} --help')")
        for o in sorted(seen[cmd] - known[cmd] - ALWAYS_KNOWN):
            bad.append(f"{doc}: {cmd}: lists {o}, which 'authgram {cmd} --help' does not know")
    return bad


def main(argv):
    if len(argv) != 3:
        print("usage: docs_synopsis.py AUTHGRAM SOURCE_DIR", file=sys.stderr)
        return 2
    authgram, src = argv[1], argv[2]
    known = help_options(authgram)
    bad = []
    for doc, reader, path in (("README.md synopsis", readme_synopsis, os.path.join(src, "README.md")),
                              ("docs/authgram.1 SYNOPSIS", man_synopsis, os.path.join(src, "docs", "authgram.1"))):
        try:
            found, err = reader(path)
        except OSError as e:
            print(f"docs_synopsis: {e}", file=sys.stderr)
            return 2
        if err:
            bad.append(err)
        else:
            bad += compare(doc, found, known)
    for b in bad:
        print(b)
    if bad:
        print(f"docs_synopsis: {len(bad)} mismatch{'es' if len(bad) != 1 else ''} between the synopses and --help")
        return 1
    total = sum(len(v) for v in known.values())
    print(f"docs_synopsis: ok: README.md and docs/authgram.1 list the {total} options of "
          f"{', '.join(COMMANDS)} as --help does")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
