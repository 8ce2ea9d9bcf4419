/* Templates: loading (schema, DOCTYPE, XPath and other checks reported at
   the template's line before anything expands) and expansion into the box
   tree (control flow, inlines, whitespace, Markdown content, fields,
   limits), ending with the shipped bulletin over bulletin-shaped data. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "expand_support.h"
#include "expand/schema.h"

static const char *const EMPTY_DATA = "<data/>";

/* Loads TEXT as a template; returns the diagnostics text (caller frees)
   and whether it loaded. */
static char *load_errors(const char *name, const char *text, bool *loaded)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    char *path = write_temp(name, text);
    WyTemplate *t = wy_template_load(path, SCHEMA_PATH, &d);
    *loaded = t != NULL;
    wy_template_free(t);
    remove_temp(path);
    /* paths are in a scratch folder: keep the part after the last '/' */
    WyBuf out;
    wy_buf_init(&out);
    const char *s = wy_buf_str(&d.text);
    for (const char *line = s; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        const char *slash = NULL;
        for (const char *p = line; *line == '/' && p < line + len && *p != ':'; p++)
            if (*p == '/')
                slash = p;
        const char *from = slash ? slash + 1 : line;
        wy_buf_append(&out, from, len - (size_t)(from - line));
        line += len;
    }
    wy_diag_release(&d);
    return wy_buf_steal(&out);
}

#define assert_load_error(name, text, expected)                        \
    do {                                                               \
        bool loaded_;                                                  \
        char *errors_ = load_errors((name), (text), &loaded_);         \
        assert_false(loaded_);                                         \
        if (!strstr(errors_, (expected)))                              \
            fail_msg("expected \"%s\" in:\n%s", (expected), errors_);  \
        free(errors_);                                                 \
    } while (0)

/* Expands TEXT over DATA and returns the first sequence's blocks; the
   document goes to *DOC (caller frees). Fails the test on any error. */
static const WyBox *blocks_of(const char *text, const char *data, WyDocument **doc)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    *doc = expand_text("t.xml", text, data, &d);
    if (!*doc)
        fail_msg("expansion failed:\n%s", wy_buf_str(&d.text));
    wy_diag_release(&d);
    return (*doc)->sequences->blocks;
}

/* Expands TEXT over DATA expecting failure; returns the diagnostics. */
static char *expand_errors(const char *name, const char *text, const char *data)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc = expand_text(name, text, data, &d);
    assert_null(doc);
    char *out = wy_buf_steal(&d.text);
    wy_diag_release(&d);
    return out;
}

static const char *text_of(const WyBox *b)
{
    assert_non_null(b);
    assert_int_equal(b->kind, WY_BOX_PARA);
    return b->u.para.text;
}

/* ------------------------------------------------------------ loading */

static void schema_violations_are_reported_at_their_line(void **state)
{
    (void)state;
    assert_load_error("nested.xml", T_HEAD
        "  <sequence>\n"
        "    <p>正文</p>\n"
        "    <rule thickness='1pt'>\n"
        "      <p>不该在这里</p>\n"
        "    </rule>\n"
        "  </sequence>\n" T_TAIL,
        "nested.xml:5:7: error: element <p> is not allowed inside <rule>; <rule> takes no content\n"
        "        <p>不该在这里</p>\n"
        "        ^\n");
    assert_load_error("unknown.xml", T_HEAD "<sequence>\n  <para>x</para>\n</sequence>\n" T_TAIL,
                      "unknown.xml:3:3: error: <para> is not an element of the template language");
    assert_load_error("grid.xml", T_HEAD "<sequence>\n<grid columns='2'>\n  <p>x</p>\n</grid>\n</sequence>\n" T_TAIL,
                      "grid.xml:4:3: error: element <p> is not allowed inside <grid>; a <grid> holds <cell> elements");
    assert_load_error("inline.xml", T_HEAD "<sequence>\n<p>a <rule/></p>\n</sequence>\n" T_TAIL,
                      "inline.xml:3:6: error: element <rule> is not allowed inside <p>; inside <p> only text");
    assert_load_error("attr.xml", T_HEAD "<sequence>\n<rule\n   thick='1pt'/>\n</sequence>\n" T_TAIL,
                      "attr.xml:4:4: error: attribute thick is not allowed on <rule>");
    assert_load_error("enum.xml", T_HEAD "<style name='x'\n       align='middle'/>\n<sequence/>\n" T_TAIL,
                      "enum.xml:3:8: error: align=\"middle\" is not one of: start, center, end, justify, outside, inside");
    assert_load_error("required.xml", T_HEAD "<sequence>\n  <space/>\n</sequence>\n" T_TAIL,
                      "required.xml:3:3: error: <space> needs a height attribute");
    assert_load_error("count.xml", T_HEAD "<sequence>\n  <grid columns='four'/>\n</sequence>\n" T_TAIL,
                      "count.xml:3:9: error: columns=\"four\" must be a whole number from 1 to 1000");
    assert_load_error("text.xml", T_HEAD "<sequence>\n  正文\n</sequence>\n" T_TAIL,
                      "error: text is not allowed directly inside <sequence>; put it in a <p>");
    assert_load_error("ns.xml", "<template>\n<sequence/>\n</template>\n",
                      "ns.xml:1:1: error: <template> must be in the template namespace: write <template "
                      "xmlns=\"urn:wenyin:template\">");
    assert_load_error("root.xml", "<document xmlns='urn:wenyin:template'/>\n",
                      "root.xml:1:1: error: the root element must be <template xmlns=\"urn:wenyin:template\">, not <document>");
}

static void a_doctype_is_refused(void **state)
{
    (void)state;
    assert_load_error("doctype.xml",
                      "<?xml version='1.0'?>\n"
                      "<!DOCTYPE template [<!ENTITY a 'aaaaaaaaaa'>]>\n" T_HEAD "<sequence><p>&a;</p></sequence>\n" T_TAIL,
                      "doctype.xml:2:1: error: a DOCTYPE or entity declaration is not allowed");
}

