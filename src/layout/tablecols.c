#include "layout/tablecols.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define MEASURE_WIDTH_PT 100000.0 /* wide enough that nothing wraps: the unwrapped width */
#define WIDTH_SLACK_PT 0.01       /* pango works in 1/1024 pt: a column a hair wider never rewraps */
#define MIN_COLUMN_PT 1.0
#define MAX_COLUMNS 1000
#define EPS WY_FIT_EPSILON_PT

/* ---- placing cells on columns ------------------------------------------- */

static void occ_grow(WyTableOccupancy *o, int n)
{
    if (n <= o->n)
        return;
    o->left = wy_xrealloc(o->left, wy_mul_size((size_t)n, sizeof *o->left));
    memset(o->left + o->n, 0, (size_t)(n - o->n) * sizeof *o->left);
    o->n = n;
}

static bool occ_taken(const WyTableOccupancy *o, int c)
{
    return c < o->n && o->left[c] > 0;
}

void wy_tablecols_occupancy_init(WyTableOccupancy *o, int limit)
{
    memset(o, 0, sizeof *o);
    o->limit = limit;
    occ_grow(o, limit);
}

void wy_tablecols_occupancy_release(WyTableOccupancy *o)
{
    free(o->left);
    memset(o, 0, sizeof *o);
}

static void slots_push(WyTableSlots *s, WyTableSlot slot)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = wy_xrealloc(s->v, wy_mul_size(s->cap, sizeof *s->v));
    }
    s->v[s->n++] = slot;
}

void wy_tablecols_place_row(WyTableOccupancy *o, const WyTableRow *row, int row_index, WyTableSlots *out)
{
    int c = 0;
    for (const WyTableCell *cell = row->cells; cell; cell = cell->next) {
        while (occ_taken(o, c))
            c++;
        if ((o->limit && c >= o->limit) || c >= MAX_COLUMNS)
            break;
        int want = cell->colspan > 0 ? cell->colspan : 1;
        int span = 1;
        while (span < want && c + span < (o->limit ? o->limit : MAX_COLUMNS) && !occ_taken(o, c + span))
            span++;
        occ_grow(o, c + span);
        int rows = cell->rowspan > 0 ? cell->rowspan : 1;
        for (int k = c; k < c + span; k++)
            o->left[k] = rows;
        slots_push(out, (WyTableSlot){cell, row_index, c, rows, span});
        c += span;
    }
}

bool wy_tablecols_next_row(WyTableOccupancy *o)
{
    bool clear = true;
    for (int k = 0; k < o->n; k++) {
        if (o->left[k] > 0)
            o->left[k]--;
        clear &= o->left[k] == 0;
    }
    return clear;
}

/* ---- measuring ---------------------------------------------------------- */

typedef struct Measure {
    double min, max;
    double dec_int, dec_frac;
} Measure;

bool wy_tablecols_decimal_point(PangoLayout *layout, int line_index, double *offset, double *width)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(layout, line_index);
    if (!line)
        return false;
    const char *text = pango_layout_get_text(layout);
    int start = line->start_index, end = line->start_index + line->length;
    int i = start;
    while (i < end && !(text[i] >= '0' && text[i] <= '9') &&
           !(text[i] == '.' && i + 1 < end && text[i + 1] >= '0' && text[i + 1] <= '9'))
        i++;
    if (i >= end)
        return false;
    int j = i;
    while (j < end && ((text[j] >= '0' && text[j] <= '9') || text[j] == ','))
        j++;
    bool point = j < end && text[j] == '.' && j + 1 < end && text[j + 1] >= '0' && text[j + 1] <= '9';
    if (!point)
        while (j > i && text[j - 1] == ',')
            j--; /* "1,234," : the comma is punctuation, not part of the number */
    PangoRectangle logical;
    pango_layout_line_get_extents(line, NULL, &logical);
    int x0 = 0, x = logical.width;
    pango_layout_line_index_to_x(line, start, FALSE, &x0);
    if (j < end)
        pango_layout_line_index_to_x(line, j, FALSE, &x);
    else
        x += x0;
    *offset = (double)(x - x0) / PANGO_SCALE;
    *width = (double)logical.width / PANGO_SCALE;
    return true;
}

