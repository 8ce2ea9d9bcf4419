/* Chinese typesetting rules (CJK.md §1–§5): the character classes and
   per-paragraph analysis of layout/cjk, and their effect on layouts made
   by layout/para with the real fonts: prohibitions over every sample
   article at several widths, punctuation compression, Han–Latin gaps,
   justification, 孤字, the line grid and the first-line indent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/tree.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/datatree.h"
#include "data/markdown.h"
#include "layout/cjk.h"
#include "layout/fonts.h"
#include "layout/para.h"
#include "fonts_support.h"

#define SIZE_PT 16.0
#define EM (SIZE_PT)
#define ARTICLES "samples/bulletin/articles"

static WyDiag diag;
/* The body paragraphs of every sample article, loaded once. */
static GPtrArray *sample_paragraphs;

static void collect_paragraphs(const xmlNode *node)
{
    for (const xmlNode *n = node; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || xmlStrEqual(n->name, BAD_CAST "translation")) /* the Chinese only */
            continue;
        if (xmlStrEqual(n->name, BAD_CAST "p") || xmlStrEqual(n->name, BAD_CAST "h") ||
            xmlStrEqual(n->name, BAD_CAST "title") || xmlStrEqual(n->name, BAD_CAST "subtitle")) {
            xmlChar *text = xmlNodeGetContent(n);
            if (text && *text)
                g_ptr_array_add(sample_paragraphs, g_strdup((const char *)text));
            xmlFree(text);
            continue;
        }
        collect_paragraphs(n->children);
    }
}

static int setup(void **state)
{
    (void)state;
    wy_diag_init(&diag, stderr);
    fonts = wy_fonts_new("fonts/fonts.conf", &diag);
    if (!fonts)
        return -1;
    xmlDocPtr doc = wy_data_new();
    if (!wy_markdown_load_dir(xmlDocGetRootElement(doc), "articles", ARTICLES, &diag))
        return -1;
    sample_paragraphs = g_ptr_array_new_with_free_func(g_free);
    collect_paragraphs(xmlDocGetRootElement(doc));
    xmlFreeDoc(doc);
    return sample_paragraphs->len >= 40 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    g_ptr_array_free(sample_paragraphs, TRUE);
    wy_fonts_free(fonts);
    wy_diag_release(&diag);
    return 0;
}

static WyStyle body_style(WyAlign align)
{
    WyStyle s = {0};
    s.name = "body";
    s.role = "body";
    s.lang = "zh-Hans";
    s.size_pt = SIZE_PT;
    s.line_height_pt = 28.0;
    s.align = align;
    s.color = WY_COLOR_BLACK;
    s.weight = 400;
    return s;
}

static void lay_out(const WyStyle *style, const char *text, double width, WyParaLayout *out)
{
    WyPara p = {0};
    p.style = style;
    p.text = text;
    assert_true(wy_para_layout(para_ctx, &p, width, NULL, wy_loc("t.xml", 1, 1), &diag, out));
}

/* ---- pure rules ----------------------------------------------------------- */

static unsigned flags_at(const WyCjkText *t, const char *text, const char *at)
{
    const WyCjkChar *c = wy_cjk_text_at(t, (size_t)(strstr(text, at) - text));
    assert_non_null(c);
    return c->flags;
}

static void test_classes(void **state)
{
    (void)state;
    assert_int_equal(wy_cjk_class(0x793E /* 社 */), WY_CJK_IDEOGRAPH);
    assert_int_equal(wy_cjk_class('P'), WY_CJK_LATIN);
    assert_int_equal(wy_cjk_class('7'), WY_CJK_LATIN);
    assert_int_equal(wy_cjk_class(0xFF17 /* ７ */), WY_CJK_OTHER);
    assert_int_equal(wy_cjk_class(' '), WY_CJK_SPACE);
    assert_int_equal(wy_cjk_class(0x300A /* 《 */), WY_CJK_OPENING);
    assert_int_equal(wy_cjk_class(0x201D /* ” */), WY_CJK_CLOSING);
    assert_int_equal(wy_cjk_class(0x3002 /* 。 */), WY_CJK_STOP);
    assert_int_equal(wy_cjk_class(0x00B7 /* · */), WY_CJK_MIDDLE);
    assert_int_equal(wy_cjk_class(0x2026 /* … */), WY_CJK_DASH);
    const gunichar no_start[] = {0x3001, 0xFF0C, 0x3002, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0xFF09, 0xFF3D,
                                 0xFF5D, 0x3015, 0x3017, 0x3011, 0x3009, 0x300B, 0x300D, 0x300F, 0x201D, 0x2019,
                                 0x2013, 0xFF5E, 0x00B7, 0x30FB, 0x2026, 0xFF0F};
    for (size_t i = 0; i < sizeof no_start / sizeof no_start[0]; i++)
        assert_true(wy_cjk_no_start(no_start[i]));
    const gunichar no_end[] = {0xFF08, 0xFF3B, 0xFF5B, 0x3014, 0x3016, 0x3010, 0x3008, 0x300A, 0x300C, 0x300E,
                               0x201C, 0x2018};
    for (size_t i = 0; i < sizeof no_end / sizeof no_end[0]; i++)
        assert_true(wy_cjk_no_end(no_end[i]));
    assert_false(wy_cjk_no_start(0x793E));
    assert_false(wy_cjk_no_start(0x2014 /* — may start a line */));
    assert_false(wy_cjk_no_end(0x3002));
    assert_true(wy_cjk_is_unit(0x5E74 /* 年 */));
    assert_false(wy_cjk_is_unit(0x793E));
}

