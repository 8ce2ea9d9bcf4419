/* Shared by the libFuzzer targets: the loaders read files, so each input is
   written to a file in a private temp folder first. Diagnostics are kept,
   not printed; any crash, leak or sanitizer report is the finding. */
#ifndef WY_FUZZ_COMMON_H
#define WY_FUZZ_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_dir[64];

/* Writes DATA to NAME in the temp folder; returns its path (static buffer). */
static inline const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
    static char path[128];
    if (!fuzz_dir[0]) {
        snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/wy-fuzz-XXXXXX");
        if (!mkdtemp(fuzz_dir))
            abort();
    }
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fclose(f);
    return path;
}

#endif
