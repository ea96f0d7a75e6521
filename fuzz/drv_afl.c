/* SPDX-License-Identifier: MIT */
/* AFL++ persistent-mode driver (afl-clang-fast): the test case comes through
 * shared memory and is copied into an exact-size heap buffer so that ASan
 * builds see reads past its end. */
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

__AFL_FUZZ_INIT();

int main(void)
{
    __AFL_INIT();
    const unsigned char *shm = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(10000)) {
        size_t n = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        char *exact = fuzz_copy(shm, n);
        LLVMFuzzerTestOneInput((const uint8_t *)exact, n);
        free(exact);
    }
    return 0;
}
