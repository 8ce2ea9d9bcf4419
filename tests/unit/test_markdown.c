/* Markdown articles: front matter, title, the CJK soft-break rule,
   figures, dropped HTML, folders, and the line of every block. */
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
#include "data/markdown.h"

#define WRITE(name, literal) tmp_write((name), (literal), sizeof(literal) - 1)

static xmlNodePtr xpath_node(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr result = xmlXPathEval(BAD_CAST expr, ctx);
    assert_non_null(result);
    assert_int_equal(result->type, XPATH_NODESET);
    assert_non_null(result->nodesetval);
    assert_true(result->nodesetval->nodeNr >= 1);
    xmlNodePtr n = result->nodesetval->nodeTab[0];
    xmlXPathFreeObject(result);
    xmlXPathFreeContext(ctx);
    return n;
}

/* Loads one article from TEXT into a fresh tree under /data/a. */
static xmlDocPtr load_text(const char *name, const char *text, size_t len, WyDiag *d, bool *ok)
{
    const char *path = tmp_write(name, text, len);
    xmlDocPtr doc = wy_data_new();
    xmlNodePtr holder = xmlNewChild(xmlDocGetRootElement(doc), NULL, BAD_CAST "a", NULL);
    *ok = wy_markdown_load_file(holder, path, d);
    return doc;
}

#define LOAD(name, literal, d, ok) load_text((name), (literal), sizeof(literal) - 1, (d), (ok))

static void expect_diag(const WyDiag *d, const char *expected)
{
    const char *text = wy_buf_str(&d->text);
    const char *found = strstr(text, expected);
    if (!found)
        fail_msg("expected \"%s\"\n in \"%s\"", expected, text);
}

/* Loads TEXT, which must fail with a diagnostic containing EXPECTED and add nothing. */
static void assert_load_fails(const char *name, const char *text, size_t len, const char *expected)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load_text(name, text, len, &d, &ok);
    assert_false(ok);
    assert_int_equal(wy_diag_exit_code(&d), 1);
    expect_diag(&d, expected);
    assert_int_equal(xpath_number(doc, "count(//article)"), 0);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

#define FAILS(name, literal, expected) assert_load_fails((name), (literal), sizeof(literal) - 1, (expected))