/* Widest unbreakable run (min) and unwrapped width (max) of a paragraph,
   from pango's own break opportunities, so a CJK run counts one character
   with the punctuation glued to it and a Latin word counts whole. */
static bool measure_para(WyLayoutCtx *lc, const WyBox *box, bool decimal, Measure *m)
{
    WyParaLayout pl;
    if (!wy_para_layout(lc->para, &box->u.para, MEASURE_WIDTH_PT, NULL, box->loc, lc->diag, &pl)) {
        lc->failed = true;
        return false;
    }
    const WyStyle *st = box->u.para.style;
    double sides = st ? st->left_indent_pt + st->right_indent_pt : 0;
    /* pango's indent is outside the line; the shape carrier (forced breaks) is inside it */
    double indent = st && pl.source_shift == 0 ? fmax(0, st->first_indent_pt) : 0;
    PangoLayout *layout = pl.layout;
    int n_attrs = 0;
    const PangoLogAttr *attrs = pango_layout_get_log_attrs_readonly(layout, &n_attrs);
    const char *text = pango_layout_get_text(layout);
    const char *p = text;
    int chars = 0;
    int index = 0;
    for (GSList *l = pango_layout_get_lines_readonly(layout); l; l = l->next, index++) {
        PangoLayoutLine *line = l->data;
        const char *line_start = text + line->start_index, *end = line_start + line->length;
        chars += (int)g_utf8_pointer_to_offset(p, line_start);
        p = line_start;
        double first = index == 0 ? indent : 0;
        PangoRectangle logical;
        pango_layout_line_get_extents(line, NULL, &logical);
        m->max = fmax(m->max, (double)logical.width / PANGO_SCALE + first + sides);
        const char *seg = line_start, *ink = NULL;
        int ci = chars;
        for (const char *q = line_start;; q = g_utf8_next_char(q), ci++) {
            bool at_end = q >= end;
            if (at_end || (q > seg && ci < n_attrs && attrs[ci].is_line_break)) {
                if (ink) {
                    int x0 = 0, x1 = 0;
                    pango_layout_line_index_to_x(line, (int)(seg - text), FALSE, &x0);
                    pango_layout_line_index_to_x(line, (int)(ink - text), TRUE, &x1);
                    double run = fabs((double)(x1 - x0)) / PANGO_SCALE + (seg == line_start ? first : 0);
                    m->min = fmax(m->min, run + sides);
                }
                if (at_end)
                    break;
                seg = q;
                ink = NULL;
            }
            if (ci < n_attrs && !attrs[ci].is_white)
                ink = q;
        }
        double off, width;
        if (decimal && wy_tablecols_decimal_point(layout, index, &off, &width)) {
            m->dec_int = fmax(m->dec_int, off + sides);
            m->dec_frac = fmax(m->dec_frac, width - off);
        }
    }
    wy_para_layout_release(&pl);
    return true;
}

static bool table_widths(WyLayoutCtx *lc, const WyBox *box, Measure *m);

static bool measure_blocks(WyLayoutCtx *lc, const WyBox *first, bool decimal, Measure *m)
{
    for (const WyBox *b = first; b; b = b->next) {
        Measure inner = {0};
        switch (b->kind) {
        case WY_BOX_PARA:
            if (!measure_para(lc, b, decimal, m))
                return false;
            continue;
        case WY_BOX_FRAME: {
            if (!measure_blocks(lc, b->children, false, &inner))
                return false;
            double edges = b->u.frame.left.width_pt + b->u.frame.right.width_pt + b->u.frame.padding_pt[1] +
                           b->u.frame.padding_pt[3];
            if (b->u.frame.width_pt > 0)
                inner.min = inner.max = b->u.frame.width_pt - edges;
            inner.min += edges;
            inner.max += edges;
            break;
        }
        case WY_BOX_IMAGE: {
            double w = b->u.image.width_pt;
            const WyImage *img = b->u.image.image;
            if (w <= 0 && img && img->width_px > 0)
                w = img->width_px * 72.0 / (img->dpi >= 1 ? img->dpi : 96.0);
            inner.max = w;
            break;
        }
        case WY_BOX_TABLE:
            if (!table_widths(lc, b, &inner))
                return false;
            break;
        default:
            continue; /* rules, spaces, grids and columns take the width they are given */
        }
        m->min = fmax(m->min, inner.min);
        m->max = fmax(m->max, inner.max);
    }
    return true;
}

