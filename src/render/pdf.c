/* PDF output: every page through the shared drawing routine onto one cairo
   PDF surface, with metadata and bookmarks, streamed into an atomic file.
   Pages come one at a time (WyPdfWriter), so a streamed layout never holds
   more than the page being drawn; wy_render_pdf feeds a whole document. */
#include "render/render.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "base/fsx.h"
#include "base/mem.h"
#include "render/draw.h"
#include "base/fontpages.h"
#include "render/outline.h"
#include "render/pdftail.h"
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

struct WyPdfWriter {
    WyAtomicFile out;            /* the surface's stream; its path names the output in messages */
    char date[ISO_DATE_BYTES];
    WyDocMeta meta;              /* copies, set when the surface is made */
    cairo_surface_t *pdf;        /* made at the first page, at that page's size */
    cairo_t *cr;
    WyPictureCache *pictures;
    size_t n_pages;
    bool finishing;              /* cairo is writing the fonts and pictures */
    size_t since_release;        /* bytes written since the font pages were last released */
    size_t written;              /* bytes written before finishing */
    WyPdfTail *tail;             /* what cairo writes while finishing, held to shrink its fonts;
                                    NULL before, or once it grew past TAIL_MAX_BYTES and went out */
};

/* While the document is finished, font subsets go out one face after the
   other; releasing the font files' pages this often keeps about one face
   read at a time (see render/fontpages.h) for a few dozen scans of
   /proc/self/maps. */
#define FONT_RELEASE_EVERY_BYTES (256 * 1024)
/* Drawing reads more of the faces as new characters come; every few pages
   that goes back too. */
#define FONT_RELEASE_EVERY_PAGES 16

/* The tail of a PDF (fonts, outline, cross-references) is held in memory
   up to this size so that its fonts can be shrunk (render/pdftail);
   beyond it, it goes out unchanged. */
#define TAIL_MAX_BYTES ((size_t)32 << 20)

/* Holds what cairo writes while finishing; passes it on once too large. */
static cairo_status_t hold_tail(WyPdfWriter *w, const unsigned char *data, unsigned int length)
{
    if (w->tail && wy_pdf_tail_len(w->tail) + length <= TAIL_MAX_BYTES && wy_pdf_tail_append(w->tail, data, length))
        return CAIRO_STATUS_SUCCESS;
    cairo_status_t status = CAIRO_STATUS_SUCCESS;
    if (w->tail) {
        const WyBuf *held = wy_pdf_tail_bytes(w->tail);
        if (held->len)
            status = wy_render_stream_write(&w->out, (const unsigned char *)held->data, (unsigned)held->len);
        wy_pdf_tail_free(w->tail);
        w->tail = NULL;
    }
    return status == CAIRO_STATUS_SUCCESS ? wy_render_stream_write(&w->out, data, length) : status;
}

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
    WyPdfWriter *w = closure;
    if (!w->finishing) {
        w->written += length;
        return wy_render_stream_write(&w->out, data, length);
    }
    cairo_status_t status = hold_tail(w, data, length);
    if ((w->since_release += length) >= FONT_RELEASE_EVERY_BYTES) {
        w->since_release = 0;
        wy_font_pages_release();
    }
    return status;
}

/* Writes the held tail, its fonts shrunk. */
static void write_tail(WyPdfWriter *w)
{
    if (!w->tail)
        return;
    const WyBuf *tail = wy_pdf_tail_finish(w->tail, w->written);
    if (tail->len)
        wy_render_stream_write(&w->out, (const unsigned char *)tail->data, (unsigned)tail->len);
}

static char *copy_or_null(const char *s)
{
    return s ? wy_xstrdup(s) : NULL;
}

WyPdfWriter *wy_pdf_writer_open(const char *path, const WyDocMeta *meta, const WyRenderOptions *opt,
                                WyDiag *d)
{
    WyPdfWriter *w = wy_xcalloc(1, sizeof *w);
    if (!format_date(opt->creation_time, w->date, d) || !wy_atomic_open(&w->out, path, d)) {
        free(w);
        return NULL;
    }
    w->meta.title = copy_or_null(meta->title);
    w->meta.author = copy_or_null(meta->author);
    w->meta.subject = copy_or_null(meta->subject);
    w->meta.keywords = copy_or_null(meta->keywords);
    w->pictures = wy_picture_cache_new();
    return w;
}

size_t wy_pdf_writer_page_count(const WyPdfWriter *w)
{
    return w->n_pages;
}