static void front_matter_fills_the_article(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = LOAD("fm.md",
                         "---\n"
                         "title: 推进“五社联动” 关爱“一小一老”\n"
                         "subtitle: \"——记第十七个国际社工日\"\n"
                         "\n"
                         "# where it came from\n"
                         "source: '（据浙江省民政厅）'\n"
                         "Lang: zh-TW\n"
                         "期号: 17\n"
                         "---\n"
                         "正文。\n",
                         &d, &ok);
    assert_true(ok);
    assert_false(wy_diag_failed(&d));
    assert_xpath(doc, "//article/title", "推进“五社联动” 关爱“一小一老”");
    assert_xpath(doc, "//article/subtitle", "——记第十七个国际社工日");
    assert_xpath(doc, "//article/source", "（据浙江省民政厅）");
    assert_xpath(doc, "//article/lang", "zh-Hant");
    assert_xpath(doc, "//article/期号", "17");
    assert_int_equal(xpath_number(doc, "count(//article/author)"), 1);
    assert_int_equal(xpath_number(doc, "count(//article/date)"), 1);
    assert_int_equal(xpath_number(doc, "count(//article/section)"), 0);
    assert_xpath(doc, "name(//article/*[1])", "title");
    assert_xpath(doc, "name(//article/*[last()])", "body");
    assert_xpath(doc, "//article/body/p/@line", "10");
    assert_xpath(doc, "//article/body/p", "正文。");
    assert_int_equal(xmlGetLineNo(xpath_node(doc, "//article/lang")), 7);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void lang_defaults_and_normalises(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = LOAD("lang1.md", "---\ntitle: T\n---\n", &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "//article/lang", "zh-Hans");
    xmlFreeDoc(doc);
    doc = LOAD("lang2.md", "---\ntitle: T\nlang: zh-cn\n---\n", &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "//article/lang", "zh-Hans");
    xmlFreeDoc(doc);
    doc = LOAD("lang3.md", "---\ntitle: T\nlang: zh-HK\n---\n", &d, &ok);
    assert_xpath(doc, "//article/lang", "zh-Hant");
    xmlFreeDoc(doc);
    doc = LOAD("lang4.md", "---\ntitle: T\nlang: en\n---\n", &d, &ok);
    assert_xpath(doc, "//article/lang", "en");
    xmlFreeDoc(doc);
    assert_false(wy_diag_failed(&d));
    wy_diag_release(&d);
}

static void front_matter_mistakes_name_their_line(void **state)
{
    (void)state;
    FAILS("nocolon.md", "---\ntitle: T\nauthor 张三\n---\n",
          "nocolon.md:3:1: error: a front matter line must read key: value");
    FAILS("wide.md", "---\ntitle：本期要闻\n---\n", "wide.md:2:1: error: write the colon after the key as a half-width ':'");
    FAILS("lang.md", "---\ntitle: T\n\nlang: fr\n---\n", "lang.md:4:7: error: lang 'fr' is not one wenyin knows");
    FAILS("open.md", "---\ntitle: T\n\n正文\n", "open.md:1:1: error: the front matter that starts here is never closed");
    FAILS("twice.md", "---\ntitle: A\nTitle: B\n---\n", "twice.md:3:1: error: title is given twice (lines 2 and 3)");
    FAILS("key.md", "---\ntitle: A\nmy key: x\n---\n", "key.md:3:1: error: 'my key' cannot be a front matter key");
    FAILS("quote.md", "---\ntitle: \"A\n---\n", "quote.md:2:8: error: the value starts with \" but does not end with one");
    FAILS("empty.md", "---\ntitle:\n---\n# 标题\n", "empty.md:2:1: error: title is empty");
    /* columns count characters, not bytes */
    FAILS("column.md", "---\ntitle: T\n期号: \"十七\n---\n", "column.md:3:5: error: the value starts with \"");
    FAILS("body.md", "---\ntitle: T\nbody: x\n---\n", "body.md:3:1: error: 'body' cannot be a front matter key");
}

static void first_level_one_heading_is_the_title(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = LOAD("h1.md", "引言在标题前。\n\n# 德清社工 *第17期*\n\n## 一、做法\n\n# 第二个一级标题\n", &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "//article/title", "德清社工 第17期");
    assert_xpath(doc, "//article/title/em", "第17期");
    assert_int_equal(xmlGetLineNo(xpath_node(doc, "//article/title")), 3);
    assert_int_equal(xpath_number(doc, "count(//body/h)"), 2);
    assert_xpath(doc, "//body/h[1]/@level", "2");
    assert_xpath(doc, "//body/h[1]/@line", "5");
    assert_xpath(doc, "//body/h[2]/@level", "1");
    assert_xpath(doc, "//body/p", "引言在标题前。");
    xmlFreeDoc(doc);
    /* a front matter title keeps the heading in the body */
    doc = LOAD("h1b.md", "---\ntitle: 前置标题\n---\n# 正文标题\n", &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "//article/title", "前置标题");
    assert_xpath(doc, "//body/h[@level='1']", "正文标题");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void no_title_is_an_error(void **state)
{
    (void)state;
    FAILS("notitle.md", "## 只有二级标题\n\n正文\n", "notitle.md:1:1: error: the article has no title");
    FAILS("blank.md", "", "blank.md:1:1: error: the article has no title");
}

static void soft_breaks_join_cjk_and_space_latin(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = LOAD("soft.md",
                         "# T\n\n"
                         "今年的3月21日是第17个\n国际社工日。\n\n"
                         "wrapped English\ntext here\n\n"
                         "社工用\nPDF排版\n\n"
                         "全市持证社工2611名。\nPDF is ready\n\n"
                         "这是*强调*\n文字，`代码`\n继续\n\n"
                         "硬换行  \n下一行\\\n再下一行\n",
                         &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "//body/p[1]", "今年的3月21日是第17个国际社工日。");
    assert_xpath(doc, "//body/p[2]", "wrapped English text here");
    assert_xpath(doc, "//body/p[3]", "社工用 PDF排版");
    assert_xpath(doc, "//body/p[4]", "全市持证社工2611名。PDF is ready");
    assert_xpath(doc, "//body/p[5]", "这是强调文字，代码继续");
    assert_xpath(doc, "//body/p[5]/em", "强调");
    assert_xpath(doc, "//body/p[5]/code", "代码");
    assert_int_equal(xpath_number(doc, "count(//body/p[6]/br)"), 2);
    assert_xpath(doc, "//body/p[6]", "硬换行下一行再下一行");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void ideographic_indent_is_dropped_and_starts_paragraphs(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = LOAD("indent.md", "# T\n\n　　第一段文字\n　　第二段文字\n接着第二段\n", &d, &ok);
    assert_true(ok);
    assert_int_equal(xpath_number(doc, "count(//body/p)"), 2);
    assert_xpath(doc, "//body/p[1]", "第一段文字");
    assert_xpath(doc, "//body/p[2]", "第二段文字接着第二段");
    assert_xpath(doc, "//body/p[2]/@line", "4");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void pictures_become_figures(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = LOAD("issue/fig.md",
                         "# T\n\n"
                         "![新市镇社工站](图片/站点.jpg \"新市镇社工站外景\")\n\n"
                         "文字中间![内嵌图](b.png)还有文字。\n\n"
                         "![](图片/站点%20二.png)\n\n"
                         "- 列表里 ![列表图](c.png)\n",
                         &d, &ok);
    assert_true(ok);
    char expected[300];
    assert_int_equal(xpath_number(doc, "count(//body/figure)"), 3);
    assert_xpath(doc, "name(//body/*[1])", "figure");
    snprintf(expected, sizeof expected, "%s/issue/图片/站点.jpg", tmp_dir);
    assert_xpath(doc, "//body/figure[1]/@src", expected);
    assert_xpath(doc, "//body/figure[1]/@alt", "新市镇社工站");
    assert_xpath(doc, "//body/figure[1]/caption", "新市镇社工站外景");
    assert_xpath(doc, "//body/figure[1]/@line", "3");
    /* the paragraph keeps its text; the picture follows it */
    assert_xpath(doc, "name(//body/*[2])", "p");
    assert_xpath(doc, "//body/*[2]", "文字中间还有文字。");
    assert_xpath(doc, "name(//body/*[3])", "figure");
    assert_xpath(doc, "//body/*[3]/caption", "内嵌图");
    snprintf(expected, sizeof expected, "%s/issue/b.png", tmp_dir);
    assert_xpath(doc, "//body/*[3]/@src", expected);
    /* %20 as Markdown editors write it; no alt and no title: empty caption */
    snprintf(expected, sizeof expected, "%s/issue/图片/站点 二.png", tmp_dir);
    assert_xpath(doc, "//body/*[4]/@src", expected);
    assert_xpath(doc, "//body/*[4]/caption", "");
    /* inside a list item the figure stays in the item */
    assert_xpath(doc, "//li/figure/caption", "列表图");
    assert_xpath(doc, "//li/p", "列表里");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void picture_mistakes_are_errors(void **state)
{
    (void)state;
    FAILS("url.md", "# T\n\n看图 ![图](https://example.com/a.jpg)\n",
          "url.md:3:4: error: pictures must be files next to the article; save https://example.com/a.jpg");
    FAILS("noname.md", "# T\n\n![图]()\n", "noname.md:3:1: error: this picture has no file name");
}

static void html_is_dropped_with_a_warning(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = LOAD("html.md", "# T\n\n<div class=\"x\">块</div>\n\n文字<span>内联</span>结束<br>换行\n\n<!-- 注释 -->\n",
                         &d, &ok);
    assert_true(ok);
    assert_false(wy_diag_failed(&d));
    assert_int_equal(d.warnings, 2); /* </span> is not warned again */
    expect_diag(&d, "html.md:3:1: warning: HTML is not supported in articles and was left out: <div class=\"x\">");
    expect_diag(&d, "html.md:5:3: warning: HTML is not supported in articles and was left out: <span>");
    assert_int_equal(xpath_number(doc, "count(//body/*)"), 1);
    assert_xpath(doc, "//body/p", "文字内联结束换行");
    assert_int_equal(xpath_number(doc, "count(//body/p/br)"), 1);
    xmlFreeDoc(doc);
    /* --strict turns the warning into an error */
    wy_diag_release(&d);
    wy_diag_init(&d, NULL);
    d.warnings_are_errors = true;
    doc = LOAD("html2.md", "# T\n\n<div>x</div>\n", &d, &ok);
    assert_true(wy_diag_failed(&d));
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void blocks_carry_their_lines(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = LOAD("blocks.md",
                         "---\ntitle: T\n---\n"
                         "## 小标题\n\n"
                         "- 甲\n- 乙\n\n"
                         "> 引用\n\n"
                         "3. 丙\n4. 丁\n\n"
                         "```text\n代码\n```\n\n"
                         "***\n",
                         &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "//body/h/@line", "4");
    assert_xpath(doc, "//body/ul/@line", "6");
    assert_xpath(doc, "//body/ul/li[2]/@line", "7");
    assert_xpath(doc, "//body/ul/li[2]/p", "乙");
    assert_xpath(doc, "//body/blockquote/@line", "9");
    assert_xpath(doc, "//body/blockquote/p", "引用");
    assert_xpath(doc, "//body/ol/@start", "3");
    assert_xpath(doc, "//body/ol/@line", "11");
    assert_xpath(doc, "//body/pre", "代码\n");
    assert_xpath(doc, "//body/pre/@lang", "text");
    assert_xpath(doc, "//body/hr/@line", "18");
    WyLoc loc = wy_data_loc(xpath_node(doc, "//body/ul/li[2]/p/text()"));
    assert_int_equal(loc.line, 7);
    assert_non_null(strstr(loc.file, "/blocks.md"));
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void indented_text_is_kept_as_paragraphs(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = LOAD("code.md", "# T\n\n    缩进的正文\n    第二行\n\n    第二段\n", &d, &ok);
    assert_true(ok);
    assert_int_equal(d.warnings, 1);
    expect_diag(&d, "code.md:3:1: warning: this text is indented by four spaces");
    assert_int_equal(xpath_number(doc, "count(//body/p)"), 2);
    assert_xpath(doc, "//body/p[1]", "缩进的正文第二行");
    assert_xpath(doc, "//body/p[2]/@line", "6");
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void encodings_and_hidden_characters(void **state)
{
    (void)state;
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    /* GB18030: "# 标题\n\n正文\n" */
    xmlDocPtr doc = LOAD("gb.md", "# \xB1\xEA\xCC\xE2\n\n\xD5\xFD\xCE\xC4\n", &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "//article/title", "标题");
    assert_xpath(doc, "//body/p", "正文");
    xmlFreeDoc(doc);
    doc = LOAD("bom.md", "\xEF\xBB\xBF---\ntitle: 有BOM\n---\n", &d, &ok);
    assert_true(ok);
    assert_xpath(doc, "//article/title", "有BOM");
    xmlFreeDoc(doc);
    /* a zero-width space copied from a web page is harmless in prose */
    doc = LOAD("zw.md", "# T\n\n社工\xE2\x80\x8B站\n", &d, &ok);
    assert_true(ok);
    xmlFreeDoc(doc);
    assert_false(wy_diag_failed(&d));
    wy_diag_release(&d);
    FAILS("rlo.md", "# T\n\n姓名\xE2\x80\xAE反转\n", "rlo.md:3:3: error: an invisible character (right-to-left override, U+202E)");
    FAILS("badbytes.md", "# T\n\n正文\xFF\n", "badbytes.md:3:3: error: this file is neither UTF-8 nor GB18030 (bad byte 0xFF)");
}

static void deep_nesting_is_refused(void **state)
{
    (void)state;
    WyBuf text;
    wy_buf_init(&text);
    wy_buf_puts(&text, "# T\n\n");
    for (int i = 0; i < 100000; i++)
        wy_buf_putc(&text, '>');
    wy_buf_puts(&text, " 深\n");
    assert_load_fails("deep.md", text.data, text.len, "deep.md:3:1: error: lists, quotes or emphasis are nested more than 100");
    wy_buf_clear(&text);
    /* thirty levels of quotes are still fine */
    wy_buf_puts(&text, "# T\n\n");
    for (int i = 0; i < 30; i++)
        wy_buf_putc(&text, '>');
    wy_buf_puts(&text, " 深\n");
    WyDiag d;
    wy_diag_init(&d, NULL);
    bool ok;
    xmlDocPtr doc = load_text("ok-deep.md", text.data, text.len, &d, &ok);
    assert_true(ok);
    assert_int_equal(xpath_number(doc, "count(//blockquote)"), 30);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
    wy_buf_release(&text);
}

static void folder_loads_articles_in_name_order(void **state)
{
    (void)state;
    WRITE("issue17/10-c.md", "# 第三篇\n");
    WRITE("issue17/02-b.md", "# 第二篇\n");
    WRITE("issue17/01-a.md", "# 第一篇\n\n正文\n");
    WRITE("issue17/.hidden.md", "# 隐藏\n");
    WRITE("issue17/notes.txt", "not an article");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/issue17", tmp_dir);
    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_data_new();
    assert_true(wy_markdown_load_dir(xmlDocGetRootElement(doc), "issue", dir, &d));
    assert_xpath(doc, "/data/issue/@file", dir);
    assert_int_equal(xpath_number(doc, "count(/data/issue/article)"), 3);
    assert_xpath(doc, "/data/issue/article[1]/title", "第一篇");
    assert_xpath(doc, "/data/issue/article[2]/title", "第二篇");
    assert_xpath(doc, "/data/issue/article[3]/title", "第三篇");
    WyLoc loc = wy_data_loc(xpath_node(doc, "/data/issue/article[1]/body/p"));
    char expected[300];
    snprintf(expected, sizeof expected, "%s/01-a.md", dir);
    assert_string_equal(loc.file, expected);
    assert_int_equal(loc.line, 3);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

static void translations_attach_to_their_article(void **state)
{
    (void)state;
    WRITE("bi/01-a.md", "---\ntitle: 第一篇\n---\n\n正文一\n\n正文二\n");
    WRITE("bi/01-a.en.md", "---\ntitle: The First\n---\n\nText one.\n");
    WRITE("bi/02-b.md", "---\ntitle: 第二篇\ntranslation: english/b.md\n---\n\n正文\n");
    WRITE("bi/english/b.md", "---\ntitle: The Second\nlang: en\n---\n\nText.\n");
    char dir[256];
    snprintf(dir, sizeof dir, "%s/bi", tmp_dir);
    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_data_new();
    assert_true(wy_markdown_load_dir(xmlDocGetRootElement(doc), "a", dir, &d));
    /* 01-a.en.md is no article of its own */
    assert_int_equal(xpath_number(doc, "count(/data/a/article)"), 2);
    assert_xpath(doc, "/data/a/article[1]/translation/@lang", "en");
    assert_xpath(doc, "/data/a/article[1]/translation/title", "The First");
    assert_xpath(doc, "/data/a/article[1]/translation/lang", "en");
    assert_xpath(doc, "/data/a/article[1]/translation/body/p", "Text one.");
    assert_int_equal(xpath_number(doc, "count(/data/a/article[1]/translation/body/p)"), 1);
    assert_int_equal(xpath_number(doc, "count(/data/a/article[1]/body/p)"), 2);
    char expected[300];
    snprintf(expected, sizeof expected, "%s/english/b.md", dir);
    assert_xpath(doc, "/data/a/article[2]/translation/@file", expected);
    assert_xpath(doc, "/data/a/article[2]/translation/title", "The Second");
    xmlFreeDoc(doc);
    wy_diag_release(&d);

    /* a translation named in the front matter must be there */
    WRITE("bi2/01-c.md", "---\ntitle: 第三篇\ntranslation: missing.md\n---\n\n正文\n");
    snprintf(dir, sizeof dir, "%s/bi2", tmp_dir);
    wy_diag_init(&d, NULL);
    doc = wy_data_new();
    assert_false(wy_markdown_load_dir(xmlDocGetRootElement(doc), "b", dir, &d));
    expect_diag(&d, "/01-c.md:3:1: error: the translation missing.md is not there");
    assert_null(xmlDocGetRootElement(doc)->children);
    xmlFreeDoc(doc);
    wy_diag_release(&d);

    char *beside = wy_markdown_translation_path("x/01-a.md");
    assert_string_equal(beside, "x/01-a.en.md");
    free(beside);
    assert_null(wy_markdown_translation_path("x/01-a.en.md"));
    assert_null(wy_markdown_translation_path("x/notes.txt"));
}

static void folder_errors(void **state)
{
    (void)state;
    char dir[256];
    snprintf(dir, sizeof dir, "%s/empty", tmp_dir);
    mkdir(dir, 0755);
    WRITE("empty/.draft.md", "# 草稿\n");
    WyDiag d;
    wy_diag_init(&d, NULL);
    xmlDocPtr doc = wy_data_new();
    assert_false(wy_markdown_load_dir(xmlDocGetRootElement(doc), "x", dir, &d));
    expect_diag(&d, "empty: error: the folder has no Markdown articles (*.md files)");
    wy_diag_release(&d);

    /* every broken article is reported, and nothing is added */
    WRITE("broken/01.md", "没有标题\n");
    WRITE("broken/02.md", "# 好的\n");
    WRITE("broken/03.md", "---\nlang: xx\n---\n");
    snprintf(dir, sizeof dir, "%s/broken", tmp_dir);
    wy_diag_init(&d, NULL);
    assert_false(wy_markdown_load_dir(xmlDocGetRootElement(doc), "y", dir, &d));
    expect_diag(&d, "/01.md:1:1: error: the article has no title");
    expect_diag(&d, "/03.md:2:7: error: lang 'xx'");
    assert_null(xmlDocGetRootElement(doc)->children);
    xmlFreeDoc(doc);
    wy_diag_release(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(front_matter_fills_the_article),
        cmocka_unit_test(lang_defaults_and_normalises),
        cmocka_unit_test(front_matter_mistakes_name_their_line),
        cmocka_unit_test(first_level_one_heading_is_the_title),
        cmocka_unit_test(no_title_is_an_error),
        cmocka_unit_test(soft_breaks_join_cjk_and_space_latin),
        cmocka_unit_test(ideographic_indent_is_dropped_and_starts_paragraphs),
        cmocka_unit_test(pictures_become_figures),
        cmocka_unit_test(picture_mistakes_are_errors),
        cmocka_unit_test(html_is_dropped_with_a_warning),
        cmocka_unit_test(blocks_carry_their_lines),
        cmocka_unit_test(indented_text_is_kept_as_paragraphs),
        cmocka_unit_test(encodings_and_hidden_characters),
        cmocka_unit_test(deep_nesting_is_refused),
        cmocka_unit_test(folder_loads_articles_in_name_order),
        cmocka_unit_test(folder_errors),
        cmocka_unit_test(translations_attach_to_their_article),
    };
    return cmocka_run_group_tests(tests, make_tmp_dir, remove_tmp_dir);
}
