/* Tables: documents built by hand (exact geometry) and from templates
   (presets, the schema, errors), laid out, and the pages measured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expand_support.h"
#include "layout/layout.h"
#include "fonts_support.h"

/* A 400 × 400 pt page with 50 pt margins: a 300 × 300 pt type area.
   Cells are set at 10 pt on a 14 pt pitch with 2 pt padding above and
   below and 5 pt at the sides: a one-line row is 18 pt tall, and a Han
   character is exactly 10 pt wide. */
#define PAGE_PT 400.0
#define MARGIN_PT 50.0
#define MEASURE_PT 300.0
#define BOTTOM_PT (PAGE_PT - MARGIN_PT)
#define SIZE_PT 10.0
#define PITCH_PT 14.0
#define PAD_V_PT 2.0
#define PAD_H_PT 5.0
#define ROW_PT (PITCH_PT + 2 * PAD_V_PT)
#define SLACK_PT 0.01 /* layout/table.c: WIDTH_SLACK_PT */
#define EPS 0.01

static int teardown(void **state)
{
    remove_temp_dir();
    return fonts_teardown(state);
}

/* ---- building documents ------------------------------------------------- */

typedef struct T {
    WyDocument *doc;
    WySequence *seq;
    WyBox **tail;
    WyStyle *cell;           /* cell text: start-aligned, lines may split anywhere */
    WyDiag diag;
    WyPages *pages;
} T;

static WyStyle *style_new(T *t)
{
    WyStyle *s = WY_ARENA_NEW(&t->doc->arena, WyStyle);
    s->name = "cell";
    s->role = "body";
    s->lang = "zh-Hans";
    s->size_pt = SIZE_PT;
    s->line_height_pt = PITCH_PT;
    s->align = WY_ALIGN_START;
    s->color = WY_COLOR_BLACK;
    s->weight = 400;
    s->orphans = s->widows = 1;
    return s;
}

static void t_init(T *t)
{
    memset(t, 0, sizeof *t);
    t->doc = wy_document_new();
    WyPageMaster *m = WY_ARENA_NEW(&t->doc->arena, WyPageMaster);
    m->name = "test";
    m->width_pt = m->height_pt = PAGE_PT;
    m->margin_top_pt = m->margin_right_pt = m->margin_bottom_pt = m->margin_left_pt = MARGIN_PT;
    t->seq = WY_ARENA_NEW(&t->doc->arena, WySequence);
    t->seq->first = t->seq->rest = m;
    t->doc->sequences = t->seq;
    t->tail = &t->seq->blocks;
    t->cell = style_new(t);
    wy_diag_init(&t->diag, NULL);
}

static void t_free(T *t)
{
    wy_pages_free(t->pages);
    wy_document_free(t->doc);
    wy_diag_release(&t->diag);
}

static WyBox *add(T *t, WyBox *b)
{
    *t->tail = b;
    t->tail = &b->next;
    return b;
}

static WyBox *para(T *t, const WyStyle *style, const char *text, int line)
{
    WyBox *b = WY_ARENA_NEW(&t->doc->arena, WyBox);
    b->kind = WY_BOX_PARA;
    b->loc = wy_loc("t.xml", line, 1);
    b->u.para.style = style;
    b->u.para.text = text;
    return b;
}

/* N Han characters. */
static const char *han(T *t, int n)
{
    static const char *const chars[] = {"社", "会", "工", "作", "站", "服", "务", "民", "政", "德"};
    char *s = wy_arena_alloc(&t->doc->arena, (size_t)n * 3 + 1);
    for (int i = 0; i < n; i++)
        memcpy(s + 3 * i, chars[i % 10], 3);
    return s;
}

static WyBorder rule(double w)
{
    WyBorder b = {w, WY_COLOR_BLACK};
    return b;
}

/* An empty table: no rules, the test padding, start-aligned. */
static WyTable *table(T *t, int line)
{
    WyBox *b = add(t, WY_ARENA_NEW(&t->doc->arena, WyBox));
    b->kind = WY_BOX_TABLE;
    b->loc = wy_loc("t.xml", line, 1);
    WyTable *tab = WY_ARENA_NEW(&t->doc->arena, WyTable);
    b->u.table = tab;
    tab->align = WY_ALIGN_START;
    tab->cell_padding_pt[0] = tab->cell_padding_pt[2] = PAD_V_PT;
    tab->cell_padding_pt[1] = tab->cell_padding_pt[3] = PAD_H_PT;
    tab->zebra = WY_COLOR_NONE;
    tab->valign = WY_VALIGN_TOP;
    tab->repeat_header = true;
    return tab;
}

static void grid_rules(WyTable *tab, double w)
{
    for (int i = 0; i < 4; i++)
        tab->border[i] = rule(w);
    tab->row_rule = tab->column_rule = tab->header_rule = tab->footer_rule = rule(w);
}

static void columns(T *t, WyTable *tab, int n, const WyColumnKind *kinds, const double *values)
{
    tab->columns = WY_ARENA_ARRAY(&t->doc->arena, WyTableColumn, (size_t)n);
    tab->n_columns = n;
    for (int c = 0; c < n; c++)
        tab->columns[c] = (WyTableColumn){kinds[c], values ? values[c] : 0, WY_CELL_ALIGN_INHERIT};
}

/* Appends a row to the part whose first row is *PART. */
static WyTableRow *row(T *t, WyTableRow **part, int line)
{
    WyTableRow *r = WY_ARENA_NEW(&t->doc->arena, WyTableRow);
    r->loc = wy_loc("t.xml", line, 3);
    r->background = WY_COLOR_NONE;
    while (*part)
        part = &(*part)->next;
    *part = r;
    return r;
}

static WyTableCell *cell(T *t, WyTableRow *r, const char *text, int line)
{
    WyTableCell *c = WY_ARENA_NEW(&t->doc->arena, WyTableCell);
    c->loc = wy_loc("t.xml", line, 5);
    c->colspan = c->rowspan = 1;
    c->background = WY_COLOR_NONE;
    for (int i = 0; i < 4; i++)
        c->padding_pt[i] = -1;
    if (text)
        c->blocks = para(t, t->cell, text, line);
    WyTableCell **tail = &r->cells;
    while (*tail)
        tail = &(*tail)->next;
    *tail = c;
    return c;
}

static void lay_out(T *t)
{
    t->pages = wy_layout_document(t->doc, fonts, &t->diag);
    if (!t->pages)
        fail_msg("layout failed: %s", wy_buf_str(&t->diag.text));
}

/* ---- reading pages ------------------------------------------------------ */

static bool is_vertical(const WyItem *it)
{
    return it->kind == WY_ITEM_LINE && fabs(it->w) < 1e-9 && it->h > 0;
}

