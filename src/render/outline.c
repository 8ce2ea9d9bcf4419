#include "render/outline.h"

#include <cairo-pdf.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>

/* cairo's link attributes: "page=N pos=[X Y]". cairo 1.16
   (cairo-pdf-interchange.c, write_explicit_dest) takes pos in the page's
   user space, origin top-left, and writes /XYZ X (height − Y) itself, so
   layout's y from the top goes in unchanged. Numbers are formatted without
   the locale: a decimal comma would break the attribute parser. */
static void link_attributes(char *out, size_t size, const WyOutlineEntry *entry)
{
    char y[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(y, sizeof y, "%.2f", entry->y_pt);
    snprintf(out, size, "page=%d pos=[0 %s]", entry->page_index + 1, y);
}

static bool entry_valid(const WyOutlineEntry *entry, size_t n_pages)
{
    return entry->title && entry->page_index >= 0 && (size_t)entry->page_index < n_pages &&
           isfinite(entry->y_pt);
}

bool wy_outline_add(cairo_surface_t *pdf, const WyOutlineEntry *entries, size_t n_entries, size_t n_pages,
                    const char *output, WyDiag *d)
{
    int latest_at_level[WY_OUTLINE_MAX_LEVEL + 1]; /* valid for levels 1..depth */
    int depth = 0;
    for (size_t i = 0; i < n_entries; i++) {
        const WyOutlineEntry *entry = &entries[i];
        if (!entry_valid(entry, n_pages)) {
            wy_diag_io_error(d, wy_loc(output, 0, 0),
                             "internal error: bookmark %zu points outside the document", i + 1);
            return false;
        }
        int level = entry->level < 1 ? 1 : entry->level;
        if (level > WY_OUTLINE_MAX_LEVEL)
            level = WY_OUTLINE_MAX_LEVEL;
        if (level > depth + 1)
            level = depth + 1;
        int parent = level == 1 ? CAIRO_PDF_OUTLINE_ROOT : latest_at_level[level - 1];
        char link[96];
        link_attributes(link, sizeof link, entry);
        latest_at_level[level] = cairo_pdf_surface_add_outline(
            pdf, parent, entry->title, link, level == 1 ? CAIRO_PDF_OUTLINE_FLAG_OPEN : 0);
        depth = level;
    }
    if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
        wy_diag_io_error(d, wy_loc(output, 0, 0), "internal error: the bookmarks could not be added (cairo: %s)",
                         cairo_status_to_string(cairo_surface_status(pdf)));
        return false;
    }
    return true;
}
