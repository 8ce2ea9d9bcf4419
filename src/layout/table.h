/* Tables: column widths (fixed, percent, shares, or from the content as in
   the CSS automatic table layout), rows of cells laid out with the
   paragraph engine one row group at a time, a tall row split between the
   lines of its cells at a page break, the header and a continued caption
   set again on every page, collapsed borders, zebra fills and decimal
   alignment. Rows are laid out as they are placed and forgotten once their
   page holds them, so memory follows the page, not the table. */
#ifndef WY_TABLE_H
#define WY_TABLE_H
#include "layout/page.h"

#define WY_TABLE_CAPTION_GAP_PT 4.0 /* caption to table, when the caption style sets no space-after */

/* Prepares table BOX to be set W_PT wide: measures the content of every
   auto and decimal column (one pass over the rows, nothing kept), fixes
   the column widths, lays out the caption, header and footer. Returns an
   instance owned by LC, or NULL with an error recorded. */
WyTableInst *wy_table_build(WyLayoutCtx *lc, const WyBox *box, double w_pt, double max_block_pt);

/* What the table needs below the point where it starts: caption, header
   and the first body row's first piece (the whole row when it may not
   split, or when it is the only row and fits on a page with the footer),
   plus a repeated footer. */
double wy_table_min_height(const WyTableInst *table);

/* Sets the table of ATOM at the cursor. When the page is full,
   NEXT_PAGE(PAGINATOR, …) moves the cursor to a new page, where the
   continued caption and the header are set again; on canvases NEXT_PAGE
   is NULL and the region is unbounded. Returns false with an error
   recorded: a row (named by its number and its template or data line)
   taller than a page. */
bool wy_table_run(WyCursor *cur, const WyAtom *atom, WyNextPageFn next_page, void *paginator);

/* Sets table BOX W_PT wide in one piece on a new canvas owned by LC (a
   table inside a column section, a cell, a header). NULL on error. */
WyCanvas *wy_table_canvas(WyLayoutCtx *lc, const WyBox *box, double w_pt, double max_block_pt);

#endif