static void xpath_errors_stop_the_load_at_their_line(void **state)
{
    (void)state;
    bool loaded;
    char *errors = load_errors("xpath.xml", T_HEAD
        "  <sequence>\n"
        "    <p>第<value-of select='issue/number'/>期</p>\n"
        "    <for-each select='talents/row[姓名='>\n"
        "      <p><value-of select='姓名'/></p>\n"
        "    </for-each>\n"
        "  </sequence>\n" T_TAIL,
        &loaded);
    assert_false(loaded);
    assert_string_equal(errors, "xpath.xml:4:15: error: select=\"talents/row[姓名=\" is not a valid XPath expression: "
                                "this is not a valid XPath expression (at character 16)\n");
    free(errors);
    assert_load_error("avt.xml", T_HEAD "<meta title='{issue/name'/>\n<sequence/>\n" T_TAIL,
                      "avt.xml:2:7: error: title=\"{issue/name\" has a { without its }");
    assert_load_error("var.xml", T_HEAD "<sequence>\n<p><value-of select='$year'/></p>\n</sequence>\n" T_TAIL,
                      "var.xml:3:14: error: select=\"$year\" uses the variable $year, which is not defined here");
    assert_load_error("fn.xml", T_HEAD "<sequence>\n<if test='empty(issue)'/>\n</sequence>\n" T_TAIL,
                      "fn.xml:3:5: error: test=\"empty(issue)\" calls empty(), which is not a function");
}

static void other_template_mistakes(void **state)
{
    (void)state;
    assert_load_error("noseq.xml", T_HEAD "<style name='body'/>\n" T_TAIL,
                      "noseq.xml:1:1: error: the template has no <sequence>, so it would print nothing");
    assert_load_error("master.xml", T_HEAD "<page-master name='a'/>\n<sequence master='b'/>\n" T_TAIL,
                      "master.xml:3:11: error: page master b is not defined; the page masters are: a");
    assert_load_error("meta.xml", T_HEAD "<meta title='a'/>\n<meta title='b'/>\n<sequence/>\n" T_TAIL,
                      "meta.xml:3:1: error: a template has one <meta>; merge this one into the first");
    assert_load_error("folio.xml", T_HEAD "<sequence>\n<p>第<page-number/>页</p>\n</sequence>\n" T_TAIL,
                      "folio.xml:3:5: error: <page-number/> only works in a page master's <header> or <footer>");
    assert_load_error("split.xml", T_HEAD "<sequence>\n<p split-lines='true'>简介：<value-of select='a'/></p>\n</sequence>\n" T_TAIL,
                      "split.xml:3:4: error: split-lines=\"true\" needs a <p> whose only content is one <value-of>");
    assert_load_error("margins.xml", T_HEAD "<page-master name='a' size='A5' margin='80mm'/>\n<sequence/>\n" T_TAIL,
                      "margins.xml:2:1: error: the margins of page master a leave less than 1 inch for the text");
    assert_load_error("dup.xml", T_HEAD "<style name='a'/>\n<style name='a'/>\n<sequence/>\n" T_TAIL,
                      "dup.xml:3:8: error: style a is defined twice");
    assert_load_error("pad.xml", T_HEAD "<sequence>\n<box padding='thin'/>\n</sequence>\n" T_TAIL,
                      "pad.xml:3:6: error: padding=\"thin\" must be one to four lengths");
    assert_load_error("at.xml", T_HEAD "<sequence>\n<box at='bottom'/>\n</sequence>\n" T_TAIL,
                      "at.xml:3:6: error: at=\"bottom\" is not a place on the page; write at=\"foot\"");
    assert_load_error("grid.xml", T_HEAD "<page-master name='a' line-grid='-3pt'/>\n<sequence/>\n" T_TAIL,
                      "grid.xml:2:23: error: line-grid=\"-3pt\" is neither a style nor a length");

    /* nesting deeper than the limit, e.g. a generated template gone wrong */
    WyBuf deep;
    wy_buf_init(&deep);
    wy_buf_puts(&deep, T_HEAD "<sequence>\n");
    for (int i = 0; i < WY_EXPAND_MAX_DEPTH + 5; i++)
        wy_buf_puts(&deep, "<box>\n");
    for (int i = 0; i < WY_EXPAND_MAX_DEPTH + 5; i++)
        wy_buf_puts(&deep, "</box>\n");
    wy_buf_puts(&deep, "</sequence>\n" T_TAIL);
    assert_load_error("deep.xml", wy_buf_str(&deep), "deep.xml:201:1: error: the template nests elements more than 200 deep here");
    wy_buf_release(&deep);
}

static void the_shipped_template_loads(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyTemplate *t = wy_template_load("templates/bulletin.xml", SCHEMA_PATH, &d);
    if (!t)
        fail_msg("%s", wy_buf_str(&d.text));
    wy_template_free(t);
    wy_diag_release(&d);
}

/* ------------------------------------------------------------ expansion */

static const char *const STATIONS =
    "<data>"
    "<params><param name='year'>2023</param><param name='typo'>x</param></params>"
    "<issue><name>德清社工</name><number>3</number></issue>"
    "<stations file='samples/bulletin/stations.csv'>"
    "<row line='2'><名称>新市镇社工站</名称><镇街>新市镇</镇街><人数>12</人数><简介>第一段\n第二段\n\n第三段</简介></row>"
    "<row line='3'><名称>武康街道社工站</名称><镇街>武康街道</镇街><人数>9</人数><简介></简介></row>"
    "<row line='4'><名称>阜溪街道社工站</名称><镇街>阜溪街道</镇街><人数>30</人数><简介>一段</简介></row>"
    "</stations>"
    "</data>";

