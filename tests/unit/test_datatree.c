/* The one data tree: choosing the loader, naming sources, parameters, and
   mapping a node back to its file and line. */
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
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "data/datatree.h"

#define FIXTURES "tests/unit/fixtures/data/"

/* Writes BYTES to NAME in the test folder (subfolders created); returns
   a malloc'd path. */
static char *write_file(const char *name, const char *bytes, size_t len)
{
    return strdup(tmp_write(name, bytes, len));
}

#define WRITE(name, literal) write_file((name), (literal), sizeof(literal) - 1)

static xmlNodePtr xpath_node(xmlDocPtr doc, const char *expr)
{
    xmlXPathObjectPtr r = xpath_eval(doc, expr);
    assert_true(r->type == XPATH_NODESET && r->nodesetval && r->nodesetval->nodeNr >= 1);
    xmlNodePtr n = r->nodesetval->nodeTab[0];
    xmlXPathFreeObject(r);
    return n;
}

static void new_tree_has_an_empty_data_root(void **state)
{
    (void)state;
    xmlDocPtr doc = wy_data_new();
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_non_null(root);
    assert_string_equal((const char *)root->name, "data");
    assert_null(root->children);
    xmlFreeDoc(doc);
}

static void every_kind_of_source_lands_under_its_name(void **state)
{
    (void)state;
    char *article = WRITE("one.md", "---\ntitle: 单篇文章\n---\n正文\n");
    char *folder_article = WRITE("issue/01.md", "# 文件夹里的文章\n");
    char *tsv = WRITE("people.tsv", "姓名\t职务\n王五\t站长\n");
    char *xml = WRITE("stations.xml", "<stations region=\"德清\">\n  <station name=\"新市\"/>\n</stations>\n");
    char folder[256];
    snprintf(folder, sizeof folder, "%s/issue", tmp_dir);

    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_data_new();
    assert_true(wy_data_add(doc, "article", article, &d));
    assert_true(wy_data_add(doc, "issue", folder, &d));
    assert_true(wy_data_add(doc, "stations", FIXTURES "stations-gb18030.csv", &d));
    assert_true(wy_data_add(doc, "talents", FIXTURES "talents-utf16.txt", &d));
    assert_true(wy_data_add(doc, "people", tsv, &d));
    assert_true(wy_data_add(doc, "站点", xml, &d));
    assert_false(wy_diag_failed(&d));

    assert_xpath(doc, "/data/article/@file", article);
    assert_xpath(doc, "/data/article/article/title", "单篇文章");
    assert_xpath(doc, "/data/issue/article/title", "文件夹里的文章");
    assert_xpath(doc, "/data/stations/row[1]/站名", "新市镇社工站");
    assert_xpath(doc, "/data/talents/row[2]/姓名", "李四");
    assert_xpath(doc, "/data/people/row/职务", "站长");
    assert_xpath(doc, "/data/站点/@region", "德清");
    assert_xpath(doc, "/data/站点/@file", xml);
    assert_xpath(doc, "/data/站点/station/@name", "新市");
    assert_int_equal(xpath_number(doc, "count(/data/*)"), 6);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
    free(article);
    free(folder_article);
    free(tsv);
    free(xml);
}

/* Adds NAME=PATH, which must fail as a usage error mentioning EXPECTED. */
static void assert_usage_error(xmlDocPtr doc, const char *name, const char *path, const char *expected)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_false(wy_data_add(doc, name, path, &d));
    assert_int_equal(wy_diag_exit_code(&d), 2);
    if (!strstr(wy_buf_str(&d.text), expected))
        fail_msg("expected \"%s\" in \"%s\"", expected, wy_buf_str(&d.text));
    wy_diag_release(&d);
}

static void names_and_kinds_are_checked(void **state)
{
    (void)state;
    xmlDocPtr doc = wy_data_new();
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_true(wy_data_add(doc, "s", FIXTURES "stations-gb18030.csv", &d));
    wy_diag_release(&d);
    assert_usage_error(doc, "1st", FIXTURES "stations-gb18030.csv",
                       "wenyin: error: -d 1st=" FIXTURES "stations-gb18030.csv: '1st' cannot be a data name");
    assert_usage_error(doc, "a b", FIXTURES "stations-gb18030.csv", "'a b' cannot be a data name");
    assert_usage_error(doc, "x:y", FIXTURES "stations-gb18030.csv", "'x:y' cannot be a data name");
    assert_usage_error(doc, "", FIXTURES "stations-gb18030.csv", "'' cannot be a data name");
    assert_usage_error(doc, "s", FIXTURES "talents-utf16.txt", "the name 's' is already used by another -d");
    assert_usage_error(doc, "params", FIXTURES "talents-utf16.txt", "the name 'params' is reserved");
    assert_usage_error(doc, "book", "report.xlsx",
                       "-d book=report.xlsx: wenyin cannot read this kind of file; give a folder of Markdown "
                       "articles, or a .md, .csv, .tsv, .txt or .xml file");
    assert_int_equal(xpath_number(doc, "count(/data/*)"), 1);
    xmlFreeDoc(doc);
}

