/* SPDX-License-Identifier: MIT */
/* The replay driver: runs the harness over files and directories given on
 * the command line (a committed corpus, a crash to reproduce).  Plain C, so
 * it builds with gcc for CTest and under ASan+UBSan. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* The input being run, named when a finding aborts (a corpus replay must
 * say which file broke). */
static const char *current;

static void on_abort(int sig)
{
    (void)sig;
    static const char msg[] = "replay: the finding is input ";
    if (write(2, msg, sizeof msg - 1) < 0 || write(2, current, strlen(current)) < 0 ||
        write(2, "\n", 1) < 0)
        _exit(134);
    signal(SIGABRT, SIG_DFL);
    raise(SIGABRT);
}

static int run_file(const char *path)
{
    current = path;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: read error\n", path);
        free(buf);
        return -1;
    }
    char *exact = fuzz_copy(buf, n); /* exact size: ASan sees overreads */
    free(buf);
    LLVMFuzzerTestOneInput((const uint8_t *)exact, n);
    free(exact);
    return 1;
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every regular file of a directory, in name order (reproducible runs). */
static int run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return run_file(dir);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(dir) + strlen(names[i]) + 2;
        char *p = malloc(k);
        snprintf(p, k, "%s/%s", dir, names[i]);
        struct stat st;
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            int r = run_file(p);
            if (r < 0)
                return -1;
            count += r;
        }
        free(p);
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n"
                        "Runs the harness over every file; exits 0 when no invariant broke.\n",
                argv[0]);
        return 2;
    }
    signal(SIGABRT, on_abort);
    int total = 0;
    for (int i = 1; i < argc; i++) {
        int r = run_dir(argv[i]);
        if (r < 0)
            return 2;
        total += r;
    }
    if (!total) {
        fprintf(stderr, "no input files\n");
        return 2;
    }
    printf("%d input(s) replayed, no finding\n", total);
    return 0;
}