typedef struct ColumnSet {
    WyTableCol *v;
    int n;
    const WyTable *tab;
} ColumnSet;

static WyTableCol *column_at(ColumnSet *cs, int c)
{
    if (c >= cs->n) {
        cs->v = wy_xrealloc(cs->v, wy_mul_size((size_t)c + 1, sizeof *cs->v));
        for (int k = cs->n; k <= c; k++) {
            WyTableCol *col = &cs->v[k];
            memset(col, 0, sizeof *col);
            col->kind = WY_COLUMN_AUTO;
            if (k < cs->tab->n_columns) {
                col->kind = cs->tab->columns[k].kind;
                col->value = cs->tab->columns[k].value;
                col->align = cs->tab->columns[k].align;
            }
        }
        cs->n = c + 1;
    }
    return &cs->v[c];
}

double wy_tablecols_padding(const WyTable *tab, const WyTableCell *cell, int side)
{
    return cell->padding_pt[side] >= 0 ? cell->padding_pt[side] : tab->cell_padding_pt[side];
}

static bool sized_by_content(WyColumnKind kind)
{
    return kind == WY_COLUMN_AUTO || kind == WY_COLUMN_SHARE;
}

WyCellAlign wy_tablecols_cell_align(const WyTableCol *cols, const WyTableSlot *slot, WyTablePart part)
{
    WyCellAlign a = slot->cell->align;
    if (a == WY_CELL_ALIGN_INHERIT && part != WY_PART_HEADER)
        a = cols[slot->col].align;
    if (a == WY_CELL_ALIGN_DECIMAL && slot->cols > 1)
        a = WY_CELL_ALIGN_INHERIT;
    return a;
}

typedef struct Span {
    int col, cols;
    double min, max;
} Span;

/* Widens the content-sized columns a spanning cell crosses when together
   they are narrower than it, in proportion to their widths (equally when
   they have none). */
static void spread_span(WyTableCol *cols, const Span *s, bool use_max)
{
    double have = 0, base = 0;
    int flexible = 0;
    for (int c = s->col; c < s->col + s->cols; c++) {
        double v = use_max ? cols[c].max : cols[c].min;
        have += cols[c].kind == WY_COLUMN_FIXED ? cols[c].value : v;
        if (sized_by_content(cols[c].kind)) {
            base += v;
            flexible++;
        }
    }
    double need = use_max ? s->max : s->min;
    if (need <= have || flexible == 0)
        return;
    for (int c = s->col; c < s->col + s->cols; c++) {
        if (!sized_by_content(cols[c].kind))
            continue;
        double *v = use_max ? &cols[c].max : &cols[c].min;
        *v += (need - have) * (base > 0 ? *v / base : 1.0 / flexible);
    }
}

/* One pass over every row: how many columns there are and, for the columns
   sized by their content or aligning decimals, how wide their cells are.
   Nothing laid out here is kept. */