static bool is_horizontal(const WyItem *it)
{
    return it->kind == WY_ITEM_LINE && fabs(it->h) < 1e-9 && it->w > 0;
}

/* The distinct x of the page's vertical rules, sorted; returns how many. */
static int vertical_xs(const WyPage *p, double *xs, int cap)
{
    int n = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        if (!is_vertical(&p->items[i]))
            continue;
        double x = p->items[i].x;
        bool seen = false;
        for (int k = 0; k < n; k++)
            seen |= fabs(xs[k] - x) < 1e-6;
        if (!seen && n < cap)
            xs[n++] = x;
    }
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (xs[b] < xs[a]) {
                double tmp = xs[a];
                xs[a] = xs[b];
                xs[b] = tmp;
            }
    return n;
}

static int texts_from(const WyPage *p, int line)
{
    int n = 0;
    for (size_t i = 0; i < p->n_items; i++)
        n += p->items[i].kind == WY_ITEM_TEXT && p->items[i].loc.line == line;
    return n;
}

static const WyItem *text_from(const WyPage *p, int line, int nth)
{
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].kind == WY_ITEM_TEXT && p->items[i].loc.line == line && nth-- == 0)
            return &p->items[i];
    return NULL;
}

static char *item_text(const WyItem *it)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(it->layout, it->line_index);
    return g_strndup(pango_layout_get_text(it->layout) + line->start_index, (gsize)line->length);
}

/* Every cell line has its baseline the same distance below the top of its
   pitch slot; a test learns it from a line whose slot it knows. */
static double baseline_pt;

static void learn_baseline(const WyItem *ref, double ref_slot_top)
{
    assert_non_null(ref);
    baseline_pt = ref->y - ref_slot_top;
    assert_true(baseline_pt > 0 && baseline_pt < PITCH_PT);
}

static double slot_top(const WyItem *it)
{
    return it->y - baseline_pt;
}

/* ---- column widths ------------------------------------------------------ */

/* A short and a long auto column that do not fit side by side: each gets
   its minimum and the rest is shared by how much more each would like. */
static void test_auto_widths_share_the_measure(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyTable *tab = table(&t, 1);
    grid_rules(tab, 0.5);
    WyTableRow *r = row(&t, &tab->body, 2);
    cell(&t, r, "甲乙", 3);
    cell(&t, r, han(&t, 40), 4);
    r = row(&t, &tab->body, 5);
    cell(&t, r, "丙", 6);
    cell(&t, r, "丁", 7);
    lay_out(&t);
    const WyPage *p = &t.pages->pages[0];
    double xs[8];
    assert_int_equal(vertical_xs(p, xs, 8), 3);
    double min_a = 10 + 2 * PAD_H_PT + SLACK_PT, max_a = 20 + 2 * PAD_H_PT + SLACK_PT;
    double min_b = min_a, max_b = 400 + 2 * PAD_H_PT + SLACK_PT;
    double avail = MEASURE_PT - 0.5; /* half of each outer rule lies inside the measure */
    double wa = min_a + (avail - min_a - min_b) * (max_a - min_a) / (max_a + max_b - min_a - min_b);
    assert_true(fabs(xs[0] - (MARGIN_PT + 0.25)) < EPS);
    assert_true(fabs(xs[1] - xs[0] - wa) < 0.05);
    assert_true(fabs(xs[2] - (MARGIN_PT + MEASURE_PT - 0.25)) < EPS);
    /* the long cell wraps at its column: 40 characters in lines of 26 */
    assert_int_equal(texts_from(p, 4), 2);
    const WyItem *first = text_from(p, 4, 0);
    assert_true(first->x + first->w <= xs[2] - PAD_H_PT + EPS);
    assert_true(fabs(first->x - (xs[1] + PAD_H_PT)) < EPS);
    t_free(&t);
}

/* Columns that fit take their unwrapped widths, and the table is no wider
   than they are unless it is told to fill the line. */
static void test_auto_widths_that_fit(void **state)
{
    (void)state;
    for (int fill = 0; fill < 2; fill++) {
        T t;
        t_init(&t);
        WyTable *tab = table(&t, 1);
        grid_rules(tab, 0.5);
        tab->align = WY_ALIGN_CENTER;
        tab->width_share = fill ? 1.0 : 0;
        WyTableRow *r = row(&t, &tab->body, 2);
        cell(&t, r, "甲乙", 3);
        cell(&t, r, "丙丁戊", 4);
        lay_out(&t);
        double xs[8];
        assert_int_equal(vertical_xs(&t.pages->pages[0], xs, 8), 3);
        double wa = 20 + 2 * PAD_H_PT + SLACK_PT, wb = 30 + 2 * PAD_H_PT + SLACK_PT;
        if (fill) {
            double avail = MEASURE_PT - 0.5, extra = avail - wa - wb;
            double grow_a = extra * wa / (wa + wb);
            assert_true(fabs(xs[0] - (MARGIN_PT + 0.25)) < EPS);
            assert_true(fabs(xs[1] - xs[0] - (wa + grow_a)) < EPS);
            assert_true(fabs(xs[2] - (MARGIN_PT + MEASURE_PT - 0.25)) < EPS);
        } else {
            double width = wa + wb + 0.5;
            double left = MARGIN_PT + (MEASURE_PT - width) / 2;
            assert_true(fabs(xs[0] - (left + 0.25)) < EPS);
            assert_true(fabs(xs[1] - xs[0] - wa) < EPS);
            assert_true(fabs(xs[2] - xs[1] - wb) < EPS);
        }
        t_free(&t);
    }
}

static void test_proportional_and_fixed_widths(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyTable *tab = table(&t, 1);
    grid_rules(tab, 0.5);
    static const WyColumnKind kinds[] = {WY_COLUMN_SHARE, WY_COLUMN_SHARE, WY_COLUMN_FIXED, WY_COLUMN_PERCENT};
    static const double values[] = {1, 2, 60, 10};
    columns(&t, tab, 4, kinds, values);
    WyTableRow *r = row(&t, &tab->body, 2);
    for (int c = 0; c < 4; c++)
        cell(&t, r, "甲", 3 + c);
    lay_out(&t);
    double xs[8];
    assert_int_equal(vertical_xs(&t.pages->pages[0], xs, 8), 5);
    double avail = MEASURE_PT - 0.5;
    double percent = 0.1 * avail, room = avail - 60 - percent;
    assert_true(fabs(xs[1] - xs[0] - room / 3) < EPS);
    assert_true(fabs(xs[2] - xs[1] - 2 * room / 3) < EPS);
    assert_true(fabs(xs[3] - xs[2] - 60) < EPS);
    assert_true(fabs(xs[4] - xs[3] - percent) < EPS);
    t_free(&t);
}

