/* SPDX-License-Identifier: MIT */
/* fuzz_seeds OUTDIR FILE.vec...: writes the input of every vector into
 * OUTDIR/<file stem>-<line>, one file each, for the seed corpus.  The
 * vectors are read by the tests' own reader (tests/vec.c). */
#include <stdio.h>
#include <string.h>

#include "vec.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s OUTDIR FILE.vec...\n", argv[0]);
        return 2;
    }
    size_t written = 0;
    for (int a = 2; a < argc; a++) {
        vec_case *cases;
        size_t n = vec_read(argv[a], &cases);
        if (!n)
            return 1;
        const char *base = strrchr(argv[a], '/');
        base = base ? base + 1 : argv[a];
        size_t stem = strcspn(base, ".");
        for (size_t i = 0; i < n; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%.*s-%d", argv[1], (int)stem, base, cases[i].line);
            FILE *f = fopen(path, "wb");
            if (!f || fwrite(cases[i].input, 1, cases[i].input_len, f) != cases[i].input_len ||
                fclose(f) != 0) {
                perror(path);
                return 1;
            }
            written++;
        }
        vec_free(cases, n);
    }
    printf("%zu seed(s) written to %s\n", written, argv[1]);
    return 0;
}
