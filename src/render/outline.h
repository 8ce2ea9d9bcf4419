/* PDF bookmarks: WyPages' outline entries as a nested outline on a cairo PDF
   surface. Only the outline; the pages themselves are drawn elsewhere. */
#ifndef WY_RENDER_OUTLINE_H
#define WY_RENDER_OUTLINE_H
#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "layout/pages.h"

/* Deepest level kept apart; deeper entries nest at this level. */
#define WY_OUTLINE_MAX_LEVEL 16

/* Adds the N_ENTRIES outline ENTRIES of a document of N_PAGES pages to the
   PDF surface PDF: each entry goes under the
   nearest preceding entry of a lower level (a level-2 under the level-1
   before it; a level-3 straight after a level-1 nests under that level-1),
   top-level entries shown open, each pointing at its page with the
   target's top at the window's top. Returns false with an internal error
   naming OUTPUT when an entry points outside the document. */
bool wy_outline_add(cairo_surface_t *pdf, const WyOutlineEntry *entries, size_t n_entries, size_t n_pages,
                    const char *output, WyDiag *d);

#endif