static void for_each_if_choose_with_and_variables(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<param name='year' default='2022'/>\n"
        "<param name='unit' default='德清县民政局'/>\n"
        "<variable name='total' select='count(stations/row)'/>\n"
        "<sequence>\n"
        "  <p>{$year} <value-of select='$year'/> <value-of select='$unit'/></p>\n"
        "  <for-each select='stations/row'>\n"
        "    <variable name='n' select='number(人数)'/>\n"
        "    <p><value-of select='position()'/>/<value-of select='$total'/> <value-of select='名称'/>\n"
        "      <choose>\n"
        "        <when test='$n &gt;= 20'>大</when>\n"
        "        <when test='$n &gt;= 10'>中</when>\n"
        "        <otherwise>小</otherwise>\n"
        "      </choose>\n"
        "      <if test='normalize-space(简介)'>有简介</if>\n"
        "    </p>\n"
        "  </for-each>\n"
        "  <with select='stations/row[镇街=\"阜溪街道\"]'><p><value-of select='名称'/></p></with>\n"
        "  <with select='stations/row[镇街=\"乾元镇\"]'><p>不会出现</p></with>\n"
        "  <for-each select='stations/row' sort-by='number(人数)' sort-type='number' sort-order='descending'>\n"
        "    <p><value-of select='人数'/></p>\n"
        "  </for-each>\n"
        "  <for-each select='stations/row' sort-by='镇街'><p><value-of select='镇街'/></p></for-each>\n"
        "</sequence>\n" T_TAIL,
        STATIONS, &doc);
    assert_string_equal(text_of(b), "{$year} 2023 德清县民政局"); /* text is not a value template */
    assert_string_equal(text_of(nth_box(b, 1)), "1/3 新市镇社工站中有简介");
    assert_string_equal(text_of(nth_box(b, 2)), "2/3 武康街道社工站小");
    assert_string_equal(text_of(nth_box(b, 3)), "3/3 阜溪街道社工站大有简介");
    assert_string_equal(text_of(nth_box(b, 4)), "阜溪街道社工站");
    assert_string_equal(text_of(nth_box(b, 5)), "30");
    assert_string_equal(text_of(nth_box(b, 6)), "12");
    assert_string_equal(text_of(nth_box(b, 7)), "9");
    /* byte order of UTF-8 is code point order: 新 (U+65B0) < 武 (U+6B66) < 阜 (U+961C) */
    assert_string_equal(text_of(nth_box(b, 8)), "新市镇");
    assert_string_equal(text_of(nth_box(b, 9)), "武康街道");
    assert_string_equal(text_of(nth_box(b, 10)), "阜溪街道");
    assert_int_equal(count_boxes(b), 11);
    assert_string_equal(b->loc.file + strlen(b->loc.file) - 5, "t.xml");
    assert_int_equal(b->loc.line, 6);
    assert_int_equal(nth_box(b, 1)->loc.line, 9);
    wy_document_free(doc);
}

/* Text a <value-of> reads from a spreadsheet knows its file and row (for
   the coverage check's messages); a value computed in a row's context is
   put down to that row, template text to nothing. */
static void data_text_knows_its_row(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<sequence>\n"
        "  <for-each select='stations/row[人数 &gt; 10]'>\n"
        "    <p>站名：<value-of select='名称'/>（<value-of select='normalize-space(镇街)'/>）</p>\n"
        "  </for-each>\n"
        "</sequence>\n"
        "</template>\n",
        STATIONS, &doc);
    const char *file = "samples/bulletin/stations.csv";
    int rows[] = {2, 4};
    for (int i = 0; i < 2; i++, b = b->next) {
        const WyPara *p = &b->u.para;
        assert_int_equal(p->n_origins, 2);
        size_t name = strlen("站名：");
        assert_int_equal(p->origins[0].start, name);
        assert_string_equal(p->origins[0].loc.file, file);
        assert_int_equal(p->origins[0].loc.line, rows[i]);
        assert_int_equal(p->origins[1].loc.line, rows[i]); /* normalize-space(镇街): the row */
        /* the template's own text has no origin */
        assert_int_equal(wy_para_origin_at(p, 0, wy_loc("t.xml", 3, 1)).line, 3);
        assert_int_equal(wy_para_origin_at(p, name, wy_loc("t.xml", 3, 1)).line, rows[i]);
    }
    assert_null(b);
    wy_document_free(doc);
}

/* line-grid: a style's pitch, a length, none, and by default the body's. */
static void page_masters_carry_their_line_grid(void **state)
{
    (void)state;
    WyDocument *doc;
    blocks_of(T_HEAD
        "<style name='body' size='14pt' line-height='24.5pt'/>\n"
        "<style name='gb' size='16pt' line-height='28.9pt'/>\n"
        "<page-master name='plain'/>\n"
        "<page-master name='styled' line-grid='gb'/>\n"
        "<page-master name='length' line-grid='20pt'/>\n"
        "<page-master name='off' line-grid='none'/>\n"
        "<page-master name='gov' preset='gb9704'/>\n"
        "<sequence master='plain'><p>一</p></sequence>\n"
        "<sequence master='styled'><p>二</p></sequence>\n"
        "<sequence master='length'><p>三</p></sequence>\n"
        "<sequence master='off'><p>四</p></sequence>\n"
        "<sequence master='gov'><p>五</p></sequence>\n"
        "</template>\n",
        EMPTY_DATA, &doc);
    const double want[] = {24.5, 28.9, 20, 0, 28.99};
    int i = 0;
    for (const WySequence *seq = doc->sequences; seq; seq = seq->next, i++)
        assert_true(fabs(seq->rest->line_grid_pt - want[i]) < 0.01);
    assert_int_equal(i, 5);
    wy_document_free(doc);
}

static void an_undeclared_parameter_is_a_warning(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc = expand_text("params.xml", T_HEAD "<param name='year'/>\n<sequence><p>x</p></sequence>\n" T_TAIL,
                                  STATIONS, &d);
    assert_non_null(doc);
    assert_int_equal(d.warnings, 1);
    assert_non_null(strstr(wy_buf_str(&d.text), "warning: parameter typo is given but the template declares no "
                                                "<param name=\"typo\"/>; it is ignored"));
    wy_document_free(doc);
    wy_diag_release(&d);
}

static void whitespace_collapses_by_script(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<sequence>\n"
        "  <p>\n    第<value-of select='issue/number'/>期\n    （总第58期）\n  </p>\n"
        "  <p>德清\n      社工   2023\n   年 Social   Work\n   bulletin</p>\n"
        "  <p><value-of select='issue/name'/> · <value-of select='issue/number'/></p>\n"
        "  <p>“五社联动”\n  关爱</p>\n"
        "  <p><text>  两个  空格  </text>和<text>\n</text>换行</p>\n"
        "  <p>  </p>\n"
        "  <p>前<br/>\n   后</p>\n"
        "</sequence>\n" T_TAIL,
        STATIONS, &doc);
    assert_string_equal(text_of(b), "第3期（总第58期）");
    assert_string_equal(text_of(nth_box(b, 1)), "德清社工 2023 年 Social Work bulletin");
    assert_string_equal(text_of(nth_box(b, 2)), "德清社工 · 3");
    assert_string_equal(text_of(nth_box(b, 3)), "“五社联动”关爱");
    assert_string_equal(text_of(nth_box(b, 4)), "两个  空格  和\n换行"); /* <text> keeps its spaces inside */
    assert_string_equal(text_of(nth_box(b, 5)), "前\n后");                /* the empty <p> was dropped */
    assert_int_equal(count_boxes(b), 6);
    wy_document_free(doc);
}

