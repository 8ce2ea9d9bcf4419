#include "layout/table.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "layout/tablecols.h"

#define MIN_COLUMN_PT 1.0
#define EPS WY_FIT_EPSILON_PT

static const WyBorder NO_BORDER = {0, WY_COLOR_NONE};

/* ---- the instance ------------------------------------------------------- */

typedef struct Cell {
    const WyTableCell *src;
    int row, col, rows, cols;
    double pad[4];            /* top, right, bottom, left */
    WyFlow *flow;             /* the content at the cell's inner width */
    size_t next;              /* the first atom not yet placed (a split row) */
    WyColor fill;
    WyVAlign valign;
    double natural;           /* content height with the paddings */
} Cell;

/* Rows held together by rowspans (usually one row), laid out together. */
typedef struct Group {
    WyLayoutCtx *ctx;         /* owns the flows: the table's for header and footer, else `own` */
    WyLayoutCtx own;
    WyTablePart part;
    const WyTableRow *first;
    int n_rows;
    int number;               /* 1-based number of its first row in its part */
    Cell *cells;
    size_t n_cells;
    int *owner;               /* n_rows × n_cols: the cell on each slot, -1 = none */
    double *row_h;
    double height;
    bool keep;                /* never split: several rows, a header or footer, or keep-together */
} Group;

struct WyTableInst {
    WyLayoutCtx *lc;
    const WyBox *box;
    const WyTable *tab;
    double max_block_pt;
    double offset;            /* the table's left edge from the region's */
    double width;
    int n_cols;
    WyTableCol *cols;
    double *grid_x;           /* n_cols + 1 column lines, from the table's left edge */
    const WyParaLayout *caption, *continued;
    double caption_h, continued_h; /* with the gap below */
    Group *header, *footer;
    size_t n_header, n_footer;
    double header_h, footer_h;
    double min_pt;
};

/* ---- row groups --------------------------------------------------------- */

typedef struct RowIter {
    const WyTableRow *row;
    int number;               /* rows of the part taken so far */
} RowIter;

static double sum_rows(const Group *g, int from, int count)
{
    double h = 0;
    for (int r = from; r < from + count && r < g->n_rows; r++)
        h += g->row_h[r];
    return h;
}

/* Height of FLOW's atoms [START, END) as wy_flow_place sets them: glue at
   either end dropped, frames cut at either end given their edges again. */
static double content_height(const WyFlow *flow, size_t start, size_t end)
{
    size_t k = start;
    while (k < end && (flow->atoms[k].kind == WY_ATOM_GLUE || flow->atoms[k].kind == WY_ATOM_BREAK))
        k++;
    if (k >= end)
        return 0;
    const WyFrameInst *open = wy_flow_frame_before(flow, k);
    double h = open ? open->chain_top_pt : 0, pending = 0;
    for (; k < end; k++) {
        const WyAtom *a = &flow->atoms[k];
        if (a->kind == WY_ATOM_GLUE) {
            pending += a->h;
            continue;
        }
        if (a->kind == WY_ATOM_BREAK)
            continue;
        h += pending + a->h;
        pending = 0;
    }
    const WyFrameInst *still = wy_flow_frame_before(flow, end);
    return h + (still ? still->chain_bottom_pt : 0);
}

/* The height of the flow's first piece that no legal break divides. */
static double first_piece(const WyFlow *flow, size_t start)
{
    size_t k = start;
    while (k < flow->n && (flow->atoms[k].kind == WY_ATOM_GLUE || flow->atoms[k].kind == WY_ATOM_BREAK))
        k++;
    const size_t first = k;
    for (k = first + 1; k < flow->n; k++)
        if (flow->atoms[k].kind != WY_ATOM_GLUE && flow->atoms[k].breakable)
            break;
    return content_height(flow, first, k < flow->n ? k : flow->n);
}

/* Moves the lines of the cell's own paragraphs (not those inside a frame
   in it) to ALIGN, by their atoms' left edges. */
static void align_lines(const WyTableCol *col, WyFlow *flow, double inner_w, WyCellAlign align)
{
    if (align == WY_CELL_ALIGN_INHERIT)
        return;
    for (size_t k = 0; k < flow->n; k++) {
        WyAtom *a = &flow->atoms[k];
        if (a->kind != WY_ATOM_LINE || a->frame)
            continue;
        const WyParaLayout *pl = a->para;
        const WyParaLine *ln = &pl->lines[a->line];
        const WyStyle *st = a->box->u.para.style;
        double left = st ? st->left_indent_pt : 0, right = st ? st->right_indent_pt : 0;
        double want;
        switch (align) {
        case WY_CELL_ALIGN_START:
            want = left + (a->line == 0 && pl->source_shift == 0 && st ? st->first_indent_pt : 0);
            break;
        case WY_CELL_ALIGN_CENTER:
            want = left + (inner_w - left - right - ln->width_pt) / 2;
            break;
        case WY_CELL_ALIGN_END:
            want = inner_w - right - ln->width_pt;
            break;
        case WY_CELL_ALIGN_DECIMAL: {
            double off, width;
            if (!wy_tablecols_decimal_point(pl->layout, a->line, &off, &width))
                continue; /* a line without figures keeps its place */
            double numbers = col->dec_int + col->dec_frac;
            want = fmax(0, (inner_w - numbers) / 2) + col->dec_int - off;
            want = fmin(fmax(0, want), fmax(0, inner_w - ln->width_pt));
            break;
        }
        case WY_CELL_ALIGN_INHERIT:
        default:
            continue;
        }
        a->x = want - ln->x_pt;
    }
}

