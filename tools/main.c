/* SPDX-License-Identifier: MIT */
/* authgram: the command-line front end of the library.
 *
 *   authgram check [OPTIONS] [FILE...]   conformance of captured challenges (cmd_files.c)
 *   authgram parse [OPTIONS] [FILE...]   their typed fields
 *   authgram canon [OPTIONS] [FILE...]   their canonical serialization
 *   authgram build digest|basic [...]    a challenge from the builder (cmd_build.c)
 *   authgram digest [OPTIONS] [FILE...]  the response to a challenge (cmd_digest.c)
 *
 * Exit status: 0 everything conforms, 1 something does not, 2 usage or I/O
 * error, 3 no header found to check (check, parse, canon; --allow-empty
 * makes that 0).  See docs/authgram.1.  Each command is its own file; what
 * they share is in args.c (options), input.c and output.c. */
#include <string.h>

#include "cli.h"

static const char usage_main[] =
    "usage: authgram COMMAND [OPTIONS] [FILE...]\n"
    "\n"
    "Strict checker, parser, canonicalizer and builder of SIP and HTTP\n"
    "authentication headers: Proxy-Authenticate and WWW-Authenticate challenges,\n"
    "Proxy-Authorization and Authorization credentials (sip: RFC 3261 section\n"
    "25.1, RFC 3310, 4169, 8760; http: RFC 7235, 7616, 7617), and the Digest\n"
    "answer to a challenge.\n"
    "\n"
    "commands:\n"
    "  check   report, per header, the first byte that breaks an ABNF rule and\n"
    "          the warnings of the RFCs' prose rules\n"
    "  parse   print the typed fields of each header\n"
    "  canon   print the canonical serialization of each valid header\n"
    "  build   write a challenge from the builder (digest or basic)\n"
    "  digest  choose the challenge to answer and compute the digest response\n"
    "\n"
    "'authgram COMMAND --help' shows a command's options; 'authgram --version'.\n"
    "Exit status: 0 all conform, 1 some do not, 2 usage or I/O error, 3 no header\n"
    "found to check (check, parse, canon; unless --allow-empty).\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *c = argv[1];
    if (!strcmp(c, "--help") || !strcmp(c, "-h") || !strcmp(c, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(c, "--version")) {
        printf("authgram %s\n", ag_version());
        return 0;
    }
    if (!strcmp(c, "check"))
        return cmd_files(CMD_CHECK, argc - 1, argv + 1);
    if (!strcmp(c, "parse"))
        return cmd_files(CMD_PARSE, argc - 1, argv + 1);
    if (!strcmp(c, "canon"))
        return cmd_files(CMD_CANON, argc - 1, argv + 1);
    if (!strcmp(c, "build"))
        return cmd_build(argc - 1, argv + 1);
    if (!strcmp(c, "digest"))
        return cmd_digest(argc - 1, argv + 1);
    return usage_error(NULL, "unknown command '%s'", c);
}
