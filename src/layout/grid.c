#include "layout/grid.h"

#include <math.h>
#include <stdlib.h>

#include "base/mem.h"

#define MIN_CELL_PT 1.0

typedef struct Cell {
    const WyBox *box;
    WyCanvas *content;
    double top_pt, bottom_pt, left_pt; /* edges of a frame cell: border + padding */
    double natural_pt;                 /* content plus edges */
} Cell;

static bool is_frame(const WyBox *box)
{
    return box->kind == WY_BOX_FRAME;
}

/* Lays out one cell's content CELL_W wide. A child that is not a frame is
   its own content. */
static bool layout_cell(WyLayoutCtx *lc, const WyBox *box, double cell_w, double max_block_pt, Cell *cell)
{
    cell->box = box;
    double right = 0;
    WyBox alone;
    const WyBox *content = box->children;
    if (is_frame(box)) {
        cell->top_pt = box->u.frame.top.width_pt + box->u.frame.padding_pt[0];
        cell->bottom_pt = box->u.frame.padding_pt[2] + box->u.frame.bottom.width_pt;
        cell->left_pt = box->u.frame.left.width_pt + box->u.frame.padding_pt[3];
        right = box->u.frame.right.width_pt + box->u.frame.padding_pt[1];
    } else {
        alone = *box;
        alone.next = NULL;
        content = &alone;
    }
    double inner_w = fmax(MIN_CELL_PT, cell_w - cell->left_pt - right);
    WyFlow *flow = wy_flow_build(lc, content, inner_w, max_block_pt - cell->top_pt - cell->bottom_pt, WY_FLOW_CANVAS);
    if (!flow)
        return false;
    cell->content = wy_flow_to_canvas(lc, flow);
    if (!cell->content)
        return false;
    cell->natural_pt = cell->content->height_pt + cell->top_pt + cell->bottom_pt;
    return true;
}

static double valign_offset(const Cell *cell, double row_h)
{
    if (!is_frame(cell->box))
        return 0;
    double slack = row_h - cell->natural_pt;
    if (cell->box->u.frame.valign == WY_VALIGN_MIDDLE)
        return slack / 2;
    if (cell->box->u.frame.valign == WY_VALIGN_BOTTOM)
        return slack;
    return 0;
}

static WyCanvas *row_canvas(WyLayoutCtx *lc, const Cell *cells, size_t n, double cell_w, double gap, double row_h)
{
    WyCanvas *canvas = wy_canvas_new(lc);
    WyCursor cur;
    wy_cursor_init_canvas(&cur, lc, canvas, 0, 0);
    for (size_t c = 0; c < n; c++) {
        const Cell *cell = &cells[c];
        double x = c * (cell_w + gap);
        if (is_frame(cell->box))
            wy_frame_background(&canvas->page, cell->box, x, 0, cell_w, row_h);
        wy_cursor_copy_canvas(&cur, cell->content, x + cell->left_pt, cell->top_pt + valign_offset(cell, row_h));
        if (is_frame(cell->box))
            wy_frame_borders(&canvas->page, cell->box, x, 0, cell_w, row_h);
    }
    wy_cursor_release(&cur);
    canvas->height_pt = row_h;
    return canvas;
}

WyGridRow *wy_grid_rows(WyLayoutCtx *lc, const WyBox *grid, double w_pt, double max_block_pt, size_t *n_rows)
{
    *n_rows = 0;
    size_t per_row = grid->u.grid.columns > 0 ? (size_t)grid->u.grid.columns : 1;
    double gap = grid->u.grid.gap_pt > 0 ? grid->u.grid.gap_pt : 0;
    double cell_w = fmax(MIN_CELL_PT, (w_pt - gap * (double)(per_row - 1)) / (double)per_row);
    size_t n_cells = 0;
    for (const WyBox *b = grid->children; b; b = b->next)
        n_cells++;
    if (n_cells == 0)
        return NULL;

    Cell *cells = wy_xcalloc(n_cells, sizeof *cells);
    WyGridRow *rows = NULL;
    double tallest = 0;
    size_t i = 0;
    for (const WyBox *b = grid->children; b; b = b->next, i++) {
        if (!layout_cell(lc, b, cell_w, max_block_pt, &cells[i])) {
            lc->failed = true;
            goto out;
        }
        tallest = fmax(tallest, cells[i].natural_pt);
    }
    size_t count = (n_cells + per_row - 1) / per_row;
    rows = wy_xcalloc(count, sizeof *rows);
    for (size_t r = 0; r < count; r++) {
        size_t first = r * per_row, n = n_cells - first < per_row ? n_cells - first : per_row;
        double row_h = 0;
        for (size_t c = first; c < first + n; c++) {
            if (cells[c].natural_pt >= row_h) {
                row_h = cells[c].natural_pt;
                rows[r].tallest = cells[c].box;
            }
        }
        if (grid->u.grid.equal_rows)
            row_h = tallest;
        rows[r].canvas = row_canvas(lc, &cells[first], n, cell_w, gap, row_h);
    }
    *n_rows = count;
out:
    free(cells);
    return rows;
}