static void spans_and_fields(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<style name='red' role='title' size='小二' color='red' weight='bold'/>\n"
        "<page-master name='m'>\n"
        "  <header><p align='end'><value-of select='issue/name'/></p></header>\n"
        "  <footer><p align='outside'>— <page-number/> —</p><p>共<page-count/>页</p></footer>\n"
        "</page-master>\n"
        "<sequence>\n"
        "  <p>普通 <span weight='bold'>粗 <span italic='true' size='2em'>斜</span></span> <span style='red'>红</span>"
        "<span weight='bold'> </span></p>\n"
        "</sequence>\n" T_TAIL,
        STATIONS, &doc);
    const WyPara *p = &b->u.para;
    /* template whitespace between Chinese characters vanishes */
    assert_string_equal(p->text, "普通粗斜红");
    assert_int_equal(p->n_spans, 3); /* the span around a lone space is dropped with it */
    assert_int_equal(p->spans[0].start, 6);  /* outer bold: "粗斜" */
    assert_int_equal(p->spans[0].end, 12);
    assert_int_equal(p->spans[0].flags, WY_SPAN_BOLD);
    assert_int_equal(p->spans[1].start, 9);  /* inner: bold and italic, twice the paragraph size */
    assert_int_equal(p->spans[1].end, 12);
    assert_int_equal(p->spans[1].flags, WY_SPAN_BOLD | WY_SPAN_ITALIC);
    assert_float_equal(p->spans[1].size_pt, 32, 1e-9);
    assert_int_equal(p->spans[2].start, 12);
    assert_int_equal(p->spans[2].end, 15);
    assert_int_equal(p->spans[2].flags, WY_SPAN_BOLD);
    assert_int_equal(p->spans[2].color, 0xE60012);
    assert_string_equal(p->spans[2].role, "title");
    assert_float_equal(p->spans[2].size_pt, 18, 1e-9);

    const WyPageMaster *m = doc->sequences->first;
    assert_ptr_equal(m, doc->sequences->rest);
    assert_string_equal(m->name, "m");
    assert_float_equal(m->margin_top_pt, 37 * WY_PT_PER_MM, 1e-9);
    assert_float_equal(m->margin_left_pt, 28 * WY_PT_PER_MM, 1e-9);
    assert_float_equal(m->footer_gap_pt, 7 * WY_PT_PER_MM, 1e-9);
    assert_string_equal(text_of(m->header), "德清社工");
    const WyPara *folio = &m->footer->u.para;
    assert_string_equal(folio->text, "—  —");
    assert_int_equal(folio->n_fields, 1);
    assert_int_equal(folio->fields[0].kind, WY_FIELD_PAGE_NUMBER);
    assert_int_equal(folio->fields[0].offset, 4); /* "— " + value + " —" */
    assert_int_equal(folio->style->align, WY_ALIGN_OUTSIDE);
    const WyPara *count = &m->footer->next->u.para;
    assert_string_equal(count->text, "共页");
    assert_int_equal(count->fields[0].kind, WY_FIELD_PAGE_COUNT);
    assert_int_equal(count->fields[0].offset, 3);
    wy_document_free(doc);
}

static void a_field_alone_is_not_an_empty_paragraph(void **state)
{
    (void)state;
    WyDocument *doc;
    blocks_of(T_HEAD "<page-master name='m'><footer><p><page-number/></p></footer></page-master>\n"
              "<sequence><p>x</p></sequence>\n" T_TAIL, EMPTY_DATA, &doc);
    const WyPara *folio = &doc->sequences->rest->footer->u.para;
    assert_string_equal(folio->text, "");
    assert_int_equal(folio->n_fields, 1);
    assert_int_equal(folio->fields[0].offset, 0);
    wy_document_free(doc);
}

static void split_lines_makes_paragraphs(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<sequence>\n"
        "  <for-each select='stations/row[1]'>\n"
        "    <p split-lines='true' bookmark='{名称}'><value-of select='简介'/></p>\n"
        "    <p><value-of select='简介'/></p>\n"
        "  </for-each>\n"
        "</sequence>\n" T_TAIL,
        STATIONS, &doc);
    assert_string_equal(text_of(b), "第一段");
    assert_string_equal(b->bookmark, "新市镇社工站");
    assert_string_equal(text_of(nth_box(b, 1)), "第二段");
    assert_null(nth_box(b, 1)->bookmark);
    assert_string_equal(text_of(nth_box(b, 2)), "第三段");
    assert_string_equal(text_of(nth_box(b, 3)), "第一段\n第二段\n\n第三段"); /* forced breaks otherwise */
    assert_int_equal(count_boxes(b), 4);
    wy_document_free(doc);
}

static void headings_bookmark_themselves(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<meta title='{issue/name}第{issue/number}期' author='德清县民政局'/>\n"
        "<sequence>\n"
        "  <h level='2'>工作\n  动态</h>\n"
        "  <h bookmark=''>无书签</h>\n"
        "  <h bookmark='第{issue/number}期' bookmark-level='3'>自定</h>\n"
        "  <p>正文</p>\n"
        "  <p bookmark='段落'>有书签的段落</p>\n"
        "  <h keep-with-next='false'>孤立</h>\n"
        "</sequence>\n" T_TAIL,
        STATIONS, &doc);
    assert_string_equal(doc->meta.title, "德清社工第3期");
    assert_string_equal(doc->meta.author, "德清县民政局");
    assert_string_equal(doc->meta.lang, "zh-Hans");
    assert_string_equal(b->bookmark, "工作动态");
    assert_int_equal(b->bookmark_level, 2);
    assert_true(b->keep_with_next);
    assert_null(nth_box(b, 1)->bookmark);
    assert_string_equal(nth_box(b, 2)->bookmark, "第3期");
    assert_int_equal(nth_box(b, 2)->bookmark_level, 3);
    assert_null(nth_box(b, 3)->bookmark);
    assert_false(nth_box(b, 3)->keep_with_next);
    assert_string_equal(nth_box(b, 4)->bookmark, "段落");
    assert_int_equal(nth_box(b, 4)->bookmark_level, 1);
    assert_false(nth_box(b, 5)->keep_with_next);
    wy_document_free(doc);
}