/* Layout never makes such pages; cairo would make an unreadable PDF. */
static bool page_size_valid(const WyPage *page)
{
    return isfinite(page->width_pt) && isfinite(page->height_pt) && page->width_pt > 0 &&
           page->height_pt > 0 && page->width_pt <= WY_PAGE_MAX_SIDE_PT && page->height_pt <= WY_PAGE_MAX_SIDE_PT;
}

/* The surface starts at the first page's size, with the metadata set
   before anything is drawn. */
static bool start_surface(WyPdfWriter *w, const WyPage *first, WyDiag *d)
{
    w->pdf = cairo_pdf_surface_create_for_stream(pdf_write, w, first->width_pt,
                                                 first->height_pt);
    w->cr = cairo_create(w->pdf);
    set_metadata(w->pdf, &w->meta, w->date);
    return wy_draw_check(w->cr, 0, w->out.target, d);
}

/* Pages may differ in size (a landscape table in a portrait report):
   cairo_pdf_surface_set_size applies to the page about to be drawn.
   A failed write stops the drawing but is not reported here: it stays in
   the atomic file for wy_atomic_commit, which names the disk's error. */
bool wy_pdf_writer_add_page(WyPdfWriter *w, const WyPage *page, WyDiag *d)
{
    size_t index = w->n_pages++;
    if (w->out.write_errno != 0)
        return true;
    if (!page_size_valid(page)) {
        wy_diag_io_error(d, wy_loc(w->out.target, 0, 0), "internal error: page %zu has an impossible size",
                         index + 1);
        return false;
    }
    if (!w->pdf && !start_surface(w, page, d))
        return false;
    cairo_pdf_surface_set_size(w->pdf, page->width_pt, page->height_pt);
    bool first_use = false;
    if (!wy_draw_page(w->cr, page, index, w->pictures, w->out.target, &first_use, d))
        return false;
    cairo_show_page(w->cr);
    /* a new face's CFF table, read whole by the page just shown, or what
       drawing the last pages read of the faces */
    if (first_use || w->n_pages % FONT_RELEASE_EVERY_PAGES == 0)
        wy_font_pages_release();
    if (w->out.write_errno != 0)
        return true;
    return wy_draw_check(w->cr, index, w->out.target, d);
}

/* Ends the surface (DRAWN: everything went in) and frees the writer,
   committing the file or dropping it. */
static bool close_writer(WyPdfWriter *w, bool drawn, WyDiag *d)
{
    cairo_status_t status = CAIRO_STATUS_SUCCESS;
    if (w->pdf) {
        cairo_destroy(w->cr);
        /* Finish before the pictures go: the PDF writes their data only now. */
        w->finishing = true;
        w->tail = wy_pdf_tail_new();
        cairo_surface_finish(w->pdf);
        status = cairo_surface_status(w->pdf);
        cairo_surface_destroy(w->pdf);
        if (status == CAIRO_STATUS_SUCCESS && drawn)
            write_tail(w);
    }
    wy_pdf_tail_free(w->tail);
    wy_picture_cache_free(w->pictures);
    bool ok = drawn && finished_ok(status, &w->out, w->out.target, d);
    if (ok)
        ok = wy_atomic_commit(&w->out, d);
    else
        wy_atomic_abort(&w->out);
    free((char *)w->meta.title);
    free((char *)w->meta.author);
    free((char *)w->meta.subject);
    free((char *)w->meta.keywords);
    free(w);
    return ok;
}

bool wy_pdf_writer_finish(WyPdfWriter *w, const WyOutlineEntry *outline, size_t n_outline, WyDiag *d)
{
    bool drawn = true;
    if (w->n_pages == 0) {
        wy_diag_io_error(d, wy_loc(w->out.target, 0, 0), "internal error: the document has no pages");
        drawn = false;
    } else if (w->out.write_errno == 0) {
        drawn = wy_outline_add(w->pdf, outline, n_outline, w->n_pages, w->out.target, d);
    }
    return close_writer(w, drawn, d);
}

void wy_pdf_writer_abort(WyPdfWriter *w)
{
    if (w)
        close_writer(w, false, NULL);
}

bool wy_render_pdf(const WyPages *pages, const WyRenderOptions *opt, const char *path, WyDiag *d)
{
    if (!wy_draw_pages_check(pages, path, d))
        return false;
    WyPdfWriter *w = wy_pdf_writer_open(path, &pages->meta, opt, d);
    if (!w)
        return false;
    for (size_t i = 0; i < pages->n_pages; i++) {
        if (!wy_pdf_writer_add_page(w, &pages->pages[i], d)) {
            wy_pdf_writer_abort(w);
            return false;
        }
    }
    return wy_pdf_writer_finish(w, pages->outline, pages->n_outline, d);
}
