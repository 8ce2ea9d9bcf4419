/* Pagination: documents built by hand, laid out, and the pages measured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fsx.h"
#include "data/datatree.h"
#include "data/xmlsrc.h"
#include "expand/box.h"
#include "expand/template.h"
#include "layout/layout.h"
#include "render/render.h"
#include "fonts_support.h"

/* The box module frees a document's images; these tests put none in its
   list. Weak, so the real image module wins when it is linked. */
__attribute__((weak)) void wy_image_free(WyImage *img)
{
    if (!img)
        return;
    free(img->path);
    free(img->bytes);
    free(img);
}

/* A 400 × 400 pt page with 50 pt margins: a 300 × 300 pt type area that
   holds exactly 15 body lines of 20 pt, 30 characters of 10 pt each. */
#define PAGE_PT 400.0
#define MARGIN_PT 50.0
#define MEASURE_PT 300.0
#define PITCH_PT 20.0
#define SIZE_PT 10.0
#define CHARS_PER_LINE 30
#define LINES_PER_PAGE 15
#define EPS 0.01

/* ---- building documents ------------------------------------------------- */

typedef struct T {
    WyDocument *doc;
    WyPageMaster *master;
    WySequence *seq;
    WyBox **tail;            /* where the next body block goes */
    WyStyle *body, *heading;
    WyDiag diag;
    WyPages *pages;
} T;

static WyStyle *style_new(T *t, const char *name)
{
    WyStyle *s = WY_ARENA_NEW(&t->doc->arena, WyStyle);
    s->name = name;
    s->role = "body";
    s->lang = "zh-Hans";
    s->size_pt = SIZE_PT;
    s->line_height_pt = PITCH_PT;
    s->align = WY_ALIGN_JUSTIFY;
    s->color = WY_COLOR_BLACK;
    s->weight = 400;
    s->orphans = s->widows = 2;
    return s;
}

static void t_init(T *t)
{
    memset(t, 0, sizeof *t);
    t->doc = wy_document_new();
    t->master = WY_ARENA_NEW(&t->doc->arena, WyPageMaster);
    t->master->name = "test";
    t->master->width_pt = t->master->height_pt = PAGE_PT;
    t->master->margin_top_pt = t->master->margin_right_pt = MARGIN_PT;
    t->master->margin_bottom_pt = t->master->margin_left_pt = MARGIN_PT;
    t->seq = WY_ARENA_NEW(&t->doc->arena, WySequence);
    t->seq->first = t->seq->rest = t->master;
    t->doc->sequences = t->seq;
    t->tail = &t->seq->blocks;
    t->body = style_new(t, "body");
    t->heading = style_new(t, "heading");
    t->heading->role = "heading";
    t->heading->align = WY_ALIGN_START;
    t->heading->keep_with_next = true;
    wy_diag_init(&t->diag, NULL);
}

static void t_free(T *t)
{
    wy_pages_free(t->pages);
    wy_document_free(t->doc);
    wy_diag_release(&t->diag);
}

static WyBox *box_new(T *t, WyBoxKind kind, int line)
{
    WyBox *b = WY_ARENA_NEW(&t->doc->arena, WyBox);
    b->kind = kind;
    b->loc = wy_loc("issue.xml", line, 5);
    return b;
}

static WyBox *add(T *t, WyBox *b)
{
    *t->tail = b;
    t->tail = &b->next;
    return b;
}

/* N characters of Han text: justified lines of exactly CHARS_PER_LINE. */
static const char *han(T *t, int n)
{
    static const char *const chars[] = {"社", "会", "工", "作", "站", "服", "务", "民", "政", "德"};
    char *s = wy_arena_alloc(&t->doc->arena, (size_t)n * 3 + 1);
    for (int i = 0; i < n; i++)
        memcpy(s + 3 * i, chars[i % 10], 3);
    return s;
}

static WyBox *para(T *t, const WyStyle *style, const char *text, int line)
{
    WyBox *b = box_new(t, WY_BOX_PARA, line);
    b->u.para.style = style;
    b->u.para.text = text;
    return b;
}

/* A body paragraph of exactly N lines. */
static WyBox *lines(T *t, int n, int line)
{
    return para(t, t->body, han(t, (n - 1) * CHARS_PER_LINE + 10), line);
}

static WyBorder border(double w)
{
    WyBorder b = {w, WY_COLOR_BLACK};
    return b;
}

static WyBox *frame(T *t, int line, double edge)
{
    WyBox *f = box_new(t, WY_BOX_FRAME, line);
    f->u.frame.top = f->u.frame.right = f->u.frame.bottom = f->u.frame.left = border(edge);
    f->u.frame.background = WY_COLOR_NONE;
    return f;
}

static void lay_out(T *t)
{
    t->pages = wy_layout_document(t->doc, fonts, &t->diag);
    if (!t->pages)
        fail_msg("layout failed: %s", wy_buf_str(&t->diag.text));
}

/* ---- reading pages ------------------------------------------------------ */

static int count_kind(const WyPage *p, WyItemKind kind)
{
    int n = 0;
    for (size_t i = 0; i < p->n_items; i++)
        n += p->items[i].kind == kind;
    return n;
}

static const WyItem *nth_text(const WyPage *p, int n)
{
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].kind == WY_ITEM_TEXT && n-- == 0)
            return &p->items[i];
    return NULL;
}

static char *item_text(const WyItem *it)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(it->layout, it->line_index);
    return g_strndup(pango_layout_get_text(it->layout) + line->start_index, (gsize)line->length);
}

/* Lines of the block produced at template line LINE on page P. */
static int lines_from(const WyPage *p, int line)
{
    int n = 0;
    for (size_t i = 0; i < p->n_items; i++)
        n += p->items[i].kind == WY_ITEM_TEXT && p->items[i].loc.line == line;
    return n;
}

/* ---- tests -------------------------------------------------------------- */

/* The glyph pango chose for the first occurrence of CH in text item IT. */
/* The first text line of the block from template line LINE on page P. */
static const WyItem *first_line_from(const WyPage *p, int line)
{
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].kind == WY_ITEM_TEXT && p->items[i].loc.line == line)
            return &p->items[i];
    return NULL;
}

static PangoGlyph glyph_of(const WyItem *it, const char *ch)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(it->layout, it->line_index);
    const char *text = pango_layout_get_text(it->layout);
    for (GSList *l = line->runs; l; l = l->next) {
        const PangoGlyphItem *run = l->data;
        for (int g = 0; g < run->glyphs->num_glyphs; g++) {
            const char *at = text + run->item->offset + run->glyphs->log_clusters[g];
            if (strncmp(at, ch, strlen(ch)) == 0)
                return run->glyphs->glyphs[g].glyph;
        }
    }
    return 0;
}

/* writing-mode="vertical-rl": columns as long as the room on the page,
   right to left from the measure's right edge, turned upright by render;
   the block is as tall as its longest column, and the brackets take the
   fonts' vertical forms. */
static void test_vertical_text_is_a_block_of_columns(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyStyle *v = style_new(&t, "vertical");
    v->vertical = true;
    v->align = WY_ALIGN_START;
    add(&t, para(&t, v, "社会工作（第十七期）", 10));
    add(&t, para(&t, t.body, "社会工作（第十七期）", 11));
    add(&t, para(&t, v, han(&t, 45), 12));
    lay_out(&t);
    const WyPage *page = &t.pages->pages[0];
    const WyItem *title = nth_text(page, 0), *body = nth_text(page, 1);
    assert_int_equal(title->rotation, 90);
    assert_float_equal(title->x, MARGIN_PT + MEASURE_PT - PITCH_PT / 2, EPS);
    assert_float_equal(title->y, MARGIN_PT, EPS);
    assert_float_equal(title->h, 10 * SIZE_PT, 0.5);
    /* the next block starts below the column */
    assert_int_equal(body->rotation, 0);
    assert_true(body->y > MARGIN_PT + 10 * SIZE_PT);
    PangoGlyph upright = glyph_of(title, "（"), flat = glyph_of(body, "（");
    assert_true(upright != 0 && flat != 0);
    assert_true(upright != flat);
    assert_int_equal(glyph_of(title, "社"), glyph_of(body, "社"));
    /* 45 characters in columns of 30 (the 300 pt left on a new page) */
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *second = &t.pages->pages[1];
    assert_int_equal(lines_from(second, 12), 2);
    const WyItem *first_column = nth_text(second, 0), *second_column = nth_text(second, 1);
    assert_float_equal(first_column->x, MARGIN_PT + MEASURE_PT - PITCH_PT / 2, EPS);
    assert_float_equal(second_column->x, MARGIN_PT + MEASURE_PT - PITCH_PT * 1.5, EPS);
    assert_float_equal(first_column->h, 30 * SIZE_PT, 0.5);
    t_free(&t);
}

