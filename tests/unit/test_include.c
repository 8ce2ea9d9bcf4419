/* Template pieces the award list needs: <include href> of a <fragment>
   (its blocks in the including scope, its styles unless the template has
   its own, errors at the fragment's lines, paths kept inside the folder,
   nesting capped), <require> with the data line and the missing-column
   rule, grid columns and the page master given by value templates, and
   the shipped award-list template over award data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "expand_support.h"
#include "expand/cjknum.h"
#include "expand/schema.h"

static const char *const ROWS =
    "<data>"
    "<awardees file='awardees.csv'>"
    "<row line='2'><姓名>陈静</姓名><单位>晨曦社会工作服务中心</单位><奖项>优秀社会工作者</奖项></row>"
    "<row line='3'><姓名>丁敬学</姓名><单位>武康街道新丰社区</单位><奖项>优秀社会工作者</奖项></row>"
    "<row line='4'><姓名></姓名><单位>彩虹桥社会工作服务中心</单位><奖项>优秀社会工作站站长</奖项></row>"
    "</awardees>"
    "<params><param name='per-row'>3</param><param name='wide'>yes</param></params>"
    "</data>";

/* The scratch folder the templates are written to, with a trailing slash
   removed: where fragments are written too. */
static const char *scratch(void)
{
    char *probe = write_temp("probe.txt", "");
    remove_temp(probe);
    return scratch_dir;
}

/* Expands template TEXT (written as NAME) over DATA; the document or NULL
   with the diagnostics in *ERRORS (caller frees). */
static WyDocument *expand_with(const char *name, const char *text, const char *data, char **errors)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc = expand_text(name, text, data, &d);
    *errors = wy_buf_steal(&d.text);
    wy_diag_release(&d);
    return doc;
}

static void collect_texts(const WyBox *first, WyBuf *out);

/* A table's rows in reading order: header, body, footer. */
static void collect_row_texts(const WyTableRow *row, WyBuf *out)
{
    for (; row; row = row->next)
        for (const WyTableCell *cell = row->cells; cell; cell = cell->next)
            collect_texts(cell->blocks, out);
}

static void collect_texts(const WyBox *first, WyBuf *out)
{
    for (const WyBox *b = first; b; b = b->next) {
        if (b->kind == WY_BOX_PARA)
            wy_buf_printf(out, "%s%s", out->len ? " " : "", b->u.para.text);
        if (b->kind == WY_BOX_TABLE) {
            collect_row_texts(b->u.table->header, out);
            collect_row_texts(b->u.table->body, out);
            collect_row_texts(b->u.table->footer, out);
        }
        collect_texts(b->children, out);
    }
}

/* ------------------------------------------------------------ include */

static const char *const CARDS_FRAGMENT =
    "<fragment xmlns='urn:wenyin:template'>\n"
    "  <style name='card' size='五号' color='#C00000'/>\n"
    "  <style name='note' size='小五'/>\n"
    "  <grid columns='2'>\n"
    "    <for-each select='$cards'>\n"
    "      <cell><p style='card'><value-of select='姓名'/></p><p style='note'><value-of select='$label'/></p></cell>\n"
    "    </for-each>\n"
    "  </grid>\n"
    "</fragment>\n";

static void an_included_fragment_expands_in_place(void **state)
{
    (void)state;
    char *fragment = write_temp("cards.xml", CARDS_FRAGMENT);
    char *errors;
    /* the template restyles note, and keeps the fragment's card */
    WyDocument *doc = expand_with("main.xml",
        T_HEAD "<style name='note' size='小四'/>\n<sequence>\n"
        "<p>前</p>\n"
        "<variable name='cards' select='awardees/row[normalize-space(姓名)]'/>\n"
        "<variable name='label' select=\"'获奖'\"/>\n"
        "<include href='cards.xml'/>\n"
        "<p>后</p>\n"
        "</sequence>\n" T_TAIL, ROWS, &errors);
    if (!doc)
        fail_msg("%s", errors);
    const WyBox *grid = nth_box(doc->sequences->blocks, 1);
    assert_int_equal(grid->kind, WY_BOX_GRID);
    assert_int_equal(grid->u.grid.columns, 2);
    assert_int_equal(count_boxes(grid->children), 2);
    const WyBox *name = grid->children->children;
    assert_string_equal(name->u.para.text, "陈静");
    assert_true(name->u.para.style->size_pt == 10.5);
    assert_int_equal(name->u.para.style->color, 0xC00000);
    assert_true(name->next->u.para.style->size_pt == 12); /* the template's note, not the fragment's */
    /* boxes made by the fragment say where they came from */
    assert_non_null(strstr(name->loc.file, "cards.xml"));
    assert_int_equal(name->loc.line, 6);
    WyBuf texts;
    wy_buf_init(&texts);
    collect_texts(doc->sequences->blocks, &texts);
    assert_string_equal(wy_buf_str(&texts), "前 陈静 获奖 丁敬学 获奖 后");
    wy_buf_release(&texts);
    wy_document_free(doc);
    free(errors);
    remove_temp(fragment);
}

