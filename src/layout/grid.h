/* Grids: a grid's children are cells (frames), `columns` to a row, of
   equal width; each row is as tall as its tallest cell (or, with
   equal_rows, every row as tall as the tallest cell of the grid). Rows are
   laid out here as finished canvases; pagination never splits one. */
#ifndef WY_GRID_H
#define WY_GRID_H
#include "layout/page.h"

typedef struct WyGridRow {
    WyCanvas *canvas;         /* owned by the layout context */
    const WyBox *tallest;     /* the cell to name if the row is too tall */
} WyGridRow;

/* Lays out GRID's rows W_PT wide. Returns a malloc'd array of *N_ROWS rows
   (the caller frees the array), or NULL with *N_ROWS = 0 for an empty grid
   or, with an error recorded, on failure. */
WyGridRow *wy_grid_rows(WyLayoutCtx *lc, const WyBox *grid, double w_pt, double max_block_pt, size_t *n_rows);

#endif