static void blocks_and_containers(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<page-master name='m' size='A4' margin='20mm'/>\n"
        "<sequence>\n"
        "  <rule thickness='2.25pt' color='red' double='true' width='50%' space-before='4pt' space-after='1em'/>\n"
        "  <space height='2em'/>\n"
        "  <page-break/>\n"
        "  <box border='0.5pt' color='gray' border-left='3pt red' padding='2mm 4mm' background='#FBF1F0'\n"
        "       keep-together='true'>\n"
        "    <p>框内</p>\n"
        "  </box>\n"
        "  <columns count='2' gap='6mm' separator='0.5pt gray'><p>栏</p></columns>\n"
        "  <columns count='3'/>\n"
        "  <grid columns='4' gap='3mm' row-gap='2mm' equal-rows='true'>\n"
        "    <for-each select='stations/row'>\n"
        "      <cell border='0.5pt #C9A3A0' padding='3mm' valign='middle'><p><value-of select='名称'/></p></cell>\n"
        "    </for-each>\n"
        "  </grid>\n"
        "</sequence>\n" T_TAIL,
        STATIONS, &doc);
    double measure = A4_WIDTH_PT - 40 * WY_PT_PER_MM;
    assert_int_equal(b->kind, WY_BOX_RULE);
    assert_float_equal(b->u.rule.thickness_pt, 2.25, 1e-9);
    assert_int_equal(b->u.rule.color, 0xE60012);
    assert_true(b->u.rule.double_line);
    assert_float_equal(b->u.rule.width_pt, measure / 2, 1e-9);
    assert_float_equal(b->space_before_pt, 4, 1e-9);
    assert_float_equal(b->space_after_pt, 16, 1e-9); /* 1em of the body */
    const WyBox *space = nth_box(b, 1);
    assert_int_equal(space->kind, WY_BOX_SPACE);
    assert_float_equal(space->u.space.height_pt, 32, 1e-9);
    assert_int_equal(nth_box(b, 2)->kind, WY_BOX_PAGE_BREAK);
    const WyBox *box = nth_box(b, 3);
    assert_int_equal(box->kind, WY_BOX_FRAME);
    assert_float_equal(box->u.frame.top.width_pt, 0.5, 1e-9);
    assert_int_equal(box->u.frame.top.color, 0x808080);
    assert_float_equal(box->u.frame.left.width_pt, 3, 1e-9);
    assert_int_equal(box->u.frame.left.color, 0xE60012);
    assert_float_equal(box->u.frame.padding_pt[0], 2 * WY_PT_PER_MM, 1e-9);
    assert_float_equal(box->u.frame.padding_pt[1], 4 * WY_PT_PER_MM, 1e-9);
    assert_int_equal(box->u.frame.background, 0xFBF1F0);
    assert_true(box->keep_together);
    assert_string_equal(text_of(box->children), "框内");
    const WyBox *cols = nth_box(b, 4);
    assert_int_equal(cols->kind, WY_BOX_COLUMNS);
    assert_int_equal(cols->u.columns.count, 2);
    assert_float_equal(cols->u.columns.gap_pt, 6 * WY_PT_PER_MM, 1e-9);
    assert_true(cols->u.columns.balance);
    assert_float_equal(cols->u.columns.separator.width_pt, 0.5, 1e-9);
    const WyBox *grid = nth_box(b, 5); /* the empty columns were dropped */
    assert_int_equal(grid->kind, WY_BOX_GRID);
    assert_int_equal(grid->u.grid.columns, 4);
    assert_float_equal(grid->u.grid.gap_pt, 3 * WY_PT_PER_MM, 1e-9);
    assert_float_equal(grid->u.grid.row_gap_pt, 2 * WY_PT_PER_MM, 1e-9);
    assert_true(grid->u.grid.equal_rows);
    assert_int_equal(count_boxes(grid->children), 3);
    const WyBox *cell = nth_box(grid->children, 2);
    assert_int_equal(cell->kind, WY_BOX_FRAME);
    assert_int_equal(cell->u.frame.valign, WY_VALIGN_MIDDLE);
    assert_int_equal(cell->u.frame.bottom.color, 0xC9A3A0);
    assert_string_equal(text_of(cell->children), "阜溪街道社工站");
    assert_null(nth_box(b, 6));
    wy_document_free(doc);
}

static void spaces_stay_outside_spans(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<sequence>\n"
        "  <p>Social <span weight='bold'> work</span>\n  <span italic='true'>社工</span></p>\n"
        "</sequence>\n" T_TAIL,
        EMPTY_DATA, &doc);
    const WyPara *p = &b->u.para;
    assert_string_equal(p->text, "Social work 社工");
    assert_int_equal(p->spans[0].start, 7); /* "work", not " work" */
    assert_int_equal(p->spans[0].end, 11);
    assert_int_equal(p->spans[1].start, 12);
    assert_int_equal(p->spans[1].end, 18);
    wy_document_free(doc);
}

static void image_problems_point_at_the_template(void **state)
{
    (void)state;
    /* an empty src (a row without a picture) places nothing */
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<sequence>\n  <image src='{issue/photo}' width='50%'/>\n  <p>x</p>\n</sequence>\n" T_TAIL,
        STATIONS, &doc);
    assert_string_equal(text_of(b), "x");
    wy_document_free(doc);
    /* a picture that cannot be loaded is reported at the <image> line */
    char *errors = expand_errors("image.xml", T_HEAD
        "<sequence>\n  <p>x</p>\n  <image src='pictures/{issue/number}.png'/>\n</sequence>\n" T_TAIL, STATIONS);
    assert_non_null(strstr(errors, "image.xml:4:3: error: "));
    assert_non_null(strstr(errors, "pictures/3.png"));
    free(errors);
}

/* ------------------------------------------------------------ content */

