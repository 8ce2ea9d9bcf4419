/* PNG previews: each page drawn onto a white image surface at the chosen
   resolution, one file per page. */
#include "render/render.h"

#include <cairo.h>
#include <math.h>

#include "render/draw.h"
#include "render/pagefiles.h"
#include "render/stream.h"

#define PNG_DEFAULT_DPI 96.0
#define PNG_MAX_DPI 2400.0
/* 400 MB of pixels per page; A4 at 600 dpi is 35 million. */
#define PNG_MAX_PAGE_PIXELS (100.0 * 1000 * 1000)
#define CAIRO_MAX_SIDE_PX 32767.0

static double resolution(const WyRenderOptions *opt)
{
    return opt->png_dpi > 0 ? opt->png_dpi : PNG_DEFAULT_DPI;
}

/* Pixels covering LENGTH_PT at DPI; the epsilon keeps an exact 595 pt at
   72 dpi from becoming 596 through rounding noise. */
static double pixels(double length_pt, double dpi)
{
    return ceil(length_pt * dpi / 72.0 - 1e-6);
}

static bool page_fits(const WyPage *page, size_t index, double dpi, WyDiag *d)
{
    double width_px = pixels(page->width_pt, dpi), height_px = pixels(page->height_pt, dpi);
    if (width_px <= CAIRO_MAX_SIDE_PX && height_px <= CAIRO_MAX_SIDE_PX &&
        width_px * height_px <= PNG_MAX_PAGE_PIXELS)
        return true;
    wy_diag_usage(d, "at %g dpi page %zu would be %.0f×%.0f pixels, more than a preview can hold; "
                  "use a lower resolution", dpi, index + 1, width_px, height_px);
    return false;
}

static bool write_png_page(const WyPage *page, size_t index, const WyRenderOptions *opt,
                           WyPictureCache *pictures, WyAtomicFile *out, WyDiag *d)
{
    double dpi = resolution(opt);
    if (!page_fits(page, index, dpi, d))
        return false;
    cairo_surface_t *image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)pixels(page->width_pt, dpi),
                                                       (int)pixels(page->height_pt, dpi));
    cairo_t *cr = cairo_create(image);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72.0, dpi / 72.0);
    bool ok = wy_draw_check(cr, index, out->target, d) && wy_draw_page(cr, page, index, pictures, out->target, NULL, d) &&
              wy_draw_check(cr, index, out->target, d);
    cairo_destroy(cr);
    if (ok) {
        cairo_status_t status = cairo_surface_write_to_png_stream(image, wy_render_stream_write, out);
        if (status != CAIRO_STATUS_SUCCESS && out->write_errno == 0) {
            wy_diag_io_error(d, wy_loc(out->target, 0, 0), "internal error: page %zu could not be encoded (cairo: %s)",
                             index + 1, cairo_status_to_string(status));
            ok = false;
        }
    }
    cairo_surface_destroy(image);
    return ok;
}

bool wy_render_png(const WyPages *pages, const WyRenderOptions *opt, const char *path, WyDiag *d)
{
    if (!isfinite(opt->png_dpi) || opt->png_dpi < 0 || (opt->png_dpi > 0 && opt->png_dpi < 1) ||
        opt->png_dpi > PNG_MAX_DPI) {
        wy_diag_usage(d, "the preview resolution %g dpi is out of range (1 to %.0f)", opt->png_dpi, PNG_MAX_DPI);
        return false;
    }
    return wy_pagefiles_write(pages, opt, path, write_png_page, d);
}