static WyColor cell_fill(const WyTable *tab, const WyTableSlot *s, const WyTableRow *row, WyTablePart part, int number)
{
    if (s->cell->background != WY_COLOR_NONE)
        return s->cell->background;
    if (row->background != WY_COLOR_NONE)
        return row->background;
    if (part == WY_PART_BODY && tab->zebra != WY_COLOR_NONE && number % 2 == 0)
        return tab->zebra; /* the second, fourth … body row */
    return WY_COLOR_NONE;
}

/* Takes the next row group of a part from IT and lays its cells out in
   CTX (the table's own, or, when CTX is NULL, the group's private one,
   released by group_release). False with an error recorded. */
static bool group_build(const WyTableInst *t, WyTablePart part, RowIter *it, WyLayoutCtx *ctx, Group *g)
{
    memset(g, 0, sizeof *g);
    if (ctx) {
        g->ctx = ctx;
    } else {
        wy_layout_ctx_init(&g->own, t->lc->para, t->lc->diag);
        g->own.coverage = t->lc->coverage;
        g->ctx = &g->own;
    }
    const WyTable *tab = t->tab;
    int n = t->n_cols;
    WyTableOccupancy occ;
    wy_tablecols_occupancy_init(&occ, n);
    WyTableSlots slots = {0};
    g->part = part;
    g->first = it->row;
    g->number = it->number + 1;
    const WyTableRow *row = it->row;
    const WyTableRow *rows_start = row;
    bool keep = part != WY_PART_BODY;
    int r = 0;
    while (row) {
        wy_tablecols_place_row(&occ, row, r, &slots);
        keep |= row->keep_together;
        r++;
        bool clear = wy_tablecols_next_row(&occ);
        row = row->next;
        if (clear)
            break;
    }
    it->row = row;
    it->number += r;
    g->n_rows = r;
    g->keep = keep || r > 1;
    wy_tablecols_occupancy_release(&occ);

    WyArena *arena = &g->ctx->arena;
    g->owner = WY_ARENA_ARRAY(arena, int, wy_mul_size((size_t)r, (size_t)n));
    for (size_t i = 0; i < (size_t)r * (size_t)n; i++)
        g->owner[i] = -1;
    g->row_h = WY_ARENA_ARRAY(arena, double, (size_t)r);
    g->n_cells = slots.n;
    g->cells = slots.n ? WY_ARENA_ARRAY(arena, Cell, slots.n) : NULL;
    bool ok = true;
    for (size_t i = 0; i < slots.n && ok; i++) {
        WyTableSlot *s = &slots.v[i];
        if (s->rows > r - s->row)
            s->rows = r - s->row; /* a rowspan stops at the end of its part */
        const WyTableRow *first_row = rows_start;
        for (int k = 0; k < s->row; k++)
            first_row = first_row->next;
        Cell *cell = &g->cells[i];
        cell->src = s->cell;
        cell->row = s->row;
        cell->col = s->col;
        cell->rows = s->rows;
        cell->cols = s->cols;
        for (int side = 0; side < 4; side++)
            cell->pad[side] = wy_tablecols_padding(tab, s->cell, side);
        cell->fill = cell_fill(tab, s, first_row, part, g->number + s->row);
        cell->valign = s->cell->valign_set ? s->cell->valign : tab->valign;
        for (int rr = s->row; rr < s->row + s->rows; rr++)
            for (int cc = s->col; cc < s->col + s->cols; cc++)
                g->owner[(size_t)rr * (size_t)n + (size_t)cc] = (int)i;
        double inner_w = fmax(MIN_COLUMN_PT, t->grid_x[s->col + s->cols] - t->grid_x[s->col] - cell->pad[1] -
                                                 cell->pad[3]);
        double room = t->max_block_pt - cell->pad[0] - cell->pad[2];
        cell->flow = wy_flow_build(g->ctx, s->cell->blocks, inner_w, room, WY_FLOW_COLUMN);
        if (!cell->flow) {
            ok = false;
            break;
        }
        align_lines(&t->cols[s->col], cell->flow, inner_w, wy_tablecols_cell_align(t->cols, s, part));
        cell->natural = cell->pad[0] + content_height(cell->flow, 0, cell->flow->n) + cell->pad[2];
    }
    free(slots.v);
    if (!ok) {
        t->lc->failed = true;
        return false;
    }
    /* rows fit their one-row cells; a rowspan cell taller than its rows
       lengthens the last of them */
    for (size_t i = 0; i < g->n_cells; i++)
        if (g->cells[i].rows == 1)
            g->row_h[g->cells[i].row] = fmax(g->row_h[g->cells[i].row], g->cells[i].natural);
    for (size_t i = 0; i < g->n_cells; i++) {
        const Cell *c = &g->cells[i];
        double have = sum_rows(g, c->row, c->rows);
        if (c->rows > 1 && c->natural > have)
            g->row_h[c->row + c->rows - 1] += c->natural - have;
    }
    g->height = sum_rows(g, 0, g->n_rows);
    return true;
}

static void group_release(Group *g)
{
    if (g->ctx == &g->own)
        wy_layout_ctx_release(&g->own);
    g->ctx = NULL;
}