/* ---- spans -------------------------------------------------------------- */

/*   | A (rowspan 2) | B (colspan 2)   |
     |               | C      | D      |
     | E             | F      | G      |   three 100 pt columns, inner rules only */
static void test_colspan_and_rowspan_geometry(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyTable *tab = table(&t, 1);
    tab->row_rule = tab->column_rule = rule(0.5);
    static const WyColumnKind kinds[] = {WY_COLUMN_FIXED, WY_COLUMN_FIXED, WY_COLUMN_FIXED};
    static const double values[] = {100, 100, 100};
    columns(&t, tab, 3, kinds, values);
    WyTableRow *r1 = row(&t, &tab->body, 2);
    WyTableCell *a = cell(&t, r1, han(&t, 25), 10); /* 3 lines of 9: taller than its two rows */
    a->rowspan = 2;
    WyTableCell *b = cell(&t, r1, "乙", 11);
    b->colspan = 2;
    WyTableRow *r2 = row(&t, &tab->body, 3);
    cell(&t, r2, "丙", 12);
    cell(&t, r2, "丁", 13);
    WyTableRow *r3 = row(&t, &tab->body, 4);
    cell(&t, r3, "戊", 14);
    cell(&t, r3, "己", 15);
    cell(&t, r3, "庚", 16);
    lay_out(&t);
    const WyPage *p = &t.pages->pages[0];
    static const struct {
        int line;
        double x;
    } where[] = {{10, 0}, {11, 100}, {12, 100}, {13, 200}, {14, 0}, {15, 100}, {16, 200}};
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        const WyItem *it = text_from(p, where[i].line, 0);
        assert_non_null(it);
        assert_true(fabs(it->x - (MARGIN_PT + where[i].x + PAD_H_PT)) < EPS);
    }
    assert_int_equal(texts_from(p, 10), 3);
    learn_baseline(text_from(p, 10, 0), MARGIN_PT + PAD_V_PT);
    /* row 1 is one line; row 2 grows so A's three lines fit in both */
    double top = MARGIN_PT, y12 = top + ROW_PT, y23 = top + 3 * PITCH_PT + 2 * PAD_V_PT;
    assert_true(fabs(slot_top(text_from(p, 12, 0)) - (y12 + PAD_V_PT)) < EPS);
    assert_true(fabs(slot_top(text_from(p, 14, 0)) - (y23 + PAD_V_PT)) < EPS);
    int h12 = 0, h23 = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        const WyItem *it = &p->items[i];
        if (!is_horizontal(it))
            continue;
        if (fabs(it->y - y12) < EPS) { /* not across A */
            h12++;
            assert_true(it->x >= MARGIN_PT + 100 - 0.5);
            assert_true(fabs(it->x + it->w - (MARGIN_PT + 300)) < EPS);
        } else if (fabs(it->y - y23) < EPS) {
            h23++;
            assert_true(fabs(it->x - MARGIN_PT) < EPS && fabs(it->w - 300) < EPS);
        }
    }
    assert_int_equal(h12, 1);
    assert_int_equal(h23, 1);
    /* no rule between C and D's columns in row 1 (B spans them) */
    for (size_t i = 0; i < p->n_items; i++) {
        const WyItem *it = &p->items[i];
        if (is_vertical(it) && fabs(it->x - (MARGIN_PT + 200)) < EPS)
            assert_true(it->y >= y12 - EPS);
    }
    t_free(&t);
}

/* ---- pages -------------------------------------------------------------- */

static WyTable *roster(T *t, int n_rows)
{
    WyTable *tab = table(t, 1);
    grid_rules(tab, 0.5);
    WyPara *caption = WY_ARENA_NEW(&t->doc->arena, WyPara);
    caption->style = t->cell;
    caption->text = "表1 名单";
    tab->caption = caption;
    WyPara *continued = WY_ARENA_NEW(&t->doc->arena, WyPara);
    *continued = *caption;
    continued->text = "表1 名单（续）";
    tab->continued_caption = continued;
    WyTableRow *h = row(t, &tab->header, 2);
    cell(t, h, "序号", 3);
    cell(t, h, "姓名", 3);
    WyTableRow **tail = &tab->body;
    for (int i = 0; i < n_rows; i++) {
        WyTableRow *r = row(t, tail, 100 + i);
        char *number = wy_arena_alloc(&t->doc->arena, 16);
        snprintf(number, 16, "%d", i + 1);
        cell(t, r, number, 100 + i);
        cell(t, r, "张三", 100 + i);
        tail = &r->next;
    }
    return tab;
}

static void test_header_repeats_on_every_page(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    roster(&t, 200);
    lay_out(&t);
    assert_true(t.pages->n_pages >= 10);
    /* caption 14 + 4, then half the top rule, then the header's padding */
    learn_baseline(text_from(&t.pages->pages[0], 3, 0), MARGIN_PT + PITCH_PT + 4 + 0.25 + PAD_V_PT);
    int body = 0, expect = 100;
    for (size_t p = 0; p < t.pages->n_pages; p++) {
        const WyPage *page = &t.pages->pages[p];
        assert_int_equal(texts_from(page, 3), 2); /* 序号 and 姓名 on every page */
        char *caption = item_text(text_from(page, 1, 0));
        assert_string_equal(caption, p == 0 ? "表1 名单" : "表1 名单（续）");
        g_free(caption);
        /* the rows follow each other, every one once */
        for (size_t i = 0; i < page->n_items; i++) {
            const WyItem *it = &page->items[i];
            if (it->kind != WY_ITEM_TEXT || it->loc.line < 100)
                continue;
            assert_true(it->loc.line == expect || it->loc.line == expect + 1);
            if (it->loc.line == expect + 1)
                expect++;
            body++;
            assert_true(slot_top(it) + it->h <= BOTTOM_PT + EPS);
        }
    }
    assert_int_equal(body, 400);
    assert_int_equal(expect, 299);
    t_free(&t);
}

/* A row taller than the room left splits between lines: every cell of it
   at the same page break, each fragment whole lines, the first ending at
   the page foot; the rest follows the repeated header. */