static void fragment_mistakes_are_reported_at_the_fragment_line(void **state)
{
    (void)state;
    /* a variable the including template did not define */
    char *fragment = write_temp("cards.xml", CARDS_FRAGMENT);
    char *errors;
    assert_null(expand_with("main.xml",
        T_HEAD "<sequence>\n<variable name='cards' select='awardees/row'/>\n<include href='cards.xml'/>\n</sequence>\n" T_TAIL,
        ROWS, &errors));
    assert_non_null(strstr(errors, "cards.xml:6:82: error: select=\"$label\" uses the variable $label, which is not defined"));
    free(errors);
    remove_temp(fragment);

    /* the fragment is checked against the schema with its own lines */
    fragment = write_temp("bad.xml", "<fragment xmlns='urn:wenyin:template'>\n  <p><rule/></p>\n</fragment>\n");
    assert_null(expand_with("main.xml", T_HEAD "<sequence>\n<include href='bad.xml'/>\n</sequence>\n" T_TAIL, ROWS, &errors));
    assert_non_null(strstr(errors, "bad.xml:2:6: error: element <rule> is not allowed inside <p>"));
    free(errors);
    remove_temp(fragment);

    /* a whole template is not a fragment, nor the other way round */
    fragment = write_temp("whole.xml", T_HEAD "<sequence/>\n" T_TAIL);
    assert_null(expand_with("main.xml", T_HEAD "<sequence>\n<include href='whole.xml'/>\n</sequence>\n" T_TAIL, ROWS, &errors));
    assert_non_null(strstr(errors, "whole.xml:1:1: error: this is a whole template; a file brought in with <include> has "
                                   "<fragment xmlns=\"urn:wenyin:template\"> as its root"));
    free(errors);
    remove_temp(fragment);
    assert_null(expand_with("frag.xml", "<fragment xmlns='urn:wenyin:template'><p>x</p></fragment>\n", ROWS, &errors));
    assert_non_null(strstr(errors, "frag.xml:1:1: error: this is a <fragment>, which templates bring in with <include href>"));
    free(errors);

    /* two styles of one name in one fragment */
    fragment = write_temp("twice.xml", "<fragment xmlns='urn:wenyin:template'>\n<style name='a'/>\n<style name='a'/>\n</fragment>\n");
    assert_null(expand_with("main.xml", T_HEAD "<sequence>\n<include href='twice.xml'/>\n</sequence>\n" T_TAIL, ROWS, &errors));
    assert_non_null(strstr(errors, "twice.xml:3:8: error: style a is defined twice"));
    free(errors);
    remove_temp(fragment);
}