/* What is left of G to set: all of it, or the rest of a split row. */
static double rest_height(const Group *g, bool started)
{
    if (!started)
        return g->height;
    double h = 0;
    for (size_t i = 0; i < g->n_cells; i++) {
        const Cell *c = &g->cells[i];
        h = fmax(h, c->pad[0] + content_height(c->flow, c->next, c->flow->n) + c->pad[2]);
    }
    return h;
}

static bool group_finished(const Group *g)
{
    for (size_t i = 0; i < g->n_cells; i++)
        if (content_height(g->cells[i].flow, g->cells[i].next, g->cells[i].flow->n) > 0)
            return false;
    return true;
}

static double widest_bottom(const WyTableInst *t, const Group *g)
{
    double w = t->tab->border[2].width_pt;
    for (size_t i = 0; i < g->n_cells; i++)
        w = fmax(w, g->cells[i].src->border[2].width_pt);
    return w;
}

/* Where each cell of one-row group G stops on this page with ROOM points
   left for the row: at the last break its paragraphs allow (orphans,
   widows, keeps) that fits. The row splits only when every cell with
   content left moves on; FORCE (the row is alone on a page and still does
   not fit) takes any progress, breaking between any two lines. */
static bool cut_row(const Group *g, double room, bool force, size_t *ends)
{
    bool any = false, all = true;
    for (size_t i = 0; i < g->n_cells; i++) {
        const Cell *c = &g->cells[i];
        size_t start = c->next;
        ends[i] = start;
        if (content_height(c->flow, start, c->flow->n) <= 0)
            continue;
        double content_room = room - c->pad[0] - c->pad[2];
        const WyFrameInst *open = wy_flow_frame_before(c->flow, start);
        WyFit fit = {.end = start};
        if (content_room > 0)
            fit = wy_flow_fit(c->flow, start, open ? open->chain_top_pt : 0, content_room, true, force);
        bool moved = !fit.too_tall && fit.end > start && content_height(c->flow, start, fit.end) > 0;
        if (moved)
            ends[i] = fit.end;
        any |= moved;
        all &= moved;
    }
    return force ? any : any && all;
}

/* ---- building ----------------------------------------------------------- */

static const WyParaLayout *caption_layout(WyLayoutCtx *lc, const WyBox *box, const WyPara *para, double w,
                                          double *height)
{
    *height = 0;
    if (!para)
        return NULL;
    WyParaLayout *pl = wy_xcalloc(1, sizeof *pl);
    if (!wy_para_layout(lc->para, para, w, NULL, box->loc, lc->diag, pl)) {
        free(pl);
        lc->failed = true;
        return NULL;
    }
    g_ptr_array_add(lc->paras, pl);
    if (lc->coverage)
        wy_coverage_check(lc->coverage, pl, para, box->loc);
    double gap = para->style && para->style->space_after_pt > 0 ? para->style->space_after_pt
                                                                 : WY_TABLE_CAPTION_GAP_PT;
    *height = pl->height_pt + gap;
    return pl;
}

/* Header and footer rows are laid out once, in the table's context, and
   set again on every page. */
static bool build_part(WyTableInst *t, WyTablePart part, const WyTableRow *rows, Group **out, size_t *n_out, double *h)
{
    Group *groups = NULL;
    size_t n = 0, cap = 0;
    RowIter it = {rows, 0};
    bool ok = true;
    *h = 0;
    while (it.row && ok) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4;
            groups = wy_xrealloc(groups, wy_mul_size(cap, sizeof *groups));
        }
        ok = group_build(t, part, &it, t->lc, &groups[n]);
        if (ok)
            *h += groups[n++].height;
    }
    *out = n ? WY_ARENA_ARRAY(&t->lc->arena, Group, n) : NULL;
    if (n)
        memcpy(*out, groups, n * sizeof *groups);
    *n_out = n;
    free(groups);
    return ok;
}

/* What the first body row needs to start the table: all of it when it
   may not split, else the first piece of each cell. ROOM is what a page
   leaves below the caption and the header. */
static double first_body_piece(WyTableInst *t, double room, bool *ok)
{
    *ok = true;
    if (!t->tab->body)
        return t->tab->repeat_footer ? 0 : t->footer_h;
    RowIter it = {t->tab->body, 0};
    Group g;
    if (!group_build(t, WY_PART_BODY, &it, NULL, &g)) {
        group_release(&g);
        *ok = false;
        return 0;
    }
    double piece = g.height;
    if (!g.keep) {
        piece = 0;
        for (size_t i = 0; i < g.n_cells; i++)
            piece = fmax(piece, g.cells[i].pad[0] + first_piece(g.cells[i].flow, 0) + g.cells[i].pad[2]);
    }
    /* the only row keeps the footer with it, and moves whole to the next
       page with it, unless together they are taller than a page: a row
       that may split then starts where it stands */
    if (!it.row && !t->tab->repeat_footer && (g.keep || g.height + t->footer_h <= room + EPS))
        piece = g.height + t->footer_h;
    group_release(&g);
    return piece;
}