static void failed_source_adds_nothing(void **state)
{
    (void)state;
    char *bad_md = WRITE("bad.md", "没有标题\n");
    char *bad_xml = WRITE("bad.xml", "<a><b></a>\n");
    xmlDocPtr doc = wy_data_new();
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_false(wy_data_add(doc, "m", bad_md, &d));
    assert_false(wy_data_add(doc, "x", bad_xml, &d));
    assert_false(wy_data_add(doc, "c", "/nonexistent/missing.csv", &d));
    assert_int_equal(wy_diag_exit_code(&d), 1); /* the first error sticks */
    assert_null(xmlDocGetRootElement(doc)->children);
    /* the names were not taken: a later, good source may use them */
    assert_true(wy_data_add(doc, "m", FIXTURES "stations-gb18030.csv", &d));
    xmlFreeDoc(doc);
    wy_diag_release(&d);
    free(bad_md);
    free(bad_xml);
}

static void parameters_go_under_params(void **state)
{
    (void)state;
    xmlDocPtr doc = wy_data_new();
    wy_data_add_param(doc, "issue", "17");
    wy_data_add_param(doc, "unit", "德清县民政局 & 社工协会 <办公室>");
    wy_data_add_param(doc, "issue", "18");
    assert_int_equal(xpath_number(doc, "count(/data/params/param)"), 2);
    assert_xpath(doc, "/data/params/param[@name='issue']", "18");
    assert_xpath(doc, "/data/params/param[@name='unit']", "德清县民政局 & 社工协会 <办公室>");
    xmlFreeDoc(doc);
}

static void locations_come_from_file_and_line(void **state)
{
    (void)state;
    char *csv = WRITE("loc.csv", "姓名,单位\n张三,甲\n\"李\n四\",乙\n");
    char *xml = WRITE("loc.xml", "<root>\n\n  <item>\n    <name>x</name>\n  </item>\n</root>\n");
    xmlDocPtr doc = wy_data_new();
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_true(wy_data_add(doc, "c", csv, &d));
    assert_true(wy_data_add(doc, "x", xml, &d));

    WyLoc loc = wy_data_loc(xpath_node(doc, "/data/c/row[2]/单位"));
    assert_string_equal(loc.file, csv);
    assert_int_equal(loc.line, 4); /* the field's own line inside a two-line record */
    loc = wy_data_loc(xpath_node(doc, "/data/c/row[2]/姓名/text()"));
    assert_int_equal(loc.line, 3);
    loc = wy_data_loc(xpath_node(doc, "/data/c/row[2]/@line"));
    assert_string_equal(loc.file, csv);
    assert_int_equal(loc.line, 3);
    loc = wy_data_loc(xpath_node(doc, "/data/x/item/name"));
    assert_string_equal(loc.file, xml);
    assert_int_equal(loc.line, 4);
    loc = wy_data_loc(xpath_node(doc, "/data/x/item"));
    assert_int_equal(loc.line, 3);
    loc = wy_data_loc(xmlDocGetRootElement(doc));
    assert_null(loc.file);
    assert_int_equal(loc.line, 0);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
    free(csv);
    free(xml);
}

/* libxml2 keeps lines in 16 bits; past 65535 the `line` attribute and the
   parser's big-line store must take over. */
static void locations_past_line_65535(void **state)
{
    (void)state;
    size_t rows = 70000;
    WyBuf text;
    wy_buf_init(&text);
    wy_buf_puts(&text, "n\n");
    for (size_t i = 0; i < rows; i++)
        wy_buf_printf(&text, "%zu\n", i);
    char *csv = write_file("big.csv", text.data, text.len);
    wy_buf_clear(&text);
    wy_buf_puts(&text, "<r>");
    for (size_t i = 0; i < rows; i++)
        wy_buf_putc(&text, '\n');
    wy_buf_puts(&text, "<late>x</late></r>");
    char *xml = write_file("big.xml", text.data, text.len);
    wy_buf_release(&text);

    xmlDocPtr doc = wy_data_new();
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_true(wy_data_add(doc, "c", csv, &d));
    assert_true(wy_data_add(doc, "x", xml, &d));
    WyLoc loc = wy_data_loc(xpath_node(doc, "/data/c/row[last()]/n"));
    assert_int_equal(loc.line, 70001);
    loc = wy_data_loc(xpath_node(doc, "/data/c/row[last()]"));
    assert_int_equal(loc.line, 70001);
    loc = wy_data_loc(xpath_node(doc, "/data/x/late/text()"));
    assert_int_equal(loc.line, 70001);
    loc = wy_data_loc(xpath_node(doc, "/data/x/late"));
    assert_int_equal(loc.line, 70001);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
    free(csv);
    free(xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(new_tree_has_an_empty_data_root),
        cmocka_unit_test(every_kind_of_source_lands_under_its_name),
        cmocka_unit_test(names_and_kinds_are_checked),
        cmocka_unit_test(failed_source_adds_nothing),
        cmocka_unit_test(parameters_go_under_params),
        cmocka_unit_test(locations_come_from_file_and_line),
        cmocka_unit_test(locations_past_line_65535),
    };
    return cmocka_run_group_tests(tests, make_tmp_dir, remove_tmp_dir);
}