static void test_tall_row_splits_between_lines(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyTable *tab = table(&t, 1);
    static const WyColumnKind kinds[] = {WY_COLUMN_FIXED, WY_COLUMN_FIXED};
    static const double values[] = {150, 150};
    columns(&t, tab, 2, kinds, values);
    cell(&t, row(&t, &tab->header, 2), "表头", 3);
    for (int i = 0; i < 5; i++)
        cell(&t, row(&t, &tab->body, 10 + i), "短", 10 + i);
    WyTableRow *tall = row(&t, &tab->body, 20);
    cell(&t, tall, han(&t, 30 * 14), 40);  /* 30 lines of 14 */
    cell(&t, tall, han(&t, 20 * 14), 41);  /* 20 lines */
    cell(&t, row(&t, &tab->body, 21), "后", 50);
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *p1 = &t.pages->pages[0], *p2 = &t.pages->pages[1];
    learn_baseline(text_from(p1, 3, 0), MARGIN_PT + PAD_V_PT);
    /* header 18 + 5 rows of 18 = 108: the tall row's text starts at 160 */
    int first = texts_from(p1, 40);
    assert_int_equal(first, (int)((BOTTOM_PT - PAD_V_PT - (MARGIN_PT + 6 * ROW_PT + PAD_V_PT)) / PITCH_PT));
    assert_int_equal(texts_from(p1, 41), first);
    assert_int_equal(texts_from(p2, 40), 30 - first);
    assert_int_equal(texts_from(p2, 41), 20 - first);
    /* whole lines, in order, none twice */
    int next = 0;
    for (int p = 0; p < 2; p++)
        for (int k = 0; k < texts_from(&t.pages->pages[p], 40); k++)
            assert_int_equal(text_from(&t.pages->pages[p], 40, k)->line_index, next++);
    const WyItem *last = text_from(p1, 40, first - 1);
    double foot = BOTTOM_PT - PAD_V_PT;
    assert_true(slot_top(last) + PITCH_PT <= foot + EPS);
    assert_true(slot_top(last) + 2 * PITCH_PT > foot); /* one more line would not fit */
    /* page 2: header again, then the rest of the row, then the next row */
    assert_int_equal(texts_from(p2, 3), 1);
    assert_true(fabs(slot_top(text_from(p2, 40, 0)) - (MARGIN_PT + ROW_PT + PAD_V_PT)) < EPS);
    assert_true(fabs(slot_top(text_from(p2, 41, 0)) - (MARGIN_PT + ROW_PT + PAD_V_PT)) < EPS);
    double rest_bottom = MARGIN_PT + ROW_PT + PAD_V_PT + (30 - first) * PITCH_PT + PAD_V_PT;
    assert_true(fabs(slot_top(text_from(p2, 50, 0)) - (rest_bottom + PAD_V_PT)) < EPS);
    t_free(&t);
}

static void test_kept_row_moves_whole(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyTable *tab = table(&t, 1);
    static const WyColumnKind kinds[] = {WY_COLUMN_FIXED};
    static const double values[] = {300};
    columns(&t, tab, 1, kinds, values);
    cell(&t, row(&t, &tab->header, 2), "表头", 3);
    for (int i = 0; i < 10; i++)
        cell(&t, row(&t, &tab->body, 10 + i), "短", 10 + i);
    WyTableRow *kept = row(&t, &tab->body, 20);
    kept->keep_together = true;
    cell(&t, kept, han(&t, 10 * 29), 40); /* 10 lines: 144 pt, 102 pt left */
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    assert_int_equal(texts_from(&t.pages->pages[0], 40), 0);
    assert_int_equal(texts_from(&t.pages->pages[0], 19), 1);
    assert_int_equal(texts_from(&t.pages->pages[1], 40), 10);
    assert_int_equal(texts_from(&t.pages->pages[1], 3), 1);
    t_free(&t);
}

/* A table of one row that may split: taller than a page, it starts in
   the room left where it stands; shorter than a page, it moves whole to
   the next (the only row keeps the footer with it). A kept one taller
   than a page is still an error. */
static void test_one_row_table_starts_where_it_stands(void **state)
{
    (void)state;
    static const WyColumnKind kinds[] = {WY_COLUMN_FIXED};
    static const double values[] = {300};
    for (int tall = 0; tall < 2; tall++) {
        T t;
        t_init(&t);
        add(&t, para(&t, t.cell, han(&t, 30 * 8), 1)); /* 8 lines: 112 pt, 188 pt left */
        WyTable *tab = table(&t, 2);
        columns(&t, tab, 1, kinds, values);
        cell(&t, row(&t, &tab->body, 3), han(&t, 29 * (tall ? 30 : 15)), 40);
        lay_out(&t);
        assert_int_equal(t.pages->n_pages, 2);
        learn_baseline(text_from(&t.pages->pages[0], 1, 0), MARGIN_PT);
        int here = texts_from(&t.pages->pages[0], 40), there = texts_from(&t.pages->pages[1], 40);
        if (tall) {
            /* 188 pt less the padding holds 13 lines of 14 pt */
            assert_int_equal(here, 13);
            assert_int_equal(there, 17);
            double below_filler = MARGIN_PT + 8 * PITCH_PT;
            assert_true(fabs(slot_top(text_from(&t.pages->pages[0], 40, 0)) - (below_filler + PAD_V_PT)) < EPS);
        } else {
            assert_int_equal(here, 0);
            assert_int_equal(there, 15);
        }
        assert_true(fabs(slot_top(text_from(&t.pages->pages[1], 40, 0)) - (MARGIN_PT + PAD_V_PT)) < EPS);
        t_free(&t);
    }

    T t;
    t_init(&t);
    add(&t, para(&t, t.cell, han(&t, 30 * 8), 1));
    WyTable *tab = table(&t, 2);
    columns(&t, tab, 1, kinds, values);
    WyTableRow *kept = row(&t, &tab->body, 3);
    kept->keep_together = true;
    cell(&t, kept, han(&t, 29 * 30), 40);
    t.pages = wy_layout_document(t.doc, fonts, &t.diag);
    assert_null(t.pages);
    const char *msg = wy_buf_str(&t.diag.text);
    if (!strstr(msg, "t.xml:3:3: error: row 1 of the table is taller than a page (424.0 pt > 300.0 pt below the "
                     "header); shorten its text or let it split between lines (remove keep-together)"))
        fail_msg("unexpected: %s", msg);
    t_free(&t);
}

/* ---- grid rows taller than a page (<parallel> pairs) -------------------- */

#define PAIR_GAP_PT 20.0 /* two cells of 140 pt: 14 characters a line */
#define RIGHT_X_PT (MARGIN_PT + 140 + PAIR_GAP_PT)

static WyBox *frame_cell(T *t, WyBox *content)
{
    WyBox *f = WY_ARENA_NEW(&t->doc->arena, WyBox);
    f->kind = WY_BOX_FRAME;
    f->loc = content ? content->loc : wy_loc("t.xml", 0, 0);
    f->u.frame.background = WY_COLOR_NONE;
    f->u.frame.valign = WY_VALIGN_TOP;
    f->children = content;
    return f;
}