WyTableInst *wy_table_build(WyLayoutCtx *lc, const WyBox *box, double w_pt, double max_block_pt)
{
    const WyTable *tab = box->u.table;
    WyTableInst *t = WY_ARENA_NEW(&lc->arena, WyTableInst);
    t->lc = lc;
    t->box = box;
    t->tab = tab;
    t->max_block_pt = max_block_pt;
    int n_cols;
    WyTableCol *measured = wy_tablecols_measure(lc, tab, &n_cols);
    if (!measured)
        return NULL;
    t->n_cols = n_cols;
    t->cols = WY_ARENA_ARRAY(&lc->arena, WyTableCol, (size_t)n_cols);
    memcpy(t->cols, measured, (size_t)n_cols * sizeof *measured);
    free(measured);

    double w = fmax(MIN_COLUMN_PT, w_pt);
    double target = w;
    bool fill = false;
    if (tab->width_pt > 0) {
        target = fmin(tab->width_pt, w);
        fill = true;
    } else if (tab->width_share > 0) {
        target = fmin(tab->width_share, 1.0) * w;
        fill = true;
    }
    double left_edge = tab->border[3].width_pt / 2, right_edge = tab->border[1].width_pt / 2;
    double avail = fmax(MIN_COLUMN_PT, target - left_edge - right_edge);
    double columns = wy_tablecols_size(lc, box, t->cols, t->n_cols, avail, fill);
    t->grid_x = WY_ARENA_ARRAY(&lc->arena, double, (size_t)t->n_cols + 1);
    t->grid_x[0] = left_edge;
    for (int c = 0; c < t->n_cols; c++)
        t->grid_x[c + 1] = t->grid_x[c] + t->cols[c].width;
    t->width = left_edge + columns + right_edge;
    if (tab->align == WY_ALIGN_CENTER)
        t->offset = (w - t->width) / 2;
    else if (tab->align == WY_ALIGN_END)
        t->offset = w - t->width;
    if (t->offset < 0)
        t->offset = 0;

    if (tab->caption && !(t->caption = caption_layout(lc, box, tab->caption, w, &t->caption_h)))
        return NULL;
    if (tab->continued_caption && !(t->continued = caption_layout(lc, box, tab->continued_caption, w, &t->continued_h)))
        return NULL;
    if (!build_part(t, WY_PART_HEADER, tab->header, &t->header, &t->n_header, &t->header_h) ||
        !build_part(t, WY_PART_FOOTER, tab->footer, &t->footer, &t->n_footer, &t->footer_h))
        return NULL;
    double above = t->caption_h + (tab->border[0].width_pt + tab->border[2].width_pt) / 2 + t->header_h;
    double below = tab->repeat_footer ? t->footer_h : 0;
    bool ok;
    double piece = first_body_piece(t, max_block_pt - above - below, &ok);
    if (!ok)
        return NULL;
    t->min_pt = above + piece + below;
    return t;
}

double wy_table_min_height(const WyTableInst *table)
{
    return table->min_pt;
}

/* ---- setting: one fragment per page ------------------------------------- */

typedef struct HSeg {
    double y, x0, x1;
    WyBorder border;
} HSeg;

typedef struct VSeg {
    double x, y0, y1;
    WyBorder border;
} VSeg;

typedef struct Run {
    WyTableInst *t;
    WyCursor *cur;
    const WyAtom *atom;
    WyNextPageFn next_page;
    void *paginator;
    double left;              /* the table's left edge on the page */
    double reserve;           /* the bottom edges of the frames around the table */
    bool first_fragment;      /* on the table's first page */
    /* the fragment on the current page */
    size_t item_mark, outline_mark, canvas_mark;
    double start_y;
    bool fresh;               /* nothing above it on its page */
    bool has_body;            /* it holds a body row or part of one */
    bool has_rows;            /* it holds a row: its top edge is set */
    double grid_y;            /* its last grid line */
    WyTablePart above_part;
    WyBorder *above;          /* n_cols: bottom borders of the cells above grid_y */
    WyBorder *edge;           /* n_cols: scratch */
    HSeg *hs;
    size_t n_hs, cap_hs;
    VSeg *vs;
    size_t n_vs, cap_vs;
} Run;

/* The thicker border wins; on a tie the first (the cell's) stays. */
static WyBorder thicker(WyBorder a, WyBorder b)
{
    return b.width_pt > a.width_pt ? b : a;
}

static WyColor or_black(WyColor c)
{
    return c == WY_COLOR_NONE ? WY_COLOR_BLACK : c;
}

static bool same_border(WyBorder a, WyBorder b)
{
    return fabs(a.width_pt - b.width_pt) < 1e-9 && or_black(a.color) == or_black(b.color);
}

static void add_hseg(Run *run, double y, double x0, double x1, WyBorder b)
{
    if (b.width_pt <= 0)
        return;
    if (run->n_hs) {
        HSeg *last = &run->hs[run->n_hs - 1];
        if (fabs(last->y - y) < 1e-6 && fabs(last->x1 - x0) < 1e-6 && same_border(last->border, b)) {
            last->x1 = x1;
            return;
        }
    }
    if (run->n_hs == run->cap_hs) {
        run->cap_hs = run->cap_hs ? run->cap_hs * 2 : 32;
        run->hs = wy_xrealloc(run->hs, wy_mul_size(run->cap_hs, sizeof *run->hs));
    }
    run->hs[run->n_hs++] = (HSeg){y, x0, x1, b};
}

