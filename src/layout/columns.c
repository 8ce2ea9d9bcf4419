#include "layout/columns.h"

#include <math.h>
#include <stdlib.h>

#include "base/mem.h"

#define BALANCE_PRECISION_PT 0.01
#define BALANCE_MAX_STEPS 40
#define MIN_COLUMN_PT 1.0

/* Height of the flow's first piece that no legal break divides: what a
   section needs at a page foot before it may start there. */
static double first_piece(const WyFlow *flow)
{
    size_t k = 0;
    while (k < flow->n && (flow->atoms[k].kind == WY_ATOM_GLUE || flow->atoms[k].kind == WY_ATOM_BREAK))
        k++;
    const size_t first = k;
    double y = 0, pending = 0;
    for (; k < flow->n; k++) {
        const WyAtom *a = &flow->atoms[k];
        if (a->kind == WY_ATOM_GLUE) {
            pending += a->h;
            continue;
        }
        if (k > first && (a->breakable || a->kind == WY_ATOM_BREAK))
            return y + (a->frame ? a->frame->chain_bottom_pt : 0);
        y += pending + a->h;
        pending = 0;
    }
    return y;
}

WyColumnsInst *wy_columns_build(WyLayoutCtx *lc, const WyBox *box, double x, double w, double max_block_pt)
{
    int count = box->u.columns.count > 0 ? box->u.columns.count : 1;
    double gap = box->u.columns.gap_pt > 0 ? box->u.columns.gap_pt : 0;
    WyColumnsInst *cols = WY_ARENA_NEW(&lc->arena, WyColumnsInst);
    cols->box = box;
    cols->x = x;
    cols->w = w;
    cols->column_w = fmax(MIN_COLUMN_PT, (w - gap * (count - 1)) / count);
    cols->flow = wy_flow_build(lc, box->children, cols->column_w, max_block_pt, WY_FLOW_COLUMN);
    if (!cols->flow)
        return NULL;
    cols->min_pt = first_piece(cols->flow);
    return cols;
}

static int column_count(const WyColumnsInst *cols)
{
    return cols->box->u.columns.count > 0 ? cols->box->u.columns.count : 1;
}

static double column_gap(const WyColumnsInst *cols)
{
    return cols->box->u.columns.gap_pt > 0 ? cols->box->u.columns.gap_pt : 0;
}

/* Cuts one column HEIGHT tall from FLOW at atom START. */
static WyFit fit_column(const WyFlow *flow, size_t start, double height, bool fresh)
{
    const WyFrameInst *open = wy_flow_frame_before(flow, start);
    return wy_flow_fit(flow, start, open ? open->chain_top_pt : 0, height, true, fresh);
}

/* How far COUNT columns of HEIGHT get from START; false if a piece is too
   tall for them (FIT says which). */
static bool fill(const WyFlow *flow, size_t start, int count, double height, bool fresh, size_t *end, WyFit *fit)
{
    size_t e = start;
    for (int c = 0; c < count && e < flow->n; c++) {
        *fit = fit_column(flow, e, height, fresh);
        if (fit->too_tall)
            return false;
        e = fit->end;
    }
    *end = e;
    return true;
}

/* The least column height at which the rest of the section, from START,
   fits in COUNT columns: the columns then end as evenly as the break rules
   allow. AVAIL is known to be enough. */
static double balanced_height(const WyFlow *flow, size_t start, int count, double avail)
{
    double lo = 0, hi = avail;
    for (int step = 0; step < BALANCE_MAX_STEPS && hi - lo > BALANCE_PRECISION_PT; step++) {
        double mid = (lo + hi) / 2;
        size_t end = start;
        WyFit fit;
        if (fill(flow, start, count, mid, false, &end, &fit) && end >= flow->n)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

static void add_separator(WyCursor *cur, const WyBorder *sep, double x, double y, double h, WyLoc loc)
{
    WyItem item = {.kind = WY_ITEM_LINE, .x = x, .y = y, .h = h, .fill = WY_COLOR_NONE,
                   .stroke = sep->color == WY_COLOR_NONE ? WY_COLOR_BLACK : sep->color,
                   .stroke_width = sep->width_pt, .loc = loc};
    wy_page_add_item(cur->page, &item);
}

/* Places COUNT columns of HEIGHT from *START at the cursor and moves the
   cursor below the tallest. */
static bool place_columns(WyCursor *cur, const WyColumnsInst *cols, size_t *start, double height, bool fresh)
{
    const WyFlow *flow = cols->flow;
    int count = column_count(cols);
    double gap = column_gap(cols);
    double *used = wy_xcalloc((size_t)count, sizeof *used);
    double section = 0;
    size_t e = *start;
    bool ok = true;
    for (int c = 0; c < count && e < flow->n; c++) {
        WyCursor col = *cur;
        col.frags = NULL;
        col.n_frags = col.cap_frags = 0;
        col.x0 = cur->x0 + cols->x + c * (cols->column_w + gap);
        col.top = cur->y;
        col.bottom = cur->y + height;
        col.placed = false;
        wy_cursor_reopen(&col, wy_flow_frame_before(flow, e));
        WyFit fit = wy_flow_fit(flow, e, col.y, col.bottom, true, fresh);
        ok = !fit.too_tall && wy_flow_place(&col, flow, e, fit.end, true, false);
        wy_cursor_close_all(&col);
        wy_cursor_release(&col);
        if (!ok)
            break;
        if (col.placed)
            used[c] = col.y - cur->y;
        section = fmax(section, used[c]);
        e = fit.end;
    }
    const WyBorder *sep = &cols->box->u.columns.separator;
    if (ok && sep->width_pt > 0) {
        for (int c = 0; c + 1 < count; c++)
            if (used[c + 1] > 0)
                add_separator(cur, sep, cur->x0 + cols->x + (c + 1) * cols->column_w + c * gap + gap / 2, cur->y,
                              section, cols->box->loc);
    }
    free(used);
    cur->y += section;
    if (section > 0)
        cur->placed = true;
    *start = e;
    return ok;
}

bool wy_columns_run(WyCursor *cur, const WyAtom *atom, WyNextPageFn next_page, void *paginator)
{
    const WyColumnsInst *cols = atom->columns;
    const WyFlow *flow = cols->flow;
    int count = column_count(cols);
    double reserve = atom->frame ? atom->frame->chain_bottom_pt : 0;
    if (atom->bookmark)
        wy_cursor_mark(cur, atom->bookmark, atom->bookmark_level, cur->y);
    size_t s = 0;
    for (;;) {
        double avail = cur->bottom - reserve - cur->y;
        if (!isfinite(avail))
            avail = wy_flow_total_height(flow) + 1; /* a canvas: room for everything */
        bool fresh = !cur->placed;
        size_t end = s;
        WyFit fit;
        if (!fill(flow, s, count, avail, fresh, &end, &fit)) {
            const WyAtom *a = &flow->atoms[fit.end];
            wy_diag_error(cur->lc->diag, a->box ? a->box->loc : cols->box->loc,
                          "this block is taller than a page (%.1f pt > %.1f pt); shorten it or allow it to split",
                          fit.need_pt, fit.avail_pt);
            return false;
        }
        double height = avail;
        if (end >= flow->n && cols->box->u.columns.balance)
            height = balanced_height(flow, s, count, avail);
        if (!place_columns(cur, cols, &s, height, fresh))
            return false;
        if (s >= flow->n || !next_page)
            return true;
        if (!next_page(paginator, cur, atom->frame))
            return false;
    }
}
