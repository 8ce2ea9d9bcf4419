/* Coverage: characters set in a face their role does not allow, or in
   none, reported once each at the paragraph's data line. Relies on the
   installed fonts: 鿫 (U+9FEB, element 118) is in Noto Sans CJK but not in
   Noto Serif CJK SC; 刏 (U+520F) is in Noto Serif CJK SC but not in
   AR PL UKai CN; U+F8FF and U+F0000 (private use) are in no font. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "layout/coverage.h"
#include "layout/fonts.h"
#include "layout/para.h"
#include "fonts_support.h"

#define ELEMENT_118 "\xE9\xBF\xAB"   /* 鿫 U+9FEB */
#define NOT_IN_UKAI "\xE5\x88\x8F"   /* 刏 U+520F */
#define PUA_F8FF "\xEF\xA3\xBF"      /* U+F8FF */

static WyDiag setup_diag;

/* Each test: a fresh diagnostics buffer (printing nothing), paragraph
   context and coverage check. */
typedef struct Fixture {
    WyDiag diag;
    WyParaCtx *para;
    WyCoverage *coverage;
} Fixture;

static int group_setup(void **state)
{
    (void)state;
    wy_diag_init(&setup_diag, stderr);
    fonts = wy_fonts_new("fonts/fonts.conf", &setup_diag);
    return fonts ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    wy_fonts_free(fonts);
    wy_diag_release(&setup_diag);
    return 0;
}

static int fixture_setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    wy_diag_init(&f->diag, NULL);
    f->para = wy_para_ctx_new(wy_fonts_context(fonts));
    f->coverage = wy_coverage_new(fonts, &f->diag);
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    Fixture *f = *state;
    wy_coverage_free(f->coverage);
    wy_para_ctx_free(f->para);
    wy_diag_release(&f->diag);
    free(f);
    return 0;
}

/* Lays out PARA and checks it at FILE:LINE. */
static void check_para(Fixture *f, const WyPara *para, const char *file, int line)
{
    WyParaLayout pl;
    WyLoc loc = wy_loc(file, line, 1);
    assert_true(wy_para_layout(f->para, para, 200.0, NULL, loc, &f->diag, &pl));
    wy_coverage_check(f->coverage, &pl, para, loc);
    wy_para_layout_release(&pl);
}

/* Lays out TEXT in STYLE (spans may be NULL) and checks it at FILE:LINE. */
static void check_text(Fixture *f, const WyStyle *style, const char *text, const WySpan *spans, size_t n_spans,
                       const char *file, int line)
{
    WyPara para = {.style = style, .text = text, .spans = (WySpan *)spans, .n_spans = n_spans};
    check_para(f, &para, file, line);
}