static void add_vseg(Run *run, double x, double y0, double y1, WyBorder b)
{
    if (b.width_pt <= 0 || y1 <= y0)
        return;
    if (run->n_vs == run->cap_vs) {
        run->cap_vs = run->cap_vs ? run->cap_vs * 2 : 64;
        run->vs = wy_xrealloc(run->vs, wy_mul_size(run->cap_vs, sizeof *run->vs));
    }
    run->vs[run->n_vs++] = (VSeg){x, y0, y1, b};
}

static int compare_vsegs(const void *pa, const void *pb)
{
    const VSeg *a = pa, *b = pb;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->y0 != b->y0)
        return a->y0 < b->y0 ? -1 : 1;
    return 0;
}

/* Half the width of the widest vertical rule meeting (X, Y): a horizontal
   rule reaches that far past its end so the corner is closed. */
static double corner_reach(const Run *run, double x, double y)
{
    double w = 0;
    for (size_t i = 0; i < run->n_vs; i++) {
        const VSeg *v = &run->vs[i];
        if (fabs(v->x - x) < 1e-6 && v->y0 <= y + 1e-6 && v->y1 >= y - 1e-6)
            w = fmax(w, v->border.width_pt);
    }
    return w / 2;
}

static void add_rule(WyPage *page, double x, double y, double dx, double dy, WyBorder b, WyLoc loc)
{
    WyItem item = {.kind = WY_ITEM_LINE, .x = x, .y = y, .w = dx, .h = dy, .fill = WY_COLOR_NONE,
                   .stroke = or_black(b.color), .stroke_width = b.width_pt, .loc = loc};
    wy_page_add_item(page, &item);
}

/* Draws the fragment's rules over its rows, collinear pieces joined. */
static void emit_rules(Run *run)
{
    WyPage *page = run->cur->page;
    WyLoc loc = run->t->box->loc;
    if (run->n_vs > 1)
        qsort(run->vs, run->n_vs, sizeof *run->vs, compare_vsegs);
    size_t merged = 0;
    for (size_t i = 0; i < run->n_vs; i++) {
        VSeg *v = &run->vs[i];
        if (merged && fabs(run->vs[merged - 1].x - v->x) < 1e-6 && fabs(run->vs[merged - 1].y1 - v->y0) < 1e-6 &&
            same_border(run->vs[merged - 1].border, v->border)) {
            run->vs[merged - 1].y1 = v->y1;
            continue;
        }
        run->vs[merged++] = *v;
    }
    run->n_vs = merged;
    for (size_t i = 0; i < run->n_vs; i++) {
        const VSeg *v = &run->vs[i];
        add_rule(page, v->x, v->y0, 0, v->y1 - v->y0, v->border, loc);
    }
    for (size_t i = 0; i < run->n_hs; i++) {
        const HSeg *h = &run->hs[i];
        double x0 = h->x0 - corner_reach(run, h->x0, h->y), x1 = h->x1 + corner_reach(run, h->x1, h->y);
        add_rule(page, x0, h->y, x1 - x0, 0, h->border, loc);
    }
    run->n_hs = run->n_vs = 0;
}

static WyBorder part_rule(const WyTable *tab, WyTablePart above, WyTablePart below)
{
    if (above == below)
        return tab->row_rule;
    if (below == WY_PART_FOOTER)
        return tab->footer_rule;
    return tab->header_rule;
}

static const WyBorder *cell_border(const Group *g, int index, int side)
{
    return index >= 0 ? &g->cells[index].src->border[side] : &NO_BORDER;
}

/* The grid line above row R of G: the collapsed border on each column
   into run->edge (width -1 where a cell spans across it). Returns the
   widest. */
static double collapse_above(const Run *run, const Group *g, int r)
{
    const WyTable *tab = run->t->tab;
    int n = run->t->n_cols;
    double widest = 0;
    for (int c = 0; c < n; c++) {
        int below = g->owner[(size_t)r * (size_t)n + (size_t)c];
        WyBorder above = NO_BORDER, rule;
        if (r > 0) {
            int up = g->owner[(size_t)(r - 1) * (size_t)n + (size_t)c];
            if (up >= 0 && up == below) {
                run->edge[c].width_pt = -1;
                continue;
            }
            above = *cell_border(g, up, 2);
            rule = tab->row_rule;
        } else if (run->has_rows) {
            above = run->above[c];
            rule = part_rule(tab, run->above_part, g->part);
        } else {
            rule = tab->border[0];
        }
        run->edge[c] = thicker(thicker(*cell_border(g, below, 0), above), rule);
        widest = fmax(widest, run->edge[c].width_pt);
    }
    return widest;
}

static void edge_segments(Run *run, double y)
{
    const WyTableInst *t = run->t;
    for (int c = 0; c < t->n_cols; c++)
        if (run->edge[c].width_pt > 0)
            add_hseg(run, y, run->left + t->grid_x[c], run->left + t->grid_x[c + 1], run->edge[c]);
}

static void row_verticals(Run *run, const Group *g, int r, double y0, double y1)
{
    const WyTable *tab = run->t->tab;
    int n = run->t->n_cols;
    for (int b = 0; b <= n; b++) {
        int left = b > 0 ? g->owner[(size_t)r * (size_t)n + (size_t)(b - 1)] : -1;
        int right = b < n ? g->owner[(size_t)r * (size_t)n + (size_t)b] : -1;
        if (left >= 0 && left == right)
            continue;
        WyBorder rule = b == 0 ? tab->border[3] : b == n ? tab->border[1] : tab->column_rule;
        WyBorder border = thicker(thicker(*cell_border(g, right, 3), *cell_border(g, left, 1)), rule);
        add_vseg(run, run->left + run->t->grid_x[b], y0, y1, border);
    }
}