static void test_analysis(void **state)
{
    (void)state;
    const char *text = "“幸福·吾社”。」《「社（）社工用PDF排版，2023年增1.6万元，达90%。";
    WyCjkText t;
    wy_cjk_analyse(text, strlen(text), WY_PUNCT_COMPRESSED, true, &t);
    assert_int_equal(t.n_chars, g_utf8_strlen(text, -1));
    /* pairs: the mark whose blank half faces the other is compressed */
    assert_true(flags_at(&t, text, "”") & WY_CJK_HALT);
    assert_true(flags_at(&t, text, "。」") & WY_CJK_HALT);
    assert_true(flags_at(&t, text, "」《") & WY_CJK_HALT);
    assert_false(flags_at(&t, text, "《") & WY_CJK_HALT); /* its blank faces 」, which gave up its own */
    assert_true(flags_at(&t, text, "「") & WY_CJK_HALT);
    assert_false(flags_at(&t, text, "（") & WY_CJK_HALT); /* （） face away from each other */
    assert_false(flags_at(&t, text, "）") & WY_CJK_HALT);
    assert_false(flags_at(&t, text, "，2023") & WY_CJK_HALT);
    /* breaks */
    assert_true(flags_at(&t, text, "·") & WY_CJK_GLUE);
    assert_true(flags_at(&t, text, "年增") & WY_CJK_GLUE);
    assert_false(flags_at(&t, text, "增") & WY_CJK_GLUE);
    assert_true(flags_at(&t, text, ".6") & WY_CJK_GLUE);
    assert_true(flags_at(&t, text, "万元") & WY_CJK_GLUE);
    assert_true(flags_at(&t, text, "元，") & WY_CJK_GLUE);
    assert_true(flags_at(&t, text, "%") & WY_CJK_GLUE);
    assert_false(flags_at(&t, text, "2023") & WY_CJK_GLUE);
    /* gaps on the ideograph's side */
    assert_int_equal(flags_at(&t, text, "用") & (WY_CJK_GAP_BEFORE | WY_CJK_GAP_AFTER), WY_CJK_GAP_AFTER);
    assert_int_equal(flags_at(&t, text, "排") & (WY_CJK_GAP_BEFORE | WY_CJK_GAP_AFTER), WY_CJK_GAP_BEFORE);
    assert_true(flags_at(&t, text, "年增") & WY_CJK_GAP_BEFORE);
    assert_false(flags_at(&t, text, "，2023") & (WY_CJK_GAP_BEFORE | WY_CJK_GAP_AFTER));
    assert_null(wy_cjk_text_at(&t, 1)); /* inside “ */
    /* quotation marks are brackets: a break before “ and after ” */
    assert_false(flags_at(&t, text, "“幸") & WY_CJK_BREAK); /* nothing before it */
    assert_false(flags_at(&t, text, "。」") & WY_CJK_BREAK); /* ” before a stop stays */
    wy_cjk_text_release(&t);
    const char *quotes = "整合“五社联动”资源，‘双工’阵地，“‘武’治”（一）";
    wy_cjk_analyse(quotes, strlen(quotes), WY_PUNCT_COMPRESSED, true, &t);
    assert_true(flags_at(&t, quotes, "“五") & WY_CJK_BREAK);
    assert_false(flags_at(&t, quotes, "五") & WY_CJK_BREAK);
    assert_true(flags_at(&t, quotes, "资") & WY_CJK_BREAK);
    assert_true(flags_at(&t, quotes, "‘双") & WY_CJK_BREAK);
    assert_true(flags_at(&t, quotes, "“‘") & WY_CJK_BREAK);
    assert_false(flags_at(&t, quotes, "‘武") & WY_CJK_BREAK);
    assert_true(flags_at(&t, quotes, "（") & WY_CJK_BREAK);
    assert_false(flags_at(&t, quotes, "，“") & WY_CJK_BREAK);
    wy_cjk_text_release(&t);

    wy_cjk_analyse(text, strlen(text), WY_PUNCT_FULL_WIDTH, true, &t);
    for (size_t i = 0; i < t.n_chars; i++)
        assert_false(t.chars[i].flags & WY_CJK_HALT);
    wy_cjk_text_release(&t);
    wy_cjk_analyse(text, strlen(text), WY_PUNCT_HALF_WIDTH, true, &t);
    assert_true(flags_at(&t, text, "（") & WY_CJK_HALT);
    assert_true(flags_at(&t, text, "，2023") & WY_CJK_HALT);
    wy_cjk_text_release(&t);
    /* full-width digits, which pango breaks between, stay together too */
    const char *wide = "共２０２３年";
    wy_cjk_analyse(wide, strlen(wide), WY_PUNCT_COMPRESSED, true, &t);
    assert_false(t.chars[1].flags & WY_CJK_GLUE);
    for (size_t i = 2; i < t.n_chars; i++)
        assert_true(t.chars[i].flags & WY_CJK_GLUE);
    wy_cjk_text_release(&t);
    /* Latin paragraphs keep the break rules only */
    wy_cjk_analyse(text, strlen(text), WY_PUNCT_COMPRESSED, false, &t);
    assert_false(flags_at(&t, text, "。」") & WY_CJK_HALT);
    assert_false(flags_at(&t, text, "用") & WY_CJK_GAP_AFTER);
    assert_true(flags_at(&t, text, "年增") & WY_CJK_GLUE);
    wy_cjk_text_release(&t);
}

/* Where justification may widen a line (CJK.md §4), and what counts for 孤字. */
static void test_stretch_points_and_visible_chars(void **state)
{
    (void)state;
    const char *text = "社会“PDF”，工作——好 OK。";
    WyCjkText t;
    wy_cjk_analyse(text, strlen(text), WY_PUNCT_COMPRESSED, true, &t);
    bool expected[] = {
        true,  /* 社|会 */
        true,  /* 会|“ */
        false, /* “|P: a mark and its text */
        false, /* P|D: inside a Latin word */
        false, /* D|F */
        false, /* F|” */
        false, /* ”|， */
        true,  /* ，|工 */
        true,  /* 工|作 */
        true,  /* 作|— */
        false, /* —|—: inside —— */
        true,  /* —|好 */
        false, /* 好|space: the space takes it */
        true,  /* space|O */
        false, /* O|K */
        false, /* K|。 */
    };
    assert_int_equal(t.n_chars, sizeof expected / sizeof expected[0] + 1);
    for (size_t i = 0; i + 1 < t.n_chars; i++)
        if (wy_cjk_stretchable(&t.chars[i], &t.chars[i + 1], true) != expected[i])
            fail_msg("between characters %zu and %zu", i, i + 1);
    /* a Latin paragraph widens its spaces only */
    assert_false(wy_cjk_stretchable(&t.chars[0], &t.chars[1], false));
    assert_true(wy_cjk_stretchable(&t.chars[13], &t.chars[14], false));
    /* 社会“PDF”，工作——好 OK。: the brackets, stops and the space do not count */
    assert_int_equal(wy_cjk_visible_chars(&t, 0, strlen(text)), 12);
    assert_int_equal(wy_cjk_visible_chars(&t, (size_t)(strstr(text, "K") - text), strlen(text)), 1);
    size_t cursor = t.n_chars;
    assert_ptr_equal(wy_cjk_text_from(&t, &cursor, (size_t)(strstr(text, "工") - text)), &t.chars[8]);
    assert_ptr_equal(wy_cjk_text_from(&t, &cursor, (size_t)(strstr(text, "好") - text)), &t.chars[12]);
    assert_int_equal(cursor, 12);
    assert_null(wy_cjk_text_from(&t, &cursor, (size_t)(strstr(text, "好") - text) + 1));
    assert_ptr_equal(wy_cjk_text_from(&t, &cursor, 0), &t.chars[0]);
    wy_cjk_text_release(&t);
}