static int count(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static const char *said(const Fixture *f)
{
    return wy_buf_str(&f->diag.text);
}

static const WyStyle BODY = {.name = "body", .role = "body", .lang = "zh-Hans", .size_pt = 12, .weight = 400};
static const WyStyle KAI = {.name = "kai", .role = "kai", .lang = "zh-Hans", .size_pt = 12, .weight = 400};
static const WyStyle LATIN = {.name = "latin", .role = "latin", .lang = "en", .size_pt = 12, .weight = 400};
static const WyStyle HANT = {.name = "hant", .role = "body", .lang = "zh-Hant", .size_pt = 12, .weight = 400};

static void test_covered_text_is_silent(void **state)
{
    Fixture *f = *state;
    check_text(f, &BODY, "德清县社会工作站以“五社联动”为抓手，服务 2611 名群众（PDF、A4）。\n第二行", NULL, 0, "a.md",
               3);
    check_text(f, &LATIN, "Social work week 社会工作宣传周 — 2023", NULL, 0, "a.md", 5);
    check_text(f, &HANT, "臺灣社會工作，「五社聯動」。", NULL, 0, "a.md", 7);
    assert_string_equal(said(f), "");
    assert_int_equal(wy_coverage_reported(f->coverage), 0);
}

static void test_fallback_is_reported_once_per_file(void **state)
{
    Fixture *f = *state;
    check_text(f, &BODY, "第118号元素名为" ELEMENT_118 "，重复一次" ELEMENT_118 "。", NULL, 0, "news.md", 9);
    check_text(f, &BODY, "下一段又有" ELEMENT_118 "。", NULL, 0, "news.md", 12);
    assert_string_equal(said(f), "news.md:9:1: warning: " ELEMENT_118 " (U+9FEB) is not in Noto Serif CJK SC (role body); "
                                 "it was set in Noto Sans CJK SC\n");
    /* another file is another report */
    check_text(f, &BODY, ELEMENT_118, NULL, 0, "awardees.csv", 5);
    assert_int_equal(count(said(f), "awardees.csv:5:1: warning: " ELEMENT_118 " (U+9FEB)"), 1);
    assert_int_equal(wy_coverage_reported(f->coverage), 2);
    assert_int_equal(f->diag.warnings, 2);
    assert_false(wy_diag_failed(&f->diag));
}

/* A character from a spreadsheet cell is reported at the cell's row. */
static void test_data_text_is_reported_at_its_row(void **state)
{
    Fixture *f = *state;
    static const char text[] = "获奖者：张" ELEMENT_118 "（" ELEMENT_118 "）";
    size_t start = strlen("获奖者：");
    WyOrigin origin = {start, start + strlen("张" ELEMENT_118), wy_loc("awardees.csv", 14, 1)};
    WyPara para = {.style = &BODY, .text = text, .origins = &origin, .n_origins = 1};
    check_para(f, &para, "award-list.xml", 120);
    /* the cell's character at its row; the same character in the
       template's own text around it at the template */
    assert_string_equal(said(f), "awardees.csv:14:1: warning: " ELEMENT_118 " (U+9FEB) is not in Noto Serif CJK SC "
                                 "(role body); it was set in Noto Sans CJK SC\n"
                                 "award-list.xml:120:1: warning: " ELEMENT_118 " (U+9FEB) is not in Noto Serif CJK SC "
                                 "(role body); it was set in Noto Sans CJK SC\n");
    assert_int_equal(wy_coverage_reported(f->coverage), 2);
}

static void test_missing_glyph_is_reported_once(void **state)
{
    Fixture *f = *state;
    check_text(f, &BODY, "私用区字符“" PUA_F8FF "”和" PUA_F8FF "。", NULL, 0, "news.md", 14);
    assert_string_equal(said(f), "news.md:14:1: warning: U+F8FF has no glyph in any installed font; it prints as a box\n");
}

static void test_span_role_is_checked_against_its_own_faces(void **state)
{
    Fixture *f = *state;
    /* 刏 is in the body face, so only the kai span reports it */
    const char *text = NOT_IN_UKAI "和" NOT_IN_UKAI;
    WySpan span = {.start = strlen(NOT_IN_UKAI "和"), .end = strlen(text), .color = WY_COLOR_NONE, .role = "kai"};
    check_text(f, &BODY, text, &span, 1, "news.md", 20);
    assert_string_equal(said(f), "news.md:20:1: warning: " NOT_IN_UKAI " (U+520F) is not in AR PL UKai CN (role kai); "
                                 "it was set in Noto Serif CJK SC\n");
    /* again in a kai paragraph of the same file: not repeated */
    check_text(f, &KAI, "签名：" NOT_IN_UKAI, NULL, 0, "news.md", 21);
    assert_int_equal(count(said(f), "warning:"), 1);
}

static void test_strict_makes_it_an_error(void **state)
{
    Fixture *f = *state;
    f->diag.warnings_are_errors = true;
    check_text(f, &BODY, "元素" ELEMENT_118, NULL, 0, "news.md", 9);
    assert_true(wy_diag_failed(&f->diag));
    assert_int_equal(wy_diag_exit_code(&f->diag), 1);
    assert_non_null(strstr(said(f), "news.md:9:1: error: " ELEMENT_118 " (U+9FEB) is not in Noto Serif CJK SC"));
}

static void test_reports_are_capped_with_a_summary(void **state)
{
    Fixture *f = *state;
    /* 60 distinct private-use characters of plane 15, which no font has */
    WyBuf text;
    wy_buf_init(&text);
    for (unsigned cp = 0xF0000; cp < 0xF0000 + 60; cp++)
        wy_buf_put_utf8(&text, cp);
    check_text(f, &BODY, wy_buf_str(&text), NULL, 0, "big.csv", 2);
    wy_buf_release(&text);
    assert_int_equal(wy_coverage_reported(f->coverage), WY_COVERAGE_MAX_REPORTS);
    assert_int_equal(count(said(f), "big.csv:2:1: warning: U+F"), WY_COVERAGE_MAX_REPORTS);
    assert_non_null(strstr(said(f), "U+F0031 has no glyph"));
    assert_null(strstr(said(f), "U+F0032"));
    wy_coverage_free(f->coverage);
    f->coverage = NULL;
    assert_non_null(strstr(said(f), "wenyin: warning: 10 more characters are not in their role's face or have no "
                                    "glyph; only the first 50 are listed\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_covered_text_is_silent, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_fallback_is_reported_once_per_file, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_missing_glyph_is_reported_once, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_data_text_is_reported_at_its_row, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_span_role_is_checked_against_its_own_faces, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_strict_makes_it_an_error, fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_reports_are_capped_with_a_summary, fixture_setup, fixture_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