/* Sets the grid line above G's first row and returns its y. */
static double start_group(Run *run, const Group *g)
{
    double widest = collapse_above(run, g, 0);
    if (!run->has_rows)
        run->grid_y = run->cur->y + widest / 2;
    edge_segments(run, run->grid_y);
    return run->grid_y;
}

static void end_group(Run *run, const Group *g, double bottom)
{
    int n = run->t->n_cols;
    for (int c = 0; c < n; c++)
        run->above[c] = *cell_border(g, g->owner[(size_t)(g->n_rows - 1) * (size_t)n + (size_t)c], 2);
    run->above_part = g->part;
    run->has_rows = true;
    run->grid_y = bottom;
    run->cur->y = bottom;
    if (g->part == WY_PART_BODY)
        run->has_body = true;
}

/* A background, joined to the one just before it when they continue. */
static size_t add_fill(WyPage *page, double x, double y, double w, double h, WyColor fill, WyLoc loc)
{
    if (page->n_items) {
        WyItem *last = &page->items[page->n_items - 1];
        if (last->kind == WY_ITEM_RECT && last->fill == fill && last->stroke == WY_COLOR_NONE && h > 0 &&
            fabs(last->y - y) < 1e-6 && fabs(last->h - h) < 1e-6 && fabs(last->x + last->w - x) < 1e-6) {
            last->w += w;
            return page->n_items - 1;
        }
    }
    WyItem item = {.kind = WY_ITEM_RECT, .x = x, .y = y, .w = w, .h = h, .fill = fill,
                   .stroke = WY_COLOR_NONE, .loc = loc};
    wy_page_add_item(page, &item);
    return page->n_items - 1;
}

/* Places atoms [START, END) of CELL's flow with its content's top at Y. */
static bool place_content(Run *run, const Cell *cell, size_t start, size_t end, double y)
{
    WyCursor cc = *run->cur;
    cc.frags = NULL;
    cc.n_frags = cc.cap_frags = 0;
    cc.x0 = run->left + run->t->grid_x[cell->col] + cell->pad[3];
    cc.y = cc.top = y;
    cc.bottom = INFINITY;
    cc.placed = false;
    wy_cursor_reopen(&cc, wy_flow_frame_before(cell->flow, start));
    bool ok = wy_flow_place(&cc, cell->flow, start, end, true, false);
    wy_cursor_close_all(&cc);
    wy_cursor_release(&cc);
    return ok;
}

static double cell_x(const Run *run, const Cell *cell)
{
    return run->left + run->t->grid_x[cell->col];
}

static double cell_w(const Run *run, const Cell *cell)
{
    return run->t->grid_x[cell->col + cell->cols] - run->t->grid_x[cell->col];
}

/* Sets all of group G (not yet started) below the current grid line. */
static bool place_group(Run *run, const Group *g)
{
    double y = start_group(run, g);
    WyPage *page = run->cur->page;
    double *row_y = wy_xcalloc((size_t)g->n_rows + 1, sizeof *row_y);
    row_y[0] = y;
    for (int r = 0; r < g->n_rows; r++)
        row_y[r + 1] = row_y[r] + g->row_h[r];
    for (size_t i = 0; i < g->n_cells; i++) {
        const Cell *c = &g->cells[i];
        if (c->fill != WY_COLOR_NONE)
            add_fill(page, cell_x(run, c), row_y[c->row], cell_w(run, c), row_y[c->row + c->rows] - row_y[c->row],
                     c->fill, c->src->loc);
    }
    bool ok = true;
    for (size_t i = 0; i < g->n_cells && ok; i++) {
        const Cell *c = &g->cells[i];
        double slack = row_y[c->row + c->rows] - row_y[c->row] - c->natural;
        double shift = c->valign == WY_VALIGN_MIDDLE ? slack / 2 : c->valign == WY_VALIGN_BOTTOM ? slack : 0;
        ok = place_content(run, c, 0, c->flow->n, row_y[c->row] + c->pad[0] + fmax(0, shift));
    }
    for (int r = 0; r < g->n_rows; r++) {
        if (r > 0) {
            collapse_above(run, g, r);
            edge_segments(run, row_y[r]);
        }
        row_verticals(run, g, r, row_y[r], row_y[r + 1]);
    }
    end_group(run, g, row_y[g->n_rows]);
    free(row_y);
    if (ok)
        run->cur->placed = true;
    return ok;
}

/* Sets the part of one-row group G from each cell's next atom to ENDS[i],
   top-aligned, as tall as its tallest cell. */