static void test_share(void **state)
{
    (void)state;
    WyCjkSlot slots[5] = {
        {.tier = WY_CJK_TIER_COMPRESSION, .capacity = 100}, {.tier = WY_CJK_TIER_GAP, .capacity = 30},
        {.tier = WY_CJK_TIER_GAP, .capacity = 10},          {.tier = WY_CJK_TIER_EVEN},
        {.tier = WY_CJK_TIER_EVEN},
    };
    /* short slack: the first tier alone */
    assert_int_equal(wy_cjk_share(40, slots, 5), 0);
    assert_int_equal(slots[0].amount, 40);
    assert_int_equal(slots[1].amount + slots[3].amount, 0);
    /* the second tier in proportion to capacity */
    assert_int_equal(wy_cjk_share(120, slots, 5), 0);
    assert_int_equal(slots[0].amount, 100);
    assert_int_equal(slots[1].amount, 15);
    assert_int_equal(slots[2].amount, 5);
    /* the rest evenly, adding up exactly */
    assert_int_equal(wy_cjk_share(147, slots, 5), 0);
    assert_int_equal(slots[1].amount, 30);
    assert_int_equal(slots[2].amount, 10);
    assert_int_equal(slots[3].amount, 4);
    assert_int_equal(slots[4].amount, 3);
    /* no even slot: what is left is returned */
    assert_int_equal(wy_cjk_share(150, slots, 3), 10);
    assert_int_equal(wy_cjk_share(-5, slots, 5), -5);
    assert_int_equal(slots[0].amount, 0);
}

/* ---- layouts -------------------------------------------------------------- */

static gunichar char_at(const WyParaLayout *pl, int byte)
{
    return g_utf8_get_char(pango_layout_get_text(pl->layout) + byte);
}

/* The last character of line I, trailing spaces aside. */
static gunichar last_char(const WyParaLayout *pl, int i)
{
    const char *text = pango_layout_get_text(pl->layout);
    const char *p = text + pl->lines[i].start_byte + pl->lines[i].length;
    do
        p = g_utf8_prev_char(p);
    while (p > text + pl->lines[i].start_byte && *p == ' ');
    return g_utf8_get_char(p);
}

/* Visible characters of line I: no spaces, no brackets, no marks that
   cannot start a line. */
static int visible_chars(const WyParaLayout *pl, int i)
{
    const char *text = pango_layout_get_text(pl->layout);
    int count = 0;
    for (const char *p = text + pl->lines[i].start_byte; p < text + pl->lines[i].start_byte + pl->lines[i].length;
         p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        count += c != ' ' && !wy_cjk_no_start(c) && !wy_cjk_no_end(c);
    }
    return count;
}

/* Where each glyph of line I is drawn (its origin plus x offset), with its
   character, natural advance and the left and right of its ink; returns
   the count. */
typedef struct Placed {
    gunichar ch;
    int byte;
    double x, advance, natural;
    double ink_left, ink_right;
} Placed;

static int placed_glyphs(const WyParaLayout *pl, int i, Placed *out, int max)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(pl->layout, i);
    const char *text = pango_layout_get_text(pl->layout);
    double x = pl->lines[i].x_pt;
    int n = 0;
    for (GSList *l = line->runs; l; l = l->next) {
        PangoGlyphItem *run = l->data;
        for (int g = 0; g < run->glyphs->num_glyphs && n < max; g++) {
            const PangoGlyphInfo *gi = &run->glyphs->glyphs[g];
            PangoRectangle ink = {0}, logical = {0};
            if (run->item->analysis.font)
                pango_font_get_glyph_extents(run->item->analysis.font, gi->glyph, &ink, &logical);
            out[n].byte = run->item->offset + run->glyphs->log_clusters[g];
            out[n].ch = g_utf8_get_char(text + out[n].byte);
            out[n].x = x + (double)gi->geometry.x_offset / PANGO_SCALE;
            out[n].advance = (double)gi->geometry.width / PANGO_SCALE;
            out[n].natural = (double)logical.width / PANGO_SCALE;
            out[n].ink_left = out[n].x + (double)ink.x / PANGO_SCALE;
            out[n].ink_right = out[n].ink_left + (double)ink.width / PANGO_SCALE;
            n++;
            x += (double)gi->geometry.width / PANGO_SCALE;
        }
    }
    return n;
}

/* The advance of each glyph, by byte, when TEXT is set on one line
   without justification: Latin letters as shaped, kerning included. */
static double *shaped_advances(const WyStyle *justified, const char *text)
{
    static WyStyle plain;
    plain = *justified;
    plain.align = WY_ALIGN_START;
    WyParaLayout pl;
    lay_out(&plain, text, 1e4, &pl);
    assert_int_equal(pl.n_lines, 1);
    double *advances = g_new0(double, strlen(pango_layout_get_text(pl.layout)) + 1);
    Placed g[1024];
    int n = placed_glyphs(&pl, 0, g, 1024);
    for (int k = 0; k < n; k++)
        advances[g[k].byte] = g[k].advance;
    wy_para_layout_release(&pl);
    return advances;
}

