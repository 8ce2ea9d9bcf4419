/* Draws one laid-out page onto a cairo context: the one drawing routine the
   PDF, PNG and SVG writers share, so the three outputs cannot drift apart.
   Does not create surfaces, start pages or write files. */
#ifndef WY_RENDER_DRAW_H
#define WY_RENDER_DRAW_H
#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "layout/pages.h"
#include "render/picture.h"

/* Largest page side in points (PDF's limit: 200 inches). */
#define WY_PAGE_MAX_SIDE_PT 14400.0

/* Checks that PAGES has at least one page and every page a finite size in
   (0, WY_PAGE_MAX_SIDE_PT]. Returns false with an internal error naming
   OUTPUT otherwise: layout never produces such pages. */
bool wy_draw_pages_check(const WyPages *pages, const char *output, WyDiag *d);

/* Draws PAGE (the PAGE_INDEX-th, 0-based, for messages) onto CR, whose user
   space must be the page in points with the origin at the top-left. Pictures
   come from PICTURES. Leaves CR's state as it found it. Returns false with
   an error recorded when an item cannot be drawn (a damaged picture is an
   input error at the item's place; an impossible item is an internal error
   naming OUTPUT, the file being written). cairo's own status is left for
   the caller to check with wy_draw_check, after ruling out a write error
   (cairo reports a full disk as a drawing failure). A face drawn for the
   first time in the process has its font file's pages given back
   (base/fontpages.h): at once when FIRST_USE is NULL, else *FIRST_USE is
   set to true and the caller gives them back once the page is shown (a
   PDF surface reads the face's whole CFF table then). */
bool wy_draw_page(cairo_t *cr, const WyPage *page, size_t page_index, WyPictureCache *pictures,
                  const char *output, bool *first_use, WyDiag *d);

/* Checks CR after a page: cairo records a failure (such as a singular
   matrix, which blanks the page) in the context and ignores every later
   call. Returns false with an internal error naming OUTPUT and the page. */
bool wy_draw_check(cairo_t *cr, size_t page_index, const char *output, WyDiag *d);

#endif
