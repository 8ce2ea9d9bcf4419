/* Render: laid-out pages → bytes. PDF (fonts embedded as subsets, metadata,
   outline, deterministic CreationDate), PNG and SVG previews. Every output
   is written atomically: on failure the previous file is untouched. */
#ifndef WY_RENDER_H
#define WY_RENDER_H
#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"
#include "layout/pages.h"

typedef struct WyRenderOptions {
    int64_t creation_time;   /* seconds since the epoch; from SOURCE_DATE_EPOCH, or a fixed date */
    double png_dpi;          /* PNG previews, default 96 */
    int only_page;           /* 1-based page to write for PNG/SVG, 0 = every page */
} WyRenderOptions;

/* Writes PAGES as one PDF at PATH. */
bool wy_render_pdf(const WyPages *pages, const WyRenderOptions *opt, const char *path, WyDiag *d);
/* Writes one PNG (or SVG) per page: PATH "x.png" gives x-1.png, x-2.png, …;
   with opt->only_page set, that one page goes to PATH itself. All files are
   renamed into place only once every page has rendered. */
bool wy_render_png(const WyPages *pages, const WyRenderOptions *opt, const char *path, WyDiag *d);
bool wy_render_svg(const WyPages *pages, const WyRenderOptions *opt, const char *path, WyDiag *d);

#endif
