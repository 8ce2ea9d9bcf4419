/* Column sections: a section's children flow into `count` equal columns
   separated by a gap (and optionally a rule); a full page continues the
   columns on the next, and the last page of the section is balanced so
   the columns end as evenly as the break rules allow. */
#ifndef WY_COLUMNS_H
#define WY_COLUMNS_H
#include "layout/page.h"

/* Flattens section BOX (x, w from the flow's left) into its own flow.
   Returns an instance owned by LC, or NULL with an error recorded. */
WyColumnsInst *wy_columns_build(WyLayoutCtx *lc, const WyBox *box, double x, double w, double max_block_pt);

/* Sets the section of ATOM at the cursor, starting at cur->y. When the
   columns fill the region, NEXT_PAGE(PAGINATOR, …) moves the cursor to a
   new page; on canvases NEXT_PAGE is NULL and the region is unbounded.
   Returns false with an error recorded (a piece taller than a page). */
bool wy_columns_run(WyCursor *cur, const WyAtom *atom, WyNextPageFn next_page, void *paginator);

#endif
