#include "cli/resources.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fsx.h"
#include "base/mem.h"

#ifndef WY_DATADIR
#define WY_DATADIR "/usr/local/share/wenyin"
#endif

static char *existing(const char *dir, const char *relative)
{
    char *path = wy_fsx_join(dir, relative);
    if (access(path, R_OK) == 0)
        return path;
    free(path);
    return NULL;
}

/* The folder holding the running executable, from /proc/self/exe. */
static char *exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    return wy_fsx_dirname(buf);
}

char *wy_resource_path(const char *relative)
{
    const char *env = getenv("WENYIN_DATADIR");
    char *found = NULL;
    if (env && *env && (found = existing(env, relative)))
        return found;
    char *dir = exe_dir();
    if (dir) {
        /* build/wenyin in a source tree: the tree is one level up */
        char *up = wy_fsx_join(dir, "..");
        found = existing(up, relative);
        if (!found) {
            char *share = wy_fsx_join(up, "share/wenyin");
            found = existing(share, relative);
            free(share);
        }
        free(up);
        free(dir);
        if (found)
            return found;
    }
    return existing(WY_DATADIR, relative);
}
