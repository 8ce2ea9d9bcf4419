/* Paragraphs through pango: widths, indents, pitch, fields, attributes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/fonts.h"
#include "layout/para.h"
#include "fonts_support.h"

static WyDiag diag;

/* 28 characters of body text, repeated: enough for several lines at 20 em. */
static const char *const BODY =
    "德清县社会工作站以“五社联动”为抓手，聚焦困难群众、特殊群体的服务需求，"
    "整合社区、社会组织、社会工作者、社区志愿者和社会慈善资源，累计开展个案服务"
    "二百余次，小组活动四十余场，惠及群众两千六百余人次，形成了可复制的经验。";

static int setup(void **state)
{
    (void)state;
    wy_diag_init(&diag, stderr);
    fonts = wy_fonts_new("fonts/fonts.conf", &diag);
    if (!fonts)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wy_fonts_free(fonts);
    wy_diag_release(&diag);
    return 0;
}

static WyStyle body_style(void)
{
    WyStyle s = {0};
    s.name = "body";
    s.role = "body";
    s.lang = "zh-Hans";
    s.size_pt = 16;
    s.line_height_pt = 28.9;
    s.align = WY_ALIGN_JUSTIFY;
    s.color = WY_COLOR_BLACK;
    s.weight = 400;
    s.orphans = s.widows = 2;
    return s;
}

static WyPara para_of(const WyStyle *style, const char *text)
{
    WyPara p = {0};
    p.style = style;
    p.text = text;
    return p;
}

static void lay_out(const WyPara *p, double width, const WyParaFields *fields, WyParaLayout *out)
{
    assert_true(wy_para_layout(para_ctx, p, width, fields, wy_loc("t.xml", 1, 1), &diag, out));
}

static char *line_text(const WyParaLayout *pl, int i)
{
    const char *text = pango_layout_get_text(pl->layout);
    return g_strndup(text + pl->lines[i].start_byte, (gsize)pl->lines[i].length);
}

static void test_justified_lines_fill_the_measure(void **state)
{
    (void)state;
    WyStyle s = body_style();
    WyPara p = para_of(&s, BODY);
    const double measure = 20 * 16;
    WyParaLayout pl;
    lay_out(&p, measure, NULL, &pl);
    assert_true(pl.n_lines >= 4);
    for (int i = 0; i < pl.n_lines - 1; i++) {
        double right = pl.lines[i].x_pt + pl.lines[i].width_pt;
        if (fabs(right - measure) > 0.01)
            fail_msg("line %d ends at %.3f pt, measure %.3f pt", i, right, measure);
    }
    /* the last line stays ragged */
    const WyParaLine *last = &pl.lines[pl.n_lines - 1];
    assert_true(last->x_pt + last->width_pt < measure - 8);
    wy_para_layout_release(&pl);
}

static void test_fixed_pitch_and_constant_baseline(void **state)
{
    (void)state;
    WyStyle s = body_style();
    WyPara p = para_of(&s, BODY);
    WyParaLayout pl;
    lay_out(&p, 320, NULL, &pl);
    assert_true(pl.pitch_pt == 28.9);
    assert_true(fabs(pl.height_pt - 28.9 * pl.n_lines) < 1e-9);
    for (int i = 1; i < pl.n_lines; i++)
        assert_true(pl.lines[i].baseline_pt == pl.lines[0].baseline_pt);
    /* the baseline sits inside the slot, below its middle */
    assert_true(pl.lines[0].baseline_pt > 28.9 / 2 && pl.lines[0].baseline_pt < 28.9);
    wy_para_layout_release(&pl);

    /* no line height: 1.5 × size */
    s.line_height_pt = 0;
    lay_out(&p, 320, NULL, &pl);
    assert_true(fabs(pl.pitch_pt - 24.0) < 1e-9);
    wy_para_layout_release(&pl);
}