static void test_lines_stay_in_the_type_area(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    t.body->first_indent_pt = 2 * SIZE_PT;
    for (int i = 0; i < 12; i++)
        add(&t, lines(&t, 3 + i % 5, 10 + i));
    lay_out(&t);
    assert_true(t.pages->n_pages >= 3);
    for (size_t p = 0; p < t.pages->n_pages; p++) {
        const WyPage *page = &t.pages->pages[p];
        assert_int_equal(page->number, (int)p + 1);
        assert_true(page->width_pt == PAGE_PT);
        for (size_t i = 0; i < page->n_items; i++) {
            const WyItem *it = &page->items[i];
            assert_int_equal(it->kind, WY_ITEM_TEXT);
            assert_true(it->x >= MARGIN_PT - EPS);
            assert_true(it->x + it->w <= PAGE_PT - MARGIN_PT + 0.5);
            assert_true(it->y - it->h >= MARGIN_PT - it->h); /* baseline below the top edge */
            assert_true(it->y > MARGIN_PT && it->y < PAGE_PT - MARGIN_PT);
        }
        /* full pages hold exactly 15 lines */
        if (p + 1 < t.pages->n_pages)
            assert_true(count_kind(page, WY_ITEM_TEXT) >= LINES_PER_PAGE - 2);
    }
    t_free(&t);
}

static void test_justified_lines_fill_the_measure(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyBox *b = add(&t, para(&t, t.body, "德清县社会工作站以“五社联动”为抓手，聚焦困难群众、特殊群体的服务需求，整合社区、"
                                        "社会组织、社会工作者、社区志愿者和社会慈善资源，累计开展个案服务二百余次，"
                                        "小组活动四十余场，惠及群众两千六百余人次。", 7));
    (void)b;
    lay_out(&t);
    const WyPage *page = &t.pages->pages[0];
    int n = count_kind(page, WY_ITEM_TEXT);
    assert_true(n >= 3);
    for (int i = 0; i < n - 1; i++) {
        const WyItem *it = nth_text(page, i);
        if (fabs(it->x + it->w - (MARGIN_PT + MEASURE_PT)) > 0.5)
            fail_msg("line %d ends at %.2f", i, it->x + it->w);
    }
    t_free(&t);
}

static void test_pitch_is_constant_across_a_page_break(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 10, 1));
    add(&t, lines(&t, 12, 2)); /* 5 lines on page 1, 7 on page 2 */
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    assert_int_equal(lines_from(&t.pages->pages[0], 2), 5);
    assert_int_equal(lines_from(&t.pages->pages[1], 2), 7);
    for (int p = 0; p < 2; p++) {
        const WyPage *page = &t.pages->pages[p];
        int n = count_kind(page, WY_ITEM_TEXT);
        for (int i = 1; i < n; i++)
            assert_true(fabs(nth_text(page, i)->y - nth_text(page, i - 1)->y - PITCH_PT) < EPS);
    }
    /* both pages start on the same grid line */
    assert_true(fabs(nth_text(&t.pages->pages[0], 0)->y - nth_text(&t.pages->pages[1], 0)->y) < EPS);
    const WyItem *last = nth_text(&t.pages->pages[0], LINES_PER_PAGE - 1);
    assert_true(last->y < PAGE_PT - MARGIN_PT && last->y > PAGE_PT - MARGIN_PT - PITCH_PT);
    t_free(&t);
}

static void test_first_line_indent(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    t.body->first_indent_pt = 2 * SIZE_PT;
    add(&t, lines(&t, 3, 1));
    lay_out(&t);
    const WyPage *page = &t.pages->pages[0];
    assert_true(fabs(nth_text(page, 0)->x - nth_text(page, 1)->x - 20) < EPS);
    assert_true(fabs(nth_text(page, 1)->x - MARGIN_PT) < EPS);
    t_free(&t);
}

static void test_widow_moves_the_paragraph(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 13, 1));
    add(&t, lines(&t, 3, 2)); /* 2 lines fit, but that would leave 1 alone */
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    assert_int_equal(lines_from(&t.pages->pages[0], 2), 0);
    assert_int_equal(lines_from(&t.pages->pages[1], 2), 3);
    t_free(&t);
}

static void test_orphan_moves_the_paragraph(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 14, 1));
    add(&t, lines(&t, 6, 2)); /* 1 line fits: an orphan */
    lay_out(&t);
    assert_int_equal(lines_from(&t.pages->pages[0], 2), 0);
    assert_int_equal(lines_from(&t.pages->pages[1], 2), 6);
    t_free(&t);
}

static void test_long_paragraph_splits_respecting_widows(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 10, 1));
    add(&t, lines(&t, 6, 2)); /* 5 fit, 1 would be a widow: 4 + 2 */
    lay_out(&t);
    assert_int_equal(lines_from(&t.pages->pages[0], 2), 4);
    assert_int_equal(lines_from(&t.pages->pages[1], 2), 2);
    t_free(&t);
}

static void test_heading_keeps_with_next(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 13, 1));
    add(&t, para(&t, t.heading, "一、工作成效", 2)); /* fits at line 14 … */
    add(&t, lines(&t, 5, 3));                         /* … but only one line of this would follow */
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    assert_int_equal(lines_from(&t.pages->pages[0], 2), 0);
    assert_int_equal(lines_from(&t.pages->pages[1], 2), 1);
    const WyItem *first = nth_text(&t.pages->pages[1], 0);
    assert_int_equal(first->loc.line, 2);
    char *text = item_text(first);
    assert_string_equal(text, "一、工作成效");
    g_free(text);
    /* with room for two lines after it, it stays */
    T u;
    t_init(&u);
    add(&u, lines(&u, 12, 1));
    add(&u, para(&u, u.heading, "一、工作成效", 2));
    add(&u, lines(&u, 5, 3));
    lay_out(&u);
    assert_int_equal(lines_from(&u.pages->pages[0], 2), 1);
    assert_int_equal(lines_from(&u.pages->pages[0], 3), 2);
    t_free(&u);
    t_free(&t);
}

static void test_space_collapses_and_drops_at_page_top(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyStyle *spaced = style_new(&t, "spaced");
    spaced->space_before_pt = 12;
    spaced->space_after_pt = 8;
    add(&t, para(&t, spaced, "甲", 1));
    add(&t, para(&t, spaced, "乙", 2)); /* max(8, 12) = 12 between */
    WyBox *brk = add(&t, box_new(&t, WY_BOX_PAGE_BREAK, 3));
    (void)brk;
    WyBox *space = add(&t, box_new(&t, WY_BOX_SPACE, 4));
    space->u.space.height_pt = 30;
    add(&t, para(&t, spaced, "丙", 5));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *p1 = &t.pages->pages[0];
    /* the first paragraph's space-before is dropped at the page top */
    double base = nth_text(p1, 0)->y - MARGIN_PT;
    assert_true(base > 0 && base < PITCH_PT);
    assert_true(fabs(nth_text(p1, 1)->y - nth_text(p1, 0)->y - (PITCH_PT + 12)) < EPS);
    /* page 2: the space box and the space-before are dropped too */
    assert_true(fabs(nth_text(&t.pages->pages[1], 0)->y - MARGIN_PT - base) < EPS);
    t_free(&t);
}

static WyPageMaster *footer_master(T *t)
{
    WyStyle *folio = style_new(t, "folio");
    folio->size_pt = 14;
    folio->line_height_pt = 0;
    folio->align = WY_ALIGN_OUTSIDE;
    folio->right_indent_pt = 14; /* odd pages: one character in */
    folio->left_indent_pt = 14;
    WyBox *footer = box_new(t, WY_BOX_PARA, 90);
    footer->u.para.style = folio;
    footer->u.para.text = "—  —";
    WyField *field = WY_ARENA_NEW(&t->doc->arena, WyField);
    field->offset = strlen("— ");
    field->kind = WY_FIELD_PAGE_NUMBER;
    footer->u.para.fields = field;
    footer->u.para.n_fields = 1;
    t->master->footer = footer;
    t->master->footer_gap_pt = 20;
    return t->master;
}

