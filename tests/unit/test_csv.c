/* CSV and tab-separated spreadsheets through libcsv: encodings, quoting,
   positions of every error, the shape of the tree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"
#include <ftw.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "data/csv.h"
#include "data/datatree.h"

#define FIXTURES "tests/unit/fixtures/data/"

#define WRITE(name, literal) tmp_write((name), (literal), sizeof(literal) - 1)

/* Loads PATH as /data/s; returns the document. */
static xmlDocPtr load(const char *path, WyDiag *d, bool *ok)
{
    xmlDocPtr doc = wy_data_new();
    *ok = wy_csv_load(xmlDocGetRootElement(doc), "s", path, d);
    return doc;
}

/* Loads text that must fail; checks that the first line of the
   diagnostics starts with EXPECTED and nothing was added. */
static void assert_load_fails(const char *name, const char *bytes, size_t len, const char *expected)
{
    const char *path = tmp_write(name, bytes, len);
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_false(ok);
    assert_int_equal(wy_diag_exit_code(&d), 1);
    const char *text = wy_buf_str(&d.text);
    const char *slash = strrchr(text, '/');
    const char *shown = slash && slash < strchr(text, ':') ? slash + 1 : text;
    if (strncmp(shown, expected, strlen(expected)) != 0)
        fail_msg("expected \"%s\"\n got \"%s\"", expected, shown);
    assert_null(xmlDocGetRootElement(doc)->children);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

#define FAILS(name, literal, expected) assert_load_fails((name), (literal), sizeof(literal) - 1, (expected))

static void gb18030_file_with_chinese_headers(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(FIXTURES "stations-gb18030.csv", &d, &ok);
    assert_true(ok);
    assert_false(wy_diag_failed(&d));
    assert_xpath(doc, "/data/s/@file", FIXTURES "stations-gb18030.csv");
    assert_int_equal(xpath_number(doc, "count(/data/s/row)"), 2);
    assert_xpath(doc, "/data/s/row[1]/站名", "新市镇社工站");
    assert_xpath(doc, "/data/s/row[1]/品牌", "“邻里守望”");
    assert_xpath(doc, "/data/s/row[2]/地址", "乾元镇北街2号,3楼");
    assert_xpath(doc, "/data/s/row[站名='乾元镇社工站']/品牌", "暖心乾元");
    assert_xpath(doc, "/data/s/row[2]/@line", "3");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void utf16le_unicode_text_is_tab_separated(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(FIXTURES "talents-utf16.txt", &d, &ok);
    assert_true(ok);
    assert_int_equal(xpath_number(doc, "count(/data/s/row)"), 2);
    assert_xpath(doc, "/data/s/row[1]/单位", "德清县民政局");
    assert_xpath(doc, "/data/s/row[职务='督导']/姓名", "李四");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void bom_is_not_part_of_the_first_header(void **state)
{
    (void)state;
    const char *path = WRITE("bom.csv", "\xEF\xBB\xBF姓名,单位\r\n张三,民政局\r\n");
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "/data/s/row/姓名", "张三");
    assert_string_equal((const char *)xmlDocGetRootElement(doc)->children->children->children->name, "姓名");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void quoted_newline_is_kept_and_lines_stay_right(void **state)
{
    (void)state;
    const char *path = WRITE("multi.csv", "名称,说明\r\n甲,\"第一行\r\n第二行\"\r\n乙,\"say \"\"hi\"\", ok\"\r\n");
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "/data/s/row[1]/说明", "第一行\n第二行");
    assert_xpath(doc, "/data/s/row[1]/@line", "2");
    assert_xpath(doc, "/data/s/row[2]/@line", "4");
    assert_xpath(doc, "/data/s/row[2]/说明", "say \"hi\", ok");
    /* the node's own line field matches, for wy_data_loc */
    xmlNodePtr row2 = xmlDocGetRootElement(doc)->children->children->next;
    assert_int_equal(xmlGetLineNo(row2), 4);
    assert_int_equal(xmlGetLineNo(row2->children->next), 4);
    WyLoc loc = wy_data_loc(row2->children->next);
    assert_string_equal(loc.file, path);
    assert_int_equal(loc.line, 4);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void unterminated_quote_is_reported_where_its_row_starts(void **state)
{
    (void)state;
    FAILS("open.csv", "a,b\n1,2\n3,\"oops\n4,5\n6,7\n",
          "open.csv:3:3: error: the row starting here has a quote (\") that is never closed");
    /* the first field of the record spans lines; the open quote is later */
    FAILS("open2.csv", "a,b,c\n\"x\ny\",\"never\n1,2,3\n",
          "open2.csv:2:1: error: the row starting here has a quote (\") at line 3, column 4 that is never closed");
}

static void stray_quotes_are_reported_where_they_are(void **state)
{
    (void)state;
    FAILS("stray.csv", "a,b\n1,x\"y\n", "stray.csv:2:4: error: stray quote mark");
    FAILS("after.csv", "a,b\n\"张三\"李,1\n", "after.csv:2:5: error: stray quote mark");
}

static void bad_bytes_are_reported_at_line_and_column(void **state)
{
    (void)state;
    FAILS("bytes.csv", "姓名,单位\n张三,民\xFF局\n",
          "bytes.csv:2:5: error: this file is neither UTF-8 nor GB18030 (bad byte 0xFF)");
}

static void invisible_and_control_characters_are_rejected(void **state)
{
    (void)state;
    FAILS("bidi.csv", "姓名,单位\n张\xE2\x80\xAE三,x\n",
          "bidi.csv:2:2: error: an invisible character (right-to-left override, U+202E) is here");
    FAILS("zw.csv", "姓名,单位\n张三,\xE2\x80\x8B民政局\n",
          "zw.csv:2:4: error: an invisible character (zero-width space, U+200B) is here");
    FAILS("feff.csv", "姓名\n张\xEF\xBB\xBF三\n", "feff.csv:2:2: error: an invisible character (zero-width no-break");
    FAILS("bel.csv", "a,b\n1,\"x\x07\"\n", "bel.csv:2:5: error: an invisible character (control character, U+0007)");
    FAILS("nul.csv", "a,b\n1,x\0y\n", "nul.csv:2:4: error: the file contains a NUL byte");
}

static void short_record_still_has_every_column(void **state)
{
    (void)state;
    const char *path = WRITE("short.csv", "姓名,单位,职务\n张三\n李四,,督导\n");
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_true(ok);
    assert_int_equal(xpath_number(doc, "count(/data/s/row[1]/*)"), 3);
    assert_int_equal(xpath_number(doc, "count(/data/s/row[1]/单位)"), 1);
    assert_int_equal(xpath_number(doc, "count(/data/s/row[1]/职务)"), 1);
    assert_xpath(doc, "/data/s/row[1]/职务", "");
    assert_xpath(doc, "name(/data/s/row[2]/*[3])", "职务");
    assert_xpath(doc, "/data/s/row[2]/职务", "督导");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void long_record_is_an_error(void **state)
{
    (void)state;
    FAILS("long.csv", "a,b\n1,2\n3,4,5\n", "long.csv:3:5: error: this row has more fields than the header has columns (2)");
}

static void header_names_must_be_present_and_unique(void **state)
{
    (void)state;
    FAILS("dup.csv", "姓名,单位,姓名\n1,2,3\n", "dup.csv:1:7: error: column 姓名 appears twice in the header (columns 1 and 3)");
    FAILS("empty.csv", "a,,c\n1,2,3\n", "empty.csv:1:3: error: column 2 has no name in the header row");
    FAILS("clash.csv", "金额(元),金额_元_\n1,2\n",
          "clash.csv:1:7: error: columns 1 (金额(元)) and 2 (金额_元_) both become the name 金额_元_");
    FAILS("nothing.csv", "\n\n", "nothing.csv:1:1: error: the file is empty; its first row must name the columns");
}

static void unquoted_fields_are_trimmed_quoted_kept(void **state)
{
    (void)state;
    const char *path = WRITE("trim.csv", "  姓名　, 单位 ,备注\n 张三 ,\"　李四　\",　王五　\n");
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "/data/s/row/姓名", "张三");
    assert_xpath(doc, "/data/s/row/单位", "　李四　");
    assert_xpath(doc, "/data/s/row/备注", "王五");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void blank_lines_and_empty_records_are_skipped(void **state)
{
    (void)state;
    const char *path = WRITE("blank.csv", "\n a,b\n\n1,2\n,\n   \n3,4\n\n");
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_true(ok);
    assert_int_equal(xpath_number(doc, "count(/data/s/row)"), 2);
    assert_xpath(doc, "/data/s/row[1]/@line", "4");
    assert_xpath(doc, "/data/s/row[2]/@line", "7");
    assert_xpath(doc, "/data/s/row[2]/b", "4");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void old_mac_line_ends_count_as_lines(void **state)
{
    (void)state;
    const char *path = WRITE("cr.csv", "a,b\r1,2\r3,\"x\ry\"\r");
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "/data/s/row[2]/@line", "3");
    assert_xpath(doc, "/data/s/row[2]/b", "x\ny");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void delimiter_follows_name_and_header(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    /* tabs and no commas in the header: tab-separated even as .csv */
    xmlDocPtr doc = load(WRITE("tabs.csv", "a\tb\n1\t2,5\n"), &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "/data/s/row/b", "2,5");
    xmlFreeDoc(doc);
    /* .tsv is tab-separated whatever the header holds */
    doc = load(WRITE("x.tsv", "a,b\tc\n1,2\t3\n"), &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "/data/s/row/a_b", "1,2");
    assert_xpath(doc, "/data/s/row/c", "3");
    xmlFreeDoc(doc);
    /* commas win when the header has both */
    doc = load(WRITE("both.csv", "a,b\tc\n1,2\n"), &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "/data/s/row/b_c", "2");
    xmlFreeDoc(doc);
    assert_false(wy_diag_failed(&d));
    wy_diag_release(&d);
}

static void field_size_is_capped(void **state)
{
    (void)state;
    size_t big = WY_CSV_MAX_FIELD_BYTES + 1;
    char *text = malloc(big + 16);
    memcpy(text, "a,b\n1,", 6);
    memset(text + 6, 'x', big);
    memcpy(text + 6 + big, "\n", 1);
    assert_load_fails("big.csv", text, 6 + big + 1, "big.csv:2:3: error: this field is longer than 1048576 bytes");
    /* exactly the cap is fine */
    text[6 + big - 1] = '\n';
    const char *path = tmp_write("cap.csv", text, 6 + big);
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_true(ok);
    assert_int_equal(xpath_number(doc, "string-length(/data/s/row/b)"), WY_CSV_MAX_FIELD_BYTES);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
    free(text);
}

static void row_count_is_capped(void **state)
{
    (void)state;
    size_t rows = WY_CSV_MAX_ROWS + 1;
    size_t len = 2 + rows * 2;
    char *text = malloc(len);
    memcpy(text, "a\n", 2);
    for (size_t i = 0; i < rows; i++)
        memcpy(text + 2 + i * 2, "1\n", 2);
    assert_load_fails("rows.csv", text, len, "rows.csv:1000002:1: error: the file has more than 1000000 rows");
    free(text);
}

static void shortened_excel_numbers_warn_once_per_column(void **state)
{
    (void)state;
    const char *path = WRITE("id.csv", "姓名,身份证号\n张三,3.30521E+17\n李四,3.30521E+17\n王五,1.5E+3\n");
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_true(ok);
    assert_false(wy_diag_failed(&d));
    assert_int_equal(d.warnings, 1);
    assert_non_null(strstr(wy_buf_str(&d.text), "id.csv:2:4: warning: 身份证号 3.30521E+17 looks like a long number"));
    assert_xpath(doc, "/data/s/row[1]/身份证号", "3.30521E+17");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void special_characters_stay_text(void **state)
{
    (void)state;
    const char *path = WRITE("amp.csv", "名称\n\"A&B <c> &amp;\"\n");
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load(path, &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "/data/s/row/名称", "A&B <c> &amp;");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void missing_file_is_an_io_error(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load("/nonexistent/x.csv", &d, &ok);
    assert_false(ok);
    assert_int_equal(wy_diag_exit_code(&d), 3);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void header_becomes_element_name(void **state)
{
    (void)state;
    struct {
        const char *header, *name;
    } cases[] = {
        {"姓名", "姓名"},       {"station_name", "station_name"}, {"1月", "_1月"},    {"单位 名称", "单位_名称"},
        {"金额（元）", "金额_元_"}, {"a:b", "a_b"},                 {"-x", "_-x"},     {"", "_"},
        {"职务/岗位", "职务_岗位"}, {"No.", "No."},                 {"(备注)", "_备注_"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *name = wy_csv_field_name(cases[i].header);
        assert_string_equal(name, cases[i].name);
        assert_int_equal(xmlValidateNCName(BAD_CAST name, 0), 0);
        free(name);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gb18030_file_with_chinese_headers),
        cmocka_unit_test(utf16le_unicode_text_is_tab_separated),
        cmocka_unit_test(bom_is_not_part_of_the_first_header),
        cmocka_unit_test(quoted_newline_is_kept_and_lines_stay_right),
        cmocka_unit_test(unterminated_quote_is_reported_where_its_row_starts),
        cmocka_unit_test(stray_quotes_are_reported_where_they_are),
        cmocka_unit_test(bad_bytes_are_reported_at_line_and_column),
        cmocka_unit_test(invisible_and_control_characters_are_rejected),
        cmocka_unit_test(short_record_still_has_every_column),
        cmocka_unit_test(long_record_is_an_error),
        cmocka_unit_test(header_names_must_be_present_and_unique),
        cmocka_unit_test(unquoted_fields_are_trimmed_quoted_kept),
        cmocka_unit_test(blank_lines_and_empty_records_are_skipped),
        cmocka_unit_test(old_mac_line_ends_count_as_lines),
        cmocka_unit_test(delimiter_follows_name_and_header),
        cmocka_unit_test(field_size_is_capped),
        cmocka_unit_test(row_count_is_capped),
        cmocka_unit_test(shortened_excel_numbers_warn_once_per_column),
        cmocka_unit_test(special_characters_stay_text),
        cmocka_unit_test(missing_file_is_an_io_error),
        cmocka_unit_test(header_becomes_element_name),
    };
    return cmocka_run_group_tests(tests, make_tmp_dir, remove_tmp_dir);
}
