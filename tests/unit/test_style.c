/* Styles, lengths and colours: 号 sizes (CJK.md §7), units, borders,
   page sizes, and style inheritance with em lengths resolved against each
   style's own size. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "expand_support.h"
#include "expand/style.h"

#define MM(x) ((x) * 72.0 / 25.4)

static void hao_sizes_follow_the_table(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double pt;
    } table[] = {
        {"初号", 42}, {"小初", 36}, {"一号", 26}, {"小一", 24}, {"二号", 22}, {"小二", 18},
        {"三号", 16}, {"小三", 15}, {"四号", 14}, {"小四", 12}, {"五号", 10.5}, {"小五", 9},
        {"六号", 7.5}, {"小六", 6.5}, {"七号", 5.5}, {"八号", 5}, {"小四号", 12}, {"小初号", 36},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        double pt = 0;
        assert_true(wy_length_parse(table[i].name, 16, &pt));
        assert_float_equal(pt, table[i].pt, 1e-9);
        assert_float_equal(wy_hao_size_pt(table[i].name), table[i].pt, 1e-9);
    }
}

static void hao_size_mistakes_are_not_lengths(void **state)
{
    (void)state;
    double pt;
    assert_false(wy_length_parse("三", 16, &pt));     /* a numeral, not a size */
    assert_false(wy_length_parse("小七", 16, &pt));   /* there is no 小七 */
    assert_false(wy_length_parse("九号", 16, &pt));
    assert_false(wy_length_parse("三号字", 16, &pt));
    assert_float_equal(wy_hao_size_pt("小八"), 0, 0);
}

static void units_convert_to_points(void **state)
{
    (void)state;
    double pt;
    assert_true(wy_length_parse("16pt", 10, &pt));
    assert_float_equal(pt, 16, 1e-9);
    assert_true(wy_length_parse("25.4mm", 10, &pt));
    assert_float_equal(pt, 72, 1e-9);
    assert_true(wy_length_parse("1cm", 10, &pt));
    assert_float_equal(pt, MM(10), 1e-9);
    assert_true(wy_length_parse("0.5in", 10, &pt));
    assert_float_equal(pt, 36, 1e-9);
    assert_true(wy_length_parse("2em", 14, &pt));
    assert_float_equal(pt, 28, 1e-9);
    assert_true(wy_length_parse(" 1.5em ", 16, &pt));
    assert_float_equal(pt, 24, 1e-9);
    assert_true(wy_length_parse("-2em", 16, &pt));
    assert_float_equal(pt, -32, 1e-9);
    assert_true(wy_length_parse("0", 16, &pt));
    assert_float_equal(pt, 0, 0);
    assert_true(wy_length_parse(".5pt", 16, &pt));
    assert_float_equal(pt, 0.5, 1e-9);
}