static bool place_piece(Run *run, Group *g, const size_t *ends)
{
    double y = start_group(run, g);
    WyPage *page = run->cur->page;
    size_t *fills = wy_xcalloc(g->n_cells ? g->n_cells : 1, sizeof *fills);
    for (size_t i = 0; i < g->n_cells; i++) {
        const Cell *c = &g->cells[i];
        fills[i] = SIZE_MAX;
        if (c->fill != WY_COLOR_NONE) {
            /* under the text; its height is known once the text is set */
            WyItem item = {.kind = WY_ITEM_RECT, .x = cell_x(run, c), .y = y, .w = cell_w(run, c),
                           .fill = c->fill, .stroke = WY_COLOR_NONE, .loc = c->src->loc};
            wy_page_add_item(page, &item);
            fills[i] = page->n_items - 1;
        }
    }
    double h = 0;
    bool ok = true;
    for (size_t i = 0; i < g->n_cells && ok; i++) {
        Cell *c = &g->cells[i];
        ok = place_content(run, c, c->next, ends[i], y + c->pad[0]);
        h = fmax(h, c->pad[0] + content_height(c->flow, c->next, ends[i]) + c->pad[2]);
        c->next = ends[i];
    }
    for (size_t i = 0; i < g->n_cells; i++)
        if (fills[i] != SIZE_MAX)
            page->items[fills[i]].h = h;
    free(fills);
    row_verticals(run, g, 0, y, y + h);
    end_group(run, g, y + h);
    if (ok)
        run->cur->placed = true;
    return ok;
}

static bool place_rest(Run *run, Group *g, bool started)
{
    if (!started)
        return place_group(run, g);
    size_t *ends = WY_ARENA_ARRAY(&g->ctx->arena, size_t, g->n_cells ? g->n_cells : 1);
    for (size_t i = 0; i < g->n_cells; i++)
        ends[i] = g->cells[i].flow->n;
    return place_piece(run, g, ends);
}

/* The lowest y body rows may reach on this page. */
static double page_limit(const Run *run)
{
    double limit = run->cur->bottom - run->reserve;
    if (run->t->tab->repeat_footer)
        limit -= run->t->footer_h;
    return limit;
}

/* Where the next row would start. */
static double next_row_y(const Run *run)
{
    return run->has_rows ? run->grid_y : run->cur->y + run->t->tab->border[0].width_pt / 2;
}

static bool place_caption(Run *run, const WyParaLayout *pl, double height)
{
    if (!pl)
        return true;
    WyCursor *cur = run->cur;
    double x = cur->x0 + run->atom->x;
    for (int i = 0; i < pl->n_lines; i++)
        wy_flow_add_line_item(cur->page, pl, i, x, cur->y + i * pl->pitch_pt, run->t->box->loc);
    cur->y += height;
    cur->placed = true;
    return true;
}

static bool header_too_tall(Run *run)
{
    const WyTableInst *t = run->t;
    WyLoc loc = t->tab->header ? t->tab->header->loc : t->box->loc;
    double room = run->cur->bottom - run->reserve - run->start_y;
    wy_diag_error(t->lc->diag, loc,
                  "the table's caption and header rows are taller than a page (%.1f pt > %.1f pt); shorten them",
                  next_row_y(run) - run->start_y + (t->tab->repeat_footer ? t->footer_h : 0), room);
    t->lc->failed = true;
    return false;
}

/* Starts the table's part on the current page: the caption (continued
   after the first page) and the header rows. */
static bool open_fragment(Run *run)
{
    WyCursor *cur = run->cur;
    const WyTableInst *t = run->t;
    run->item_mark = cur->page->n_items;
    run->outline_mark = cur->pages ? cur->pages->n_outline : 0;
    run->canvas_mark = cur->canvas ? cur->canvas->n_marks : 0;
    run->start_y = cur->y;
    run->fresh = !cur->placed;
    run->has_body = run->has_rows = false;
    run->n_hs = run->n_vs = 0;
    if (run->first_fragment && run->atom->bookmark)
        wy_cursor_mark(cur, run->atom->bookmark, run->atom->bookmark_level, cur->y);
    if (run->first_fragment)
        place_caption(run, t->caption, t->caption_h);
    else
        place_caption(run, t->continued, t->continued_h);
    if (run->first_fragment || t->tab->repeat_header)
        for (size_t i = 0; i < t->n_header; i++)
            if (!place_group(run, &t->header[i]))
                return false;
    if (run->fresh && run->next_page && next_row_y(run) + t->tab->border[2].width_pt / 2 > page_limit(run) + EPS)
        return header_too_tall(run);
    return true;
}

/* Ends the table's part on this page: a repeated footer, the bottom edge
   and the rules. */
static bool close_fragment(Run *run, bool last)
{
    const WyTableInst *t = run->t;
    if (t->tab->repeat_footer || last)
        for (size_t i = 0; i < t->n_footer; i++)
            if (!place_group(run, &t->footer[i]))
                return false;
    if (run->has_rows) {
        double widest = 0;
        for (int c = 0; c < t->n_cols; c++) {
            run->edge[c] = thicker(run->above[c], t->tab->border[2]);
            widest = fmax(widest, run->edge[c].width_pt);
        }
        edge_segments(run, run->grid_y);
        run->cur->y = run->grid_y + widest / 2;
    }
    emit_rules(run);
    return true;
}

static bool turn_page(Run *run)
{
    if (!close_fragment(run, false))
        return false;
    if (!run->next_page(run->paginator, run->cur, run->atom->frame))
        return false;
    run->first_fragment = false;
    return open_fragment(run);
}

/* Takes back what the fragment put on its page and starts the table on
   the next one. */
static bool move_table(Run *run)
{
    WyCursor *cur = run->cur;
    WyPage *page = cur->page;
    for (size_t i = run->item_mark; i < page->n_items; i++)
        if (page->items[i].layout)
            g_object_unref(page->items[i].layout);
    page->n_items = run->item_mark;
    if (cur->pages)
        cur->pages->n_outline = run->outline_mark;
    if (cur->canvas)
        cur->canvas->n_marks = run->canvas_mark;
    cur->y = run->start_y;
    run->n_hs = run->n_vs = 0;
    if (!run->next_page(run->paginator, cur, run->atom->frame))
        return false;
    return open_fragment(run);
}

