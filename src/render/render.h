/* Render: laid-out pages → bytes. PDF (fonts embedded as subsets, metadata,
   outline, deterministic CreationDate), PNG and SVG previews. Every output
   is written atomically: on failure the previous file is untouched. */
#ifndef WY_RENDER_H
#define WY_RENDER_H
#include <stdbool.h>
#include <stddef.h>
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

/* A PDF written a page at a time, for pages streamed out of layout: the
   bytes are those wy_render_pdf writes for the same pages and outline. */
typedef struct WyPdfWriter WyPdfWriter;

/* Starts a PDF at PATH with META's title, author, subject and keywords
   (copied) and OPT's creation date. Nothing appears at PATH before
   wy_pdf_writer_finish succeeds. Returns a writer that finish or abort
   frees, or NULL with an error recorded. */
WyPdfWriter *wy_pdf_writer_open(const char *path, const WyDocMeta *meta, const WyRenderOptions *opt,
                                WyDiag *d);
/* Draws PAGE as the next page; PAGE may be freed on return. Returns false
   with an error recorded (the writer must then be aborted). A write error
   is not reported here but by finish. */
bool wy_pdf_writer_add_page(WyPdfWriter *w, const WyPage *page, WyDiag *d);
/* Pages added so far. */
size_t wy_pdf_writer_page_count(const WyPdfWriter *w);
/* Adds the N_OUTLINE bookmarks OUTLINE (page indexes count the pages
   added), ends the PDF and renames it into place. Frees W. Returns false
   with an error recorded, and the previous file at PATH untouched, when
   no page was added or the PDF could not be written. */
bool wy_pdf_writer_finish(WyPdfWriter *w, const WyOutlineEntry *outline, size_t n_outline, WyDiag *d);
/* Drops the PDF being written, leaving the previous file at PATH untouched.
   Frees W; NULL is ignored. */
void wy_pdf_writer_abort(WyPdfWriter *w);
/* Writes one PNG (or SVG) per page: PATH "x.png" gives x-1.png, x-2.png, …;
   with opt->only_page set, that one page goes to PATH itself. All files are
   renamed into place only once every page has rendered. */
bool wy_render_png(const WyPages *pages, const WyRenderOptions *opt, const char *path, WyDiag *d);
bool wy_render_svg(const WyPages *pages, const WyRenderOptions *opt, const char *path, WyDiag *d);

#endif