static void test_first_line_indent(void **state)
{
    (void)state;
    WyStyle s = body_style();
    s.first_indent_pt = 32;
    WyPara p = para_of(&s, BODY);
    WyParaLayout pl;
    lay_out(&p, 320, NULL, &pl);
    assert_true(fabs(pl.lines[0].x_pt - pl.lines[1].x_pt - 32) < 0.01);
    assert_true(fabs(pl.lines[1].x_pt) < 0.01);
    /* the indented first line still ends flush */
    assert_true(fabs(pl.lines[0].x_pt + pl.lines[0].width_pt - 320) < 0.01);
    wy_para_layout_release(&pl);
}

static void test_first_line_indent_with_forced_break(void **state)
{
    (void)state;
    WyStyle s = body_style();
    s.first_indent_pt = 32;
    s.align = WY_ALIGN_START;
    WyPara p = para_of(&s, "报：省民政厅\n送：市委办公室");
    WyParaLayout pl;
    lay_out(&p, 320, NULL, &pl);
    assert_int_equal(pl.n_lines, 2);
    const char *text = pango_layout_get_text(pl.layout);
    PangoRectangle first, second;
    pango_layout_index_to_pos(pl.layout, (int)(strstr(text, "报") - text), &first);
    pango_layout_index_to_pos(pl.layout, (int)(strstr(text, "送") - text), &second);
    assert_true(fabs((double)first.x / PANGO_SCALE - 32) < 0.01);
    assert_true(fabs((double)second.x / PANGO_SCALE) < 0.01);
    char *line1 = line_text(&pl, 1);
    assert_string_equal(line1, "送：市委办公室");
    g_free(line1);
    wy_para_layout_release(&pl);
}

static void test_side_indents(void **state)
{
    (void)state;
    WyStyle s = body_style();
    s.left_indent_pt = 20;
    s.right_indent_pt = 12;
    WyPara p = para_of(&s, BODY);
    WyParaLayout pl;
    lay_out(&p, 320, NULL, &pl);
    for (int i = 0; i < pl.n_lines; i++)
        assert_true(fabs(pl.lines[i].x_pt - 20) < 0.01);
    assert_true(fabs(pl.lines[0].width_pt - (320 - 32)) < 0.01);
    wy_para_layout_release(&pl);
}

static void test_alignment(void **state)
{
    (void)state;
    WyStyle s = body_style();
    s.align = WY_ALIGN_CENTER;
    WyPara p = para_of(&s, "通知");
    WyParaLayout pl;
    lay_out(&p, 320, NULL, &pl);
    assert_int_equal(pl.n_lines, 1);
    assert_true(fabs(pl.lines[0].width_pt - 32) < 0.01);
    assert_true(fabs(pl.lines[0].x_pt - 144) < 0.01);
    wy_para_layout_release(&pl);

    s.align = WY_ALIGN_END;
    lay_out(&p, 320, NULL, &pl);
    assert_true(fabs(pl.lines[0].x_pt - 288) < 0.01);
    wy_para_layout_release(&pl);
}