static const char *const ARTICLE =
    "<data><articles file='samples/bulletin/articles'>"
    "<article file='samples/bulletin/articles/01-x.md' line='1'><title>标题</title><lang>zh-Hans</lang><body>"
    "<p line='7'>县民政局<strong>联合</strong>各镇(街道)开展<em>宣传周</em>，详见<a href='https://mz.example.cn'>官网</a>"
    "和<code>wenyin</code>。<br/>第二行</p>"
    "<h level='2' line='9'>专项基金</h>"
    "<ul line='11'><li><p>第一项</p></li><li><p>第二项<strong>重点</strong></p><ul><li><p>子项</p></li></ul></li></ul>"
    "<ol line='15'><li>甲</li><li>乙</li></ol>"
    "<blockquote line='18'><p>引文</p></blockquote>"
    "<hr line='20'/>"
    "<section line='22'>未知的块</section>"
    "</body></article>"
    "<article file='samples/bulletin/articles/02-en.md' line='1'><lang>en</lang><body><p line='5'>English text.</p></body></article>"
    "</articles></data>";

static void content_maps_a_markdown_body(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<style name='body' size='四号' indent='2em'/>\n"
        "<style name='sub' role='heading' size='四号' weight='bold'/>\n"
        "<sequence>\n"
        "  <for-each select='articles/article'>\n"
        "    <content select='body' h2='sub' bookmarks='true'/>\n"
        "  </for-each>\n"
        "</sequence>\n" T_TAIL,
        ARTICLE, &doc);
    const WyPara *p = &b->u.para;
    assert_string_equal(p->text, "县民政局联合各镇(街道)开展宣传周，详见官网和wenyin。\n第二行");
    assert_int_equal(p->n_spans, 4);
    /* 县民政局 is 12 bytes; 联合 the next 6 */
    assert_int_equal(p->spans[0].start, 12);
    assert_int_equal(p->spans[0].end, 18);
    assert_int_equal(p->spans[0].flags, WY_SPAN_BOLD);
    assert_int_equal(p->spans[1].flags, WY_SPAN_ITALIC);
    assert_int_equal(memcmp(p->text + p->spans[1].start, "宣传周", p->spans[1].end - p->spans[1].start), 0);
    assert_string_equal(p->spans[2].link, "https://mz.example.cn");
    assert_int_equal(memcmp(p->text + p->spans[2].start, "官网", 6), 0);
    assert_int_equal(p->spans[3].flags, WY_SPAN_MONO);
    assert_int_equal(memcmp(p->text + p->spans[3].start, "wenyin", 6), 0);
    assert_string_equal(b->loc.file, "samples/bulletin/articles/01-x.md");
    assert_int_equal(b->loc.line, 7);
    assert_float_equal(p->style->size_pt, 14, 1e-9);

    const WyBox *h = nth_box(b, 1);
    assert_string_equal(text_of(h), "专项基金");
    assert_string_equal(h->u.para.style->name, "sub");
    assert_true(h->keep_with_next);
    assert_string_equal(h->bookmark, "专项基金");
    assert_int_equal(h->bookmark_level, 2);
    assert_int_equal(h->loc.line, 9);

    const WyBox *li1 = nth_box(b, 2);
    assert_string_equal(text_of(li1), "• 第一项");
    assert_float_equal(li1->u.para.style->left_indent_pt, 28, 1e-9);   /* 2em of 四号 */
    assert_float_equal(li1->u.para.style->first_indent_pt, -14, 1e-9); /* the bullet hangs */
    const WyBox *li2 = nth_box(b, 3);
    assert_string_equal(text_of(li2), "• 第二项重点");
    assert_int_equal(li2->u.para.spans[0].start, strlen("• 第二项"));
    const WyBox *sub = nth_box(b, 4);
    assert_string_equal(text_of(sub), "• 子项");
    assert_float_equal(sub->u.para.style->left_indent_pt, 56, 1e-9);
    assert_string_equal(text_of(nth_box(b, 5)), "1. 甲");
    assert_float_equal(nth_box(b, 5)->u.para.style->first_indent_pt, -21, 1e-9);
    assert_string_equal(text_of(nth_box(b, 6)), "2. 乙");
    const WyBox *quote = nth_box(b, 7);
    assert_string_equal(text_of(quote), "引文");
    assert_string_equal(quote->u.para.style->role, "kai");
    assert_float_equal(quote->u.para.style->left_indent_pt, 28, 1e-9);
    const WyBox *hr = nth_box(b, 8);
    assert_int_equal(hr->kind, WY_BOX_RULE);
    assert_int_equal(hr->loc.line, 20);
    assert_string_equal(text_of(nth_box(b, 9)), "未知的块");
    const WyBox *en = nth_box(b, 10);
    assert_string_equal(text_of(en), "English text.");
    assert_string_equal(en->u.para.style->lang, "en");
    assert_string_equal(en->loc.file, "samples/bulletin/articles/02-en.md");
    assert_string_equal(p->style->lang, "zh-Hans");
    assert_null(nth_box(b, 11));
    wy_document_free(doc);
}

/* ------------------------------------------------------------ data errors */

static const char *const BILINGUAL =
    "<data><articles file='a'><article file='a/01.md' line='1'><title>标题</title><lang>zh-Hans</lang><body>"
    "<p line='5'>第一段</p><figure line='7'><caption>图一</caption></figure>"
    "<p line='9'>第二段</p><p line='11'>第三段</p></body>"
    "<translation lang='en' file='a/01.en.md'><title>Title</title><lang>en</lang><body>"
    "<p line='5'>First.</p><figure line='7'><caption>Figure one</caption></figure>"
    "<p line='9'>Second.</p></body></translation>"
    "</article></articles></data>";

/* <parallel>: one two-cell grid row per pair of paragraphs, a missing
   partner an empty cell, the pairing starting afresh after a picture (here
   one without a file, which sets nothing), the English in its own style
   and language. */