static void test_page_numbers_alternate_sides(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    footer_master(&t);
    for (int i = 0; i < 3; i++)
        add(&t, lines(&t, 15, 1));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 3);
    for (int p = 0; p < 3; p++) {
        const WyPage *page = &t.pages->pages[p];
        const WyItem *folio = NULL;
        for (size_t i = 0; i < page->n_items; i++)
            if (page->items[i].kind == WY_ITEM_TEXT && page->items[i].loc.line == 90)
                folio = &page->items[i];
        assert_non_null(folio);
        char *text = item_text(folio);
        char want[32];
        snprintf(want, sizeof want, "— %d —", p + 1);
        assert_string_equal(text, want);
        g_free(text);
        /* below the type area, footer_gap down */
        assert_true(folio->y > PAGE_PT - MARGIN_PT + 20);
        if ((p + 1) % 2 == 1)
            assert_true(fabs(folio->x + folio->w - (PAGE_PT - MARGIN_PT - 14)) < EPS);
        else
            assert_true(fabs(folio->x - (MARGIN_PT + 14)) < EPS);
    }
    t_free(&t);
}

static void test_page_count_field_and_header_rule(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyStyle *run = style_new(&t, "running");
    run->align = WY_ALIGN_CENTER;
    WyBox *header = box_new(&t, WY_BOX_PARA, 80);
    header->u.para.style = run;
    header->u.para.text = "第页 共页";
    WyField *fields = WY_ARENA_ARRAY(&t.doc->arena, WyField, 2);
    fields[0] = (WyField){strlen("第"), WY_FIELD_PAGE_NUMBER};
    fields[1] = (WyField){strlen("第页 共"), WY_FIELD_PAGE_COUNT};
    header->u.para.fields = fields;
    header->u.para.n_fields = 2;
    t.master->header = header;
    t.master->header_gap_pt = 10;
    t.master->header_rule = border(0.75);
    add(&t, lines(&t, 20, 1));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *p2 = &t.pages->pages[1];
    const WyItem *head = NULL, *rule = NULL;
    for (size_t i = 0; i < p2->n_items; i++) {
        if (p2->items[i].kind == WY_ITEM_TEXT && p2->items[i].loc.line == 80)
            head = &p2->items[i];
        if (p2->items[i].kind == WY_ITEM_LINE)
            rule = &p2->items[i];
    }
    assert_non_null(head);
    char *text = item_text(head);
    assert_string_equal(text, "第2页 共2页");
    g_free(text);
    /* the header's slot ends header_gap above the type area */
    assert_true(head->y < MARGIN_PT - 10 && head->y > MARGIN_PT - 10 - PITCH_PT);
    assert_non_null(rule);
    assert_true(rule->y > MARGIN_PT - 10 && rule->y < MARGIN_PT);
    assert_true(fabs(rule->w - MEASURE_PT) < EPS && rule->stroke_width == 0.75);
    t_free(&t);
}

/* Column of a text item: 0 left, 1 right. */
static int column_of(const WyItem *it)
{
    return it->x < PAGE_PT / 2 ? 0 : 1;
}

static void test_two_columns_balance(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 2, 1));
    WyBox *cols = add(&t, box_new(&t, WY_BOX_COLUMNS, 2));
    cols->u.columns.count = 2;
    cols->u.columns.gap_pt = 20;
    cols->u.columns.balance = true;
    cols->u.columns.separator = border(0.5);
    /* 140 pt columns: 14 characters a line; 4 + 5 = 9 lines */
    WyBox **tail = &cols->children;
    int n_lines[] = {4, 5};
    for (int i = 0; i < 2; i++) {
        WyBox *b = para(&t, t.body, han(&t, (n_lines[i] - 1) * 14 + 5), 20 + i);
        *tail = b;
        tail = &b->next;
    }
    add(&t, lines(&t, 2, 3));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 1);
    const WyPage *page = &t.pages->pages[0];
    double bottom[2] = {0, 0}, top[2] = {1e9, 1e9};
    int count[2] = {0, 0};
    double after_y = 0;
    for (size_t i = 0; i < page->n_items; i++) {
        const WyItem *it = &page->items[i];
        if (it->kind != WY_ITEM_TEXT)
            continue;
        if (it->loc.line == 20 || it->loc.line == 21) {
            int c = column_of(it);
            count[c]++;
            bottom[c] = fmax(bottom[c], it->y);
            top[c] = fmin(top[c], it->y);
            if (it->loc.line == 21 && it != nth_text(page, 2 + 4)) /* not the second paragraph's (indented) first line */
                assert_true(fabs(it->x - (c == 0 ? MARGIN_PT : MARGIN_PT + 160)) < EPS);
        }
        if (it->loc.line == 3 && after_y == 0)
            after_y = it->y;
    }
    assert_int_equal(count[0] + count[1], 9);
    assert_true(fabs(top[0] - top[1]) < EPS);
    assert_true(fabs(bottom[0] - bottom[1]) <= PITCH_PT + EPS);
    /* 5 + 4 would leave the second paragraph's first line alone at the
       foot of the first column: 4 + 5 is the even split the rules allow */
    assert_int_equal(count[0], 4);
    /* the text after the section starts below the longer column */
    assert_true(fabs(after_y - (fmax(bottom[0], bottom[1]) + PITCH_PT)) < EPS);
    /* one separator, as tall as the section */
    assert_int_equal(count_kind(page, WY_ITEM_LINE), 1);
    for (size_t i = 0; i < page->n_items; i++)
        if (page->items[i].kind == WY_ITEM_LINE) {
            assert_true(fabs(page->items[i].x - (MARGIN_PT + 150)) < EPS);
            assert_true(fabs(page->items[i].h - 5 * PITCH_PT) < EPS);
        }
    t_free(&t);
}

static void test_columns_continue_on_the_next_page(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 5, 1));
    WyBox *cols = add(&t, box_new(&t, WY_BOX_COLUMNS, 2));
    cols->u.columns.count = 2;
    cols->u.columns.gap_pt = 20;
    cols->u.columns.balance = true;
    cols->children = para(&t, t.body, han(&t, 29 * 14 + 5), 20); /* 30 lines of 14 characters */
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    /* page 1: 10 lines left under the first paragraph, in two full columns */
    assert_int_equal(lines_from(&t.pages->pages[0], 20), 20);
    /* page 2: the other 10, balanced 5 and 5 */
    const WyPage *p2 = &t.pages->pages[1];
    assert_int_equal(lines_from(p2, 20), 10);
    int left = 0;
    for (size_t i = 0; i < p2->n_items; i++)
        left += p2->items[i].kind == WY_ITEM_TEXT && column_of(&p2->items[i]) == 0;
    assert_int_equal(left, 5);
    t_free(&t);
}

static void test_grid_of_sixteen_cards(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyBox *grid = add(&t, box_new(&t, WY_BOX_GRID, 30));
    grid->u.grid.columns = 4;
    grid->u.grid.gap_pt = 12;
    grid->u.grid.row_gap_pt = 6;
    WyBox **tail = &grid->children;
    static const char *const names[] = {"张三", "李四", "王五", "赵六丰"};
    for (int i = 0; i < 16; i++) {
        WyBox *card = frame(&t, 40 + i, 0.5);
        card->u.frame.background = 0xF2F2F2;
        card->u.frame.padding_pt[0] = card->u.frame.padding_pt[1] = 4;
        card->u.frame.padding_pt[2] = card->u.frame.padding_pt[3] = 4;
        /* one card in each row has a two-line text */
        card->children = para(&t, t.body, i % 4 == 1 ? han(&t, 10) : names[i % 4], 40 + i);
        *tail = card;
        tail = &card->next;
    }
    lay_out(&t);
    const WyPage *page = &t.pages->pages[0];
    assert_int_equal(count_kind(page, WY_ITEM_RECT), 16);
    double width = (MEASURE_PT - 3 * 12) / 4;
    double ys[16];
    int n_rows = 0;
    double row_h = -1;
    for (size_t i = 0; i < page->n_items; i++) {
        const WyItem *it = &page->items[i];
        if (it->kind != WY_ITEM_RECT)
            continue;
        assert_true(fabs(it->w - width) < EPS);
        /* every cell of a row as tall as the two-line one */
        if (row_h < 0)
            row_h = it->h;
        assert_true(fabs(it->h - row_h) < EPS);
        bool seen = false;
        for (int r = 0; r < n_rows; r++)
            seen |= fabs(ys[r] - it->y) < EPS;
        if (!seen)
            ys[n_rows++] = it->y;
    }
    assert_int_equal(n_rows, 4);
    assert_true(fabs(row_h - (2 * PITCH_PT + 8 + 1)) < EPS);
    assert_true(fabs(ys[1] - ys[0] - (row_h + 6)) < EPS);
    t_free(&t);
}