/* The checks every justified Chinese paragraph must pass (CJK.md §1, §4);
   ADVANCES from shaped_advances. */
static void check_paragraph(const WyParaLayout *pl, double measure, const double *advances, const char *what)
{
    for (int i = 0; i < pl->n_lines; i++) {
        if (pl->lines[i].length == 0)
            continue;
        gunichar first = char_at(pl, pl->lines[i].start_byte), last = last_char(pl, i);
        if (wy_cjk_no_start(first))
            fail_msg("%s: line %d starts with U+%04X", what, i, first);
        if (i < pl->n_lines - 1 && wy_cjk_no_end(last))
            fail_msg("%s: line %d ends with U+%04X", what, i, last);
        double right = pl->lines[i].x_pt + pl->lines[i].width_pt;
        if (i < pl->n_lines - 1 && fabs(right - measure) > 0.01)
            fail_msg("%s: line %d ends at %.3f pt, the measure is %.3f pt", what, i, right, measure);
        if (right > measure + 0.01)
            fail_msg("%s: line %d sticks out to %.3f pt", what, i, right);
        Placed g[256];
        int n = placed_glyphs(pl, i, g, 256);
        double lo = 1e9, hi = -1e9;
        for (int k = 0; k + 1 < n; k++) {
            if (wy_cjk_class(g[k].ch) != WY_CJK_IDEOGRAPH || wy_cjk_class(g[k + 1].ch) != WY_CJK_IDEOGRAPH)
                continue;
            double gap = g[k + 1].x - g[k].x - g[k].natural;
            lo = fmin(lo, gap);
            hi = fmax(hi, gap);
        }
        if (hi >= lo && hi - lo >= 0.05)
            fail_msg("%s: line %d has Han-to-Han gaps from %.3f to %.3f pt", what, i, lo, hi);
        for (int k = 0; k + 1 < n && advances; k++)
            if (wy_cjk_class(g[k].ch) == WY_CJK_LATIN && wy_cjk_class(g[k + 1].ch) == WY_CJK_LATIN &&
                fabs(g[k + 1].x - g[k].x - advances[g[k].byte]) > 0.001)
                fail_msg("%s: line %d spaces out the Latin word at U+%04X", what, i, g[k].ch);
    }
    if (pl->n_lines > 1 && visible_chars(pl, pl->n_lines - 1) < 2)
        fail_msg("%s: the last line holds a single character (孤字)", what);
}

/* CJK.md §1 and §4 over every sample article at 20, 23, 28, 33 and 40 em. */
static void test_sample_articles(void **state)
{
    (void)state;
    WyStyle s = body_style(WY_ALIGN_JUSTIFY);
    s.first_indent_pt = 2 * EM;
    const int widths_em[] = {20, 23, 28, 33, 40};
    int lines = 0;
    for (guint i = 0; i < sample_paragraphs->len; i++) {
        const char *text = g_ptr_array_index(sample_paragraphs, i);
        double *advances = shaped_advances(&s, text);
        for (size_t w = 0; w < sizeof widths_em / sizeof widths_em[0]; w++) {
            double measure = widths_em[w] * EM;
            WyParaLayout pl;
            lay_out(&s, text, measure, &pl);
            char what[64];
            snprintf(what, sizeof what, "paragraph %u at %d em", i, widths_em[w]);
            check_paragraph(&pl, measure, advances, what);
            lines += pl.n_lines;
            wy_para_layout_release(&pl);
        }
        g_free(advances);
    }
    assert_true(lines > 1000);
}

static double index_x(const WyParaLayout *pl, const char *needle)
{
    const char *text = pango_layout_get_text(pl->layout);
    PangoRectangle pos;
    pango_layout_index_to_pos(pl->layout, (int)(strstr(text, needle) - text), &pos);
    return (double)pos.x / PANGO_SCALE;
}

/* CJK.md §2: two marks take 1.5 em; at a line end a mark is half an em;
   an opening mark starting a line begins half an em left of it. */
static void test_compression(void **state)
{
    (void)state;
    WyStyle s = body_style(WY_ALIGN_START);
    WyParaLayout pl;
    lay_out(&s, "他说：“好。”」社会工作", 40 * EM, &pl);
    assert_int_equal(pl.n_lines, 1);
    assert_true(fabs(index_x(&pl, "社") - index_x(&pl, "。") - 2.0 * EM) < 0.01); /* 。”」 = 0.5 + 0.5 + 1 */
    assert_true(fabs(index_x(&pl, "”") - index_x(&pl, "。") - 0.5 * EM) < 0.01);
    wy_para_layout_release(&pl);
    lay_out(&s, "社。」社", 40 * EM, &pl);
    assert_true(fabs(index_x(&pl, "」社") + EM - index_x(&pl, "。") - 1.5 * EM) < 0.01);
    /* the line-end mark: 社。」社 ends with a Han character; 。」 alone ends at 1 em */
    assert_true(fabs(pl.lines[0].width_pt - 3.5 * EM) < 0.01);
    wy_para_layout_release(&pl);
    lay_out(&s, "社会。」", 40 * EM, &pl);
    assert_true(fabs(pl.lines[0].width_pt - 3.0 * EM) < 0.01);
    wy_para_layout_release(&pl);

    /* an opening mark starting the second line */
    lay_out(&s, "一二三四五六七八九十（测试）好", 10 * EM, &pl);
    assert_int_equal(pl.n_lines, 2);
    assert_int_equal(char_at(&pl, pl.lines[1].start_byte), 0xFF08);
    Placed g[16];
    int n = placed_glyphs(&pl, 1, g, 16);
    assert_true(n >= 2);
    assert_true(fabs(g[0].x - (pl.lines[1].x_pt - 0.5 * EM)) < 0.01);
    assert_true(fabs(g[1].x - (pl.lines[1].x_pt + 0.5 * EM)) < 0.01);
    wy_para_layout_release(&pl);

    /* an opening mark starting the paragraph keeps its em */
    lay_out(&s, "（一）社会", 40 * EM, &pl);
    assert_true(fabs(index_x(&pl, "一") - EM) < 0.01);
    wy_para_layout_release(&pl);
    /* —— is two em (fwid), not Noto's 1.69 em ligature */
    lay_out(&s, "社——社", 40 * EM, &pl);
    assert_true(fabs(pl.lines[0].width_pt - 4 * EM) < 0.01);
    wy_para_layout_release(&pl);

    /* full width: no compression anywhere; half width: every mark */
    static WyStyle full, half;
    full = s;
    full.punctuation = WY_PUNCT_FULL_WIDTH;
    lay_out(&full, "社。」社（社", 40 * EM, &pl);
    assert_true(fabs(pl.lines[0].width_pt - 6 * EM) < 0.01);
    wy_para_layout_release(&pl);
    half = s;
    half.punctuation = WY_PUNCT_HALF_WIDTH;
    lay_out(&half, "社。」社（社", 40 * EM, &pl);
    assert_true(fabs(pl.lines[0].width_pt - 4.5 * EM) < 0.01);
    wy_para_layout_release(&pl);
    /* more compressed marks than pango 1.50 applies features per item (32) */
    GString *many = g_string_new("");
    for (int i = 0; i < 80; i++)
        g_string_append(many, "社，");
    lay_out(&half, many->str, 1000 * EM, &pl);
    assert_true(fabs(pl.lines[0].width_pt - 120 * EM) < 0.01);
    wy_para_layout_release(&pl);
    g_string_free(many, TRUE);
}