static bool measure_columns(WyLayoutCtx *lc, const WyTable *tab, ColumnSet *cs)
{
    WyTableOccupancy occ;
    wy_tablecols_occupancy_init(&occ, 0);
    WyTableSlots slots = {0};
    Span *spans = NULL;
    size_t n_spans = 0, cap_spans = 0;
    bool ok = true;
    for (int c = 0; c < tab->n_columns; c++)
        column_at(cs, c);
    const WyTableRow *parts[3] = {tab->header, tab->body, tab->footer};
    for (int part = 0; part < 3 && ok; part++) {
        occ.n = 0;
        for (const WyTableRow *row = parts[part]; row && ok; row = row->next) {
            slots.n = 0;
            wy_tablecols_place_row(&occ, row, 0, &slots);
            if (wy_tablecols_next_row(&occ) || !row->next)
                occ.n = 0; /* a rowspan never reaches into the next part */
            for (size_t i = 0; i < slots.n && ok; i++) {
                const WyTableSlot *s = &slots.v[i];
                column_at(cs, s->col + s->cols - 1);
                bool content = false;
                for (int c = s->col; c < s->col + s->cols; c++)
                    content |= sized_by_content(cs->v[c].kind);
                bool decimal = wy_tablecols_cell_align(cs->v, s, (WyTablePart)part) == WY_CELL_ALIGN_DECIMAL;
                if (!content && !decimal)
                    continue;
                Measure m = {0};
                ok = measure_blocks(lc, s->cell->blocks, decimal, &m);
                double pads = wy_tablecols_padding(tab, s->cell, 1) + wy_tablecols_padding(tab, s->cell, 3);
                m.min += pads + WIDTH_SLACK_PT;
                m.max += pads + WIDTH_SLACK_PT;
                if (s->cols == 1) {
                    WyTableCol *col = &cs->v[s->col];
                    col->min = fmax(col->min, m.min);
                    col->max = fmax(col->max, m.max);
                    col->dec_int = fmax(col->dec_int, m.dec_int);
                    col->dec_frac = fmax(col->dec_frac, m.dec_frac);
                    if (decimal)
                        col->dec_pad = fmax(col->dec_pad, pads);
                } else {
                    if (n_spans == cap_spans) {
                        cap_spans = cap_spans ? cap_spans * 2 : 8;
                        spans = wy_xrealloc(spans, wy_mul_size(cap_spans, sizeof *spans));
                    }
                    spans[n_spans++] = (Span){s->col, s->cols, m.min, m.max};
                }
            }
        }
    }
    for (int c = 0; c < cs->n; c++) {
        WyTableCol *col = &cs->v[c];
        if (col->align == WY_CELL_ALIGN_DECIMAL && col->dec_int + col->dec_frac > 0) {
            /* the numbers, aligned, must fit side by side */
            double group = col->dec_int + col->dec_frac + col->dec_pad + WIDTH_SLACK_PT;
            col->min = fmax(col->min, group);
            col->max = fmax(col->max, group);
        }
        col->max = fmax(col->max, col->min);
    }
    for (size_t i = 0; i < n_spans; i++) {
        spread_span(cs->v, &spans[i], false);
        spread_span(cs->v, &spans[i], true);
    }
    for (int c = 0; c < cs->n; c++)
        cs->v[c].max = fmax(cs->v[c].max, cs->v[c].min);
    free(spans);
    free(slots.v);
    wy_tablecols_occupancy_release(&occ);
    return ok;
}

/* ---- column widths ------------------------------------------------------ */

/* Gives the content-sized columns AVAIL points between them: their
   unwrapped widths when those fit (spread further when FILL), else each
   its minimum and a share of the rest in proportion to what it would
   still like (max − min), as CSS's automatic table layout does. */
static void size_auto(WyTableCol *cols, int n, double avail, bool fill)
{
    double sum_min = 0, sum_max = 0;
    int count = 0;
    for (int c = 0; c < n; c++) {
        if (cols[c].kind != WY_COLUMN_AUTO)
            continue;
        sum_min += cols[c].min;
        sum_max += cols[c].max;
        count++;
    }
    if (count == 0)
        return;
    for (int c = 0; c < n; c++) {
        WyTableCol *col = &cols[c];
        if (col->kind != WY_COLUMN_AUTO)
            continue;
        if (sum_max <= avail + EPS) {
            col->width = col->max;
            if (fill)
                col->width += (avail - sum_max) * (sum_max > 0 ? col->max / sum_max : 1.0 / count);
        } else if (sum_min <= avail) {
            double spread = sum_max - sum_min;
            col->width = col->min + (avail - sum_min) * (spread > 0 ? (col->max - col->min) / spread : 0);
        } else {
            col->width = sum_min > 0 ? col->min * fmax(0, avail) / sum_min : 0;
        }
    }
}

/* Shares ("2*") divide ROOM by weight, but none gets less than its
   content's minimum while the others can give way. */
