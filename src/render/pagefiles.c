#include "render/pagefiles.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/mem.h"
#include "render/draw.h"

char *wy_pagefiles_name(const char *path, size_t number)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base) /* ".png" alone is a hidden name, not an extension */
        dot = base + strlen(base);
    WyBuf name;
    wy_buf_init(&name);
    wy_buf_append(&name, path, (size_t)(dot - path));
    wy_buf_printf(&name, "-%zu%s", number, dot);
    return wy_buf_steal(&name);
}

/* The 0-based range of pages to write. */
static bool page_range(const WyPages *pages, const WyRenderOptions *opt, size_t *first, size_t *count,
                       WyDiag *d)
{
    if (opt->only_page == 0) {
        *first = 0;
        *count = pages->n_pages;
        return true;
    }
    if (opt->only_page < 0 || (size_t)opt->only_page > pages->n_pages) {
        wy_diag_usage(d, "page %d does not exist: the document has %zu page%s", opt->only_page,
                      pages->n_pages, pages->n_pages == 1 ? "" : "s");
        return false;
    }
    *first = (size_t)opt->only_page - 1;
    *count = 1;
    return true;
}

/* Renames every finished file, the lock holder (FILES[0]) last: its commit
   fsyncs the folder once all the renames are in it. */
static bool commit_all(WyAtomicFile *files, size_t count, WyDiag *d)
{
    for (size_t i = count; i-- > 1;) {
        if (!wy_atomic_commit(&files[i], d)) {
            for (size_t j = i; j-- > 0;)
                wy_atomic_abort(&files[j]);
            return false;
        }
    }
    return wy_atomic_commit(&files[0], d);
}

bool wy_pagefiles_write(const WyPages *pages, const WyRenderOptions *opt, const char *path,
                        WyPageWriter write_page, WyDiag *d)
{
    size_t first, count;
    if (!wy_draw_pages_check(pages, path, d) || !page_range(pages, opt, &first, &count, d))
        return false;
    WyAtomicFile *files = wy_xcalloc(count, sizeof *files);
    WyPictureCache *pictures = wy_picture_cache_new();
    size_t opened = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) {
        char *name = opt->only_page ? wy_xstrdup(path) : wy_pagefiles_name(path, first + i + 1);
        /* The first file takes the folder lock; the others share it, as one
           process waiting on its own lock would never wake. */
        ok = i == 0 ? wy_atomic_open(&files[i], name, d) : wy_atomic_open_beside(&files[i], &files[0], name, d);
        free(name);
        if (!ok)
            break;
        opened++;
        /* Finishing closes the temp file at once, so a long document does
           not hold a descriptor per page. */
        ok = write_page(&pages->pages[first + i], first + i, opt, pictures, &files[i], d) &&
             wy_atomic_finish(&files[i], d);
    }
    wy_picture_cache_free(pictures);
    if (ok) {
        ok = commit_all(files, count, d);
    } else {
        for (size_t i = opened; i-- > 0;)
            wy_atomic_abort(&files[i]);
    }
    free(files);
    return ok;
}