static void test_page_fields_and_outside_alignment(void **state)
{
    (void)state;
    WyStyle s = body_style();
    s.align = WY_ALIGN_OUTSIDE;
    s.size_pt = 14;
    WyField field = {.offset = strlen("— "), .kind = WY_FIELD_PAGE_NUMBER};
    /* bold over "页" after the field, and over the field alone (an empty span at it) */
    const char *text = "—  —页";
    WySpan spans[2] = {
        {.start = strlen("—  —"), .end = strlen("—  —页"), .flags = WY_SPAN_BOLD, .color = WY_COLOR_NONE},
        {.start = strlen("— "), .end = strlen("— "), .flags = WY_SPAN_UNDERLINE, .color = WY_COLOR_NONE},
    };
    WyPara p = para_of(&s, text);
    p.fields = &field;
    p.n_fields = 1;
    p.spans = spans;
    p.n_spans = 2;

    WyParaFields odd = {.page_number = 17, .page_count = 40};
    WyParaLayout pl;
    lay_out(&p, 320, &odd, &pl);
    assert_string_equal(pango_layout_get_text(pl.layout), "— 17 —页");
    assert_true(fabs(pl.lines[0].x_pt + pl.lines[0].width_pt - 320) < 0.01); /* odd: right */

    /* the spans moved with the inserted digits */
    const char *laid = pango_layout_get_text(pl.layout);
    PangoAttrIterator *it = pango_attr_list_get_iterator(pango_layout_get_attributes(pl.layout));
    int bold_start = -1, bold_end = -1, ul_start = -1, ul_end = -1;
    do {
        int start, end;
        pango_attr_iterator_range(it, &start, &end);
        PangoAttrInt *w = (PangoAttrInt *)pango_attr_iterator_get(it, PANGO_ATTR_WEIGHT);
        if (w && w->value == PANGO_WEIGHT_BOLD && bold_start < 0)
            bold_start = start, bold_end = end;
        if (pango_attr_iterator_get(it, PANGO_ATTR_UNDERLINE) && ul_start < 0)
            ul_start = start, ul_end = end;
    } while (pango_attr_iterator_next(it));
    pango_attr_iterator_destroy(it);
    assert_int_equal(bold_start, (int)(strstr(laid, "页") - laid));
    assert_int_equal(bold_end, (int)strlen(laid));
    assert_int_equal(ul_start, (int)strlen("— "));
    assert_int_equal(ul_end, (int)strlen("— 17"));
    wy_para_layout_release(&pl);

    WyParaFields even = {.page_number = 18, .page_count = 40};
    lay_out(&p, 320, &even, &pl);
    assert_string_equal(pango_layout_get_text(pl.layout), "— 18 —页");
    assert_true(fabs(pl.lines[0].x_pt) < 0.01); /* even: left */
    wy_para_layout_release(&pl);

    /* count field, and no values known: the field stays empty, OUTSIDE acts as START */
    field.kind = WY_FIELD_PAGE_COUNT;
    lay_out(&p, 320, &odd, &pl);
    assert_string_equal(pango_layout_get_text(pl.layout), "— 40 —页");
    wy_para_layout_release(&pl);
    lay_out(&p, 320, NULL, &pl);
    assert_string_equal(pango_layout_get_text(pl.layout), "—  —页");
    assert_true(fabs(pl.lines[0].x_pt) < 0.01);
    wy_para_layout_release(&pl);
}

static const char *run_family(const WyParaLayout *pl, int run_index)
{
    PangoLayoutLine *line = pango_layout_get_line_readonly(pl->layout, 0);
    GSList *run = g_slist_nth(line->runs, (guint)run_index);
    assert_non_null(run);
    PangoFont *font = ((PangoGlyphItem *)run->data)->item->analysis.font;
    static char family[128];
    PangoFontDescription *desc = pango_font_describe(font);
    snprintf(family, sizeof family, "%s", pango_font_description_get_family(desc));
    pango_font_description_free(desc);
    return family;
}

static void test_language_picks_the_face(void **state)
{
    (void)state;
    WyStyle s = body_style();
    s.lang = "zh-Hant";
    WyPara p = para_of(&s, "，。社工");
    WyParaLayout pl;
    lay_out(&p, 320, NULL, &pl);
    assert_string_equal(run_family(&pl, 0), "Noto Serif CJK TC");
    wy_para_layout_release(&pl);

    s.lang = "zh-Hans";
    s.role = "kai";
    static WyStyle kai; /* another address: the font cache is keyed by style */
    kai = s;
    p.style = &kai;
    lay_out(&p, 320, NULL, &pl);
    assert_string_equal(run_family(&pl, 0), "AR PL UKai CN");
    wy_para_layout_release(&pl);
}