/* A two-cell grid row of plain frames holding LEFT and RIGHT, kept
   together, as <parallel> makes a pair; SPLIT lets it split when it is
   taller than a page. */
static WyBox *pair(T *t, WyBox *left, WyBox *right, bool split, int line)
{
    WyBox *g = add(t, WY_ARENA_NEW(&t->doc->arena, WyBox));
    g->kind = WY_BOX_GRID;
    g->loc = wy_loc("t.xml", line, 1);
    g->u.grid.columns = 2;
    g->u.grid.gap_pt = PAIR_GAP_PT;
    g->u.grid.split_tall_rows = split;
    g->keep_together = true;
    g->children = frame_cell(t, left);
    g->children->next = frame_cell(t, right);
    return g;
}

/* N lines of 14 characters (a pair cell's line) in STYLE. */
static WyBox *cell_lines(T *t, const WyStyle *style, int n, int line)
{
    return para(t, style, han(t, 14 * n), line);
}

/* The slot top of the first line of paragraph LINE on page P. */
static double first_top(const T *t, size_t p, int line)
{
    const WyItem *it = text_from(&t->pages->pages[p], line, 0);
    assert_non_null(it);
    return slot_top(it);
}

/* The lines of paragraph LINE follow each other across the pages, each once. */
static void assert_lines_in_order(const T *t, int line, int total)
{
    int next = 0;
    for (size_t p = 0; p < t->pages->n_pages; p++)
        for (int k = 0; k < texts_from(&t->pages->pages[p], line); k++)
            assert_int_equal(text_from(&t->pages->pages[p], line, k)->line_index, next++);
    assert_int_equal(next, total);
}

/* A pair taller than a page starts in the room left below the paragraph
   before it, fills it, and each side continues at the top of the next
   pages, both level, until the longer ends; what follows comes after it. */
static void test_tall_pair_splits_between_lines(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, para(&t, t.cell, han(&t, 30 * 8), 1)); /* 112 pt: 188 pt, 13 lines, left */
    pair(&t, cell_lines(&t, t.cell, 40, 40), cell_lines(&t, t.cell, 20, 41), true, 2);
    add(&t, para(&t, t.cell, "后", 50));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 3);
    learn_baseline(text_from(&t.pages->pages[0], 1, 0), MARGIN_PT);
    static const int left[] = {13, 21, 6}, right[] = {13, 7, 0};
    for (size_t p = 0; p < 3; p++) {
        const WyPage *page = &t.pages->pages[p];
        assert_int_equal(texts_from(page, 40), left[p]);
        assert_int_equal(texts_from(page, 41), right[p]);
        double top = p == 0 ? MARGIN_PT + 8 * PITCH_PT : MARGIN_PT;
        assert_true(fabs(first_top(&t, p, 40) - top) < EPS);
        if (right[p])
            assert_true(fabs(first_top(&t, p, 41) - top) < EPS);
        assert_true(fabs(text_from(page, 40, 0)->x - MARGIN_PT) < EPS);
        if (right[p])
            assert_true(fabs(text_from(page, 41, 0)->x - RIGHT_X_PT) < EPS);
        const WyItem *last = text_from(page, 40, left[p] - 1);
        assert_true(slot_top(last) + PITCH_PT <= BOTTOM_PT + EPS);
    }
    assert_lines_in_order(&t, 40, 40);
    assert_lines_in_order(&t, 41, 20);
    assert_int_equal(texts_from(&t.pages->pages[2], 50), 1);
    assert_true(fabs(first_top(&t, 2, 50) - (MARGIN_PT + 6 * PITCH_PT)) < EPS);
    t_free(&t);
}

/* A pair that fits on a page is not split: it moves whole to the next
   page, whether or not it may split when taller. Without leave to split,
   one taller than a page is still an error. */
static void test_pair_that_fits_moves_whole(void **state)
{
    (void)state;
    for (int split = 0; split < 2; split++) {
        T t;
        t_init(&t);
        add(&t, para(&t, t.cell, han(&t, 30 * 15), 1)); /* 210 pt: 6 lines left */
        pair(&t, cell_lines(&t, t.cell, 10, 40), cell_lines(&t, t.cell, 8, 41), split, 2);
        lay_out(&t);
        assert_int_equal(t.pages->n_pages, 2);
        learn_baseline(text_from(&t.pages->pages[0], 1, 0), MARGIN_PT);
        assert_int_equal(texts_from(&t.pages->pages[0], 40), 0);
        assert_int_equal(texts_from(&t.pages->pages[0], 41), 0);
        assert_int_equal(texts_from(&t.pages->pages[1], 40), 10);
        assert_int_equal(texts_from(&t.pages->pages[1], 41), 8);
        assert_true(fabs(first_top(&t, 1, 40) - MARGIN_PT) < EPS);
        assert_true(fabs(first_top(&t, 1, 41) - MARGIN_PT) < EPS);
        t_free(&t);
    }
    T t;
    t_init(&t);
    pair(&t, cell_lines(&t, t.cell, 40, 40), cell_lines(&t, t.cell, 20, 41), false, 2);
    t.pages = wy_layout_document(t.doc, fonts, &t.diag);
    assert_null(t.pages);
    if (!strstr(wy_buf_str(&t.diag.text), "error: this block is taller than a page (560.0 pt > 300.0 pt)"))
        fail_msg("unexpected: %s", wy_buf_str(&t.diag.text));
    t_free(&t);
}

/* Each side keeps its own widows and orphans: the right side stops a line
   early so that three lines go over; with three orphans and room for two
   lines the pair starts on the next page, both sides level. */
static void test_tall_pair_keeps_widows_and_orphans(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyStyle *three = style_new(&t);
    three->widows = 3;
    add(&t, para(&t, t.cell, han(&t, 30 * 15), 1)); /* 210 pt: 6 lines left */
    pair(&t, cell_lines(&t, t.cell, 25, 40), cell_lines(&t, three, 8, 41), true, 2);
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    learn_baseline(text_from(&t.pages->pages[0], 1, 0), MARGIN_PT);
    assert_int_equal(texts_from(&t.pages->pages[0], 40), 6);
    assert_int_equal(texts_from(&t.pages->pages[0], 41), 5);
    assert_int_equal(texts_from(&t.pages->pages[1], 40), 19);
    assert_int_equal(texts_from(&t.pages->pages[1], 41), 3);
    assert_true(fabs(first_top(&t, 0, 40) - (MARGIN_PT + 15 * PITCH_PT)) < EPS);
    assert_true(fabs(first_top(&t, 0, 41) - (MARGIN_PT + 15 * PITCH_PT)) < EPS);
    assert_true(fabs(first_top(&t, 1, 40) - MARGIN_PT) < EPS);
    assert_true(fabs(first_top(&t, 1, 41) - MARGIN_PT) < EPS);
    t_free(&t);

    t_init(&t);
    three = style_new(&t);
    three->orphans = 3;
    add(&t, para(&t, t.cell, han(&t, 30 * 19), 1)); /* 266 pt: 2 lines left */
    pair(&t, cell_lines(&t, t.cell, 25, 40), cell_lines(&t, three, 25, 41), true, 2);
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 3);
    learn_baseline(text_from(&t.pages->pages[0], 1, 0), MARGIN_PT);
    assert_int_equal(texts_from(&t.pages->pages[0], 40), 0);
    assert_int_equal(texts_from(&t.pages->pages[0], 41), 0);
    assert_int_equal(texts_from(&t.pages->pages[1], 40), 21);
    assert_int_equal(texts_from(&t.pages->pages[1], 41), 21);
    assert_true(fabs(first_top(&t, 1, 40) - MARGIN_PT) < EPS);
    assert_true(fabs(first_top(&t, 1, 41) - MARGIN_PT) < EPS);
    t_free(&t);
}

