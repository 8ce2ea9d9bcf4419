/* PDF output: every page through the shared drawing routine onto one cairo
   PDF surface, with metadata and bookmarks, streamed into an atomic file. */
#include "render/render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <time.h>

#include "base/fsx.h"
#include "render/draw.h"
#include "render/outline.h"
#include "render/picture.h"
#include "render/stream.h"

#define ISO_DATE_BYTES sizeof "YYYY-MM-DDTHH:MM:SSZ"

/* Formats SECONDS as cairo's metadata dates want them: ISO 8601, UTC
   (cairo 1.16 turns "…Z" into the PDF date "(YYYYMMDDHHMMSSZ)"). Without
   it cairo writes time(NULL) and two runs differ. */
static bool format_date(int64_t seconds, char out[ISO_DATE_BYTES], WyDiag *d)
{
    time_t t = (time_t)seconds;
    struct tm tm;
    if (seconds < 0 || (int64_t)t != seconds || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999) {
        wy_diag_usage(d, "the document date (%lld seconds since 1970) is out of range", (long long)seconds);
        return false;
    }
    strftime(out, ISO_DATE_BYTES, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return true;
}

static void set_text(cairo_surface_t *pdf, cairo_pdf_metadata_t key, const char *value)
{
    if (value && value[0])
        cairo_pdf_surface_set_metadata(pdf, key, value);
}

static void set_metadata(cairo_surface_t *pdf, const WyDocMeta *meta, const char *date)
{
    set_text(pdf, CAIRO_PDF_METADATA_TITLE, meta->title);
    set_text(pdf, CAIRO_PDF_METADATA_AUTHOR, meta->author);
    set_text(pdf, CAIRO_PDF_METADATA_SUBJECT, meta->subject);
    set_text(pdf, CAIRO_PDF_METADATA_KEYWORDS, meta->keywords);
    set_text(pdf, CAIRO_PDF_METADATA_CREATOR, "wenyin " WY_VERSION);
    set_text(pdf, CAIRO_PDF_METADATA_CREATE_DATE, date);
    set_text(pdf, CAIRO_PDF_METADATA_MOD_DATE, date);
}

/* Pages may differ in size (a landscape table in a portrait report):
   cairo_pdf_surface_set_size applies to the page about to be drawn.
   A failed write stops the drawing but is not reported here: it stays in
   OUT for wy_atomic_commit, which names the disk's error. */
static bool draw_pages(cairo_t *cr, cairo_surface_t *pdf, const WyPages *pages, WyPictureCache *pictures,
                       const WyAtomicFile *out, WyDiag *d)
{
    for (size_t i = 0; i < pages->n_pages; i++) {
        const WyPage *page = &pages->pages[i];
        cairo_pdf_surface_set_size(pdf, page->width_pt, page->height_pt);
        if (!wy_draw_page(cr, page, i, pictures, out->target, d))
            return false;
        cairo_show_page(cr);
        if (out->write_errno != 0)
            return true;
        if (!wy_draw_check(cr, i, out->target, d))
            return false;
    }
    return true;
}

/* After the surface has finished: a write error is in OUT for commit to
   report; anything else cairo failed at is internal. */
static bool finished_ok(cairo_status_t status, const WyAtomicFile *out, const char *path, WyDiag *d)
{
    if (status == CAIRO_STATUS_SUCCESS || out->write_errno != 0)
        return true;
    if (status == CAIRO_STATUS_NO_MEMORY)
        wy_diag_io_error(d, wy_loc(path, 0, 0), "out of memory while writing the PDF");
    else
        wy_diag_io_error(d, wy_loc(path, 0, 0), "internal error: the PDF could not be finished (cairo: %s)",
                         cairo_status_to_string(status));
    return false;
}

bool wy_render_pdf(const WyPages *pages, const WyRenderOptions *opt, const char *path, WyDiag *d)
{
    char date[ISO_DATE_BYTES];
    if (!wy_draw_pages_check(pages, path, d) || !format_date(opt->creation_time, date, d))
        return false;
    WyAtomicFile out;
    if (!wy_atomic_open(&out, path, d))
        return false;

    WyPictureCache *pictures = wy_picture_cache_new();
    const WyPage *first = &pages->pages[0];
    cairo_surface_t *pdf =
        cairo_pdf_surface_create_for_stream(wy_render_stream_write, &out, first->width_pt, first->height_pt);
    cairo_t *cr = cairo_create(pdf);
    set_metadata(pdf, &pages->meta, date);
    bool drawn = wy_draw_check(cr, 0, path, d) && draw_pages(cr, pdf, pages, pictures, &out, d) &&
                 (out.write_errno != 0 || wy_outline_add(pdf, pages, path, d));
    cairo_destroy(cr);
    /* Finish before the pictures go: the PDF writes their data only now. */
    cairo_surface_finish(pdf);
    cairo_status_t status = cairo_surface_status(pdf);
    cairo_surface_destroy(pdf);
    wy_picture_cache_free(pictures);

    if (!drawn || !finished_ok(status, &out, path, d)) {
        wy_atomic_abort(&out);
        return false;
    }
    return wy_atomic_commit(&out, d);
}