static void test_too_tall_kept_frame_is_an_error(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 3, 1));
    WyBox *f = add(&t, frame(&t, 12, 1));
    f->keep_together = true;
    f->children = lines(&t, 20, 13);
    t.pages = wy_layout_document(t.doc, fonts, &t.diag);
    assert_null(t.pages);
    assert_true(wy_diag_failed(&t.diag));
    const char *msg = wy_buf_str(&t.diag.text);
    assert_non_null(strstr(msg, "issue.xml:12:5: error: this block is taller than a page (402.0 pt > 300.0 pt)"));
    assert_non_null(strstr(msg, "shorten it or allow it to split"));
    t_free(&t);
}

static void test_box_at_foot_ends_its_page(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 3, 1));
    WyBox *f = add(&t, frame(&t, 12, 1));
    f->keep_together = f->at_foot = true;
    f->children = lines(&t, 2, 13);
    add(&t, lines(&t, 2, 20));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *page = &t.pages->pages[0];
    /* the frame's borders: its bottom edge on the type area's bottom */
    double bottom = 0;
    for (size_t i = 0; i < page->n_items; i++)
        if (page->items[i].kind == WY_ITEM_LINE && page->items[i].loc.line == 12)
            bottom = fmax(bottom, page->items[i].y + page->items[i].h);
    assert_true(fabs(bottom - (PAGE_PT - MARGIN_PT)) < 1);
    /* its two lines sit just above it, far below the three before it */
    assert_true(first_line_from(page, 13)->y > PAGE_PT - MARGIN_PT - 3 * PITCH_PT);
    assert_int_equal(lines_from(page, 13), 2);
    /* what follows starts the next page */
    assert_int_equal(lines_from(page, 20), 0);
    assert_int_equal(lines_from(&t.pages->pages[1], 20), 2);
    t_free(&t);
}

static void test_splitting_frame_is_drawn_on_each_page(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 5, 1));
    WyBox *f = add(&t, frame(&t, 12, 1));
    f->u.frame.background = 0xFFF0F0;
    f->u.frame.padding_pt[0] = f->u.frame.padding_pt[2] = 9;
    f->children = para(&t, t.body, han(&t, 24 * 29 + 10), 13); /* 25 lines of 29 inside the borders */
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 3);
    for (int p = 0; p < 2; p++) {
        const WyPage *page = &t.pages->pages[p];
        assert_int_equal(count_kind(page, WY_ITEM_RECT), 1);
        assert_int_equal(count_kind(page, WY_ITEM_LINE), 4);
        const WyItem *bg = &page->items[0];
        if (p == 0)
            bg = &page->items[5]; /* after the first paragraph's lines */
        assert_int_equal(bg->kind, WY_ITEM_RECT);
        assert_true(bg->y + bg->h <= PAGE_PT - MARGIN_PT + EPS);
        /* the text inside clears the top edge and padding */
        const WyItem *inside = NULL;
        for (size_t i = 0; i < page->n_items && !inside; i++)
            if (page->items[i].loc.line == 13)
                inside = &page->items[i];
        assert_non_null(inside);
        assert_true(inside->y - bg->y > 10);
        assert_true(fabs(inside->x - (MARGIN_PT + 1)) < EPS);
    }
    /* page 1: 10 lines of room minus the frame's edges: 9 lines; page 2: 14; page 3: 2 */
    assert_int_equal(lines_from(&t.pages->pages[0], 13), 9);
    assert_int_equal(lines_from(&t.pages->pages[1], 13), 14);
    assert_int_equal(lines_from(&t.pages->pages[0], 13) + lines_from(&t.pages->pages[1], 13) +
                         lines_from(&t.pages->pages[2], 13),
                     25);
    t_free(&t);
}

static void test_outline_points_at_the_page(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 14, 1));
    WyBox *h = add(&t, para(&t, t.heading, "二、典型案例", 2));
    h->bookmark = "二、典型案例";
    h->bookmark_level = 1;
    add(&t, lines(&t, 3, 3));
    WyBox *g = add(&t, box_new(&t, WY_BOX_GRID, 4));
    g->bookmark = "名单";
    g->bookmark_level = 2;
    g->u.grid.columns = 2;
    WyBox *cell = frame(&t, 5, 0);
    cell->children = para(&t, t.body, "张三", 5);
    cell->children->bookmark = "张三";
    cell->children->bookmark_level = 3;
    g->children = cell;
    lay_out(&t);
    assert_int_equal(t.pages->n_outline, 3);
    const WyOutlineEntry *e = &t.pages->outline[0];
    assert_string_equal(e->title, "二、典型案例");
    assert_int_equal(e->level, 1);
    assert_int_equal(e->page_index, 1);
    assert_true(fabs(e->y_pt - MARGIN_PT) < EPS);
    assert_string_equal(t.pages->outline[1].title, "名单");
    assert_int_equal(t.pages->outline[1].page_index, 1);
    assert_true(fabs(t.pages->outline[1].y_pt - (MARGIN_PT + 4 * PITCH_PT)) < EPS);
    assert_string_equal(t.pages->outline[2].title, "张三");
    assert_true(fabs(t.pages->outline[2].y_pt - (MARGIN_PT + 4 * PITCH_PT)) < EPS);
    t_free(&t);
}

static void test_images_scale(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    /* 960 × 480 px at 96 dpi: 720 × 360 pt natural, capped at the measure */
    WyImage wide = {.kind = WY_IMAGE_PNG, .width_px = 960, .height_px = 480, .dpi = 0};
    /* 300 × 600 px at 72 dpi, asked for 200 pt wide: 400 pt tall, scaled to the page */
    WyImage tall = {.kind = WY_IMAGE_JPEG, .width_px = 300, .height_px = 600, .dpi = 72};
    WyBox *a = add(&t, box_new(&t, WY_BOX_IMAGE, 50));
    a->u.image.image = &wide;
    WyPara *caption = WY_ARENA_NEW(&t.doc->arena, WyPara);
    caption->style = t.body;
    caption->text = "图1 社工站揭牌仪式";
    a->u.image.caption = caption;
    WyBox *b = add(&t, box_new(&t, WY_BOX_IMAGE, 51));
    b->u.image.image = &tall;
    b->u.image.width_pt = 200;
    b->u.image.align = WY_ALIGN_CENTER;
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyItem *img = &t.pages->pages[0].items[0];
    assert_int_equal(img->kind, WY_ITEM_IMAGE);
    assert_ptr_equal(img->image, &wide);
    assert_true(fabs(img->w - MEASURE_PT) < EPS && fabs(img->h - 150) < EPS);
    const WyItem *cap = nth_text(&t.pages->pages[0], 0);
    assert_true(cap->y > MARGIN_PT + 150 + 6);
    img = &t.pages->pages[1].items[0];
    assert_true(fabs(img->h - MEASURE_PT) < EPS && fabs(img->w - 150) < EPS);
    assert_true(fabs(img->x - (MARGIN_PT + 75)) < EPS);
    t_free(&t);
}

/* ---- figures ------------------------------------------------------------ */

/* A centred picture W × H pt (pixels at 72 dpi) with an optional one-line
   caption (its 6 pt gap and 20 pt line make the figure 26 pt taller). */
static WyBox *figure(T *t, double w, double h, const char *caption, int line)
{
    WyImage *img = WY_ARENA_NEW(&t->doc->arena, WyImage);
    img->kind = WY_IMAGE_PNG;
    img->width_px = (unsigned)w;
    img->height_px = (unsigned)h;
    img->dpi = 72;
    WyBox *b = box_new(t, WY_BOX_IMAGE, line);
    b->u.image.image = img;
    b->u.image.align = WY_ALIGN_CENTER;
    b->keep_together = true;
    if (caption) {
        WyPara *para = WY_ARENA_NEW(&t->doc->arena, WyPara);
        para->style = t->body;
        para->text = caption;
        b->u.image.caption = para;
    }
    return b;
}

static const WyItem *picture_on(const WyPage *p, const WyBox *fig)
{
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].kind == WY_ITEM_IMAGE && p->items[i].image == fig->u.image.image)
            return &p->items[i];
    return NULL;
}

/* The body lines from template lines 1, 3 and 5, laid out with LINE_GRID_PT
   after a heading of another pitch and a picture: how far the farthest is
   from a whole number of pitches below the first. */