static void parallel_pairs_blocks_by_position(void **state)
{
    (void)state;
    WyDocument *doc;
    const WyBox *b = blocks_of(T_HEAD
        "<style name='body' size='四号' indent='2em'/>\n"
        "<style name='en' role='latin' lang='en' size='五号'/>\n"
        "<sequence>\n"
        "  <for-each select='articles/article'>\n"
        "    <parallel select='body' with='translation/body' with-p='en' with-caption='en' gap='2em'/>\n"
        "  </for-each>\n"
        "</sequence>\n" T_TAIL,
        BILINGUAL, &doc);
    assert_int_equal(b->kind, WY_BOX_GRID);
    assert_int_equal(b->u.grid.columns, 2);
    assert_true(b->keep_together);
    assert_string_equal(text_of(b->children->children), "第一段");
    assert_string_equal(text_of(b->children->next->children), "First.");
    assert_string_equal(b->children->next->children->u.para.style->lang, "en");
    assert_string_equal(b->children->next->children->u.para.style->role, "latin");
    b = b->next;
    assert_string_equal(text_of(b->children->children), "第二段");
    assert_string_equal(text_of(b->children->next->children), "Second.");
    b = b->next;
    assert_int_equal(b->kind, WY_BOX_GRID);
    assert_string_equal(text_of(b->children->children), "第三段");
    assert_null(b->children->next->children); /* no partner: an empty cell */
    assert_null(b->next);
    wy_document_free(doc);
}

static void a_missing_column_names_the_csv_and_the_template_line(void **state)
{
    (void)state;
    char *errors = expand_errors("roster.xml", T_HEAD
        "<sequence>\n"
        "  <grid columns='4'>\n"
        "    <for-each select='talents/row'>\n"
        "      <cell>\n"
        "        <p><value-of select='姓名'/></p>\n"
        "        <p><value-of select='职务'/></p>\n"
        "      </cell>\n"
        "    </for-each>\n"
        "  </grid>\n"
        "</sequence>\n" T_TAIL,
        "<data><talents file='samples/bulletin/talents.csv'>"
        "<row line='2'><姓名>丁敬学</姓名><单位>武康街道新丰社区</单位><类别>领军人才</类别></row>"
        "</talents></data>");
    const char *expected = "samples/bulletin/talents.csv:1:1: error: column 职务 is missing (its header row has: "
                           "姓名, 单位, 类别); the template ";
    assert_memory_equal(errors, expected, strlen(expected));
    assert_non_null(strstr(errors, "roster.xml:7 uses it\n"));
    assert_null(strchr(strchr(errors, '\n') + 1, '\n')); /* one line */
    free(errors);
}

static void runtime_errors_carry_the_template_line(void **state)
{
    (void)state;
    char *errors = expand_errors("runtime.xml", T_HEAD
        "<sequence>\n"
        "  <for-each select='count(stations/row)'><p>x</p></for-each>\n"
        "</sequence>\n" T_TAIL,
        STATIONS);
    assert_non_null(strstr(errors, "runtime.xml:3:13: error: select=\"count(stations/row)\" gives a number, but it must "
                                   "select nodes"));
    free(errors);
    errors = expand_errors("date.xml", T_HEAD
        "<sequence>\n"
        "  <p>\n    <value-of select='wy:date-cn(issue/name)'/></p>\n"
        "</sequence>\n" T_TAIL,
        STATIONS);
    assert_non_null(strstr(errors, "date.xml:4:15: error: \"wy:date-cn(issue/name)\" cannot be evaluated: wy:date-cn() got "
                                   "\"德清社工\", which is not a date"));
    free(errors);
}

static void runaway_expansion_is_capped(void **state)
{
    (void)state;
    WyBuf data;
    wy_buf_init(&data);
    wy_buf_puts(&data, "<data>");
    for (int i = 0; i < 500; i++)
        wy_buf_puts(&data, "<n/>");
    wy_buf_puts(&data, "</data>");
    char *errors = expand_errors("runaway.xml", T_HEAD
        "<sequence>\n"
        "  <for-each select='n'>\n"
        "    <for-each select='../n'>\n"
        "      <p>x</p>\n"
        "    </for-each>\n"
        "  </for-each>\n"
        "</sequence>\n" T_TAIL,
        wy_buf_str(&data));
    assert_non_null(strstr(errors, "runaway.xml:5:7: error: the document would have more than 200000 blocks"));
    free(errors);
    wy_buf_release(&data);
}

/* ------------------------------------------------------------ the bulletin */

static xmlDocPtr bulletin_data(void)
{
    WyDiag d;
    wy_diag_init(&d, stderr);
    xmlDocPtr data = wy_xml_parse_file(FIXTURES "bulletin-data.xml", &d);
    wy_diag_release(&d);
    assert_non_null(data);
    return data;
}

/* Lines PARA needs at MEASURE_PT, counting each character as 1 em (CJK) or
   ½ em (ASCII): a floor for the real layout, which only adds. */
static double para_height(const WyBox *b, double measure_pt)
{
    const WyStyle *s = b->u.para.style;
    double width = s->first_indent_pt < 0 ? 0 : s->first_indent_pt;
    for (const unsigned char *c = (const unsigned char *)b->u.para.text; *c; c++) {
        if ((*c & 0xC0) == 0x80)
            continue;
        width += *c < 0x80 ? s->size_pt / 2 : s->size_pt;
    }
    double avail = measure_pt - s->left_indent_pt - s->right_indent_pt;
    int lines = (int)(width / avail) + 1;
    return lines * s->line_height_pt + s->space_before_pt + s->space_after_pt;
}

static double blocks_height(const WyBox *b, double measure_pt)
{
    double h = 0;
    for (; b; b = b->next) {
        if (b->kind == WY_BOX_PARA)
            h += para_height(b, measure_pt);
        else if (b->kind == WY_BOX_FRAME)
            h += blocks_height(b->children, measure_pt - b->u.frame.padding_pt[1] - b->u.frame.padding_pt[3]) +
                 b->u.frame.padding_pt[0] + b->u.frame.padding_pt[2];
        h += b->space_before_pt + b->space_after_pt;
    }
    return h;
}

