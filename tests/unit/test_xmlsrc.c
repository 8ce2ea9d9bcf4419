/* Safe XML reading: no DOCTYPE, no entities, no external loads; encodings
   decoded before the DOCTYPE check; mistakes in plain words at their line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "data/datatree.h"
#include "data/xmlsrc.h"

#define BYTES(s) (s), (sizeof(s) - 1)

static int setup(void **state)
{
    wy_xml_init();
    return make_tmp_dir(state);
}

/* Parses BYTES, which must fail with a diagnostic containing EXPECTED. */
static void assert_rejected(const char *bytes, size_t len, const char *expected)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_xml_parse_memory("t.xml", bytes, len, &d);
    assert_null(doc);
    assert_int_equal(wy_diag_exit_code(&d), 1);
    if (!strstr(wy_buf_str(&d.text), expected))
        fail_msg("expected \"%s\" in \"%s\"", expected, wy_buf_str(&d.text));
    wy_diag_release(&d);
}

#define REJECTED(literal, expected) assert_rejected(BYTES(literal), (expected))

static xmlDocPtr parse_ok(const char *bytes, size_t len)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_xml_parse_memory("t.xml", bytes, len, &d);
    if (!doc)
        fail_msg("unexpected error: %s", wy_buf_str(&d.text));
    wy_diag_release(&d);
    return doc;
}

static char *root_text(xmlDocPtr doc)
{
    return (char *)xmlNodeGetContent(xmlDocGetRootElement(doc));
}

static void doctype_and_entities_are_refused_before_parsing(void **state)
{
    (void)state;
    REJECTED("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n]>\n<lolz>&lol;</lolz>",
             "t.xml:2:1: error: a DOCTYPE or entity declaration is not allowed");
    REJECTED("<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r/>", "t.xml:1:1: error: a DOCTYPE");
    /* in UTF-16 the bytes of "<!DOCTYPE" differ; decoding first still finds it */
    static const char utf16[] = "\xFF\xFE<\0!\0D\0O\0C\0T\0Y\0P\0E\0 \0r\0 \0[\0]\0>\0<\0r\0/\0>\0";
    assert_rejected(utf16, sizeof utf16 - 1, "t.xml:1:1: error: a DOCTYPE or entity declaration is not allowed");
}

static void doctype_in_a_comment_or_cdata_is_just_text(void **state)
{
    (void)state;
    xmlDocPtr doc = parse_ok(BYTES("<r><!-- <!DOCTYPE x> --><![CDATA[<!ENTITY y>]]></r>"));
    char *text = root_text(doc);
    assert_string_equal(text, "<!ENTITY y>");
    xmlFree(text);
    xmlFreeDoc(doc);
}

static void entity_references_and_includes_do_nothing(void **state)
{
    (void)state;
    REJECTED("<r>&ext;</r>", "t.xml:1:9: error: &ext; is not an XML entity");
    REJECTED("<r>A & B</r>", "t.xml:1:7: error: a & on its own must be written &amp;");
    /* XInclude is never processed: the element stays an element */
    xmlDocPtr doc = parse_ok(BYTES("<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"/etc/passwd\" "
                                   "parse=\"text\"/></r>"));
    char *text = root_text(doc);
    assert_string_equal(text, "");
    xmlFree(text);
    assert_string_equal((const char *)xmlDocGetRootElement(doc)->children->name, "include");
    xmlFreeDoc(doc);
    /* predefined entities and character references are fine */
    doc = parse_ok(BYTES("<r>&lt;&amp;&#x5F20;</r>"));
    text = root_text(doc);
    assert_string_equal(text, "<&张");
    xmlFree(text);
    xmlFreeDoc(doc);
}

static void mistakes_are_in_plain_words_at_their_line(void **state)
{
    (void)state;
    REJECTED("<a>\n  <b>x</c>\n</a>", "t.xml:2:11: error: the end tag </c> does not match the start tag <b> on line 2");
    REJECTED("<a>\n<b>", "error: the element <b> opened on line 2 is never closed");
    REJECTED("<a/>\n<b/>", "t.xml:2:1: error: there is more after the end of the outermost element");
    REJECTED("<a x=\"1<2\"/>", "error: a < inside an attribute value must be written &lt;");
    REJECTED("<a x=1/>", "error: an attribute value must be in quotes");
    REJECTED("", "t.xml:1:1: error: the file is empty");
}