/* ---- faces without halt (the kai role: AR PL UKai) ------------------------ */

static WyStyle kai_style(WyAlign align, const char *lang)
{
    WyStyle s = body_style(align);
    s.role = "kai";
    s.lang = lang;
    return s;
}

/* The family of the face that sets the character at NEEDLE. */
static const char *face_at(const WyParaLayout *pl, const char *needle)
{
    static char family[128];
    const char *text = pango_layout_get_text(pl->layout);
    int at = (int)(strstr(text, needle) - text);
    family[0] = '\0';
    for (GSList *l = pango_layout_get_lines_readonly(pl->layout); l; l = l->next)
        for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r; r = r->next) {
            const PangoItem *item = ((PangoGlyphItem *)r->data)->item;
            if (at < item->offset || at >= item->offset + item->length)
                continue;
            PangoFontDescription *desc = pango_font_describe(item->analysis.font);
            snprintf(family, sizeof family, "%s", pango_font_description_get_family(desc));
            pango_font_description_free(desc);
        }
    return family;
}

/* The advance of MARK shaped alone in STYLE's role and language by pango
   itself, with or without the OpenType feature halt. */
static double advance_with_halt(const WyStyle *style, const char *mark, bool halt)
{
    PangoLayout *layout = pango_layout_new(wy_fonts_context(fonts));
    PangoFontDescription *desc = pango_font_description_new();
    pango_font_description_set_family(desc, wy_fonts_family(style->role));
    pango_font_description_set_absolute_size(desc, style->size_pt * PANGO_SCALE);
    pango_layout_set_font_description(layout, desc);
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_language_new(wy_fonts_language(style->lang)));
    if (halt)
        pango_attr_list_insert(attrs, pango_attr_font_features_new("halt"));
    pango_layout_set_attributes(layout, attrs);
    pango_layout_set_text(layout, mark, -1);
    PangoRectangle logical;
    pango_layout_get_extents(layout, NULL, &logical);
    pango_attr_list_unref(attrs);
    pango_font_description_free(desc);
    g_object_unref(layout);
    return (double)logical.width / PANGO_SCALE;
}

/* No mark's ink on any line of PL touches its neighbour's. */
static void check_marks_apart(const WyParaLayout *pl, const char *what)
{
    for (int i = 0; i < pl->n_lines; i++) {
        Placed g[256];
        int n = placed_glyphs(pl, i, g, 256);
        for (int k = 0; k + 1 < n; k++) {
            if (!wy_cjk_is_punct(g[k].ch) && !wy_cjk_is_punct(g[k + 1].ch))
                continue;
            if (g[k].ink_right <= g[k].ink_left || g[k + 1].ink_right <= g[k + 1].ink_left)
                continue; /* a space */
            if (g[k].ink_right > g[k + 1].ink_left)
                fail_msg("%s: line %d: the ink of U+%04X reaches %.3f pt into U+%04X", what, i, g[k].ch,
                         g[k].ink_right - g[k + 1].ink_left, g[k + 1].ch);
        }
    }
}

/* The glyph of CH on line I of PL, or fails. */
static Placed glyph_of(const WyParaLayout *pl, int i, gunichar ch)
{
    Placed g[256];
    int n = placed_glyphs(pl, i, g, 256);
    for (int k = 0; k < n; k++)
        if (g[k].ch == ch)
            return g[k];
    fail_msg("no U+%04X on line %d", ch, i);
    return g[0];
}

/* CJK.md §2 in the kai role, whose face (AR PL UKai) has no OpenType halt:
   wenyin halves the marks by their ink. Pairs take 1.5 em, a mark ending
   a justified line is trimmed, an opening mark starting a line moves half
   an em left, and no glyph's ink reaches into its neighbour's. */