static void include_paths_stay_in_the_folder(void **state)
{
    (void)state;
    char *errors;
    assert_null(expand_with("main.xml", T_HEAD "<sequence>\n<include href='none.xml'/>\n</sequence>\n" T_TAIL, ROWS, &errors));
    assert_non_null(strstr(errors, "main.xml:3:10: error: href=\"none.xml\": there is no file "));
    free(errors);
    assert_null(expand_with("main.xml", T_HEAD "<sequence>\n<include href='../../etc/passwd'/>\n</sequence>\n" T_TAIL, ROWS,
                            &errors));
    assert_non_null(strstr(errors, "main.xml:3:10: error: href=\"../../etc/passwd\" leads out of the templates folder"));
    free(errors);
    assert_null(expand_with("main.xml", T_HEAD "<sequence>\n<include href='/etc/hosts'/>\n</sequence>\n" T_TAIL, ROWS,
                            &errors));
    assert_non_null(strstr(errors, "href=\"/etc/hosts\" must be a file path relative to this template's folder"));
    free(errors);
    /* a symbolic link inside the folder that points outside is refused too */
    WyBuf link;
    wy_buf_init(&link);
    wy_buf_printf(&link, "%s/outside.xml", scratch());
    assert_int_equal(symlink("/etc/hosts", wy_buf_str(&link)), 0);
    assert_null(expand_with("main.xml", T_HEAD "<sequence>\n<include href='outside.xml'/>\n</sequence>\n" T_TAIL, ROWS,
                            &errors));
    assert_non_null(strstr(errors, "href=\"outside.xml\" leads out of the templates folder"));
    free(errors);
    unlink(wy_buf_str(&link));
    wy_buf_release(&link);
}

static void includes_nest_at_most_eight_deep(void **state)
{
    (void)state;
    /* a fragment that includes itself */
    char *loop = write_temp("loop.xml", "<fragment xmlns='urn:wenyin:template'>\n<p>x</p>\n<include href='loop.xml'/>\n</fragment>\n");
    char *errors;
    assert_null(expand_with("main.xml", T_HEAD "<sequence>\n<include href='loop.xml'/>\n</sequence>\n" T_TAIL, ROWS, &errors));
    assert_non_null(strstr(errors, "loop.xml:3:10: error: includes nest more than 8 deep here; does a fragment include itself?"));
    free(errors);
    remove_temp(loop);

    /* a chain of eight is fine: f1 includes f2 … f8 */
    char *files[8];
    for (int i = 1; i <= 8; i++) {
        char name[32], text[200];
        snprintf(name, sizeof name, "f%d.xml", i);
        if (i < 8)
            snprintf(text, sizeof text, "<fragment xmlns='urn:wenyin:template'><p>%d</p><include href='f%d.xml'/></fragment>", i,
                     i + 1);
        else
            snprintf(text, sizeof text, "<fragment xmlns='urn:wenyin:template'><p>8</p></fragment>");
        files[i - 1] = write_temp(name, text);
    }
    WyDocument *doc = expand_with("main.xml", T_HEAD "<sequence>\n<include href='f1.xml'/>\n</sequence>\n" T_TAIL, ROWS, &errors);
    if (!doc)
        fail_msg("%s", errors);
    assert_int_equal(count_boxes(doc->sequences->blocks), 8);
    assert_string_equal(nth_box(doc->sequences->blocks, 7)->u.para.text, "8");
    wy_document_free(doc);
    free(errors);
    for (int i = 0; i < 8; i++)
        remove_temp(files[i]);
}

/* ------------------------------------------------------------ require */

static void require_names_the_data_line(void **state)
{
    (void)state;
    char *errors;
    assert_null(expand_with("req.xml",
        T_HEAD "<sequence>\n<for-each select='awardees/row'>\n"
        "  <require test='normalize-space(姓名)' message='姓名 is empty'/>\n"
        "  <p><value-of select='姓名'/></p>\n</for-each>\n</sequence>\n" T_TAIL, ROWS, &errors));
    assert_non_null(strstr(errors, "awardees.csv:4:1: error: row 4: 姓名 is empty (required by "));
    assert_non_null(strstr(errors, "req.xml:4)"));
    free(errors);

    /* a column the spreadsheet lacks is missing, not empty */
    assert_null(expand_with("req.xml",
        T_HEAD "<sequence>\n<for-each select='awardees/row'>\n"
        "  <require test='normalize-space(职务)' message='职务 is empty'/>\n</for-each>\n</sequence>\n" T_TAIL,
        ROWS, &errors));
    assert_non_null(strstr(errors, "awardees.csv:1:1: error: column 职务 is missing (its header row has: 姓名, 单位, 奖项); "
                                   "the template "));
    free(errors);

    /* outside the data, the template line; the message is a value template */
    assert_null(expand_with("req.xml",
        T_HEAD "<param name='per-row'/>\n<sequence>\n"
        "  <require test='$per-row &lt; 3' message='per-row={$per-row} is too many'/>\n</sequence>\n" T_TAIL,
        ROWS, &errors));
    assert_non_null(strstr(errors, "req.xml:4:3: error: per-row=3 is too many"));
    free(errors);

    /* a test that holds prints nothing */
    WyDocument *doc = expand_with("req.xml",
        T_HEAD "<sequence>\n<for-each select='awardees/row'>\n<require test='单位' message='单位 is empty'/>\n"
        "<p><require test='true()' message='never'/><value-of select='单位'/></p>\n</for-each>\n</sequence>\n" T_TAIL,
        ROWS, &errors);
    if (!doc)
        fail_msg("%s", errors);
    assert_int_equal(count_boxes(doc->sequences->blocks), 3);
    wy_document_free(doc);
    free(errors);
}

