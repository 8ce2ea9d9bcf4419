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

/* Cells per row, the gap between them and their width in a grid W_PT wide. */
static size_t grid_geometry(const WyBox *grid, double w_pt, double *gap, double *cell_w)
{
    size_t per_row = grid->u.grid.columns > 0 ? (size_t)grid->u.grid.columns : 1;
    *gap = grid->u.grid.gap_pt > 0 ? grid->u.grid.gap_pt : 0;
    *cell_w = fmax(MIN_CELL_PT, (w_pt - *gap * (double)(per_row - 1)) / (double)per_row);
    return per_row;
}

WyGridRow *wy_grid_rows(WyLayoutCtx *lc, const WyBox *grid, double w_pt, double max_block_pt, size_t *n_rows)
{
    *n_rows = 0;
    double gap, cell_w;
    size_t per_row = grid_geometry(grid, w_pt, &gap, &cell_w);
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

/* ---- a row taller than a page, as a table --------------------------------- */

static WyTableCell *new_table_cell(WyArena *arena, WyLoc loc)
{
    WyTableCell *cell = WY_ARENA_NEW(arena, WyTableCell);
    cell->loc = loc;
    cell->colspan = cell->rowspan = 1;
    cell->background = WY_COLOR_NONE;
    cell->valign = WY_VALIGN_TOP;
    cell->valign_set = true;
    return cell;
}

/* Grid cell BOX as a table cell: a frame's content with its edges, or a
   block that is its own content. */
static WyTableCell *table_cell_of(WyArena *arena, const WyBox *box)
{
    WyTableCell *cell = new_table_cell(arena, box->loc);
    if (!is_frame(box)) {
        WyBox *alone = WY_ARENA_NEW(arena, WyBox);
        *alone = *box;
        alone->next = NULL;
        cell->blocks = alone;
        return cell;
    }
    const WyBorder edges[4] = {box->u.frame.top, box->u.frame.right, box->u.frame.bottom, box->u.frame.left};
    for (int side = 0; side < 4; side++) {
        cell->border[side] = edges[side];
        cell->padding_pt[side] = edges[side].width_pt + box->u.frame.padding_pt[side];
    }
    cell->blocks = box->children;
    cell->background = box->u.frame.background;
    cell->valign = box->u.frame.valign;
    return cell;
}

const WyBox *wy_grid_row_table(WyLayoutCtx *lc, const WyBox *grid, size_t row, double w_pt)
{
    WyArena *arena = &lc->arena;
    double gap, cell_w;
    size_t per_row = grid_geometry(grid, w_pt, &gap, &cell_w);
    bool spacers = gap > 0 && per_row > 1;
    WyTable *tab = WY_ARENA_NEW(arena, WyTable);
    tab->n_columns = (int)(spacers ? 2 * per_row - 1 : per_row);
    tab->columns = WY_ARENA_ARRAY(arena, WyTableColumn, (size_t)tab->n_columns);
    for (int c = 0; c < tab->n_columns; c++) {
        bool is_gap = spacers && c % 2 == 1;
        tab->columns[c] = (WyTableColumn){WY_COLUMN_FIXED, is_gap ? gap : cell_w, WY_CELL_ALIGN_INHERIT};
    }
    tab->align = WY_ALIGN_START;
    tab->zebra = WY_COLOR_NONE;
    tab->valign = WY_VALIGN_TOP;
    WyTableRow *r = WY_ARENA_NEW(arena, WyTableRow);
    r->loc = grid->loc;
    r->background = WY_COLOR_NONE;
    tab->body = r;

    const WyBox *b = grid->children;
    for (size_t i = 0; b && i < row * per_row; i++)
        b = b->next;
    WyTableCell **tail = &r->cells;
    for (size_t c = 0; b && c < per_row; c++, b = b->next) {
        if (c > 0 && spacers) {
            *tail = new_table_cell(arena, grid->loc);
            tail = &(*tail)->next;
        }
        *tail = table_cell_of(arena, b);
        tail = &(*tail)->next;
    }
    WyBox *box = WY_ARENA_NEW(arena, WyBox);
    box->kind = WY_BOX_TABLE;
    box->loc = grid->loc;
    box->u.table = tab;
    return box;
}