/* A heading pair (kept with the next) stays with the start of a tall pair:
   both on this page when the heading and a line of each side fit, else
   both on the next. */
static void test_heading_pair_stays_with_tall_pair(void **state)
{
    (void)state;
    for (int room_lines = 1; room_lines <= 2; room_lines++) {
        T t;
        t_init(&t);
        int filler = 21 - room_lines; /* 300 pt hold 21 lines */
        add(&t, para(&t, t.cell, han(&t, 30 * filler), 1));
        WyBox *heading = pair(&t, para(&t, t.cell, "一", 30), para(&t, t.cell, "一", 31), true, 2);
        heading->keep_with_next = true;
        pair(&t, cell_lines(&t, t.cell, 30, 40), cell_lines(&t, t.cell, 25, 41), true, 3);
        lay_out(&t);
        learn_baseline(text_from(&t.pages->pages[0], 1, 0), MARGIN_PT);
        size_t p = room_lines == 2 ? 0 : 1;
        double top = p == 0 ? MARGIN_PT + filler * PITCH_PT : MARGIN_PT;
        assert_int_equal(texts_from(&t.pages->pages[p], 30), 1);
        assert_int_equal(texts_from(&t.pages->pages[p], 31), 1);
        assert_true(fabs(first_top(&t, p, 30) - top) < EPS);
        assert_true(fabs(first_top(&t, p, 40) - (top + PITCH_PT)) < EPS);
        assert_true(fabs(first_top(&t, p, 41) - (top + PITCH_PT)) < EPS);
        if (p == 1)
            assert_int_equal(texts_from(&t.pages->pages[0], 40), 0);
        else
            assert_int_equal(texts_from(&t.pages->pages[0], 40), 1);
        assert_lines_in_order(&t, 40, 30);
        assert_lines_in_order(&t, 41, 25);
        t_free(&t);
    }
}

/* ---- alignment ---------------------------------------------------------- */

/* x of the decimal point of TEXT item IT (or where it would follow the
   last digit). */
static double point_x(const WyItem *it)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(it->layout, it->line_index);
    const char *text = pango_layout_get_text(it->layout);
    int start = line->start_index, end = start + line->length, at = end;
    for (int i = start; i < end; i++)
        if (text[i] == '.') {
            at = i;
            break;
        }
    if (at == end)
        for (int i = end; i > start; i--)
            if (text[i - 1] >= '0' && text[i - 1] <= '9') {
                at = i;
                break;
            }
    int x0 = 0, x = 0;
    pango_layout_line_index_to_x(line, start, FALSE, &x0);
    if (at < end)
        pango_layout_line_index_to_x(line, at, FALSE, &x);
    else {
        PangoRectangle logical;
        pango_layout_line_get_extents(line, NULL, &logical);
        x = x0 + logical.width;
    }
    return it->x + (double)(x - x0) / PANGO_SCALE;
}

static void test_decimal_points_line_up(void **state)
{
    (void)state;
    static const char *const values[] = {"1.5", "12.25", "100", "3.125", "0.5", "1,234.5", "7", "-8.75"};
    const int n = (int)(sizeof values / sizeof values[0]);
    T t;
    t_init(&t);
    WyTable *tab = table(&t, 1);
    static const WyColumnKind kinds[] = {WY_COLUMN_FIXED, WY_COLUMN_AUTO};
    static const double widths[] = {80, 0};
    columns(&t, tab, 2, kinds, widths);
    tab->columns[1].align = WY_CELL_ALIGN_DECIMAL;
    WyTableRow *h = row(&t, &tab->header, 2);
    cell(&t, h, "项目", 3);
    cell(&t, h, "得分", 3);
    for (int i = 0; i < n; i++) {
        WyTableRow *r = row(&t, &tab->body, 10 + i);
        cell(&t, r, "项目", 10 + i);
        cell(&t, r, values[i], 100 + i);
    }
    lay_out(&t);
    const WyPage *p = &t.pages->pages[0];
    double x = point_x(text_from(p, 100, 0));
    for (int i = 1; i < n; i++) {
        double xi = point_x(text_from(p, 100 + i, 0));
        if (fabs(xi - x) >= 0.01)
            fail_msg("%s: point at %.3f, %s at %.3f", values[i], xi, values[0], x);
    }
    /* the numbers fit their column: none is pushed against its edges */
    for (int i = 0; i < n; i++) {
        const WyItem *it = text_from(p, 100 + i, 0);
        assert_true(it->x >= MARGIN_PT + 80 + PAD_H_PT - EPS);
    }
    t_free(&t);
}

/* ---- templates ---------------------------------------------------------- */

static WyPages *render_template(const char *tpl, const char *data, WyDiag *d, WyDocument **doc)
{
    *doc = expand_text("table.xml", tpl, data, d);
    if (!*doc)
        return NULL;
    return wy_layout_document(*doc, fonts, d);
}

static const char SCORES[] =
    "<data><scores file=\"scores.csv\">"
    "<row line=\"2\"><n>1</n><名称>个案服务</名称><得分>95.5</得分></row>"
    "<row line=\"3\"><n>2</n><名称>小组活动</名称><得分>88</得分></row>"
    "<row line=\"4\"><n>3</n><名称>社区活动</名称><得分>76.25</得分></row>"
    "</scores></data>";

/* 三线表: a thick rule above and below, a thin one under the header, no
   vertical rules. */