static void test_span_role_and_mono(void **state)
{
    (void)state;
    WyStyle s = body_style();
    s.align = WY_ALIGN_START;
    WySpan span = {.start = 0, .end = strlen("社工"), .flags = WY_SPAN_MONO, .color = WY_COLOR_NONE};
    WyPara p = para_of(&s, "社工站点");
    p.spans = &span;
    p.n_spans = 1;
    WyParaLayout pl;
    lay_out(&p, 320, NULL, &pl);
    assert_string_equal(run_family(&pl, 0), "Noto Sans Mono CJK SC");
    assert_string_equal(run_family(&pl, 1), "Noto Serif CJK SC");
    wy_para_layout_release(&pl);

    span.flags = 0;
    span.role = "heading";
    lay_out(&p, 320, NULL, &pl);
    assert_string_equal(run_family(&pl, 0), "Noto Sans CJK SC");
    wy_para_layout_release(&pl);
}

/* Letter spacing goes between characters only, so a two-character name
   spaced by 1 em is exactly as wide as a three-character one (CJK.md §9). */
static void test_letter_spacing(void **state)
{
    (void)state;
    WyStyle s = body_style();
    s.align = WY_ALIGN_START;
    WyPara three = para_of(&s, "张三丰");
    WyParaLayout plain, spaced;
    lay_out(&three, 320, NULL, &plain);
    static WyStyle wide;
    wide = s;
    wide.letter_spacing_pt = 16;
    WyPara two = para_of(&wide, "李四");
    lay_out(&two, 320, NULL, &spaced);
    assert_true(fabs(plain.lines[0].width_pt - 48) < 0.01);
    assert_true(fabs(spaced.lines[0].width_pt - 48) < 0.01);
    wy_para_layout_release(&plain);
    wy_para_layout_release(&spaced);
}

static void test_superscript_and_colour(void **state)
{
    (void)state;
    WyStyle s = body_style();
    s.color = 0xE60012;
    WySpan span = {.start = strlen("面积"), .end = strlen("面积2"), .flags = WY_SPAN_SUPERSCRIPT, .color = WY_COLOR_NONE};
    WyPara p = para_of(&s, "面积2");
    p.spans = &span;
    p.n_spans = 1;
    WyParaLayout pl;
    lay_out(&p, 320, NULL, &pl);
    PangoAttrIterator *it = pango_attr_list_get_iterator(pango_layout_get_attributes(pl.layout));
    bool rise = false, red = false;
    do {
        PangoAttrInt *r = (PangoAttrInt *)pango_attr_iterator_get(it, PANGO_ATTR_RISE);
        if (r && r->value == (int)(0.35 * 16 * PANGO_SCALE))
            rise = true;
        PangoAttrColor *c = (PangoAttrColor *)pango_attr_iterator_get(it, PANGO_ATTR_FOREGROUND);
        if (c && c->color.red == 0xE6 * 257 && c->color.green == 0 && c->color.blue == 0x12 * 257)
            red = true;
    } while (pango_attr_iterator_next(it));
    pango_attr_iterator_destroy(it);
    assert_true(rise);
    assert_true(red);
    wy_para_layout_release(&pl);
}

static void test_empty_paragraph_has_one_line(void **state)
{
    (void)state;
    WyStyle s = body_style();
    WyPara p = para_of(&s, "");
    WyParaLayout pl;
    lay_out(&p, 320, NULL, &pl);
    assert_int_equal(pl.n_lines, 1);
    assert_true(pl.height_pt == 28.9);
    wy_para_layout_release(&pl);
}

static void test_invalid_utf8_is_an_error(void **state)
{
    (void)state;
    WyStyle s = body_style();
    WyPara p = para_of(&s, "社\xff工");
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyParaLayout pl;
    assert_false(wy_para_layout(para_ctx, &p, 320, NULL, wy_loc("data.csv", 14, 3), &d, &pl));
    assert_non_null(strstr(wy_buf_str(&d.text), "data.csv:14:3: error:"));
    assert_null(pl.layout);
    wy_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_justified_lines_fill_the_measure, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_fixed_pitch_and_constant_baseline, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_first_line_indent, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_first_line_indent_with_forced_break, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_side_indents, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_alignment, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_page_fields_and_outside_alignment, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_language_picks_the_face, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_span_role_and_mono, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_letter_spacing, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_superscript_and_colour, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_empty_paragraph_has_one_line, ctx_setup, ctx_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_is_an_error, ctx_setup, ctx_teardown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