static void test_compression_without_halt(void **state)
{
    (void)state;
    static WyStyle kai, kai_justified, kai_full;
    kai = kai_style(WY_ALIGN_START, "zh-Hans");
    WyParaLayout pl;
    lay_out(&kai, "社。」会", 40 * EM, &pl);
    assert_string_equal(face_at(&pl, "。"), "AR PL UKai CN");
    /* the premise: the face ignores halt */
    assert_true(fabs(advance_with_halt(&kai, "。", true) - advance_with_halt(&kai, "。", false)) < 0.001);
    assert_true(fabs(index_x(&pl, "会") - index_x(&pl, "。") - 1.5 * EM) < 0.01);
    assert_true(fabs(pl.lines[0].width_pt - 3.5 * EM) < 0.01);
    check_marks_apart(&pl, "社。」会");
    /* UKai's 。 is centred: it keeps the middle of its em, moved a quarter left */
    Placed stop = glyph_of(&pl, 0, 0x3002);
    assert_true(stop.ink_left >= index_x(&pl, "。") && stop.ink_right <= index_x(&pl, "」"));
    wy_para_layout_release(&pl);
    /* a closing mark before a stop, a stop before an opening mark, two opening marks */
    const char *pairs[][2] = {{"社」，会", "」"}, {"社），会", "）"}, {"社，“会", "，"}, {"社（「会", "（"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        lay_out(&kai, pairs[i][0], 40 * EM, &pl);
        if (fabs(index_x(&pl, "会") - index_x(&pl, pairs[i][1]) - 1.5 * EM) >= 0.01)
            fail_msg("%s: the pair spans %.3f em", pairs[i][0], (index_x(&pl, "会") - index_x(&pl, pairs[i][1])) / EM);
        check_marks_apart(&pl, pairs[i][0]);
        wy_para_layout_release(&pl);
    }
    /* full width: the same marks keep their em */
    kai_full = kai;
    kai_full.punctuation = WY_PUNCT_FULL_WIDTH;
    lay_out(&kai_full, "社。」会", 40 * EM, &pl);
    assert_true(fabs(index_x(&pl, "会") - index_x(&pl, "。") - 2 * EM) < 0.01);
    wy_para_layout_release(&pl);

    /* a closing mark ending a justified line gives up its blank half and
       the line still ends on the measure */
    kai_justified = kai_style(WY_ALIGN_JUSTIFY, "zh-Hans");
    lay_out(&kai_justified, "一二三四五六七八九」社会工作服务站点", 10 * EM, &pl);
    assert_true(pl.n_lines >= 2);
    assert_int_equal(last_char(&pl, 0), 0x300D);
    Placed close = glyph_of(&pl, 0, 0x300D);
    assert_true(fabs(close.advance - 0.5 * EM) < 0.01);
    assert_true(fabs(pl.lines[0].x_pt + pl.lines[0].width_pt - 10 * EM) < 0.01);
    assert_true(close.ink_right <= 10 * EM);
    check_paragraph(&pl, 10 * EM, NULL, "kai, line-end 」");
    wy_para_layout_release(&pl);
    /* push-in: pango breaks 。」 at 1.5 em, so "…八，" fits the line and
       its comma is compressed back to the measure */
    lay_out(&kai_justified, "一二三四五六七。」八，社会工作服务站点建设", 10 * EM, &pl);
    assert_int_equal(last_char(&pl, 0), 0xFF0C);
    assert_true(fabs(pl.lines[0].x_pt + pl.lines[0].width_pt - 10 * EM) < 0.01);
    check_paragraph(&pl, 10 * EM, NULL, "kai, push-in");
    check_marks_apart(&pl, "kai, push-in");
    wy_para_layout_release(&pl);
    /* a line half an em too long that ends in an ideograph: the marks
       inside it give up part of their blanks, the centred ， keeping its
       ink in the middle of what is left */
    lay_out(&kai_justified, "一二，三。」四五六七八九十社会工作服务站点", 10 * EM, &pl);
    assert_int_equal(last_char(&pl, 0), 0x516B /* 八 */);
    assert_true(fabs(pl.lines[0].x_pt + pl.lines[0].width_pt - 10 * EM) < 0.01);
    Placed comma = glyph_of(&pl, 0, 0xFF0C), bracket = glyph_of(&pl, 0, 0x300D);
    assert_true(comma.advance < EM - 0.01 && bracket.advance < EM - 0.01);
    assert_true(fabs(comma.advance + bracket.advance - 1.5 * EM) < 0.01);
    double blank_left = comma.ink_left - index_x(&pl, "，");
    double blank_right = index_x(&pl, "三") - comma.ink_right;
    assert_true(fabs(blank_left - blank_right) < 0.05 * EM);
    check_paragraph(&pl, 10 * EM, NULL, "kai, compressed inside");
    check_marks_apart(&pl, "kai, compressed inside");
    wy_para_layout_release(&pl);

    /* an opening mark starting the second line begins half an em left */
    lay_out(&kai, "一二三四五六七八九十「测试」好", 10 * EM, &pl);
    assert_int_equal(pl.n_lines, 2);
    assert_int_equal(char_at(&pl, pl.lines[1].start_byte), 0x300C);
    Placed g[16];
    int n = placed_glyphs(&pl, 1, g, 16);
    assert_true(n >= 2);
    assert_true(fabs(g[0].x - (pl.lines[1].x_pt - 0.5 * EM)) < 0.01);
    assert_true(fabs(g[1].x - (pl.lines[1].x_pt + 0.5 * EM)) < 0.01);
    assert_true(g[0].ink_left >= pl.lines[1].x_pt);
    wy_para_layout_release(&pl);
}

/* The kai role in Traditional Chinese (AR PL UKai TW, centred stops): pairs
   compress, lines justify to the measure, and no mark's ink touches its
   neighbour's at any width. */
static void test_compression_without_halt_hant(void **state)
{
    (void)state;
    static WyStyle hant, hant_start;
    hant_start = kai_style(WY_ALIGN_START, "zh-Hant");
    WyParaLayout pl;
    lay_out(&hant_start, "社。」會", 40 * EM, &pl);
    assert_string_equal(face_at(&pl, "。"), "AR PL UKai TW");
    assert_true(fabs(index_x(&pl, "會") - index_x(&pl, "。") - 1.5 * EM) < 0.01);
    wy_para_layout_release(&pl);

    hant = kai_style(WY_ALIGN_JUSTIFY, "zh-Hant");
    hant.first_indent_pt = 2 * EM;
    const char *text = "社會工作者應秉持「助人自助」的理念，關懷弱勢群體。」本會將於十月舉辦研習營（「社工」與志工均可報名），"
                       "請各站點於月底前回覆；逾期者，恕不受理！詳見《社會工作》（第17期）。";
    for (int em = 6; em <= 24; em++) {
        lay_out(&hant, text, em * EM, &pl);
        char what[32];
        snprintf(what, sizeof what, "zh-Hant kai at %d em", em);
        check_paragraph(&pl, em * EM, NULL, what);
        check_marks_apart(&pl, what);
        wy_para_layout_release(&pl);
    }
}

/* Every sample article in the kai role: flush lines and marks apart. */
static void test_kai_sample_articles(void **state)
{
    (void)state;
    static WyStyle kai;
    kai = kai_style(WY_ALIGN_JUSTIFY, "zh-Hans");
    kai.first_indent_pt = 2 * EM;
    const int widths_em[] = {17, 23, 31};
    int lines = 0;
    for (guint i = 0; i < sample_paragraphs->len; i++) {
        const char *text = g_ptr_array_index(sample_paragraphs, i);
        for (size_t w = 0; w < sizeof widths_em / sizeof widths_em[0]; w++) {
            WyParaLayout pl;
            lay_out(&kai, text, widths_em[w] * EM, &pl);
            char what[64];
            snprintf(what, sizeof what, "kai paragraph %u at %d em", i, widths_em[w]);
            check_paragraph(&pl, widths_em[w] * EM, NULL, what);
            check_marks_apart(&pl, what);
            lines += pl.n_lines;
            wy_para_layout_release(&pl);
        }
    }
    assert_true(lines > 500);
}

/* CJK.md §3: ¼ em between Han and Latin, none at line ends or next to
   punctuation or a typed space, and no character added. */
static void test_han_latin_gap(void **state)
{
    (void)state;
    WyStyle s = body_style(WY_ALIGN_START);
    WyParaLayout pl;
    const char *text = "社工用PDF排版，2611名。";
    lay_out(&s, text, 40 * EM, &pl);
    assert_string_equal(pango_layout_get_text(pl.layout), text);
    assert_true(fabs(index_x(&pl, "PDF") - (index_x(&pl, "用") + EM) - 0.25 * EM) < 0.01);
    Placed g[32];
    int n = placed_glyphs(&pl, 0, g, 32);
    int f = 0, pai = 0;
    for (int k = 0; k < n; k++) {
        if (g[k].ch == 'F')
            f = k;
        if (g[k].ch == 0x6392 /* 排 */)
            pai = k;
    }
    assert_true(pai == f + 1);
    assert_true(fabs(g[pai].x - (g[f].x + g[f].natural) - 0.25 * EM) < 0.01); /* F → 排 */
    assert_true(fabs(g[f].advance - g[f].natural) < 0.001);                     /* the F stays as it is */
    /* 2611名: after the comma no gap (the comma keeps its em), before 名 one */
    assert_true(fabs(index_x(&pl, "2611") - index_x(&pl, "，") - EM) < 0.01);
    wy_para_layout_release(&pl);

    /* a typed space keeps its own width and adds no gap */
    lay_out(&s, "社工 PDF", 40 * EM, &pl);
    PangoRectangle space;
    pango_layout_index_to_pos(pl.layout, (int)strlen("社工"), &space);
    assert_true(fabs(index_x(&pl, "PDF") - index_x(&pl, " ") - (double)space.width / PANGO_SCALE) < 0.01);
    assert_true(fabs(index_x(&pl, " ") - 2 * EM) < 0.01);
    wy_para_layout_release(&pl);

    /* at a line end the gap goes: 十 ends line 1 flush, PDF starts line 2 */
    WyStyle j = body_style(WY_ALIGN_JUSTIFY);
    lay_out(&j, "一二三四五六七八九十PDFABCDEFGHIJKLMN", 10 * EM, &pl);
    assert_true(pl.n_lines >= 2);
    assert_int_equal(char_at(&pl, pl.lines[1].start_byte), 'P');
    n = placed_glyphs(&pl, 0, g, 32);
    for (int k = 0; k + 1 < n; k++)
        assert_true(fabs(g[k + 1].x - g[k].x - EM) < 0.01);
    assert_true(fabs(pl.lines[0].width_pt - 10 * EM) < 0.01);
    wy_para_layout_release(&pl);
}

/* CJK.md §4 on mixed text: flush edges, even Han gaps, Latin untouched,
   and the ugly space of "推进‘五社联动’ 关爱" no longer takes all the slack. */
static void test_justification(void **state)
{
    (void)state;
    WyStyle s = body_style(WY_ALIGN_JUSTIFY);
    s.first_indent_pt = 2 * EM;
    const char *text = "今年的3月21日是第17个国际社工日，民政部将今年的社会工作宣传周活动主题确定为“推进‘五社联动’ "
                       "关爱‘一小一老’”。平台同时打通线上线下服务记录，社工用PDF排版导出个人服务档案，用手机APP扫码"
                       "即可完成进站签到。";
    double *advances = shaped_advances(&s, text);
    for (double em = 20; em <= 30; em += 0.5) {
        WyParaLayout pl;
        lay_out(&s, text, em * EM, &pl);
        char what[32];
        snprintf(what, sizeof what, "at %.1f em", em);
        check_paragraph(&pl, em * EM, advances, what);
        /* the typed space after ’ takes at most half its width more than
           the space between two ideographs grows */
        for (int i = 0; i < pl.n_lines - 1; i++) {
            Placed g[64];
            int n = placed_glyphs(&pl, i, g, 64);
            double han = 0;
            for (int k = 0; k + 1 < n; k++)
                if (wy_cjk_class(g[k].ch) == WY_CJK_IDEOGRAPH && wy_cjk_class(g[k + 1].ch) == WY_CJK_IDEOGRAPH)
                    han = g[k + 1].x - g[k].x - g[k].natural;
            for (int k = 0; k < n; k++)
                if (g[k].ch == ' ' && g[k].advance - g[k].natural > g[k].natural / 2 + han + 0.01)
                    fail_msg("%s: the space grows by %.2f pt, ideographs by %.2f pt", what, g[k].advance - g[k].natural,
                             han);
        }
        wy_para_layout_release(&pl);
    }
    g_free(advances);
}

/* A Latin paragraph is justified by its spaces alone, as in Western
   typesetting, and gets no Chinese rules. */
static void test_latin_paragraph(void **state)
{
    (void)state;
    static WyStyle en;
    en = body_style(WY_ALIGN_JUSTIFY);
    en.lang = "en";
    const char *text = "Social workers in Deqing county run twenty-three stations and keep a monthly bulletin "
                       "of their services, printed from the same data the offices already hold.";
    WyParaLayout pl;
    lay_out(&en, text, 20 * EM, &pl);
    assert_true(pl.n_lines >= 3);
    double *advances = shaped_advances(&en, text);
    for (int i = 0; i < pl.n_lines - 1; i++) {
        assert_true(fabs(pl.lines[i].x_pt + pl.lines[i].width_pt - 20 * EM) < 0.01);
        Placed g[128];
        int n = placed_glyphs(&pl, i, g, 128);
        for (int k = 0; k + 1 < n; k++)
            if (g[k].ch != ' ' && fabs(g[k].advance - advances[g[k].byte]) > 0.001)
                fail_msg("line %d: U+%04X is spaced out", i, g[k].ch);
    }
    g_free(advances);
    wy_para_layout_release(&pl);
}

/* 孤字: the last line is never a single character. */
static void test_no_lone_character(void **state)
{
    (void)state;
    WyStyle s = body_style(WY_ALIGN_JUSTIFY);
    WyParaLayout pl;
    lay_out(&s, "一二三四五六七八九十一二三四五六七八九十好。", 10 * EM, &pl);
    assert_int_equal(pl.n_lines, 3);
    assert_int_equal(visible_chars(&pl, 2), 2);
    check_paragraph(&pl, 10 * EM, NULL, "lone");
    wy_para_layout_release(&pl);
    /* a single-line paragraph of one character is left alone */
    lay_out(&s, "好。", 10 * EM, &pl);
    assert_int_equal(pl.n_lines, 1);
    wy_para_layout_release(&pl);
}

/* CJK.md §1: the breaks pango 1.50 allows wrongly. */
static void test_prohibitions(void **state)
{
    (void)state;
    WyStyle s = body_style(WY_ALIGN_START);
    const char *cases[] = {"幸福·吾社", "平台～项目", "平台／项目", "我县2023年", "增至1.6万元", "社工18.8名"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* a line of nine ideographs, then the case: try every width that
           would break inside it */
        for (int cut = 0; cut < 6; cut++) {
            char text[128];
            snprintf(text, sizeof text, "一二三四五六七八九%s", cases[i]);
            WyParaLayout pl;
            lay_out(&s, text, (9 + cut) * EM + 1, &pl);
            for (int l = 1; l < pl.n_lines; l++) {
                const char *laid = pango_layout_get_text(pl.layout);
                const char *at = laid + pl.lines[l].start_byte;
                gunichar c = g_utf8_get_char(at);
                gunichar before = g_utf8_get_char(g_utf8_prev_char(at));
                bool after_digit = g_unichar_isdigit(before) || before == '.';
                if (wy_cjk_no_start(c) || c == '.' || (after_digit && (wy_cjk_is_unit(c) || g_unichar_isdigit(c))))
                    fail_msg("\"%s\" at %d em: line %d starts with U+%04X", text, 9 + cut, l, c);
            }
            wy_para_layout_release(&pl);
        }
    }
}

/* pango 1.50 keeps a quotation mark with both its neighbours (UAX #14
   LB19); Chinese breaks before “ and after ” like at any bracket, and
   never after “ or before ”. */
static void test_quote_breaks(void **state)
{
    (void)state;
    WyStyle s = body_style(WY_ALIGN_START);
    WyParaLayout pl;
    lay_out(&s, "一二三四五六七八整合“五社联动”资源", 10 * EM, &pl);
    assert_int_equal(pl.n_lines, 2);
    assert_int_equal(char_at(&pl, pl.lines[1].start_byte), 0x201C); /* not 合“五 */
    wy_para_layout_release(&pl);
    lay_out(&s, "一二三四五联动”资源社会工作", 8 * EM, &pl);
    assert_int_equal(pl.n_lines, 2);
    assert_int_equal(char_at(&pl, pl.lines[1].start_byte), 0x8D44 /* 资 */);
    wy_para_layout_release(&pl);
    for (int w = 3; w < 12; w++) {
        lay_out(&s, "整合“五社联动”资源“‘双工’阵地”，“一”（二）", w * EM, &pl);
        for (int i = 0; i < pl.n_lines; i++) {
            assert_false(wy_cjk_no_start(char_at(&pl, pl.lines[i].start_byte)));
            if (i + 1 < pl.n_lines)
                assert_false(wy_cjk_no_end(last_char(&pl, i)));
        }
        wy_para_layout_release(&pl);
    }
}

/* CJK.md §5: constant pitch; the first line 2 em right of the others. */
static void test_grid_and_indent(void **state)
{
    (void)state;
    WyStyle s = body_style(WY_ALIGN_JUSTIFY);
    s.first_indent_pt = 2 * EM;
    const char *text = "";
    for (guint i = 0; i < sample_paragraphs->len; i++)
        if (strlen(g_ptr_array_index(sample_paragraphs, i)) > strlen(text))
            text = g_ptr_array_index(sample_paragraphs, i);
    WyParaLayout pl;
    lay_out(&s, text, 28 * EM, &pl);
    assert_true(pl.n_lines >= 3);
    for (int i = 1; i < pl.n_lines; i++)
        assert_true(fabs(pl.lines[i].baseline_pt - pl.lines[0].baseline_pt) < 0.01);
    assert_true(fabs(pl.height_pt - 28.0 * pl.n_lines) < 0.01);
    /* the first glyph sits 2 em in, even an opening mark: a paragraph's
       first mark keeps its em */
    Placed first[4];
    placed_glyphs(&pl, 0, first, 4);
    if (fabs(first[0].x - 2 * EM) >= 0.01)
        fail_msg("first glyph U+%04X at %.3f pt, line at %.3f pt", first[0].ch, first[0].x, pl.lines[0].x_pt);
    assert_true(fabs(pl.lines[0].x_pt - 2 * EM) < 0.01);
    for (int i = 1; i < pl.n_lines; i++)
        assert_true(fabs(pl.lines[i].x_pt) < 0.01);
    wy_para_layout_release(&pl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_analysis),
        cmocka_unit_test(test_stretch_points_and_visible_chars),
        cmocka_unit_test(test_share),
        cmocka_unit_test_setup_teardown(test_sample_articles, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_compression, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_compression_without_halt, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_compression_without_halt_hant, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_kai_sample_articles, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_han_latin_gap, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_justification, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_latin_paragraph, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_no_lone_character, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_prohibitions, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_quote_breaks, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_grid_and_indent, ctx_setup, ctx_teardown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
