/* SVG previews: each page on its own cairo SVG surface, one file per page. */
#include "render/render.h"

#include <cairo-svg.h>
#include <cairo.h>

#include "render/draw.h"
#include "render/pagefiles.h"
#include "render/stream.h"

static bool write_svg_page(const WyPage *page, size_t index, const WyRenderOptions *opt,
                           WyPictureCache *pictures, WyAtomicFile *out, WyDiag *d)
{
    (void)opt;
    cairo_surface_t *svg =
        cairo_svg_surface_create_for_stream(wy_render_stream_write, out, page->width_pt, page->height_pt);
    cairo_t *cr = cairo_create(svg);
    bool ok = wy_draw_check(cr, index, out->target, d) && wy_draw_page(cr, page, index, pictures, out->target, NULL, d);
    cairo_show_page(cr);
    ok = ok && (out->write_errno != 0 || wy_draw_check(cr, index, out->target, d));
    cairo_destroy(cr);
    /* The SVG is written only now; cairo 1.16 drops write errors here, so
       they are in OUT for the commit. */
    cairo_surface_finish(svg);
    cairo_status_t status = cairo_surface_status(svg);
    cairo_surface_destroy(svg);
    if (ok && status != CAIRO_STATUS_SUCCESS && out->write_errno == 0) {
        wy_diag_io_error(d, wy_loc(out->target, 0, 0), "internal error: page %zu could not be written as SVG (cairo: %s)",
                         index + 1, cairo_status_to_string(status));
        ok = false;
    }
    return ok;
}

bool wy_render_svg(const WyPages *pages, const WyRenderOptions *opt, const char *path, WyDiag *d)
{
    return wy_pagefiles_write(pages, opt, path, write_svg_page, d);
}