static void test_three_line_preset(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc;
    static const char tpl[] =
        T_HEAD "<sequence><table preset=\"three-line\">"
               "<caption>表1 得分</caption>"
               "<header><row><cell>序号</cell><cell>项目</cell><cell>得分</cell></row></header>"
               "<body><for-each select=\"scores/row\"><row>"
               "<cell><value-of select=\"n\"/></cell><cell><value-of select=\"名称\"/></cell>"
               "<cell><value-of select=\"得分\"/></cell></row></for-each></body>"
               "</table></sequence>" T_TAIL;
    WyPages *pages = render_template(tpl, SCORES, &d, &doc);
    if (!pages)
        fail_msg("%s", wy_buf_str(&d.text));
    assert_int_equal(pages->n_pages, 1);
    const WyPage *p = &pages->pages[0];
    const WyItem *rules[8];
    int n = 0, verticals = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        if (is_horizontal(&p->items[i]) && n < 8)
            rules[n++] = &p->items[i];
        verticals += is_vertical(&p->items[i]);
    }
    assert_int_equal(n, 3);
    assert_int_equal(verticals, 0);
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++)
            if (rules[b]->y < rules[a]->y) {
                const WyItem *tmp = rules[a];
                rules[a] = rules[b];
                rules[b] = tmp;
            }
    assert_true(fabs(rules[0]->stroke_width - 1.5) < 1e-9);
    assert_true(fabs(rules[1]->stroke_width - 0.75) < 1e-9);
    assert_true(fabs(rules[2]->stroke_width - 1.5) < 1e-9);
    /* the thin rule lies between the header and the first row */
    double header_y = 0, first_y = 1e9;
    for (size_t i = 0; i < p->n_items; i++) {
        const WyItem *it = &p->items[i];
        if (it->kind != WY_ITEM_TEXT)
            continue;
        char *s = item_text(it);
        if (strcmp(s, "序号") == 0)
            header_y = it->y;
        if (strcmp(s, "1") == 0)
            first_y = it->y;
        g_free(s);
    }
    assert_true(header_y < rules[1]->y && rules[1]->y < first_y);
    wy_pages_free(pages);
    wy_document_free(doc);
    wy_diag_release(&d);
}

/* A row taller than a page: the error names the row by its number and
   its data line, and the template line that made it. */
static void test_too_tall_row_is_named(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyTable *tab = table(&t, 1);
    cell(&t, row(&t, &tab->header, 2), "表头", 3);
    for (int i = 0; i < 13; i++)
        cell(&t, row(&t, &tab->body, 10), "短", 10);
    WyTableRow *kept = row(&t, &tab->body, 11);
    kept->keep_together = true;
    kept->data_loc = wy_loc("scores.csv", 15, 0);
    cell(&t, kept, han(&t, 30 * 29), 12); /* 30 lines: 424 pt */
    t.pages = wy_layout_document(t.doc, fonts, &t.diag);
    assert_null(t.pages);
    const char *msg = wy_buf_str(&t.diag.text);
    if (!strstr(msg, "scores.csv:15:1: error: row 14 of the table (template t.xml:11) is taller than a page"))
        fail_msg("unexpected: %s", msg);
    t_free(&t);

    /* a splittable row with one line taller than the page */
    t_init(&t);
    tab = table(&t, 1);
    WyStyle *huge = style_new(&t);
    huge->size_pt = 200;
    huge->line_height_pt = 400;
    cell(&t, row(&t, &tab->body, 10), "短", 10);
    WyTableRow *r = row(&t, &tab->body, 11);
    WyTableCell *c = cell(&t, r, NULL, 12);
    c->blocks = para(&t, huge, "巨", 12);
    t.pages = wy_layout_document(t.doc, fonts, &t.diag);
    assert_null(t.pages);
    msg = wy_buf_str(&t.diag.text);
    if (!strstr(msg, "t.xml:11:3: error: row 2 of the table is taller than a page: one of its lines"))
        fail_msg("unexpected: %s", msg);
    t_free(&t);

    /* through a template: the data file and line of the record */
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc;
    static const char tall_data[] =
        "<data><scores file=\"scores.csv\"><row line=\"2\"><v>短</v></row><row line=\"3\"><v>短</v></row>"
        "<row line=\"4\"><v>%s</v></row></scores></data>";
    WyBuf long_text, data;
    wy_buf_init(&long_text);
    wy_buf_init(&data);
    for (int i = 0; i < 2000; i++)
        wy_buf_puts(&long_text, "社会工作");
    wy_buf_printf(&data, tall_data, wy_buf_str(&long_text));
    WyPages *pages = render_template(T_HEAD "<sequence><table split-rows=\"false\"><body>\n"
                                            "<for-each select=\"scores/row\">\n"
                                            "<row><cell><value-of select=\"v\"/></cell></row>\n"
                                            "</for-each></body></table></sequence>" T_TAIL,
                                     wy_buf_str(&data), &d, &doc);
    assert_null(pages);
    msg = wy_buf_str(&d.text);
    if (!strstr(msg, "scores.csv:4:1: error: row 3 of the table (template ") || !strstr(msg, "table.xml:4)"))
        fail_msg("unexpected: %s", msg);
    wy_document_free(doc);
    wy_diag_release(&d);
    wy_buf_release(&long_text);
    wy_buf_release(&data);
}

static void expect_template_error(const char *body, const char *want)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyBuf tpl;
    wy_buf_init(&tpl);
    wy_buf_printf(&tpl, T_HEAD "<sequence>\n%s\n</sequence>" T_TAIL, body);
    WyDocument *doc = expand_text("bad.xml", wy_buf_str(&tpl), "<data/>", &d);
    assert_null(doc);
    if (!strstr(wy_buf_str(&d.text), want))
        fail_msg("expected \"%s\" in: %s", want, wy_buf_str(&d.text));
    wy_buf_release(&tpl);
    wy_diag_release(&d);
}

static void test_template_mistakes(void **state)
{
    (void)state;
    expect_template_error("<table columns=\"auto 2x\"><body/></table>",
                          "bad.xml:3:8: error: columns: \"2x\" is not a column width");
    expect_template_error("<table columns=\"auto\"><column/><body/></table>",
                          "both in columns=\"…\" and in <column> elements");
    expect_template_error("<table><body><row><cell><p>一</p><page-break/></cell></row></body></table>",
                          "a table cell cannot start a new page");
    expect_template_error("<table><body><row><cell>文字<p>一</p></cell></row></body></table>",
                          "this cell holds both text and blocks");
    expect_template_error("<table><body><row><p>一</p></row></body></table>", "bad.xml:3:");   /* schema */
    expect_template_error("<table><body><cell>一</cell></body></table>", "bad.xml:3:");         /* schema */
    expect_template_error("<table><body><row><cell colspan=\"0\"/></row></body></table>", "bad.xml:3:");
}

