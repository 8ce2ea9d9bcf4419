/* One output file per page (PNG and SVG previews): names the files, writes
   each page into a temp file, and renames them all only once every page
   has rendered, so a failed run leaves no new file and no temp file. */
#ifndef WY_RENDER_PAGEFILES_H
#define WY_RENDER_PAGEFILES_H
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/fsx.h"
#include "render/picture.h"
#include "render/render.h"

/* Writes PAGE (the INDEX-th, 0-based) into OUT. Returns false with an error
   recorded when it cannot be drawn; a failed write is not reported but
   left in OUT->write_errno for the commit to name. */
typedef bool (*WyPageWriter)(const WyPage *page, size_t index, const WyRenderOptions *opt,
                             WyPictureCache *pictures, WyAtomicFile *out, WyDiag *d);

/* The file for page NUMBER (1-based) of PATH: "x.png" gives "x-3.png",
   "x" gives "x-3", and a dot in a folder name is not an extension.
   The caller frees the result. */
char *wy_pagefiles_name(const char *path, size_t number);

/* Writes every page of PAGES (or only opt->only_page, to PATH itself) with
   WRITE_PAGE. Returns false with the first error recorded; then no file
   has been renamed into place and no temp file is left. A rename that
   fails after others succeeded (the folder vanished mid-way) can still
   leave a mix of new and old pages; it is reported. */
bool wy_pagefiles_write(const WyPages *pages, const WyRenderOptions *opt, const char *path,
                        WyPageWriter write_page, WyDiag *d);

#endif
