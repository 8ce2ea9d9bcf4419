/* Encodings of office files: detection, conversion to UTF-8, strict UTF-8
   validation, and the positions errors are reported at. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/buf.h"
#include "base/diag.h"
#include "data/encoding.h"

#define BYTES(s) (s), (sizeof(s) - 1)

static void detects_boms_and_falls_back_to_gb18030(void **state)
{
    (void)state;
    assert_int_equal(wy_encoding_detect(BYTES("name,unit\n")), WY_ENC_UTF8);
    assert_int_equal(wy_encoding_detect(BYTES("姓名,单位\n")), WY_ENC_UTF8);
    assert_int_equal(wy_encoding_detect(BYTES("\xEF\xBB\xBF姓名")), WY_ENC_UTF8_BOM);
    assert_int_equal(wy_encoding_detect(BYTES("\xFF\xFE\x53\x59")), WY_ENC_UTF16LE);
    assert_int_equal(wy_encoding_detect(BYTES("\xFE\xFF\x59\x53")), WY_ENC_UTF16BE);
    assert_int_equal(wy_encoding_detect(BYTES("\x84\x31\x95\x33\xD5\xC5")), WY_ENC_GB18030);
    /* 张三 in GBK is not UTF-8 */
    assert_int_equal(wy_encoding_detect(BYTES("\xD5\xC5\xC8\xFD")), WY_ENC_GB18030);
    assert_int_equal(wy_encoding_detect(BYTES("")), WY_ENC_UTF8);
    assert_string_equal(wy_encoding_name(WY_ENC_UTF16LE), "UTF-16LE");
}

static void converts_gb18030_to_utf8(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyBuf out;
    wy_buf_init(&out);
    /* "姓名,单位\r\n张三,民政局\r\n" as WPS saves it in GBK; CRLF is kept */
    assert_true(wy_encoding_to_utf8("s.csv",
                                    BYTES("\xD0\xD5\xC3\xFB,\xB5\xA5\xCE\xBB\r\n\xD5\xC5\xC8\xFD,"
                                          "\xC3\xF1\xD5\xFE\xBE\xD6\r\n"),
                                    &out, &d));
    assert_string_equal(wy_buf_str(&out), "姓名,单位\r\n张三,民政局\r\n");
    /* a four-byte GB18030 sequence: U+20000 𠀀 is 95 32 82 36 */
    assert_true(wy_encoding_to_utf8("s.csv", BYTES("\x95\x32\x82\x36"), &out, &d));
    assert_string_equal(wy_buf_str(&out), "\xF0\xA0\x80\x80");
    assert_false(wy_diag_failed(&d));
    wy_buf_release(&out);
    wy_diag_release(&d);
}

static void strips_boms(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyBuf out;
    wy_buf_init(&out);
    assert_true(wy_encoding_to_utf8("a.csv", BYTES("\xEF\xBB\xBF姓名\n"), &out, &d));
    assert_string_equal(wy_buf_str(&out), "姓名\n");
    assert_true(wy_encoding_to_utf8("a.csv", BYTES("\x84\x31\x95\x33\xD5\xC5"), &out, &d));
    assert_string_equal(wy_buf_str(&out), "张");
    /* UTF-16LE "名\tA" with its BOM, as Excel's Unicode text */
    assert_true(wy_encoding_to_utf8("a.txt", BYTES("\xFF\xFE\x0D\x54\x09\x00\x41\x00"), &out, &d));
    assert_string_equal(wy_buf_str(&out), "名\tA");
    assert_true(wy_encoding_to_utf8("a.txt", BYTES("\xFE\xFF\x54\x0D\x00\x0A"), &out, &d));
    assert_string_equal(wy_buf_str(&out), "名\n");
    assert_int_equal(out.len, 4);
    assert_false(wy_diag_failed(&d));
    wy_buf_release(&out);
    wy_diag_release(&d);
}