/* Cells hold inline content or blocks; control elements make rows and
   cells; the caption continues with the default mark. */
static void test_template_rows_and_cells(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc = expand_text(
        "table.xml",
        T_HEAD "<sequence><table preset=\"grid\" width=\"80%\" columns=\"auto 2* 30mm\" zebra=\"#EEEEEE\">"
               "<caption>表2 <span weight=\"bold\">得分</span></caption>"
               "<header><row><cell colspan=\"2\">项目</cell><cell align=\"end\">得分</cell></row></header>"
               "<body><for-each select=\"scores/row\"><row>"
               "<cell><value-of select=\"n\"/></cell>"
               "<if test=\"n = 2\"><cell><p>小组</p><p>活动</p></cell></if>"
               "<if test=\"n != 2\"><cell rowspan=\"1\" background=\"gold\"><value-of select=\"名称\"/></cell></if>"
               "<cell align=\"decimal\"><value-of select=\"得分\"/></cell></row></for-each></body>"
               "<footer repeat=\"true\"><row keep-together=\"true\"><cell colspan=\"3\">合计</cell></row></footer>"
               "</table></sequence>" T_TAIL,
        SCORES, &d);
    if (!doc)
        fail_msg("%s", wy_buf_str(&d.text));
    const WyBox *b = doc->sequences->blocks;
    assert_int_equal(b->kind, WY_BOX_TABLE);
    const WyTable *tab = b->u.table;
    assert_int_equal(tab->n_columns, 3);
    assert_int_equal(tab->columns[0].kind, WY_COLUMN_AUTO);
    assert_int_equal(tab->columns[1].kind, WY_COLUMN_SHARE);
    assert_true(tab->columns[1].value == 2);
    assert_int_equal(tab->columns[2].kind, WY_COLUMN_FIXED);
    assert_true(fabs(tab->columns[2].value - 30 * WY_PT_PER_MM) < 1e-9);
    assert_true(fabs(tab->width_share - 0.8) < 1e-9);
    assert_true(tab->zebra == 0xEEEEEE);
    assert_true(tab->border[0].width_pt == 0.5 && tab->column_rule.width_pt == 0.5);
    assert_string_equal(tab->caption->text, "表2 得分");
    assert_int_equal((int)tab->caption->n_spans, 1);
    assert_string_equal(tab->continued_caption->text, "表2 得分（续）");
    assert_int_equal(tab->header->cells->colspan, 2);
    assert_int_equal(tab->header->cells->next->align, WY_CELL_ALIGN_END);
    int rows = 0;
    for (const WyTableRow *r = tab->body; r; r = r->next, rows++) {
        assert_int_equal(r->data_loc.line, rows + 2);
        assert_string_equal(r->data_loc.file, "scores.csv");
        const WyTableCell *second = r->cells->next;
        if (rows == 1) { /* blocks: two paragraphs */
            assert_int_equal(count_boxes(second->blocks), 2);
        } else {
            assert_int_equal(second->blocks->kind, WY_BOX_PARA);
            assert_true(second->background == 0xC9A227); /* gold */
        }
        assert_int_equal(second->next->align, WY_CELL_ALIGN_DECIMAL);
    }
    assert_int_equal(rows, 3);
    assert_true(tab->repeat_footer && tab->repeat_header);
    assert_true(tab->footer->keep_together);
    /* and it lays out */
    WyPages *pages = wy_layout_document(doc, fonts, &d);
    if (!pages)
        fail_msg("%s", wy_buf_str(&d.text));
    wy_pages_free(pages);
    wy_document_free(doc);
    wy_diag_release(&d);
}

/* ---- scale -------------------------------------------------------------- */

static void test_five_thousand_rows_are_fast(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyTable *tab = table(&t, 1);
    grid_rules(tab, 0.5);
    tab->zebra = 0xF0F0F0;
    WyTableRow *h = row(&t, &tab->header, 2);
    cell(&t, h, "序号", 3);
    cell(&t, h, "单位", 3);
    cell(&t, h, "得分", 3);
    tab->columns = WY_ARENA_ARRAY(&t.doc->arena, WyTableColumn, 3);
    tab->n_columns = 3;
    tab->columns[2] = (WyTableColumn){WY_COLUMN_AUTO, 0, WY_CELL_ALIGN_DECIMAL};
    WyTableRow **tail = &tab->body;
    for (int i = 0; i < 5000; i++) {
        WyTableRow *r = row(&t, tail, 100);
        char *number = wy_arena_alloc(&t.doc->arena, 16);
        snprintf(number, 16, "%d", i + 1);
        cell(&t, r, number, 100);
        cell(&t, r, i % 7 ? "德清县社会工作站" : "德清县武康街道新丰社区社会工作服务站", 100);
        cell(&t, r, i % 3 ? "95.5" : "100", 100);
        tail = &r->next;
    }
    gint64 start = g_get_monotonic_time();
    lay_out(&t);
    double seconds = (double)(g_get_monotonic_time() - start) / 1e6;
    print_message("5000 rows, %zu pages in %.3f s\n", t.pages->n_pages, seconds);
    assert_true(t.pages->n_pages > 250);
    size_t texts = 0;
    for (size_t p = 0; p < t.pages->n_pages; p++)
        texts += (size_t)texts_from(&t.pages->pages[p], 100);
    assert_int_equal(texts, 15000);
#if defined(__SANITIZE_ADDRESS__)
    assert_true(seconds < 30.0);
#else
    assert_true(seconds < 3.0);
#endif
    t_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_widths_share_the_measure),
        cmocka_unit_test(test_auto_widths_that_fit),
        cmocka_unit_test(test_proportional_and_fixed_widths),
        cmocka_unit_test(test_colspan_and_rowspan_geometry),
        cmocka_unit_test(test_header_repeats_on_every_page),
        cmocka_unit_test(test_tall_row_splits_between_lines),
        cmocka_unit_test(test_kept_row_moves_whole),
        cmocka_unit_test(test_one_row_table_starts_where_it_stands),
        cmocka_unit_test(test_tall_pair_splits_between_lines),
        cmocka_unit_test(test_pair_that_fits_moves_whole),
        cmocka_unit_test(test_tall_pair_keeps_widows_and_orphans),
        cmocka_unit_test(test_heading_pair_stays_with_tall_pair),
        cmocka_unit_test(test_decimal_points_line_up),
        cmocka_unit_test(test_three_line_preset),
        cmocka_unit_test(test_too_tall_row_is_named),
        cmocka_unit_test(test_template_mistakes),
        cmocka_unit_test(test_template_rows_and_cells),
        cmocka_unit_test(test_five_thousand_rows_are_fast),
    };
    return cmocka_run_group_tests(tests, fonts_setup, teardown);
}