/* ------------------------------------------------ value templates for counts */

static void grid_columns_and_master_from_parameters(void **state)
{
    (void)state;
    char *errors;
    const char *tmpl =
        T_HEAD "<param name='per-row'/>\n<param name='wide'/>\n"
        "<variable name='master' select=\"concat(substring('landscape', 1, 9 * ($wide = 'yes')), "
        "substring('portrait', 1, 8 * ($wide != 'yes')))\"/>\n"
        "<page-master name='portrait' size='A4'/>\n"
        "<page-master name='landscape' size='A4' orientation='landscape'/>\n"
        "<sequence master='{$master}'>\n"
        "<grid columns='{$per-row}'><for-each select='awardees/row'><cell><p>x</p></cell></for-each></grid>\n"
        "</sequence>\n" T_TAIL;
    WyDocument *doc = expand_with("avt.xml", tmpl, ROWS, &errors);
    if (!doc)
        fail_msg("%s", errors);
    assert_int_equal(doc->sequences->blocks->u.grid.columns, 3);
    assert_string_equal(doc->sequences->rest->name, "landscape");
    assert_true(doc->sequences->rest->width_pt > doc->sequences->rest->height_pt);
    assert_ptr_equal(doc->sequences->first, doc->sequences->rest);
    wy_document_free(doc);
    free(errors);

    static const char *const bad_rows =
        "<data><awardees file='a.csv'><row line='2'><姓名>x</姓名></row></awardees>"
        "<params><param name='per-row'>five</param><param name='wide'>no</param></params></data>";
    assert_null(expand_with("avt.xml", tmpl, bad_rows, &errors));
    assert_non_null(strstr(errors, "avt.xml:8:7: error: columns=\"{$per-row}\" gave \"five\", which is not a whole number "
                                   "from 1 to 1000"));
    free(errors);

    assert_null(expand_with("avt.xml",
        T_HEAD "<page-master name='a'/>\n<sequence master='{concat(\"b\", \"\")}'/>\n" T_TAIL, ROWS, &errors));
    assert_non_null(strstr(errors, "avt.xml:3:11: error: master=\"{concat(\"b\", \"\")}\" gave \"b\", which is not a page "
                                   "master; the page masters are: a"));
    free(errors);
}

/* ------------------------------------------------------------ shipped template */

static const char *const AWARD_DATA =
    "<data>"
    "<notice file='notice.xml'><issuer>德清县民政局文件</issuer><number>德民〔2023〕12号</number>"
    "<title>关于表彰的决定</title><to>各镇人民政府：</to><preamble><p>为表彰先进。</p></preamble>"
    "<list-title>名单</list-title><unit>德清县民政局</unit><date>2023-03-21</date></notice>"
    "<awardees file='awardees.csv'>"
    "<row line='2'><姓名>周建国</姓名><单位>雷甸镇社会工作站</单位><职务>站长</职务><奖项>优秀社会工作者</奖项></row>"
    "<row line='3'><姓名>陈静</姓名><单位>晨曦</单位><职务>社工</职务><奖项>优秀社会工作者</奖项></row>"
    "<row line='4'><姓名>唐诗琪</姓名><单位>彩虹桥</单位><职务>项目负责人</职务><奖项>优秀项目负责人</奖项></row>"
    "<row line='5'><姓名>李\xe3\x80\x80明</姓名><单位>郭肇社区</单位><职务>社工</职务><奖项>优秀社会工作者</奖项></row>"
    "</awardees>"
    "%s</data>";

