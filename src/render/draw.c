#include "render/draw.h"

#include <math.h>
#include <pango/pangocairo.h>

typedef enum DrawResult {
    DRAWN,
    BAD_ITEM,  /* layout produced something that cannot be drawn: internal */
    REPORTED,  /* the item's input is at fault; the error is recorded */
} DrawResult;

static void set_color(cairo_t *cr, WyColor color)
{
    cairo_set_source_rgb(cr, ((color >> 16) & 0xff) / 255.0, ((color >> 8) & 0xff) / 255.0,
                         (color & 0xff) / 255.0);
}

/* A NaN or infinite coordinate puts cairo into an error state that blanks
   the rest of the page. */
static bool geometry_finite(const WyItem *item)
{
    return isfinite(item->x) && isfinite(item->y) && isfinite(item->w) && isfinite(item->h) &&
           isfinite(item->stroke_width);
}

/* pango_cairo_show_layout_line draws with the current point on the line's
   baseline at its left end, which is exactly what layout stores in x, y.
   The source is black; pango applies colour attributes of the runs. */
static DrawResult draw_text(cairo_t *cr, const WyItem *item)
{
    if (!item->layout)
        return BAD_ITEM;
    PangoLayoutLine *line = pango_layout_get_line_readonly(item->layout, item->line_index);
    if (!line)
        return BAD_ITEM;
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_move_to(cr, item->x, item->y);
    pango_cairo_show_layout_line(cr, line);
    return DRAWN;
}

static DrawResult draw_rect(cairo_t *cr, const WyItem *item)
{
    cairo_rectangle(cr, item->x, item->y, item->w, item->h);
    if (item->fill != WY_COLOR_NONE) {
        set_color(cr, item->fill);
        cairo_fill_preserve(cr);
    }
    if (item->stroke != WY_COLOR_NONE && item->stroke_width > 0) {
        set_color(cr, item->stroke);
        cairo_set_line_width(cr, item->stroke_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
        cairo_stroke_preserve(cr);
    }
    cairo_new_path(cr);
    return DRAWN;
}

/* Butt caps: a rule ends exactly where layout says, so rules meeting at a
   table corner do not overshoot. */
static DrawResult draw_line(cairo_t *cr, const WyItem *item)
{
    if (item->stroke == WY_COLOR_NONE || item->stroke_width <= 0)
        return DRAWN;
    cairo_move_to(cr, item->x, item->y);
    cairo_line_to(cr, item->x + item->w, item->y + item->h);
    set_color(cr, item->stroke);
    cairo_set_line_width(cr, item->stroke_width);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    cairo_stroke(cr);
    return DRAWN;
}

static DrawResult draw_image(cairo_t *cr, const WyItem *item, WyPictureCache *pictures, WyDiag *d)
{
    if (!item->image)
        return BAD_ITEM;
    if (item->w <= 0 || item->h <= 0)
        return DRAWN; /* nothing to see; scaling by 0 would break the matrix */
    cairo_surface_t *picture = wy_picture_cache_get(pictures, item->image, item->loc, d);
    if (!picture)
        return REPORTED;
    int width_px = cairo_image_surface_get_width(picture);
    int height_px = cairo_image_surface_get_height(picture);
    cairo_translate(cr, item->x, item->y);
    cairo_scale(cr, item->w / width_px, item->h / height_px);
    cairo_set_source_surface(cr, picture, 0, 0);
    /* GOOD smooths PNG previews; a PDF viewer gets /Interpolate. */
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_rectangle(cr, 0, 0, width_px, height_px);
    cairo_fill(cr);
    return DRAWN;
}

static DrawResult draw_item(cairo_t *cr, const WyItem *item, WyPictureCache *pictures, WyDiag *d)
{
    if (!geometry_finite(item))
        return BAD_ITEM;
    switch (item->kind) {
    case WY_ITEM_TEXT:
        return draw_text(cr, item);
    case WY_ITEM_RECT:
        return draw_rect(cr, item);
    case WY_ITEM_LINE:
        return draw_line(cr, item);
    case WY_ITEM_IMAGE:
        return draw_image(cr, item, pictures, d);
    }
    return BAD_ITEM;
}

static const char *kind_name(WyItemKind kind)
{
    switch (kind) {
    case WY_ITEM_TEXT:
        return "text line";
    case WY_ITEM_RECT:
        return "rectangle";
    case WY_ITEM_LINE:
        return "rule";
    case WY_ITEM_IMAGE:
        return "picture";
    }
    return "unknown item";
}

static void report_bad_item(const WyItem *item, size_t page_index, const char *output, WyDiag *d)
{
    if (item->loc.file)
        wy_diag_io_error(d, wy_loc(output, 0, 0),
                         "internal error: page %zu: a %s made from %s:%d cannot be drawn", page_index + 1,
                         kind_name(item->kind), item->loc.file, item->loc.line);
    else
        wy_diag_io_error(d, wy_loc(output, 0, 0), "internal error: page %zu: a %s cannot be drawn",
                         page_index + 1, kind_name(item->kind));
}

bool wy_draw_page(cairo_t *cr, const WyPage *page, size_t page_index, WyPictureCache *pictures,
                  const char *output, WyDiag *d)
{
    for (size_t i = 0; i < page->n_items; i++) {
        const WyItem *item = &page->items[i];
        cairo_save(cr);
        DrawResult result = draw_item(cr, item, pictures, d);
        cairo_restore(cr);
        if (result == BAD_ITEM)
            report_bad_item(item, page_index, output, d);
        if (result != DRAWN)
            return false;
    }
    return true;
}

bool wy_draw_check(cairo_t *cr, size_t page_index, const char *output, WyDiag *d)
{
    cairo_status_t status = cairo_status(cr);
    if (status == CAIRO_STATUS_SUCCESS)
        return true;
    if (status == CAIRO_STATUS_NO_MEMORY)
        wy_diag_io_error(d, wy_loc(output, 0, 0), "out of memory while drawing page %zu", page_index + 1);
    else
        wy_diag_io_error(d, wy_loc(output, 0, 0), "internal error: page %zu could not be drawn (cairo: %s)",
                         page_index + 1, cairo_status_to_string(status));
    return false;
}

static bool page_size_valid(const WyPage *page)
{
    return isfinite(page->width_pt) && isfinite(page->height_pt) && page->width_pt > 0 &&
           page->height_pt > 0 && page->width_pt <= WY_PAGE_MAX_SIDE_PT && page->height_pt <= WY_PAGE_MAX_SIDE_PT;
}

bool wy_draw_pages_check(const WyPages *pages, const char *output, WyDiag *d)
{
    if (pages->n_pages == 0 || !pages->pages) {
        wy_diag_io_error(d, wy_loc(output, 0, 0), "internal error: the document has no pages");
        return false;
    }
    for (size_t i = 0; i < pages->n_pages; i++) {
        if (!page_size_valid(&pages->pages[i])) {
            wy_diag_io_error(d, wy_loc(output, 0, 0), "internal error: page %zu has an impossible size", i + 1);
            return false;
        }
    }
    return true;
}
