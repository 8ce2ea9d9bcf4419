/* Font roles: fonts/fonts.conf on top of the system configuration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expand/box.h"
#include "layout/fonts.h"
#include "fonts_support.h"

/* The box module frees a document's images; these tests load none. Weak,
   so the real image module wins when it is linked. */
__attribute__((weak)) void wy_image_free(WyImage *img)
{
    if (!img)
        return;
    free(img->path);
    free(img->bytes);
    free(img);
}

static WyDiag diag;

static int setup(void **state)
{
    (void)state;
    wy_diag_init(&diag, stderr);
    fonts = wy_fonts_new("fonts/fonts.conf", &diag);
    return fonts ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    wy_fonts_free(fonts);
    wy_diag_release(&diag);
    return 0;
}

static void assert_resolves(const char *role, const char *lang, bool bold, const char *face)
{
    char *got = wy_fonts_resolve(fonts, role, lang, bold);
    assert_non_null(got);
    if (strcmp(got, face) != 0)
        fail_msg("role %s (%s%s) resolved to \"%s\", expected \"%s\"", role, lang, bold ? ", bold" : "", got, face);
    g_free(got);
}

static void test_roles_resolve_to_cjk_faces(void **state)
{
    (void)state;
    assert_resolves("body", "zh-Hans", false, "Noto Serif CJK SC");
    assert_resolves("title", "zh-Hans", true, "Noto Serif CJK SC");
    assert_resolves("heading", "zh-Hans", false, "Noto Sans CJK SC");
    assert_resolves("kai", "zh-Hans", false, "AR PL UKai CN");
    assert_resolves("fangsong", "zh-Hans", false, "Noto Serif CJK SC");
    assert_resolves("mono", "zh-Hans", false, "Noto Sans Mono CJK SC");
    assert_resolves("latin", "en", false, "Noto Serif");
}

static void test_traditional_takes_tc_faces(void **state)
{
    (void)state;
    assert_resolves("body", "zh-Hant", false, "Noto Serif CJK TC");
    assert_resolves("body", "zh-TW", false, "Noto Serif CJK TC");
    assert_resolves("body", "zh-HK", false, "Noto Serif CJK TC");
    assert_resolves("heading", "zh-Hant", false, "Noto Sans CJK TC");
    assert_resolves("kai", "zh-Hant", false, "AR PL UKai TW");
    /* and Simplified stays SC */
    assert_resolves("heading", "zh-CN", false, "Noto Sans CJK SC");
}

static void test_unknown_role(void **state)
{
    (void)state;
    assert_null(wy_fonts_resolve(fonts, "comic", "zh-Hans", false));
    assert_null(wy_fonts_family("comic"));
    assert_string_equal(wy_fonts_family("kai"), "wenyin-kai");
}

static void test_every_template_role_has_a_family(void **state)
{
    (void)state;
    int n = 0;
    for (const char *const *role = wy_font_roles; *role; role++, n++) {
        const char *family = wy_fonts_family(*role);
        assert_non_null(family);
        assert_int_equal(strncmp(family, "wenyin-", 7), 0);
        assert_string_equal(family + 7, *role);
    }
    assert_int_equal(n, 7);
}

static void test_lang_tags(void **state)
{
    (void)state;
    assert_string_equal(wy_fonts_lang_tag(NULL), "zh-cn");
    assert_string_equal(wy_fonts_lang_tag("zh-Hans"), "zh-cn");
    assert_string_equal(wy_fonts_lang_tag("zh"), "zh-cn");
    assert_string_equal(wy_fonts_lang_tag("zh-Hant"), "zh-tw");
    assert_string_equal(wy_fonts_lang_tag("zh-Hant-HK"), "zh-tw");
    assert_string_equal(wy_fonts_lang_tag("zh-Hans-HK"), "zh-cn");
    assert_string_equal(wy_fonts_lang_tag("zh_TW"), "zh-tw");
    assert_string_equal(wy_fonts_lang_tag("en-GB"), "en");
    assert_string_equal(wy_fonts_lang_tag("ja"), "ja");
}