/* The texts the shipped award list prints over AWARD_DATA with PARAMS;
   when TWO_CHAR_STYLE is given, the style of the paragraph 李明 goes
   there (by value; size 0 when there is none). */
static char *award_texts(const char *params, WyStyle *two_char_style)
{
    WyBuf data;
    wy_buf_init(&data);
    wy_buf_printf(&data, AWARD_DATA, params);
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyTemplate *t = wy_template_load("templates/award-list.xml", SCHEMA_PATH, &d);
    if (!t)
        fail_msg("%s", wy_buf_str(&d.text));
    xmlDocPtr tree = data_from(wy_buf_str(&data));
    WyDocument *doc = wy_template_expand(t, tree, &d);
    if (!doc)
        fail_msg("%s", wy_buf_str(&d.text));
    WyBuf texts;
    wy_buf_init(&texts);
    collect_texts(doc->sequences->blocks, &texts);
    if (two_char_style) { /* the style of the paragraph 李明 */
        memset(two_char_style, 0, sizeof *two_char_style);
        const WyBox *stack[64];
        int n = 0;
        stack[n++] = doc->sequences->blocks;
        while (n > 0) {
            const WyBox *b = stack[--n];
            for (; b; b = b->next) {
                if (b->kind == WY_BOX_PARA && strcmp(b->u.para.text, "李明") == 0)
                    *two_char_style = *b->u.para.style;
                if (b->children && n < 64)
                    stack[n++] = b->children;
            }
        }
    }
    wy_document_free(doc);
    xmlFreeDoc(tree);
    wy_template_free(t);
    wy_diag_release(&d);
    wy_buf_release(&data);
    return wy_buf_steal(&texts);
}

static void the_award_list_template(void **state)
{
    (void)state;
    WyStyle two;
    char *names = award_texts("", &two);
    /* groups in the order they first appear, counted; stroke order inside;
       the clerk's U+3000 gone, the spacing left to the style */
    assert_non_null(strstr(names, "一、优秀社会工作者（3名） 李明 陈静 周建国 二、优秀项目负责人（1名） 唐诗琪 德清县民政局 2023年3月21日"));
    assert_null(strstr(names, "\xe3\x80\x80"));
    assert_true(two.size_pt == 16);
    assert_true(two.letter_spacing_pt == two.size_pt); /* 1 em between the two characters */
    free(names);

    char *pinyin = award_texts("<params><param name='order'>pinyin</param></params>", NULL);
    assert_non_null(strstr(pinyin, "（3名） 陈静 李明 周建国 "));
    free(pinyin);

    char *units = award_texts("<params><param name='show-unit'>yes</param></params>", NULL);
    assert_non_null(strstr(units, "李明（郭肇社区） 陈静（晨曦） 周建国（雷甸镇社会工作站）"));
    free(units);

    char *table = award_texts("<params><param name='layout'>table</param></params>", NULL);
    assert_non_null(strstr(table, "附件 名单 一、优秀社会工作者（3名） 序号 姓名 单位 职务 1 李明 郭肇社区 社工 2 陈静"));
    free(table);

    char *cards = award_texts("<params><param name='layout'>cards</param></params>", NULL);
    assert_non_null(strstr(cards, "优秀社会工作者 李明 郭肇社区 社工 陈静 晨曦 社工 周建国"));
    free(cards);
}

static int cleanup(void **state)
{
    (void)state;
    wy_cjknum_cleanup();
    wy_schema_cache_clear();
    remove_temp_dir();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_included_fragment_expands_in_place),
        cmocka_unit_test(fragment_mistakes_are_reported_at_the_fragment_line),
        cmocka_unit_test(include_paths_stay_in_the_folder),
        cmocka_unit_test(includes_nest_at_most_eight_deep),
        cmocka_unit_test(require_names_the_data_line),
        cmocka_unit_test(grid_columns_and_master_from_parameters),
        cmocka_unit_test(the_award_list_template),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