static void reports_bytes_that_are_neither_encoding(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyBuf out;
    wy_buf_init(&out);
    /* UTF-8 that breaks on line 2 after one Chinese character */
    assert_false(wy_encoding_to_utf8("bad.csv", BYTES("姓名,单位\n张\xFF三,x\n"), &out, &d));
    assert_string_equal(wy_buf_str(&d.text), "bad.csv:2:2: error: this file is neither UTF-8 nor GB18030 "
                                             "(bad byte 0xFF); save it again as UTF-8\n");
    assert_int_equal(wy_diag_exit_code(&d), 1);
    wy_buf_release(&out);
    wy_diag_release(&d);
}

static void reports_bad_bytes_in_gb18030_at_decoded_position(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyBuf out;
    wy_buf_init(&out);
    /* GBK "张三\n李四" then 0x80, which GB18030 does not allow alone:
       GB18030 got further than UTF-8, so its columns count: line 2, after
       two characters, column 3 */
    assert_false(wy_encoding_to_utf8("gb.csv", BYTES("\xD5\xC5\xC8\xFD\n\xC0\xEE\xCB\xC4\x80"), &out, &d));
    assert_non_null(strstr(wy_buf_str(&d.text), "gb.csv:2:3: error: this file is neither UTF-8 nor GB18030 "
                                                "(bad byte 0x80)"));
    wy_buf_release(&out);
    wy_diag_release(&d);
}

static void reports_broken_utf16(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyBuf out;
    wy_buf_init(&out);
    /* "a\nb" then a lone high surrogate D800 followed by 'c' */
    assert_false(wy_encoding_to_utf8("u.txt", BYTES("\xFF\xFE" "a\0\n\0b\0\x00\xD8" "c\0"), &out, &d));
    assert_non_null(strstr(wy_buf_str(&d.text), "u.txt:2:2: error: this UTF-16 file has a broken character"));
    wy_diag_release(&d);
    wy_diag_init(&d, NULL);
    /* odd length: the last character is cut in half */
    assert_false(wy_encoding_to_utf8("u.txt", BYTES("\xFF\xFE" "a\0b"), &out, &d));
    assert_non_null(strstr(wy_buf_str(&d.text), "u.txt:1:2: error: this UTF-16 file ends in the middle"));
    wy_buf_release(&out);
    wy_diag_release(&d);
}

static void rejects_nul_with_position(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyBuf out;
    wy_buf_init(&out);
    assert_false(wy_encoding_to_utf8("n.csv", BYTES("a,b\n中文\0x\n"), &out, &d));
    assert_non_null(strstr(wy_buf_str(&d.text), "n.csv:2:3: error: the file contains a NUL byte"));
    wy_buf_release(&out);
    wy_diag_release(&d);
}

static void honours_a_declared_encoding(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyBuf out;
    wy_buf_init(&out);
    assert_true(wy_encoding_convert("x.xml", BYTES("<a>\xD5\xC5</a>"), WY_ENC_GB18030, &out, &d));
    assert_string_equal(wy_buf_str(&out), "<a>张</a>");
    /* declared UTF-8 but GBK bytes: no silent guess */
    assert_false(wy_encoding_convert("x.xml", BYTES("<a>\xD5\xC5</a>"), WY_ENC_UTF8, &out, &d));
    assert_non_null(strstr(wy_buf_str(&d.text), "x.xml:1:4: error: this file is not valid UTF-8 (bad byte 0xD5)"));
    wy_buf_release(&out);
    wy_diag_release(&d);
}

static void validates_utf8_strictly(void **state)
{
    (void)state;
    assert_int_equal(wy_utf8_invalid_at(BYTES("abc")), 3);
    assert_int_equal(wy_utf8_invalid_at(BYTES("社工站")), 9);
    assert_int_equal(wy_utf8_invalid_at(BYTES("\xF0\xA0\x80\x80")), 4);   /* U+20000 */
    assert_int_equal(wy_utf8_invalid_at(BYTES("a\xC0\xAF")), 1);          /* overlong '/' */
    assert_int_equal(wy_utf8_invalid_at(BYTES("ab\xE0\x80\xAF")), 2);     /* overlong, 3 bytes */
    assert_int_equal(wy_utf8_invalid_at(BYTES("\xF0\x80\x80\xAF")), 0);   /* overlong, 4 bytes */
    assert_int_equal(wy_utf8_invalid_at(BYTES("x\xED\xA0\x80")), 1);      /* surrogate U+D800 */
    assert_int_equal(wy_utf8_invalid_at(BYTES("\xF4\x90\x80\x80")), 0);   /* beyond U+10FFFF */
    assert_int_equal(wy_utf8_invalid_at(BYTES("\xF5\x80\x80\x80")), 0);
    assert_int_equal(wy_utf8_invalid_at(BYTES("ab\x80")), 2);             /* stray continuation */
    assert_int_equal(wy_utf8_invalid_at(BYTES("中\xE6\x96")), 3);         /* cut short */
    assert_int_equal(wy_utf8_invalid_at("a\0b", 3), 1);                   /* NUL */
    assert_int_equal(wy_utf8_invalid_at(BYTES("\xEF\xBF\xBD")), 3);       /* U+FFFD is fine */
}

