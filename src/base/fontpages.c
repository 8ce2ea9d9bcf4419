#include "base/fontpages.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>

static bool is_font_file(const char *path)
{
    static const char *const suffixes[] = {".ttf", ".otf", ".ttc", ".otc"};
    size_t len = strlen(path);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (len > 4 && strcasecmp(path + len - 4, suffixes[i]) == 0)
            return true;
    return false;
}

/* Parses one line of /proc/self/maps: "START-END PERMS OFFSET DEV INODE PATH".
   False for a line that is not a mapping of a file. */
static bool parse_mapping(char *line, uintptr_t *start, uintptr_t *end, const char **perms, const char **path)
{
    char *rest;
    errno = 0;
    unsigned long long a = strtoull(line, &rest, 16);
    if (errno || *rest != '-')
        return false;
    unsigned long long b = strtoull(rest + 1, &rest, 16);
    if (errno || *rest != ' ' || b <= a)
        return false;
    *start = (uintptr_t)a;
    *end = (uintptr_t)b;
    *perms = rest + 1;
    char *slash = strchr(rest, '/');
    if (!slash)
        return false;
    slash[strcspn(slash, "\n")] = '\0';
    *path = slash;
    return true;
}

void wy_font_pages_release(void)
{
    FILE *maps = fopen("/proc/self/maps", "re");
    if (!maps)
        return;
    char line[4096 + 128];
    while (fgets(line, sizeof line, maps)) {
        uintptr_t start, end;
        const char *perms, *path;
        /* a writable private mapping may hold changes that dropping would lose */
        if (!parse_mapping(line, &start, &end, &perms, &path) || perms[0] != 'r' || perms[1] != '-' ||
            !is_font_file(path))
            continue;
        madvise((void *)start, end - start, MADV_DONTNEED);
    }
    fclose(maps);
}