static bool row_too_tall(Run *run, const Group *g, double need, double room, bool one_line)
{
    const WyTableInst *t = run->t;
    const WyTableRow *row = g->first;
    bool from_data = row->data_loc.line > 0 && row->data_loc.file;
    WyLoc loc = from_data ? row->data_loc : row->loc;
    WyBuf where;
    wy_buf_init(&where);
    if (from_data)
        wy_buf_printf(&where, " (template %s:%d)", row->loc.file ? row->loc.file : "?", row->loc.line);
    if (g->n_rows > 1)
        wy_diag_error(t->lc->diag, loc,
                      "rows %d to %d of the table%s, joined by a rowspan, are taller than a page (%.1f pt > %.1f pt "
                      "below the header); they are kept on one page, so shorten them",
                      g->number, g->number + g->n_rows - 1, wy_buf_str(&where), need, room);
    else if (one_line)
        wy_diag_error(t->lc->diag, loc,
                      "row %d of the table%s is taller than a page: one of its lines or pictures needs more than "
                      "the %.1f pt below the header; make it smaller",
                      g->number, wy_buf_str(&where), room);
    else
        wy_diag_error(t->lc->diag, loc,
                      "row %d of the table%s is taller than a page (%.1f pt > %.1f pt below the header); shorten its "
                      "text or let it split between lines (remove keep-together)",
                      g->number, wy_buf_str(&where), need, room);
    wy_buf_release(&where);
    t->lc->failed = true;
    return false;
}

/* Sets body group G, over as many pages as it takes. */
static bool set_group(Run *run, Group *g, bool last)
{
    const WyTableInst *t = run->t;
    bool started = false;
    for (;;) {
        double limit = page_limit(run);
        double y = next_row_y(run);
        double half = widest_bottom(t, g) / 2;
        double rest = rest_height(g, started);
        double footer = last && !t->tab->repeat_footer ? t->footer_h : 0;
        if (!run->next_page || y + rest + half + footer <= limit + EPS ||
            (y + rest + half <= limit + EPS && !run->has_body))
            return place_rest(run, g, started);
        bool force = !run->has_body && run->fresh;
        if (!g->keep) {
            size_t *ends = WY_ARENA_ARRAY(&g->ctx->arena, size_t, g->n_cells ? g->n_cells : 1);
            if (cut_row(g, limit - y - half, force, ends)) {
                if (!place_piece(run, g, ends))
                    return false;
                started = true;
                if (group_finished(g))
                    return true;
                if (!turn_page(run))
                    return false;
                continue;
            }
        }
        if (run->has_body) {
            if (!turn_page(run))
                return false;
            continue;
        }
        if (!run->fresh) {
            if (!move_table(run))
                return false;
            continue;
        }
        return row_too_tall(run, g, rest + half, limit - y - half, !g->keep);
    }
}

static bool run_table(Run *run)
{
    const WyTableInst *t = run->t;
    if (!open_fragment(run))
        return false;
    RowIter it = {t->tab->body, 0};
    while (it.row) {
        Group g;
        bool ok = group_build(t, WY_PART_BODY, &it, NULL, &g) && set_group(run, &g, it.row == NULL);
        group_release(&g);
        if (!ok)
            return false;
    }
    if (t->n_footer && !t->tab->repeat_footer && run->next_page &&
        next_row_y(run) + t->footer_h + t->tab->border[2].width_pt / 2 > page_limit(run) + EPS && run->has_body) {
        if (!turn_page(run))
            return false;
    }
    return close_fragment(run, !t->tab->repeat_footer);
}

bool wy_table_run(WyCursor *cur, const WyAtom *atom, WyNextPageFn next_page, void *paginator)
{
    WyTableInst *t = atom->table;
    Run run = {0};
    run.t = t;
    run.cur = cur;
    run.atom = atom;
    run.next_page = next_page;
    run.paginator = paginator;
    run.left = cur->x0 + atom->x + t->offset;
    run.reserve = atom->frame ? atom->frame->chain_bottom_pt : 0;
    run.first_fragment = true;
    run.above = wy_xcalloc((size_t)t->n_cols, sizeof *run.above);
    run.edge = wy_xcalloc((size_t)t->n_cols, sizeof *run.edge);
    bool ok = run_table(&run);
    free(run.above);
    free(run.edge);
    free(run.hs);
    free(run.vs);
    return ok;
}

WyCanvas *wy_table_canvas(WyLayoutCtx *lc, const WyBox *box, double w_pt, double max_block_pt)
{
    WyTableInst *t = wy_table_build(lc, box, w_pt, max_block_pt);
    if (!t)
        return NULL;
    WyCanvas *canvas = wy_canvas_new(lc);
    WyCursor cur;
    wy_cursor_init_canvas(&cur, lc, canvas, 0, 0);
    WyAtom atom = {.kind = WY_ATOM_TABLE, .box = box, .table = t};
    bool ok = wy_table_run(&cur, &atom, NULL, NULL);
    canvas->height_pt = cur.y;
    wy_cursor_release(&cur);
    return ok ? canvas : NULL;
}