static void bad_lengths_are_refused(void **state)
{
    (void)state;
    double pt;
    const char *bad[] = {"", "pt", "16", "16 px", "16px", "1,5mm", "16ptt", "1e3pt", "--2em", "99999cm", "12pt red"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(wy_length_parse(bad[i], 16, &pt));
}

static void factors_and_percentages_only_where_allowed(void **state)
{
    (void)state;
    WyLen len;
    assert_false(wy_len_parse("1.5", 0, &len));
    assert_true(wy_len_parse("1.5", WY_LEN_ALLOW_FACTOR, &len));
    assert_int_equal(len.unit, WY_LEN_FACTOR);
    assert_float_equal(wy_len_resolve(len, 16, 0), 24, 1e-9);
    assert_false(wy_len_parse("50%", 0, &len));
    assert_true(wy_len_parse("50%", WY_LEN_ALLOW_PERCENT, &len));
    assert_float_equal(wy_len_resolve(len, 16, 442), 221, 1e-9);
    assert_false(wy_len_parse("-1pt", 0, &len));
}

static void explain_names_the_value_and_the_forms(void **state)
{
    (void)state;
    WyBuf why;
    wy_buf_init(&why);
    wy_len_explain("3hao", 0, &why);
    assert_string_equal(wy_buf_str(&why),
                        "\"3hao\" is not a length; write a length such as 16pt, 5mm, 2em or a size such as 三号 or 小四");
    wy_buf_release(&why);
}

static void colours(void **state)
{
    (void)state;
    WyColor c;
    assert_true(wy_color_parse("#E60012", &c));
    assert_int_equal(c, 0xE60012);
    assert_true(wy_color_parse("#e60012", &c));
    assert_int_equal(c, 0xE60012);
    assert_true(wy_color_parse("#F00", &c));
    assert_int_equal(c, 0xFF0000);
    assert_true(wy_color_parse("red", &c));
    assert_int_equal(c, 0xE60012); /* the masthead red, not #FF0000 */
    assert_true(wy_color_parse("Black", &c));
    assert_int_equal(c, 0x000000);
    assert_true(wy_color_parse("gray", &c));
    assert_int_equal(c, 0x808080);
    assert_false(wy_color_parse("#GG0000", &c));
    assert_false(wy_color_parse("#12345", &c));
    assert_false(wy_color_parse("crimson-ish", &c));
    assert_false(wy_color_parse("", &c));
}

static void borders_take_a_width_and_an_optional_colour(void **state)
{
    (void)state;
    WyBorder b;
    WyBuf why;
    wy_buf_init(&why);
    assert_true(wy_border_parse("0.5pt red", 16, &b, &why));
    assert_float_equal(b.width_pt, 0.5, 1e-9);
    assert_int_equal(b.color, 0xE60012);
    assert_true(wy_border_parse("1mm", 16, &b, &why));
    assert_float_equal(b.width_pt, MM(1), 1e-9);
    assert_int_equal(b.color, WY_COLOR_BLACK);
    assert_true(wy_border_parse("none", 16, &b, &why));
    assert_float_equal(b.width_pt, 0, 0);
    assert_false(wy_border_parse("thick red", 16, &b, &why));
    assert_non_null(strstr(wy_buf_str(&why), "\"thick red\" is not a border"));
    wy_buf_clear(&why);
    assert_false(wy_border_parse("1pt reddish", 16, &b, &why));
    assert_non_null(strstr(wy_buf_str(&why), "\"reddish\" is not a colour"));
    wy_buf_release(&why);
}

static void four_lengths_like_css(void **state)
{
    (void)state;
    double v[4];
    assert_true(wy_lengths4_parse("37mm 26mm 35mm 28mm", 16, v));
    assert_float_equal(v[0], MM(37), 1e-9);
    assert_float_equal(v[1], MM(26), 1e-9);
    assert_float_equal(v[2], MM(35), 1e-9);
    assert_float_equal(v[3], MM(28), 1e-9);
    assert_true(wy_lengths4_parse("2mm 1em", 10, v));
    assert_float_equal(v[0], MM(2), 1e-9);
    assert_float_equal(v[1], 10, 1e-9);
    assert_float_equal(v[2], MM(2), 1e-9);
    assert_float_equal(v[3], 10, 1e-9);
    assert_true(wy_lengths4_parse("1pt 2pt 3pt", 10, v));
    assert_float_equal(v[3], 2, 1e-9);
    assert_false(wy_lengths4_parse("1pt 2pt 3pt 4pt 5pt", 10, v));
    assert_false(wy_lengths4_parse("", 10, v));
    assert_false(wy_lengths4_parse("1pt wide", 10, v));
}

static void page_sizes(void **state)
{
    (void)state;
    double w, h;
    assert_true(wy_page_size_parse("A4", &w, &h));
    assert_float_equal(w, A4_WIDTH_PT, 1e-9);
    assert_float_equal(h, A4_HEIGHT_PT, 1e-9);
    assert_true(wy_page_size_parse("b5", &w, &h));
    assert_float_equal(w, MM(176), 1e-9);
    assert_true(wy_page_size_parse("185mm x 260mm", &w, &h));
    assert_float_equal(w, MM(185), 1e-9);
    assert_float_equal(h, MM(260), 1e-9);
    assert_true(wy_page_size_parse("8.5in×11in", &w, &h));
    assert_float_equal(w, 612, 1e-9);
    assert_float_equal(h, 792, 1e-9);
    assert_false(wy_page_size_parse("A9", &w, &h));
    assert_false(wy_page_size_parse("185mm", &w, &h));
    assert_false(wy_page_size_parse("50% x 2em", &w, &h));
}

static WyStyleSpec spec_of(const char *const *pairs)
{
    WyStyleSpec spec;
    memset(&spec, 0, sizeof spec);
    WyBuf why;
    wy_buf_init(&why);
    for (; *pairs; pairs += 2)
        if (!wy_style_spec_set(&spec, pairs[0], pairs[1], &why))
            fail_msg("%s", wy_buf_str(&why));
    wy_buf_release(&why);
    return spec;
}

static void inheritance_resolves_em_against_each_size(void **state)
{
    (void)state;
    WyStyleSheet *sheet = wy_stylesheet_new();
    WyDiag d;
    wy_diag_init(&d, NULL);
    const char *body[] = {"size", "四号", "line-height", "1.75", "indent", "2em", "align", "justify", NULL};
    const char *title[] = {"size", "小二", "weight", "bold", "role", "title", "color", "red", NULL};
    const char *small[] = {"size", "0.75em", NULL};
    WyStyleSpec s1 = spec_of(body), s2 = spec_of(title), s3 = spec_of(small);
    assert_true(wy_stylesheet_define(sheet, "body", NULL, &s1, wy_loc("t.xml", 3, 3)));
    assert_true(wy_stylesheet_define(sheet, "title", "body", &s2, wy_loc("t.xml", 4, 3)));
    assert_true(wy_stylesheet_define(sheet, "note", "title", &s3, wy_loc("t.xml", 5, 3)));
    assert_false(wy_stylesheet_define(sheet, "body", NULL, &s1, wy_loc("t.xml", 6, 3)));
    assert_true(wy_stylesheet_resolve(sheet, &d));

    const WyStyle *b = wy_stylesheet_get(sheet, wy_stylesheet_lookup(sheet, "body"));
    assert_float_equal(b->size_pt, 14, 1e-9);
    assert_float_equal(b->line_height_pt, 24.5, 1e-9);
    assert_float_equal(b->first_indent_pt, 28, 1e-9);
    assert_int_equal(b->align, WY_ALIGN_JUSTIFY);
    assert_string_equal(b->role, "body");
    assert_string_equal(b->lang, "zh-Hans");
    assert_int_equal(b->orphans, 2);

    const WyStyle *t = wy_stylesheet_get(sheet, wy_stylesheet_lookup(sheet, "title"));
    assert_float_equal(t->size_pt, 18, 1e-9);
    assert_float_equal(t->line_height_pt, 31.5, 1e-9); /* 1.75 of its own size */
    assert_float_equal(t->first_indent_pt, 36, 1e-9);  /* 2em of 18pt */
    assert_int_equal(t->weight, 700);
    assert_int_equal(t->color, 0xE60012);
    assert_int_equal(t->align, WY_ALIGN_JUSTIFY);       /* inherited */
    assert_string_equal(t->role, "title");

    const WyStyle *n = wy_stylesheet_get(sheet, wy_stylesheet_lookup(sheet, "note"));
    assert_float_equal(n->size_pt, 13.5, 1e-9);         /* 0.75em of title */
    assert_int_equal(n->weight, 700);

    /* the built-ins the template did not define */
    int heading = wy_stylesheet_lookup(sheet, "heading");
    assert_true(heading >= 0);
    const WyStyle *h = wy_stylesheet_get(sheet, heading);
    assert_true(h->keep_with_next);
    assert_string_equal(h->role, "heading");
    assert_float_equal(h->size_pt, 14, 1e-9);           /* based on the template's body */

    WyStyleSpec over = spec_of((const char *[]){"size", "二号", "align", "center", NULL});
    int derived = wy_stylesheet_derive(sheet, wy_stylesheet_lookup(sheet, "body"), &over);
    const WyStyle *dv = wy_stylesheet_get(sheet, derived);
    assert_float_equal(dv->size_pt, 22, 1e-9);
    assert_float_equal(dv->line_height_pt, 38.5, 1e-9);
    assert_float_equal(dv->first_indent_pt, 44, 1e-9);
    assert_int_equal(dv->align, WY_ALIGN_CENTER);
    assert_int_equal(d.errors, 0);
    wy_diag_release(&d);
    wy_stylesheet_free(sheet);
}

static void unknown_base_and_cycles_are_errors(void **state)
{
    (void)state;
    WyStyleSheet *sheet = wy_stylesheet_new();
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyStyleSpec none;
    memset(&none, 0, sizeof none);
    wy_stylesheet_define(sheet, "a", "missing", &none, wy_loc("t.xml", 7, 5));
    assert_false(wy_stylesheet_resolve(sheet, &d));
    assert_non_null(strstr(wy_buf_str(&d.text), "t.xml:7:5: error: style a is based on style missing, which is not defined"));
    wy_diag_release(&d);
    wy_stylesheet_free(sheet);

    sheet = wy_stylesheet_new();
    wy_diag_init(&d, NULL);
    wy_stylesheet_define(sheet, "a", "b", &none, wy_loc("t.xml", 2, 1));
    wy_stylesheet_define(sheet, "b", "a", &none, wy_loc("t.xml", 3, 1));
    assert_false(wy_stylesheet_resolve(sheet, &d));
    assert_non_null(strstr(wy_buf_str(&d.text), "is based on itself"));
    wy_diag_release(&d);
    wy_stylesheet_free(sheet);
}

static void bad_property_values_say_why(void **state)
{
    (void)state;
    WyStyleSpec spec;
    memset(&spec, 0, sizeof spec);
    WyBuf why;
    wy_buf_init(&why);
    assert_false(wy_style_spec_set(&spec, "role", "song", &why));
    assert_string_equal(wy_buf_str(&why),
                        "font role \"song\" is unknown; the roles are title, body, heading, kai, fangsong, latin, mono");
    wy_buf_clear(&why);
    assert_false(wy_style_spec_set(&spec, "size", "0pt", &why));
    assert_string_equal(wy_buf_str(&why), "size \"0pt\" must be more than 0");
    wy_buf_clear(&why);
    assert_false(wy_style_spec_set(&spec, "orphans", "0", &why));
    wy_buf_clear(&why);
    assert_false(wy_style_spec_set(&spec, "color", "#12", &why));
    assert_non_null(strstr(wy_buf_str(&why), "\"#12\" is not a colour"));
    assert_int_equal(spec.set, 0);
    assert_true(wy_style_spec_set(&spec, "line-height", "28.9pt", &why));
    assert_int_equal(spec.set, WY_SP_LINE_HEIGHT);
    assert_float_equal(spec.line_height.value, 28.9, 1e-9);
    wy_buf_release(&why);
}

static void template_styles_resolve_end_to_end(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc = expand_text("styles.xml", T_HEAD
        "  <style name='body' size='小四' line-height='1.5' indent='2em'/>\n"
        "  <style name='lead' base='body' size='三号' color='#A50010' keep-with-next='true'/>\n"
        "  <sequence>\n"
        "    <p style='lead'>导语</p>\n"
        "    <p style='lead' size='五号' align='center' weight='bold'>小字</p>\n"
        "    <p>正文</p>\n"
        "    <h>标题</h>\n"
        "  </sequence>\n" T_TAIL,
        "<data/>", &d);
    assert_non_null(doc);
    const WyBox *b = doc->sequences->blocks;
    const WyStyle *lead = b->u.para.style;
    assert_float_equal(lead->size_pt, 16, 1e-9);
    assert_float_equal(lead->line_height_pt, 24, 1e-9);
    assert_float_equal(lead->first_indent_pt, 32, 1e-9);
    assert_int_equal(lead->color, 0xA50010);
    assert_true(b->keep_with_next);
    const WyStyle *small = nth_box(b, 1)->u.para.style;
    assert_float_equal(small->size_pt, 10.5, 1e-9);
    assert_float_equal(small->line_height_pt, 15.75, 1e-9);
    assert_float_equal(small->first_indent_pt, 21, 1e-9);
    assert_int_equal(small->align, WY_ALIGN_CENTER);
    assert_int_equal(small->weight, 700);
    assert_int_equal(small->color, 0xA50010);
    assert_string_equal(small->name, "lead");
    assert_float_equal(nth_box(b, 2)->u.para.style->size_pt, 12, 1e-9);
    const WyBox *h = nth_box(b, 3);
    assert_string_equal(h->u.para.style->name, "heading");
    assert_true(h->keep_with_next);
    assert_true(h->u.para.style->keep_with_next);
    wy_document_free(doc);
    wy_diag_release(&d);
}

static void punctuation_and_writing_mode_resolve(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc = expand_text("modes.xml", T_HEAD
        "  <style name='tw' punctuation='full-width'/>\n"
        "  <style name='cover' base='tw' writing-mode='vertical-rl'/>\n"
        "  <sequence>\n"
        "    <p style='cover'>竖排标题</p>\n"
        "    <p style='cover' punctuation='half-width' writing-mode='horizontal-tb'>横排</p>\n"
        "    <p>正文</p>\n"
        "  </sequence>\n" T_TAIL,
        "<data/>", &d);
    assert_non_null(doc);
    const WyBox *b = doc->sequences->blocks;
    assert_int_equal(b->u.para.style->punctuation, WY_PUNCT_FULL_WIDTH);
    assert_true(b->u.para.style->vertical);
    assert_int_equal(nth_box(b, 1)->u.para.style->punctuation, WY_PUNCT_HALF_WIDTH);
    assert_false(nth_box(b, 1)->u.para.style->vertical);
    assert_int_equal(nth_box(b, 2)->u.para.style->punctuation, WY_PUNCT_COMPRESSED);
    assert_false(nth_box(b, 2)->u.para.style->vertical);
    wy_document_free(doc);
    wy_diag_release(&d);

    WyStyleSpec spec;
    memset(&spec, 0, sizeof spec);
    WyBuf why;
    wy_buf_init(&why);
    assert_false(wy_style_spec_set(&spec, "punctuation", "compact", &why));
    assert_string_equal(wy_buf_str(&why),
                        "punctuation \"compact\" is not one of compressed, full-width, half-width");
    wy_buf_clear(&why);
    assert_false(wy_style_spec_set(&spec, "writing-mode", "vertical-lr", &why));
    assert_string_equal(wy_buf_str(&why), "writing-mode \"vertical-lr\" is not horizontal-tb or vertical-rl");
    assert_int_equal(spec.set, 0);
    wy_buf_release(&why);
}

static void template_style_errors_point_at_the_attribute(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc = expand_text("bad-style.xml", T_HEAD
        "  <style name='body'\n"
        "         size='3hao'/>\n"
        "  <sequence><p>x</p></sequence>\n" T_TAIL,
        "<data/>", &d);
    assert_null(doc);
    assert_non_null(strstr(wy_buf_str(&d.text), "bad-style.xml:3:10: error: \"3hao\" is not a length"));
    wy_diag_release(&d);

    wy_diag_init(&d, NULL);
    doc = expand_text("bad-role.xml", T_HEAD
        "  <sequence>\n"
        "    <p role='song'>x</p>\n"
        "  </sequence>\n" T_TAIL,
        "<data/>", &d);
    assert_null(doc);
    assert_non_null(strstr(wy_buf_str(&d.text), "bad-role.xml:3:8: error: font role \"song\" is unknown"));
    wy_diag_release(&d);

    wy_diag_init(&d, NULL);
    doc = expand_text("no-style.xml", T_HEAD
        "  <style name='body' size='三号'/>\n"
        "  <sequence>\n"
        "    <p style='lead'>x</p>\n"
        "  </sequence>\n" T_TAIL,
        "<data/>", &d);
    assert_null(doc);
    assert_non_null(strstr(wy_buf_str(&d.text),
                           "no-style.xml:4:8: error: style lead is not defined; the styles are: body, heading, caption"));
    wy_diag_release(&d);

    wy_diag_init(&d, NULL);
    doc = expand_text("bad-colour.xml", T_HEAD
        "  <sequence>\n"
        "    <rule color='rouge'/>\n"
        "  </sequence>\n" T_TAIL,
        "<data/>", &d);
    assert_null(doc);
    assert_non_null(strstr(wy_buf_str(&d.text), "bad-colour.xml:3:11: error: color=\"rouge\" is not a colour"));
    wy_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hao_sizes_follow_the_table),
        cmocka_unit_test(hao_size_mistakes_are_not_lengths),
        cmocka_unit_test(units_convert_to_points),
        cmocka_unit_test(bad_lengths_are_refused),
        cmocka_unit_test(factors_and_percentages_only_where_allowed),
        cmocka_unit_test(explain_names_the_value_and_the_forms),
        cmocka_unit_test(colours),
        cmocka_unit_test(borders_take_a_width_and_an_optional_colour),
        cmocka_unit_test(four_lengths_like_css),
        cmocka_unit_test(page_sizes),
        cmocka_unit_test(inheritance_resolves_em_against_each_size),
        cmocka_unit_test(unknown_base_and_cycles_are_errors),
        cmocka_unit_test(bad_property_values_say_why),
        cmocka_unit_test(template_styles_resolve_end_to_end),
        cmocka_unit_test(punctuation_and_writing_mode_resolve),
        cmocka_unit_test(template_style_errors_point_at_the_attribute),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove_temp_dir();
    return failed;
}