static void encodings_are_decoded_first(void **state)
{
    (void)state;
    /* GBK without a declaration, as Notepad on Chinese Windows saves it */
    xmlDocPtr doc = parse_ok(BYTES("<r>\xD5\xC5\xC8\xFD</r>"));
    char *text = root_text(doc);
    assert_string_equal(text, "张三");
    xmlFree(text);
    xmlFreeDoc(doc);
    /* declared GB2312 */
    doc = parse_ok(BYTES("<?xml version=\"1.0\" encoding=\"GB2312\"?><r>\xC0\xEE\xCB\xC4</r>"));
    text = root_text(doc);
    assert_string_equal(text, "李四");
    xmlFree(text);
    xmlFreeDoc(doc);
    /* UTF-16LE with its BOM and a declaration saying so */
    static const char utf16[] = "\xFF\xFE<\0?\0x\0m\0l\0 \0v\0e\0r\0s\0i\0o\0n\0=\0\"\0" "1\0.\0" "0\0\"\0 \0"
                                "e\0n\0c\0o\0d\0i\0n\0g\0=\0\"\0U\0T\0F\0-\0" "1\0" "6\0\"\0?\0>\0"
                                "<\0r\0>\0\x20\x5F<\0/\0r\0>\0";
    doc = parse_ok(utf16, sizeof utf16 - 1);
    text = root_text(doc);
    assert_string_equal(text, "张");
    xmlFree(text);
    xmlFreeDoc(doc);
    /* declared UTF-8 but saved as GBK: the declaration is honoured */
    REJECTED("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r>\xD5\xC5</r>",
             "t.xml:2:4: error: this file is not valid UTF-8 (bad byte 0xD5)");
    REJECTED("<?xml version=\"1.0\" encoding=\"Big5\"?><r/>",
             "t.xml:1:1: error: the file says it is in encoding Big5, which wenyin does not read");
    REJECTED("<r>\n\xFF\xFE\xFD</r>", "t.xml:2:1: error: this file is neither UTF-8 nor GB18030 (bad byte 0xFF)");
}

static void loading_a_data_file(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/stations.xml", tmp_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\"?>\n<stations region=\"德清\" year=\"2023\">\n  <station>\n    <name>新市镇社工站</name>\n"
          "  </station>\n  <!-- 注释 -->\n</stations>\n",
          f);
    fclose(f);
    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_data_new();
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_true(wy_xmlsrc_load(root, "s", path, &d));
    xmlNodePtr holder = root->children;
    assert_string_equal((const char *)holder->name, "s");
    xmlChar *v = xmlGetProp(holder, BAD_CAST "region");
    assert_string_equal((char *)v, "德清");
    xmlFree(v);
    v = xmlGetProp(holder, BAD_CAST "file");
    assert_string_equal((char *)v, path);
    xmlFree(v);
    xmlNodePtr station = holder->children->next;
    assert_string_equal((const char *)station->name, "station");
    xmlNodePtr name = station->children->next;
    v = xmlNodeGetContent(name);
    assert_string_equal((char *)v, "新市镇社工站");
    xmlFree(v);
    WyLoc loc = wy_data_loc(name);
    assert_string_equal(loc.file, path);
    assert_int_equal(loc.line, 4);
    assert_int_equal(wy_data_loc(name->children).line, 4);
    xmlFreeDoc(doc);

    /* a missing file is an I/O error, and nothing is added */
    doc = wy_data_new();
    assert_false(wy_xmlsrc_load(xmlDocGetRootElement(doc), "s", "/nonexistent/x.xml", &d));
    assert_int_equal(wy_diag_exit_code(&d), 3);
    assert_null(xmlDocGetRootElement(doc)->children);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(doctype_and_entities_are_refused_before_parsing),
        cmocka_unit_test(doctype_in_a_comment_or_cdata_is_just_text),
        cmocka_unit_test(entity_references_and_includes_do_nothing),
        cmocka_unit_test(mistakes_are_in_plain_words_at_their_line),
        cmocka_unit_test(encodings_are_decoded_first),
        cmocka_unit_test(loading_a_data_file),
    };
    return cmocka_run_group_tests(tests, setup, remove_tmp_dir);
}