static double worst_grid_offset(double line_grid_pt)
{
    T t;
    t_init(&t);
    t.master->line_grid_pt = line_grid_pt;
    WyStyle *heading = style_new(&t, "h");
    heading->line_height_pt = 31;
    heading->space_before_pt = 7;
    add(&t, lines(&t, 2, 1));
    add(&t, para(&t, heading, han(&t, 6), 2));
    add(&t, lines(&t, 3, 3));
    add(&t, figure(&t, 100, 37, NULL, 4));
    add(&t, lines(&t, 2, 5));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 1);
    const WyPage *page = &t.pages->pages[0];
    double y0 = first_line_from(page, 1)->y, worst = 0;
    for (size_t i = 0; i < page->n_items; i++) {
        const WyItem *it = &page->items[i];
        if (it->kind != WY_ITEM_TEXT || it->loc.line == 2)
            continue;
        double steps = (it->y - y0) / PITCH_PT;
        worst = fmax(worst, fabs(steps - round(steps)) * PITCH_PT);
    }
    assert_true(fabs(y0 - first_line_from(page, 2)->y) > EPS); /* the heading was found */
    t_free(&t);
    return worst;
}

static void test_headings_and_pictures_keep_the_line_grid(void **state)
{
    (void)state;
    assert_true(worst_grid_offset(PITCH_PT) < 0.001);
    /* without a grid the 38 pt heading and 37 pt picture throw it off */
    assert_true(worst_grid_offset(0) > 1);
}

static void test_figure_shrinks_to_fit(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 10, 1));                                  /* 100 pt left … */
    WyBox *fig = add(&t, figure(&t, 300, 125, NULL, 2));        /* … this fits at 80% */
    add(&t, lines(&t, 3, 3));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyItem *img = picture_on(&t.pages->pages[0], fig);
    assert_non_null(img);
    assert_true(fabs(img->w - 240) < EPS && fabs(img->h - 100) < EPS);
    assert_true(fabs(img->x - (MARGIN_PT + 30)) < EPS); /* still centred */
    assert_true(fabs(img->y - (MARGIN_PT + 200)) < EPS);
    assert_int_equal(lines_from(&t.pages->pages[1], 3), 3);
    t_free(&t);

    /* with a caption: 140 pt left for 150 + 26; the picture alone shrinks,
       to 76%, and the caption line follows it */
    t_init(&t);
    add(&t, lines(&t, 8, 1));
    fig = add(&t, figure(&t, 300, 150, "图1 社工站揭牌仪式", 2));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 1);
    img = picture_on(&t.pages->pages[0], fig);
    assert_non_null(img);
    assert_true(fabs(img->w - 228) < EPS && fabs(img->h - 114) < EPS);
    const WyItem *cap = first_line_from(&t.pages->pages[0], 2);
    assert_non_null(cap);
    assert_true(cap->y > img->y + img->h + 6 && cap->y <= img->y + img->h + 6 + PITCH_PT);
    assert_true(cap->y < PAGE_PT - MARGIN_PT);
    t_free(&t);
}

static void test_figure_that_does_not_fit_floats_to_the_next_page(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyBox *header = box_new(&t, WY_BOX_PARA, 80);
    header->u.para.style = t.body;
    header->u.para.text = "德清社工";
    t.master->header = header;
    t.master->header_gap_pt = 10;
    add(&t, lines(&t, 10, 1));
    /* 100 pt left: 176 pt would need 42% */
    WyBox *fig = add(&t, figure(&t, 300, 150, "图2 德清县社会工作发展主要数据", 2));
    fig->space_before_pt = fig->space_after_pt = 10;
    add(&t, lines(&t, 8, 3));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *p1 = &t.pages->pages[0], *p2 = &t.pages->pages[1];
    /* the paragraph after the picture fills page 1, on the line grid, with
       none of the picture's space left behind */
    assert_null(picture_on(p1, fig));
    assert_int_equal(lines_from(p1, 3), 5);
    assert_true(fabs(first_line_from(p1, 3)->y - nth_text(p1, 9)->y - PITCH_PT) < EPS);
    /* page 2: the picture is the first thing under the running head */
    const WyItem *img = &p2->items[0];
    assert_int_equal(img->kind, WY_ITEM_IMAGE);
    assert_ptr_equal(img->image, fig->u.image.image);
    assert_true(fabs(img->y - MARGIN_PT) < EPS && fabs(img->w - MEASURE_PT) < EPS && fabs(img->h - 150) < EPS);
    for (size_t i = 1; i < p2->n_items; i++)
        if (p2->items[i].loc.line == 80)
            assert_true(p2->items[i].y < MARGIN_PT);
        else
            assert_true(p2->items[i].y > img->y + img->h);
    /* then its caption, its space-after, and the rest of the paragraph */
    assert_int_equal(lines_from(p2, 2), 1);
    assert_int_equal(lines_from(p2, 3), 3);
    double rest_top = MARGIN_PT + 150 + 6 + PITCH_PT + 10;
    const WyItem *rest = first_line_from(p2, 3);
    assert_true(rest->y > rest_top && rest->y < rest_top + PITCH_PT);
    t_free(&t);
}

static void test_deferred_figures_keep_their_order(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 10, 1));
    WyBox *first = add(&t, figure(&t, 300, 150, NULL, 2)); /* does not fit */
    add(&t, lines(&t, 2, 3));
    WyBox *second = add(&t, figure(&t, 300, 40, NULL, 4)); /* would fit, but must not pass the first */
    add(&t, lines(&t, 6, 5));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *p1 = &t.pages->pages[0], *p2 = &t.pages->pages[1];
    assert_int_equal(count_kind(p1, WY_ITEM_IMAGE), 0);
    assert_int_equal(lines_from(p1, 3), 2);
    assert_int_equal(lines_from(p1, 5), 3);
    assert_ptr_equal(p2->items[0].image, first->u.image.image);
    assert_ptr_equal(p2->items[1].image, second->u.image.image);
    assert_true(fabs(p2->items[0].y - MARGIN_PT) < EPS);
    assert_true(fabs(p2->items[1].y - (MARGIN_PT + 150)) < EPS);
    assert_int_equal(lines_from(p2, 5), 3);
    assert_true(first_line_from(p2, 5)->y > MARGIN_PT + 190);
    t_free(&t);

    /* alone, the second picture stays where it is */
    t_init(&t);
    add(&t, lines(&t, 12, 3));
    second = add(&t, figure(&t, 300, 40, NULL, 4));
    add(&t, lines(&t, 6, 5));
    lay_out(&t);
    assert_non_null(picture_on(&t.pages->pages[0], second));
    t_free(&t);
}

/* 11 lines, a picture that cannot follow them, a section heading and an
   article title (kept with what follows), then 2 lines: the page could
   hold all of it without the picture. */
static void article_after_figure(T *t, bool bookmarked, WyBox **fig)
{
    add(t, lines(t, 10, 1));
    *fig = add(t, figure(t, 300, 150, NULL, 2));
    add(t, lines(t, 1, 3));
    add(t, para(t, t->heading, "【典型案例】", 6));
    WyBox *title = add(t, para(t, t->heading, "二、德清县社会工作站建设", 4));
    if (bookmarked) {
        title->bookmark = "二、德清县社会工作站建设";
        title->bookmark_level = 1;
    }
    add(t, lines(t, 2, 5));
}

static void test_new_article_flushes_deferred_figures(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyBox *fig;
    article_after_figure(&t, true, &fig);
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *p1 = &t.pages->pages[0], *p2 = &t.pages->pages[1];
    assert_int_equal(lines_from(p1, 3), 1);
    assert_int_equal(lines_from(p1, 6), 0); /* the section heading goes with its article */
    assert_int_equal(lines_from(p1, 4), 0);
    const WyItem *img = &p2->items[0];
    assert_ptr_equal(img->image, fig->u.image.image);
    assert_true(fabs(img->y - MARGIN_PT) < EPS);
    assert_true(first_line_from(p2, 6)->y > img->y + img->h);
    assert_true(first_line_from(p2, 4)->y > first_line_from(p2, 6)->y);
    assert_int_equal(lines_from(p2, 5), 2);
    assert_int_equal(t.pages->n_outline, 1);
    assert_int_equal(t.pages->outline[0].page_index, 1);
    assert_true(fabs(t.pages->outline[0].y_pt - (MARGIN_PT + 150 + PITCH_PT)) < EPS);
    t_free(&t);

    /* no new article: the text runs on under the waiting picture */
    t_init(&t);
    article_after_figure(&t, false, &fig);
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    assert_int_equal(lines_from(&t.pages->pages[0], 4), 1);
    assert_int_equal(lines_from(&t.pages->pages[0], 5), 2);
    assert_ptr_equal(t.pages->pages[1].items[0].image, fig->u.image.image);
    t_free(&t);
}