/* The face pango actually uses for Han text in a role: the first run's font. */
static char *pango_face(const char *family, const char *lang, const char *text, bool bold, bool *embolden)
{
    PangoContext *ctx = wy_fonts_context(fonts);
    PangoLayout *layout = pango_layout_new(ctx);
    PangoFontDescription *desc = pango_font_description_from_string(family);
    pango_font_description_set_size(desc, 16 * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(desc, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(layout, desc);
    PangoAttrList *attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_language_new(wy_fonts_language(lang)));
    pango_layout_set_attributes(layout, attrs);
    pango_attr_list_unref(attrs);
    pango_layout_set_text(layout, text, -1);
    PangoLayoutLine *line = pango_layout_get_line_readonly(layout, 0);
    PangoGlyphItem *run = line->runs->data;
    PangoFont *font = run->item->analysis.font;
    PangoFontDescription *used = pango_font_describe(font);
    char *name = g_strdup(pango_font_description_get_family(used));
    if (embolden) {
        FcPattern *pattern = pango_fc_font_get_pattern(PANGO_FC_FONT(font));
        FcBool value = FcFalse;
        FcPatternGetBool(pattern, FC_EMBOLDEN, 0, &value);
        *embolden = value;
    }
    pango_font_description_free(used);
    pango_font_description_free(desc);
    g_object_unref(layout);
    return name;
}

static void test_pango_uses_the_roles(void **state)
{
    (void)state;
    char *face = pango_face("wenyin-body", "zh-Hans", "社工站", false, NULL);
    assert_string_equal(face, "Noto Serif CJK SC");
    g_free(face);
    face = pango_face("wenyin-body", "zh-Hant", "社工站", false, NULL);
    assert_string_equal(face, "Noto Serif CJK TC");
    g_free(face);
    /* punctuation alone follows the language too */
    face = pango_face("wenyin-body", "zh-Hant", "，。", false, NULL);
    assert_string_equal(face, "Noto Serif CJK TC");
    g_free(face);
    /* a Latin role still draws Han text in the Song face */
    face = pango_face("wenyin-latin", "en", "社", false, NULL);
    assert_string_equal(face, "Noto Serif CJK SC");
    g_free(face);
}

static void test_kai_bold_is_synthetic(void **state)
{
    (void)state;
    bool embolden = false;
    char *face = pango_face("wenyin-kai", "zh-Hans", "楷体", true, &embolden);
    assert_string_equal(face, "AR PL UKai CN");
    assert_true(embolden);
    g_free(face);
    face = pango_face("wenyin-body", "zh-Hans", "宋体", true, &embolden);
    assert_string_equal(face, "Noto Serif CJK SC");
    assert_false(embolden); /* a real bold face exists */
    g_free(face);
}

static void test_allowed_faces(void **state)
{
    (void)state;
    char **body = wy_fonts_allowed_faces(fonts, "body", "zh-Hans");
    assert_non_null(body);
    assert_string_equal(body[0], "Noto Serif CJK SC");
    assert_string_equal(body[1], "Noto Serif");
    assert_string_equal(body[2], "DejaVu Serif");
    assert_null(body[3]);
    g_strfreev(body);
    /* kai: the Song face after UKai is a substitute, not an allowed face */
    char **kai = wy_fonts_allowed_faces(fonts, "kai", "zh-Hans");
    assert_string_equal(kai[0], "AR PL UKai CN");
    assert_string_equal(kai[1], "Noto Serif");
    assert_null(kai[2]);
    g_strfreev(kai);
    /* latin: its Han text goes to the Song face it declares */
    char **latin = wy_fonts_allowed_faces(fonts, "latin", "en");
    assert_string_equal(latin[0], "Noto Serif");
    assert_string_equal(latin[1], "DejaVu Serif");
    assert_string_equal(latin[2], "Noto Serif CJK SC");
    assert_null(latin[3]);
    g_strfreev(latin);
    char **hant = wy_fonts_allowed_faces(fonts, "body", "zh-Hant");
    assert_string_equal(hant[0], "Noto Serif CJK TC");
    g_strfreev(hant);
    assert_null(wy_fonts_allowed_faces(fonts, "nosuchrole", "zh-Hans"));
}

static void test_count_covered(void **state)
{
    (void)state;
    const uint32_t chars[] = {0x4E2D /* 中 */, 0x9FEB /* 鿫, only in Noto Sans CJK */, 0x520F /* 刏, not in UKai */,
                              0xF8FF};
    assert_int_equal(wy_fonts_count_covered(fonts, "body", "zh-Hans", chars, 4), 2);
    assert_int_equal(wy_fonts_count_covered(fonts, "heading", "zh-Hans", chars, 4), 3);
    assert_int_equal(wy_fonts_count_covered(fonts, "kai", "zh-Hans", chars, 4), 1);
    assert_int_equal(wy_fonts_count_covered(fonts, "latin", "zh-Hans", chars, 4), 0);
    assert_int_equal(wy_fonts_count_covered(fonts, "nosuchrole", "zh-Hans", chars, 4), 0);
}

static void test_context_settings(void **state)
{
    (void)state;
    PangoContext *ctx = wy_fonts_context(fonts);
    assert_false(pango_context_get_round_glyph_positions(ctx));
    assert_string_equal(pango_language_to_string(pango_context_get_language(ctx)), "zh-cn");
    assert_true(pango_cairo_context_get_resolution(ctx) == 72.0);
    const cairo_font_options_t *options = pango_cairo_context_get_font_options(ctx);
    assert_non_null(options);
    assert_int_equal(cairo_font_options_get_hint_metrics(options), CAIRO_HINT_METRICS_OFF);
    assert_int_equal(cairo_font_options_get_hint_style(options), CAIRO_HINT_STYLE_NONE);
}

static void test_missing_conf_is_an_error(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_null(wy_fonts_new("tests/unit/fixtures/fonts/no-such.conf", &d));
    assert_true(wy_diag_failed(&d));
    assert_non_null(strstr(wy_buf_str(&d.text), "no-such.conf"));
    wy_diag_release(&d);
}

static void test_role_without_cjk_face_is_an_error(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_null(wy_fonts_new("tests/unit/fixtures/fonts/latin-body.conf", &d));
    assert_true(wy_diag_failed(&d));
    const char *msg = wy_buf_str(&d.text);
    assert_non_null(strstr(msg, "latin-body.conf"));
    assert_non_null(strstr(msg, "body"));
    assert_non_null(strstr(msg, "DejaVu Serif"));
    wy_diag_release(&d);
}

static void test_malformed_conf_is_an_error(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_null(wy_fonts_new("tests/unit/fixtures/fonts/broken.conf", &d));
    assert_true(wy_diag_failed(&d));
    assert_non_null(strstr(wy_buf_str(&d.text), "broken.conf"));
    wy_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_resolve_to_cjk_faces),
        cmocka_unit_test(test_traditional_takes_tc_faces),
        cmocka_unit_test(test_unknown_role),
        cmocka_unit_test(test_every_template_role_has_a_family),
        cmocka_unit_test(test_lang_tags),
        cmocka_unit_test(test_pango_uses_the_roles),
        cmocka_unit_test(test_kai_bold_is_synthetic),
        cmocka_unit_test(test_allowed_faces),
        cmocka_unit_test(test_count_covered),
        cmocka_unit_test(test_context_settings),
        cmocka_unit_test(test_missing_conf_is_an_error),
        cmocka_unit_test(test_role_without_cjk_face_is_an_error),
        cmocka_unit_test(test_malformed_conf_is_an_error),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