static void size_shares(WyTableCol *cols, int n, double room)
{
    bool *fixed_min = wy_xcalloc((size_t)n, sizeof *fixed_min);
    for (int round = 0; round <= n; round++) {
        double weights = 0, left = room;
        for (int c = 0; c < n; c++) {
            if (cols[c].kind != WY_COLUMN_SHARE)
                continue;
            if (fixed_min[c])
                left -= cols[c].min;
            else
                weights += cols[c].value;
        }
        bool changed = false;
        for (int c = 0; c < n; c++) {
            if (cols[c].kind != WY_COLUMN_SHARE)
                continue;
            if (fixed_min[c]) {
                cols[c].width = cols[c].min;
                continue;
            }
            cols[c].width = weights > 0 ? fmax(0, left) * cols[c].value / weights : 0;
            if (cols[c].width < cols[c].min - EPS && left > 0) {
                fixed_min[c] = true;
                changed = true;
            }
        }
        if (!changed)
            break;
    }
    free(fixed_min);
}

double wy_tablecols_size(WyLayoutCtx *lc, const WyBox *box, WyTableCol *cols, int n, double avail, bool fill)
{
    double fixed = 0, share_min = 0;
    bool shares = false;
    for (int c = 0; c < n; c++) {
        WyTableCol *col = &cols[c];
        if (col->kind == WY_COLUMN_FIXED)
            col->width = col->value;
        else if (col->kind == WY_COLUMN_PERCENT)
            col->width = col->value / 100.0 * avail;
        else
            continue;
        fixed += col->width;
    }
    if (fixed > avail + EPS) {
        wy_diag_warning(lc->diag, box->loc,
                        "the table's fixed columns take %.1f mm but the line is %.1f mm wide; they are narrowed",
                        fixed / WY_PT_PER_MM, avail / WY_PT_PER_MM);
        for (int c = 0; c < n; c++)
            if (cols[c].kind == WY_COLUMN_FIXED || cols[c].kind == WY_COLUMN_PERCENT)
                cols[c].width *= avail / fixed;
        fixed = avail;
    }
    for (int c = 0; c < n; c++) {
        if (cols[c].kind == WY_COLUMN_SHARE) {
            shares = true;
            share_min += cols[c].min;
        }
    }
    double room = avail - fixed;
    size_auto(cols, n, shares ? room - share_min : room, fill && !shares);
    if (shares) {
        double used = 0;
        for (int c = 0; c < n; c++)
            if (cols[c].kind == WY_COLUMN_AUTO)
                used += cols[c].width;
        size_shares(cols, n, room - used);
    }
    double total = 0;
    for (int c = 0; c < n; c++) {
        cols[c].width = fmax(MIN_COLUMN_PT, cols[c].width);
        total += cols[c].width;
    }
    return total;
}

static bool table_widths(WyLayoutCtx *lc, const WyBox *box, Measure *m)
{
    const WyTable *tab = box->u.table;
    ColumnSet cs = {NULL, 0, tab};
    bool ok = measure_columns(lc, tab, &cs);
    for (int c = 0; ok && c < cs.n; c++) {
        const WyTableCol *col = &cs.v[c];
        m->min += col->kind == WY_COLUMN_FIXED ? col->value : col->min;
        m->max += col->kind == WY_COLUMN_FIXED ? col->value : col->max;
    }
    double edges = (tab->border[1].width_pt + tab->border[3].width_pt) / 2;
    m->min += edges;
    m->max += edges;
    if (tab->width_pt > 0)
        m->min = m->max = fmax(m->min, tab->width_pt);
    free(cs.v);
    return ok;
}

WyTableCol *wy_tablecols_measure(WyLayoutCtx *lc, const WyTable *tab, int *n)
{
    ColumnSet cs = {NULL, 0, tab};
    *n = 0;
    if (!measure_columns(lc, tab, &cs)) {
        free(cs.v);
        return NULL;
    }
    if (cs.n == 0)
        column_at(&cs, 0); /* a table with no cells still has a width */
    *n = cs.n;
    return cs.v;
}