static void the_bulletin_over_bulletin_data(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyTemplate *t = wy_template_load("templates/bulletin.xml", SCHEMA_PATH, &d);
    assert_non_null(t);
    xmlDocPtr data = bulletin_data();
    WyDocument *doc = wy_template_expand(t, data, &d);
    if (!doc)
        fail_msg("%s", wy_buf_str(&d.text));
    xmlFreeDoc(data); /* the document must not point into the data tree */
    wy_template_free(t);

    assert_string_equal(doc->meta.title, "德清社工 2023年第3期");
    const WySequence *seq = doc->sequences;
    assert_null(seq->next);
    assert_string_equal(seq->first->name, "first");
    assert_string_equal(seq->rest->name, "rest");
    assert_null(seq->first->header);
    assert_float_equal(seq->rest->margin_top_pt, 37 * WY_PT_PER_MM, 1e-9);
    assert_float_equal(seq->rest->margin_left_pt, 28 * WY_PT_PER_MM, 1e-9);
    assert_float_equal(seq->rest->margin_right_pt, 26 * WY_PT_PER_MM, 1e-9);
    assert_float_equal(seq->rest->margin_bottom_pt, 35 * WY_PT_PER_MM, 1e-9);
    assert_string_equal(text_of(seq->rest->header), "德清社工 · 2023年第3期");
    assert_int_equal(seq->rest->header_rule.color, 0xE60012);
    assert_int_equal(seq->rest->footer->u.para.fields[0].kind, WY_FIELD_PAGE_NUMBER);

    const WyBox *b = seq->blocks;
    assert_string_equal(text_of(b), "德清社工");
    assert_int_equal(b->u.para.style->color, 0xE60012);
    assert_float_equal(b->u.para.style->size_pt, 42, 1e-9);
    assert_int_equal(b->u.para.style->align, WY_ALIGN_CENTER);
    assert_string_equal(text_of(b->next), "第3期（总第58期）");
    const WyBox *masthead_line = nth_box(b, 2);
    assert_int_equal(masthead_line->kind, WY_BOX_GRID);
    assert_string_equal(text_of(masthead_line->children->children), "德清县民政局　编");
    const WyBox *date = masthead_line->children->next->children;
    assert_string_equal(text_of(date), "2023年3月21日");
    assert_int_equal(date->u.para.style->align, WY_ALIGN_END);
    const WyBox *red_rule = nth_box(b, 3);
    assert_int_equal(red_rule->kind, WY_BOX_RULE);
    assert_int_equal(red_rule->u.rule.color, 0xE60012);
    assert_true(red_rule->u.rule.double_line);

    /* sections in order of first appearance, each article a level-1 bookmark */
    const char *sections[8];
    int n_sections = 0, n_titles = 0, n_frames = 0;
    const WyBox *grid = NULL, *last = NULL;
    for (const WyBox *x = b; x; x = x->next) {
        if (x->kind == WY_BOX_PARA && strcmp(x->u.para.style->name, "section") == 0 && n_sections < 8)
            sections[n_sections++] = x->u.para.text;
        if (x->kind == WY_BOX_PARA && strcmp(x->u.para.style->name, "title") == 0) {
            n_titles++;
            assert_int_equal(x->bookmark_level, 1);
            assert_string_equal(x->bookmark, x->u.para.text);
        }
        if (x->kind == WY_BOX_FRAME)
            n_frames++;
        if (x->kind == WY_BOX_GRID)
            grid = x;
        last = x;
    }
    assert_int_equal(n_sections, 6);
    assert_string_equal(sections[0], "【工作动态】");
    assert_string_equal(sections[1], "【政策解读】");
    assert_string_equal(sections[2], "【经验交流】");
    assert_string_equal(sections[3], "【他山之石】");
    assert_string_equal(sections[4], "【站点风采】");
    assert_string_equal(sections[5], "2022年南太湖社会工作领军人才");
    assert_int_equal(n_titles, 9);
    assert_int_equal(n_frames, 5); /* four stations and the distribution block */
    assert_non_null(grid);
    assert_int_equal(grid->u.grid.columns, 4);
    assert_int_equal(count_boxes(grid->children), 16);
    assert_string_equal(text_of(grid->children->children), "丁敬学");
    assert_string_equal(text_of(grid->children->children->next->next), "党支部副书记");

    /* the distribution block closes the document */
    assert_int_equal(last->kind, WY_BOX_FRAME);
    assert_true(last->keep_together);
    const WyBox *to = nth_box(last->children, 1);
    assert_string_equal(text_of(to), "报：省民政厅，市民政局，县委、县人大、县政府、县政协领导");
    assert_float_equal(to->u.para.style->first_indent_pt, -28, 1e-9); /* hangs by 报： */
    assert_string_equal(text_of(nth_box(last->children, 2)), "送：县委办、县府办，县级有关部门");
    assert_string_equal(text_of(nth_box(last->children, 5)), "（共印300份）");
    assert_int_equal(nth_box(last->children, 5)->u.para.style->align, WY_ALIGN_END);
    assert_int_equal(nth_box(last->children, 6)->kind, WY_BOX_RULE);

    /* at least eight A4 pages: a floor estimate of the text's height */
    double measure = A4_WIDTH_PT - (28 + 26) * WY_PT_PER_MM;
    double page = A4_HEIGHT_PT - (37 + 35) * WY_PT_PER_MM;
    assert_true(blocks_height(b, measure) > 8 * page);
    wy_document_free(doc);
    wy_diag_release(&d);
}

static int teardown_group(void **state)
{
    (void)state;
    remove_temp_dir();
    wy_schema_cache_clear();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schema_violations_are_reported_at_their_line),
        cmocka_unit_test(a_doctype_is_refused),
        cmocka_unit_test(xpath_errors_stop_the_load_at_their_line),
        cmocka_unit_test(other_template_mistakes),
        cmocka_unit_test(the_shipped_template_loads),
        cmocka_unit_test(for_each_if_choose_with_and_variables),
        cmocka_unit_test(data_text_knows_its_row),
        cmocka_unit_test(page_masters_carry_their_line_grid),
        cmocka_unit_test(an_undeclared_parameter_is_a_warning),
        cmocka_unit_test(whitespace_collapses_by_script),
        cmocka_unit_test(spans_and_fields),
        cmocka_unit_test(spaces_stay_outside_spans),
        cmocka_unit_test(image_problems_point_at_the_template),
        cmocka_unit_test(a_field_alone_is_not_an_empty_paragraph),
        cmocka_unit_test(split_lines_makes_paragraphs),
        cmocka_unit_test(headings_bookmark_themselves),
        cmocka_unit_test(blocks_and_containers),
        cmocka_unit_test(content_maps_a_markdown_body),
        cmocka_unit_test(parallel_pairs_blocks_by_position),
        cmocka_unit_test(a_missing_column_names_the_csv_and_the_template_line),
        cmocka_unit_test(runtime_errors_carry_the_template_line),
        cmocka_unit_test(runaway_expansion_is_capped),
        cmocka_unit_test(the_bulletin_over_bulletin_data),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_group);
}