static void test_page_break_flushes_deferred_figures(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, lines(&t, 10, 1));
    WyBox *first = add(&t, figure(&t, 300, 200, NULL, 2));
    add(&t, lines(&t, 1, 3));
    WyBox *second = add(&t, figure(&t, 300, 150, NULL, 4)); /* waits behind the first */
    add(&t, lines(&t, 1, 5));
    add(&t, box_new(&t, WY_BOX_PAGE_BREAK, 6));
    add(&t, lines(&t, 2, 7));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 3);
    const WyPage *p1 = &t.pages->pages[0], *p2 = &t.pages->pages[1], *p3 = &t.pages->pages[2];
    assert_int_equal(count_kind(p1, WY_ITEM_IMAGE), 0);
    assert_int_equal(count_kind(p1, WY_ITEM_TEXT), 12);
    /* page 2 has room under the first picture, but not for the second (it
       would need 67%), and what follows the break must not pass it */
    assert_int_equal(p2->n_items, 1);
    assert_ptr_equal(p2->items[0].image, first->u.image.image);
    assert_ptr_equal(p3->items[0].image, second->u.image.image);
    assert_true(fabs(p3->items[0].y - MARGIN_PT) < EPS);
    assert_int_equal(lines_from(p3, 7), 2);
    t_free(&t);
}

/* A heading kept with a picture that floats away keeps with the text
   that now follows it: never alone at the page foot. */
static void test_heading_keeps_with_text_when_its_figure_floats(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyStyle *kept = style_new(&t, "kept");
    kept->keep_together = true;
    add(&t, lines(&t, 12, 1));
    add(&t, para(&t, t.heading, "三、经验做法", 2)); /* fits at line 13 … */
    WyBox *fig = add(&t, figure(&t, 300, 150, NULL, 3));
    add(&t, para(&t, kept, han(&t, 3 * 30), 4)); /* … but not with these 3 lines */
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *p2 = &t.pages->pages[1];
    assert_int_equal(lines_from(&t.pages->pages[0], 2), 0);
    assert_ptr_equal(p2->items[0].image, fig->u.image.image);
    assert_true(first_line_from(p2, 2)->y > MARGIN_PT + 150);
    assert_int_equal(lines_from(p2, 4), 3);
    t_free(&t);
}

/* Later pages of another measure set the flow again from the block list:
   a picture already waiting must not come back with it. */
static void test_deferred_figure_survives_a_new_measure(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyPageMaster *rest = WY_ARENA_NEW(&t.doc->arena, WyPageMaster);
    *rest = *t.master;
    rest->margin_left_pt = rest->margin_right_pt = 100; /* 200 pt */
    t.seq->rest = rest;
    WyStyle *kept = style_new(&t, "kept");
    kept->keep_together = true;
    add(&t, lines(&t, 14, 1));
    add(&t, para(&t, t.heading, "三、经验做法", 2));
    WyBox *fig = add(&t, figure(&t, 200, 150, NULL, 3));
    add(&t, para(&t, kept, han(&t, 40), 4)); /* 2 lines at 200 pt */
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    const WyPage *p2 = &t.pages->pages[1];
    assert_int_equal(count_kind(&t.pages->pages[0], WY_ITEM_IMAGE), 0);
    assert_int_equal(count_kind(p2, WY_ITEM_IMAGE), 1);
    assert_ptr_equal(p2->items[0].image, fig->u.image.image);
    assert_true(fabs(p2->items[0].x - 100) < EPS);
    assert_int_equal(lines_from(p2, 2), 1);
    assert_int_equal(lines_from(p2, 4), 2);
    assert_true(first_line_from(p2, 2)->y > MARGIN_PT + 150);
    t_free(&t);
}

static void test_rules(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyBox *r = add(&t, box_new(&t, WY_BOX_RULE, 60));
    r->u.rule.thickness_pt = 3;
    r->u.rule.color = 0xE60012;
    r->u.rule.double_line = true;
    WyBox *s = add(&t, box_new(&t, WY_BOX_RULE, 61));
    s->u.rule.thickness_pt = 1;
    s->u.rule.width_pt = 100;
    s->u.rule.color = WY_COLOR_NONE;
    lay_out(&t);
    const WyPage *page = &t.pages->pages[0];
    assert_int_equal(count_kind(page, WY_ITEM_LINE), 3);
    const WyItem *thick = &page->items[0], *thin = &page->items[1], *short_rule = &page->items[2];
    assert_true(thick->stroke == 0xE60012 && thick->stroke_width == 3 && fabs(thick->w - MEASURE_PT) < EPS);
    assert_true(fabs(thick->y - (MARGIN_PT + 1.5)) < EPS);
    /* 2 pt between the thick line's lower edge and the thin one's upper edge */
    assert_true(fabs((thin->y - thin->stroke_width / 2) - (thick->y + 1.5) - 2) < EPS);
    assert_true(thin->stroke_width < 3);
    assert_true(fabs(short_rule->w - 100) < EPS && short_rule->stroke == WY_COLOR_BLACK);
    assert_true(short_rule->y > thin->y);
    t_free(&t);
}

static void test_later_pages_with_another_measure(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyPageMaster *rest = WY_ARENA_NEW(&t.doc->arena, WyPageMaster);
    *rest = *t.master;
    rest->margin_left_pt = rest->margin_right_pt = 100; /* 200 pt: 20 characters */
    t.seq->rest = rest;
    t.body->first_indent_pt = 20;
    /* 15 lines of 30 on page 1 (the first one 28 after the indent) */
    int total = 28 + 14 * 30 + 140;
    const char *text = han(&t, total);
    add(&t, para(&t, t.body, text, 1));
    add(&t, lines(&t, 2, 2));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    assert_int_equal(lines_from(&t.pages->pages[0], 1), 15);
    const WyPage *p2 = &t.pages->pages[1];
    assert_int_equal(lines_from(p2, 1), 7);
    GString *all = g_string_new(NULL);
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < count_kind(&t.pages->pages[p], WY_ITEM_TEXT); i++) {
            const WyItem *it = nth_text(&t.pages->pages[p], i);
            if (it->loc.line != 1)
                continue;
            if (p == 1) {
                assert_true(fabs(it->x - 100) < EPS); /* no first-line indent again */
                assert_true(it->x + it->w <= 300 + 0.5);
            }
            char *line = item_text(it);
            g_string_append(all, line);
            g_free(line);
        }
    assert_string_equal(all->str, text);
    g_string_free(all, TRUE);
    /* the next paragraph, not begun on page 1, is set at the new measure */
    assert_int_equal(lines_from(p2, 2), 3);
    t_free(&t);
}

static void test_cell_valign_and_too_tall_row(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyBox *grid = add(&t, box_new(&t, WY_BOX_GRID, 30));
    grid->u.grid.columns = 2;
    WyBox *a = frame(&t, 31, 0);
    a->children = para(&t, t.body, han(&t, 2 * 15 + 5), 31); /* 3 lines in a 150 pt cell */
    WyBox *b = frame(&t, 32, 0);
    b->u.frame.valign = WY_VALIGN_BOTTOM;
    b->children = para(&t, t.body, "张三", 32);
    a->next = b;
    WyBox *c = frame(&t, 33, 0);
    c->u.frame.valign = WY_VALIGN_MIDDLE;
    c->children = para(&t, t.body, "李四", 33);
    b->next = c;
    grid->children = a;
    lay_out(&t);
    const WyPage *page = &t.pages->pages[0];
    const WyItem *first = nth_text(page, 0);
    double base = first->y - MARGIN_PT;
    for (size_t i = 0; i < page->n_items; i++) {
        const WyItem *it = &page->items[i];
        if (it->loc.line == 32) /* bottom of a 3-line row */
            assert_true(fabs(it->y - (MARGIN_PT + 2 * PITCH_PT + base)) < EPS);
        if (it->loc.line == 33) /* alone in the second row: nothing to centre in */
            assert_true(fabs(it->y - (MARGIN_PT + 3 * PITCH_PT + base)) < EPS);
    }
    t_free(&t);

    /* a cell taller than the page is named in the error */
    t_init(&t);
    grid = add(&t, box_new(&t, WY_BOX_GRID, 30));
    grid->u.grid.columns = 2;
    a = frame(&t, 31, 0);
    a->children = para(&t, t.body, "张三", 31);
    b = frame(&t, 32, 0);
    b->children = para(&t, t.body, han(&t, 20 * 15), 32); /* 20 lines in a 150 pt cell */
    a->next = b;
    grid->children = a;
    t.pages = wy_layout_document(t.doc, fonts, &t.diag);
    assert_null(t.pages);
    assert_non_null(strstr(wy_buf_str(&t.diag.text), "issue.xml:32:5: error: this block is taller than a page (400.0 pt > 300.0 pt)"));
    t_free(&t);
}

