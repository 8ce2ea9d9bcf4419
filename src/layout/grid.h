/* Grids: a grid's children are cells (frames), `columns` to a row, of
   equal width; each row is as tall as its tallest cell (or, with
   equal_rows, every row as tall as the tallest cell of the grid). Rows are
   laid out here as finished canvases; pagination never splits one. A row
   taller than a page of a grid that lets such rows split is given to the
   table code instead, as a one-row table of the same geometry. */
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

/* Row ROW of GRID set W_PT wide, as a one-row table box whose row splits
   between the lines of its cells: the cells on columns of the grid's
   widths, the gaps columns of empty cells; each frame's border and
   padding become the cell's padding, its fill and vertical alignment the
   cell's, its borders the cell's rules (centred on the cell's edges, as a
   table draws them, where a frame draws them inside). The box, owned by
   LC's arena, carries no spacing or keeps: those stay with the grid. */
const WyBox *wy_grid_row_table(WyLayoutCtx *lc, const WyBox *grid, size_t row, double w_pt);

#endif