static void decodes_characters(void **state)
{
    (void)state;
    unsigned cp;
    assert_int_equal(wy_utf8_decode(BYTES("A"), &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(wy_utf8_decode(BYTES("站"), &cp), 3);
    assert_int_equal(cp, 0x7AD9);
    assert_int_equal(wy_utf8_decode(BYTES("\xF0\xA0\x80\x80"), &cp), 4);
    assert_int_equal(cp, 0x20000);
    assert_int_equal(wy_utf8_decode(BYTES("\xE7\xAB"), &cp), 1); /* cut short: the byte itself */
    assert_int_equal(cp, 0xE7);
}

static void positions_count_characters(void **state)
{
    (void)state;
    const char *text = "ab\n中文x\n\nz";
    int line, col;
    wy_text_position(text, 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    wy_text_position(text, (size_t)(strchr(text, 'x') - text), &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
    wy_text_position(text, (size_t)(strchr(text, 'z') - text), &line, &col);
    assert_int_equal(line, 4);
    assert_int_equal(col, 1);
}

static void finds_hidden_characters(void **state)
{
    (void)state;
    unsigned cp = 0;
    const char *rlo = "张三\xE2\x80\xAE" "abc"; /* U+202E after two characters */
    assert_int_equal(wy_text_hidden_at(rlo, strlen(rlo), false, &cp), 6);
    assert_int_equal(cp, 0x202E);
    assert_string_equal(wy_hidden_char_name(cp), "right-to-left override");
    const char *zwsp = "张\xE2\x80\x8B三";
    assert_int_equal(wy_text_hidden_at(zwsp, strlen(zwsp), false, &cp), strlen(zwsp));
    assert_int_equal(wy_text_hidden_at(zwsp, strlen(zwsp), true, &cp), 3);
    assert_int_equal(cp, 0x200B);
    const char *fine = "a\tb\r\nc　d";
    assert_int_equal(wy_text_hidden_at(fine, strlen(fine), true, &cp), strlen(fine));
    const char *bel = "ab\x07";
    assert_int_equal(wy_text_hidden_at(bel, strlen(bel), true, &cp), 2);
    assert_int_equal(cp, 7);
    const char *isolate = "\xE2\x81\xA6x";
    assert_int_equal(wy_text_hidden_at(isolate, strlen(isolate), false, &cp), 0);
    assert_int_equal(cp, 0x2066);
    const char *bom = "x\xEF\xBB\xBF";
    assert_int_equal(wy_text_hidden_at(bom, strlen(bom), false, &cp), 1);
    assert_int_equal(cp, 0xFEFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detects_boms_and_falls_back_to_gb18030),
        cmocka_unit_test(converts_gb18030_to_utf8),
        cmocka_unit_test(strips_boms),
        cmocka_unit_test(reports_bytes_that_are_neither_encoding),
        cmocka_unit_test(reports_bad_bytes_in_gb18030_at_decoded_position),
        cmocka_unit_test(reports_broken_utf16),
        cmocka_unit_test(rejects_nul_with_position),
        cmocka_unit_test(honours_a_declared_encoding),
        cmocka_unit_test(validates_utf8_strictly),
        cmocka_unit_test(decodes_characters),
        cmocka_unit_test(positions_count_characters),
        cmocka_unit_test(finds_hidden_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