static void test_kept_paragraph_moves_whole(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyStyle *kept = style_new(&t, "kept");
    kept->keep_together = true;
    add(&t, lines(&t, 10, 1));
    add(&t, para(&t, kept, han(&t, 6 * 30), 2)); /* 6 lines: 5 would fit */
    lay_out(&t);
    assert_int_equal(lines_from(&t.pages->pages[0], 2), 0);
    assert_int_equal(lines_from(&t.pages->pages[1], 2), 6);
    t_free(&t);
}

static void test_page_break(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    add(&t, box_new(&t, WY_BOX_PAGE_BREAK, 1)); /* at the very top: no blank page */
    add(&t, lines(&t, 2, 2));
    add(&t, box_new(&t, WY_BOX_PAGE_BREAK, 3));
    add(&t, lines(&t, 2, 4));
    add(&t, box_new(&t, WY_BOX_PAGE_BREAK, 5)); /* at the very end: no blank page */
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 2);
    assert_int_equal(lines_from(&t.pages->pages[0], 2), 2);
    assert_int_equal(lines_from(&t.pages->pages[1], 4), 2);
    t_free(&t);
}

/* Containers inside containers: every line is set exactly once, inside
   the type area. */
static void test_nested_containers(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    WyBox *cols = add(&t, box_new(&t, WY_BOX_COLUMNS, 1));
    cols->u.columns.count = 2;
    cols->u.columns.gap_pt = 20;
    cols->u.columns.balance = true;
    /* a bordered frame that splits across the columns and the pages */
    WyBox *f = frame(&t, 2, 1);
    f->children = para(&t, t.body, han(&t, 40 * 13), 3); /* 40 lines of 13 */
    /* then a grid and, nested, another column section (set as one block) */
    WyBox *grid = box_new(&t, WY_BOX_GRID, 4);
    grid->u.grid.columns = 2;
    WyBox *cell = frame(&t, 5, 0.5);
    cell->children = para(&t, t.body, "张三", 5);
    grid->children = cell;
    f->next = grid;
    WyBox *inner = box_new(&t, WY_BOX_COLUMNS, 6);
    inner->u.columns.count = 2;
    inner->u.columns.balance = true;
    inner->children = para(&t, t.body, han(&t, 4 * 7), 7); /* 4 lines of 7 */
    grid->next = inner;
    cols->children = f;
    /* a kept frame holding a column section, in a header */
    WyBox *kept = add(&t, frame(&t, 8, 0));
    kept->keep_together = true;
    WyBox *kept_cols = box_new(&t, WY_BOX_COLUMNS, 9);
    kept_cols->u.columns.count = 3;
    kept_cols->u.columns.balance = true;
    kept_cols->children = para(&t, t.body, han(&t, 9 * 10), 10); /* 9 lines of 10 */
    kept->children = kept_cols;
    lay_out(&t);
    int by_line[11] = {0};
    for (size_t p = 0; p < t.pages->n_pages; p++) {
        const WyPage *page = &t.pages->pages[p];
        for (size_t i = 0; i < page->n_items; i++) {
            const WyItem *it = &page->items[i];
            if (it->kind != WY_ITEM_TEXT)
                continue;
            assert_true(it->loc.line >= 0 && it->loc.line <= 10);
            by_line[it->loc.line]++;
            assert_true(it->x >= MARGIN_PT - EPS && it->x + it->w <= PAGE_PT - MARGIN_PT + 0.5);
            assert_true(it->y > MARGIN_PT && it->y < PAGE_PT - MARGIN_PT);
        }
    }
    assert_int_equal(by_line[3], 40);
    assert_int_equal(by_line[5], 1);
    assert_int_equal(by_line[7], 4);
    assert_int_equal(by_line[10], 9);
    /* 40 lines in 140 pt columns of 15 lines, less the frame's edges: two pages */
    assert_int_equal(t.pages->n_pages, 2);
    t_free(&t);
}

static void test_page_cap(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    for (int i = 0; i <= WY_MAX_PAGES; i++) {
        WyBox *r = add(&t, box_new(&t, WY_BOX_RULE, 100));
        r->u.rule.thickness_pt = 1;
        add(&t, box_new(&t, WY_BOX_PAGE_BREAK, 101));
    }
    t.pages = wy_layout_document(t.doc, fonts, &t.diag);
    assert_null(t.pages);
    assert_non_null(strstr(wy_buf_str(&t.diag.text), "more than 20000 pages"));
    t_free(&t);
}

static void test_hundred_pages_are_fast(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    footer_master(&t);
    t.body->first_indent_pt = 20;
    for (int i = 0; i < 300; i++) {
        if (i % 10 == 0)
            add(&t, para(&t, t.heading, "三、经验做法", 1000 + i));
        add(&t, lines(&t, 5, 2000 + i));
    }
    gint64 start = g_get_monotonic_time();
    lay_out(&t);
    double seconds = (double)(g_get_monotonic_time() - start) / 1e6;
    print_message("%zu pages in %.3f s\n", t.pages->n_pages, seconds);
    assert_true(t.pages->n_pages >= 100);
#if defined(__SANITIZE_ADDRESS__)
    assert_true(seconds < 10.0);
#else
    assert_true(seconds < 1.0);
#endif
    t_free(&t);
}

/* ---- streaming ------------------------------------------------------------ */

/* Checks each streamed page against the same page laid out the usual way. */
typedef struct Compare {
    const WyPages *kept;
    int seen;
    int stop_at;             /* the sink refuses this page; -1 never */
    WyDiag *diag;
} Compare;

static void assert_same_item(const WyItem *a, const WyItem *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_true(a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h);
    assert_int_equal(a->line_index, b->line_index);
    assert_int_equal(a->loc.line, b->loc.line);
    if (a->kind == WY_ITEM_TEXT) {
        char *ta = item_text(a), *tb = item_text(b);
        assert_string_equal(ta, tb);
        g_free(ta);
        g_free(tb);
    }
}

static bool compare_page(void *ctx, const WyPage *page, int index)
{
    Compare *c = ctx;
    assert_int_equal(index, c->seen);
    c->seen++;
    if (index == c->stop_at) {
        wy_diag_io_error(c->diag, wy_loc("out.pdf", 0, 0), "the disk is full");
        return false;
    }
    assert_true((size_t)index < c->kept->n_pages);
    const WyPage *want = &c->kept->pages[index];
    assert_int_equal(page->number, want->number);
    assert_true(page->width_pt == want->width_pt && page->height_pt == want->height_pt);
    assert_int_equal(page->n_items, want->n_items);
    for (size_t i = 0; i < page->n_items; i++)
        assert_same_item(&page->items[i], &want->items[i]);
    return true;
}

/* Headings with bookmarks, a picture that floats, columns, a frame split
   across pages and a footer with the page number: streamed, every page
   is item for item the page laid out whole, and the outline the same. */
static void test_streamed_pages_are_the_kept_pages(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    footer_master(&t);
    WyImage tall = {.kind = WY_IMAGE_JPEG, .width_px = 300, .height_px = 400, .dpi = 72};
    for (int i = 0; i < 6; i++) {
        WyBox *h = add(&t, para(&t, t.heading, "二、典型案例", 10 * i + 1));
        h->bookmark = "二、典型案例";
        h->bookmark_level = 1;
        add(&t, lines(&t, 9, 10 * i + 2));
        WyBox *fig = add(&t, box_new(&t, WY_BOX_IMAGE, 10 * i + 3));
        fig->u.image.image = &tall;
        WyBox *cols = add(&t, box_new(&t, WY_BOX_COLUMNS, 10 * i + 4));
        cols->u.columns.count = 2;
        cols->u.columns.gap_pt = 20;
        cols->u.columns.balance = true;
        cols->children = lines(&t, 12, 10 * i + 5);
        WyBox *f = add(&t, frame(&t, 10 * i + 6, 1));
        f->children = lines(&t, 20, 10 * i + 7);
    }
    lay_out(&t);
    assert_true(t.pages->n_pages >= 10);

    Compare c = {.kept = t.pages, .stop_at = -1, .diag = &t.diag};
    WyPageSink sink = {.page = compare_page, .ctx = &c};
    WyPages *rest = wy_layout_document_streamed(t.doc, fonts, &sink, &t.diag);
    assert_non_null(rest);
    assert_int_equal(c.seen, (int)t.pages->n_pages);
    assert_int_equal(rest->n_streamed, t.pages->n_pages);
    assert_int_equal(rest->n_pages, 0);
    assert_int_equal(rest->n_outline, t.pages->n_outline);
    assert_int_equal(rest->n_outline, 6);
    for (size_t i = 0; i < rest->n_outline; i++) {
        assert_string_equal(rest->outline[i].title, t.pages->outline[i].title);
        assert_int_equal(rest->outline[i].page_index, t.pages->outline[i].page_index);
        assert_true(rest->outline[i].y_pt == t.pages->outline[i].y_pt);
    }
    wy_pages_free(rest);
    t_free(&t);
}

/* The sink's error ends the layout at once: no page after it is set. */
static void test_a_failing_sink_stops_the_layout(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    for (int i = 0; i < 5; i++)
        add(&t, lines(&t, 15, i + 1));
    lay_out(&t);
    assert_int_equal(t.pages->n_pages, 5);
    Compare c = {.kept = t.pages, .stop_at = 1, .diag = &t.diag};
    WyPageSink sink = {.page = compare_page, .ctx = &c};
    assert_null(wy_layout_document_streamed(t.doc, fonts, &sink, &t.diag));
    assert_int_equal(c.seen, 2);
    assert_non_null(strstr(wy_buf_str(&t.diag.text), "the disk is full"));
    t_free(&t);
}

/* A page-count field in a footer, even in a table cell, needs every page
   first; a page number does not, nor a page count in the body. */
static void test_page_count_needs_every_page(void **state)
{
    (void)state;
    T t;
    t_init(&t);
    footer_master(&t);
    WyBox *body = add(&t, lines(&t, 3, 1));
    WyField *count = WY_ARENA_NEW(&t.doc->arena, WyField);
    *count = (WyField){0, WY_FIELD_PAGE_COUNT};
    body->u.para.fields = count;
    body->u.para.n_fields = 1;
    assert_false(wy_layout_needs_page_count(t.doc));

    WyBox *table = box_new(&t, WY_BOX_TABLE, 91);
    WyTable *tab = WY_ARENA_NEW(&t.doc->arena, WyTable);
    WyTableRow *row = WY_ARENA_NEW(&t.doc->arena, WyTableRow);
    WyTableCell *cell = WY_ARENA_NEW(&t.doc->arena, WyTableCell);
    cell->blocks = para(&t, t.body, "共页", 91);
    row->cells = cell;
    tab->body = row;
    table->u.table = tab;
    t.master->footer->next = table;
    assert_false(wy_layout_needs_page_count(t.doc));
    cell->blocks->u.para.fields = count;
    cell->blocks->u.para.n_fields = 1;
    assert_true(wy_layout_needs_page_count(t.doc));
    t_free(&t);
}

/* The sample bulletin, written streamed and written whole: the same bytes. */
typedef struct PdfSink {
    WyPdfWriter *writer;
    WyDiag *diag;
} PdfSink;

static bool pdf_page(void *ctx, const WyPage *page, int index)
{
    PdfSink *sink = ctx;
    assert_int_equal(wy_pdf_writer_page_count(sink->writer), (size_t)index);
    return wy_pdf_writer_add_page(sink->writer, page, sink->diag);
}

static void read_bytes(const char *path, WyBuf *out)
{
    WyDiag d;
    wy_diag_init(&d, stderr);
    wy_buf_init(out);
    assert_true(wy_fsx_read(path, 64u << 20, out, &d));
    wy_diag_release(&d);
}

static void test_streamed_bulletin_is_byte_identical(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, stderr);
    wy_xml_init();
    WyTemplate *tmpl = wy_template_load("templates/bulletin.xml", "templates/wenyin.rng", &d);
    assert_non_null(tmpl);
    xmlDocPtr data = wy_data_new();
    assert_true(wy_data_add(data, "issue", "samples/bulletin/issue.xml", &d));
    assert_true(wy_data_add(data, "articles", "samples/bulletin/articles", &d));
    assert_true(wy_data_add(data, "stations", "samples/bulletin/stations.csv", &d));
    assert_true(wy_data_add(data, "talents", "samples/bulletin/talents.csv", &d));
    WyDocument *doc = wy_template_expand(tmpl, data, &d);
    assert_non_null(doc);
    assert_false(wy_layout_needs_page_count(doc));

    char dir[] = "/tmp/wy-page-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char whole_path[64], streamed_path[64];
    snprintf(whole_path, sizeof whole_path, "%s/whole.pdf", dir);
    snprintf(streamed_path, sizeof streamed_path, "%s/streamed.pdf", dir);
    WyRenderOptions opt = {.creation_time = 1679356800};

    WyPages *pages = wy_layout_document(doc, fonts, &d);
    assert_non_null(pages);
    assert_true(pages->n_pages >= 4 && pages->n_outline >= 4);
    assert_true(wy_render_pdf(pages, &opt, whole_path, &d));

    WyPdfWriter *w = wy_pdf_writer_open(streamed_path, &doc->meta, &opt, &d);
    assert_non_null(w);
    PdfSink ctx = {w, &d};
    WyPageSink sink = {.page = pdf_page, .ctx = &ctx};
    WyPages *rest = wy_layout_document_streamed(doc, fonts, &sink, &d);
    assert_non_null(rest);
    assert_int_equal(rest->n_streamed, pages->n_pages);
    assert_true(wy_pdf_writer_finish(w, rest->outline, rest->n_outline, &d));
    if (wy_diag_failed(&d))
        fail_msg("%s", wy_buf_str(&d.text));

    WyBuf whole, streamed;
    read_bytes(whole_path, &whole);
    read_bytes(streamed_path, &streamed);
    assert_true(whole.len > 10000);
    assert_int_equal(whole.len, streamed.len);
    assert_memory_equal(whole.data, streamed.data, whole.len);
    wy_buf_release(&whole);
    wy_buf_release(&streamed);
    unlink(whole_path);
    unlink(streamed_path);
    rmdir(dir);
    wy_pages_free(rest);
    wy_pages_free(pages);
    wy_document_free(doc);
    xmlFreeDoc(data);
    wy_template_free(tmpl);
    wy_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_stay_in_the_type_area),
        cmocka_unit_test(test_justified_lines_fill_the_measure),
        cmocka_unit_test(test_pitch_is_constant_across_a_page_break),
        cmocka_unit_test(test_first_line_indent),
        cmocka_unit_test(test_headings_and_pictures_keep_the_line_grid),
        cmocka_unit_test(test_widow_moves_the_paragraph),
        cmocka_unit_test(test_orphan_moves_the_paragraph),
        cmocka_unit_test(test_long_paragraph_splits_respecting_widows),
        cmocka_unit_test(test_heading_keeps_with_next),
        cmocka_unit_test(test_space_collapses_and_drops_at_page_top),
        cmocka_unit_test(test_page_numbers_alternate_sides),
        cmocka_unit_test(test_page_count_field_and_header_rule),
        cmocka_unit_test(test_two_columns_balance),
        cmocka_unit_test(test_columns_continue_on_the_next_page),
        cmocka_unit_test(test_grid_of_sixteen_cards),
        cmocka_unit_test(test_too_tall_kept_frame_is_an_error),
        cmocka_unit_test(test_box_at_foot_ends_its_page),
        cmocka_unit_test(test_splitting_frame_is_drawn_on_each_page),
        cmocka_unit_test(test_outline_points_at_the_page),
        cmocka_unit_test(test_images_scale),
        cmocka_unit_test(test_figure_shrinks_to_fit),
        cmocka_unit_test(test_figure_that_does_not_fit_floats_to_the_next_page),
        cmocka_unit_test(test_deferred_figures_keep_their_order),
        cmocka_unit_test(test_new_article_flushes_deferred_figures),
        cmocka_unit_test(test_page_break_flushes_deferred_figures),
        cmocka_unit_test(test_heading_keeps_with_text_when_its_figure_floats),
        cmocka_unit_test(test_deferred_figure_survives_a_new_measure),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_later_pages_with_another_measure),
        cmocka_unit_test(test_cell_valign_and_too_tall_row),
        cmocka_unit_test(test_kept_paragraph_moves_whole),
        cmocka_unit_test(test_page_break),
        cmocka_unit_test(test_nested_containers),
        cmocka_unit_test(test_page_cap),
        cmocka_unit_test(test_hundred_pages_are_fast),
        cmocka_unit_test(test_streamed_pages_are_the_kept_pages),
        cmocka_unit_test(test_a_failing_sink_stops_the_layout),
        cmocka_unit_test(test_page_count_needs_every_page),
        cmocka_unit_test(test_streamed_bulletin_is_byte_identical),
        cmocka_unit_test(test_vertical_text_is_a_block_of_columns),
    };
    return cmocka_run_group_tests(tests, fonts_setup, fonts_teardown);
}
