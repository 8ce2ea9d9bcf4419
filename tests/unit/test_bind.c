/* XPath bindings: compile-time errors at the template line, attribute
   value templates, evaluation in a context with position()/last() and
   scoped variables, wy:date-cn, the operation limit, and the
   missing-column rule for CSV rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "expand_support.h"
#include <libxml/xpathInternals.h>

#include "expand/bind.h"

typedef struct Fixture {
    WyArena arena;
    WyXPathCompiler *c;
    WyDiag d;
    xmlDocPtr data;
    WyBind *b;
} Fixture;

static const char *const TALENTS =
    "<data>"
    "<issue><name>德清社工</name><number>3</number><date>2023-03-21</date></issue>"
    "<talents file='samples/bulletin/talents.csv'>"
    "<row line='2'><姓名>丁敬学</姓名><单位>武康街道新丰社区</单位><类别>领军人才</类别></row>"
    "<row line='3'><姓名>费潇敏</姓名><单位>新市镇东开社区</单位><类别></类别></row>"
    "<row line='4'><姓名>沈海飞</姓名><单位>武康街道群安社区</单位><类别>督导</类别></row>"
    "</talents>"
    "<notes file='notes.xml'><row><a>x</a></row></notes>"
    "</data>";

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof *f);
    wy_arena_init(&f->arena);
    f->c = wy_xpath_compiler_new(&f->arena);
    wy_diag_init(&f->d, NULL);
    f->data = data_from(TALENTS);
    f->b = wy_bind_new(f->data, &f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    Fixture *f = *state;
    wy_bind_free(f->b);
    xmlFreeDoc(f->data);
    wy_diag_release(&f->d);
    wy_xpath_compiler_free(f->c);
    wy_arena_release(&f->arena);
    free(f);
    return 0;
}

static const WyXPath *compile(Fixture *f, const char *text)
{
    return wy_xpath_compile(f->c, text, wy_loc("t.xml", 12, 9), "select", &f->d);
}

static const char *diag(Fixture *f)
{
    return wy_buf_str(&f->d.text);
}

/* The string value of TEXT in the current context, or "<error>". */
static char *value(Fixture *f, const char *text)
{
    const WyXPath *x = compile(f, text);
    if (!x)
        return wy_xstrdup("<compile error>");
    WyBuf out;
    wy_buf_init(&out);
    if (!wy_bind_string(f->b, x, &out)) {
        wy_buf_release(&out);
        return wy_xstrdup("<error>");
    }
    return wy_buf_steal(&out);
}

#define assert_value(f, expr, expected)             \
    do {                                            \
        char *v_ = value((f), (expr));              \
        assert_string_equal(v_, (expected));        \
        free(v_);                                   \
    } while (0)

static void syntax_errors_name_the_expression_and_the_line(void **state)
{
    Fixture *f = *state;
    assert_null(compile(f, "talents/row[姓名='丁敬学'"));
    assert_string_equal(diag(f), "t.xml:12:9: error: select=\"talents/row[姓名='丁敬学'\" is not a valid XPath "
                                 "expression: a [condition] is not written correctly (at character 21)\n");
    wy_buf_clear(&f->d.text);
    assert_null(compile(f, "concat('a', 'b"));
    assert_non_null(strstr(diag(f), "a quoted text is not closed"));
    wy_buf_clear(&f->d.text);
    assert_null(compile(f, "  "));
    assert_string_equal(diag(f), "t.xml:12:9: error: select is empty; it needs an XPath expression such as issue/name\n");
}

static void unknown_functions_and_variables_fail_at_load(void **state)
{
    Fixture *f = *state;
    assert_null(compile(f, "upper-case(issue/name)"));
    assert_non_null(strstr(diag(f), "t.xml:12:9: error: select=\"upper-case(issue/name)\" calls upper-case(), which is not a function"));
    wy_buf_clear(&f->d.text);
    assert_null(compile(f, "wy:date(issue/date)"));
    assert_non_null(strstr(diag(f), "calls wy:date(), which is not a function"));
    wy_buf_clear(&f->d.text);
    assert_null(compile(f, "talents/row[$n]"));
    assert_non_null(strstr(diag(f), "uses the variable $n, which is not defined here"));
    wy_buf_clear(&f->d.text);

    /* declared variables, node tests, axes and operator names are fine */
    size_t mark = wy_xpath_scope_mark(f->c);
    wy_xpath_declare(f->c, "n");
    assert_non_null(compile(f, "talents/row[$n]"));
    assert_non_null(compile(f, "count(talents/row) mod 2 = 1 and not(issue/name) or 3 div 2 > 1"));
    assert_non_null(compile(f, "talents/row/text() | talents/row/node() | issue/comment()"));
    assert_non_null(compile(f, "talents/row[1]/following-sibling::row[姓名 = 'x']"));
    assert_non_null(compile(f, "wy:date-cn(issue/date)"));
    assert_non_null(compile(f, "talents/* * 2"));
    assert_non_null(compile(f, "and/or/div"));
    wy_xpath_scope_release(f->c, mark);
    assert_null(compile(f, "talents/row[$n]"));
    assert_int_equal(f->d.errors, 4);
}

static void attribute_value_templates(void **state)
{
    Fixture *f = *state;
    WyAvt *avt = wy_avt_compile(f->c, "{issue/name} 第{issue/number}期 {{literal}}", wy_loc("t.xml", 3, 1), "title", &f->d);
    assert_non_null(avt);
    assert_false(wy_avt_is_literal(avt));
    WyBuf out;
    wy_buf_init(&out);
    assert_true(wy_bind_avt(f->b, avt, &out));
    assert_string_equal(wy_buf_str(&out), "德清社工 第3期 {literal}");
    wy_buf_clear(&out);
    avt = wy_avt_compile(f->c, "{concat('}', '{')}", wy_loc("t.xml", 3, 1), "title", &f->d);
    assert_non_null(avt);
    assert_true(wy_bind_avt(f->b, avt, &out));
    assert_string_equal(wy_buf_str(&out), "}{");
    wy_buf_release(&out);
    avt = wy_avt_compile(f->c, "plain", wy_loc("t.xml", 3, 1), "title", &f->d);
    assert_true(wy_avt_is_literal(avt));
    assert_null(wy_avt_compile(f->c, "第{issue/number期", wy_loc("t.xml", 3, 1), "title", &f->d));
    assert_non_null(strstr(diag(f), "t.xml:3:1: error: title=\"第{issue/number期\" has a { without its }"));
    assert_null(wy_avt_compile(f->c, "a}b", wy_loc("t.xml", 4, 1), "title", &f->d));
    assert_non_null(strstr(diag(f), "t.xml:4:1: error: title=\"a}b\" has a } without its {"));
}

static void context_position_and_last(void **state)
{
    Fixture *f = *state;
    assert_value(f, "issue/name", "德清社工");
    assert_value(f, "count(talents/row)", "3");
    assert_value(f, "position()", "1");
    xmlXPathObjectPtr rows = wy_bind_nodes(f->b, compile(f, "talents/row"), "select");
    assert_non_null(rows);
    assert_int_equal(rows->nodesetval->nodeNr, 3);
    WyBindContext saved = wy_bind_context(f->b);
    wy_bind_set_context(f->b, (WyBindContext){rows->nodesetval->nodeTab[1], 2, 3});
    assert_value(f, "姓名", "费潇敏");
    assert_value(f, "concat(position(), '/', last())", "2/3");
    assert_value(f, "../row[last()]/姓名", "沈海飞");
    wy_bind_set_context(f->b, saved);
    assert_value(f, "name()", "data");
    xmlXPathFreeObject(rows);
}

static void wrong_types_are_reported(void **state)
{
    Fixture *f = *state;
    assert_null(wy_bind_nodes(f->b, compile(f, "count(talents/row)"), "for-each select"));
    assert_string_equal(diag(f), "t.xml:12:9: error: for-each select=\"count(talents/row)\" gives a number, but it "
                                 "must select nodes (a path such as row or articles/article)\n");
    bool b = false;
    assert_true(wy_bind_bool(f->b, compile(f, "talents/row[姓名='沈海飞']"), &b));
    assert_true(b);
    assert_true(wy_bind_bool(f->b, compile(f, "talents/row[姓名='无名']"), &b));
    assert_false(b);
    wy_buf_clear(&f->d.text);
    assert_value(f, "sum(issue/name) + position(1)", "<error>");
    assert_string_equal(diag(f), "t.xml:12:9: error: \"sum(issue/name) + position(1)\" cannot be evaluated: a function "
                                 "is called with the wrong number of arguments\n");
}

static void variables_are_scoped(void **state)
{
    Fixture *f = *state;
    wy_xpath_declare(f->c, "who");
    size_t outer = wy_bind_var_mark(f->b);
    wy_bind_var_push(f->b, "who", xmlXPathNewString(BAD_CAST "丁敬学"));
    assert_value(f, "talents/row[姓名 = $who]/单位", "武康街道新丰社区");
    size_t inner = wy_bind_var_mark(f->b);
    wy_bind_var_push(f->b, "who", xmlXPathNewString(BAD_CAST "沈海飞"));
    assert_value(f, "talents/row[姓名 = $who]/单位", "武康街道群安社区");
    wy_bind_var_pop(f->b, inner);
    assert_value(f, "$who", "丁敬学");
    wy_bind_var_pop(f->b, outer);
    /* declared for the compiler but unbound at run time */
    assert_value(f, "$who", "<error>");
    assert_non_null(strstr(diag(f), "it uses a variable that is not defined"));
}

static void date_cn(void **state)
{
    Fixture *f = *state;
    assert_value(f, "wy:date-cn(issue/date)", "2023年3月21日");
    assert_value(f, "wy:date-cn('2024-02-29')", "2024年2月29日");
    assert_value(f, "wy:date-cn('2023/12/01')", "2023年12月1日");
    assert_value(f, "wy:date-cn('2023.3.5')", "2023年3月5日");
    assert_value(f, "wy:date-cn('2023-03')", "2023年3月");
    assert_value(f, "wy:date-cn(' 2023年03月09日 ')", "2023年3月9日");
    assert_value(f, "wy:date-cn('')", "");
    assert_value(f, "wy:date-cn(nothing)", "");
    assert_value(f, "wy:date-cn('2023-02-29')", "<error>");
    assert_string_equal(diag(f), "t.xml:12:9: error: \"wy:date-cn('2023-02-29')\" cannot be evaluated: wy:date-cn() got "
                                 "\"2023-02-29\", which is not a date written like 2023-03-21\n");
    WyBuf out;
    wy_buf_init(&out);
    assert_false(wy_date_cn("21/03/2023", &out));
    assert_false(wy_date_cn("2023-13-01", &out));
    assert_false(wy_date_cn("2023-03-21x", &out));
    wy_buf_release(&out);
}

static void the_operation_limit_stops_a_runaway(void **state)
{
    Fixture *f = *state;
    WyBuf xml;
    wy_buf_init(&xml);
    wy_buf_puts(&xml, "<data>");
    for (int i = 0; i < 4000; i++)
        wy_buf_puts(&xml, "<n>x</n>");
    wy_buf_puts(&xml, "</data>");
    xmlDocPtr big = data_from(wy_buf_str(&xml));
    wy_buf_release(&xml);
    WyBind *b = wy_bind_new(big, &f->d);
    const WyXPath *x = compile(f, "count(//n[count(//n) > 1])");
    assert_null(wy_bind_eval(b, x));
    assert_non_null(strstr(diag(f), "cannot be evaluated: it takes too many steps (more than 10 million)"));
    /* the limit is per evaluation: a small one still runs afterwards */
    xmlXPathObjectPtr r = wy_bind_eval(b, compile(f, "count(n)"));
    assert_non_null(r);
    assert_float_equal(r->floatval, 4000, 0);
    xmlXPathFreeObject(r);
    wy_bind_free(b);
    xmlFreeDoc(big);
}

static void a_missing_column_points_at_the_csv_header(void **state)
{
    Fixture *f = *state;
    xmlXPathObjectPtr rows = wy_bind_nodes(f->b, compile(f, "talents/row"), "select");
    wy_bind_set_context(f->b, (WyBindContext){rows->nodesetval->nodeTab[0], 1, 3});
    const WyXPath *x = wy_xpath_compile(f->c, "职务", wy_loc("templates/bulletin.xml", 120, 30), "select", &f->d);
    assert_string_equal(x->column, "职务");
    WyBuf out;
    wy_buf_init(&out);
    assert_false(wy_bind_string(f->b, x, &out));
    assert_string_equal(diag(f), "samples/bulletin/talents.csv:1:1: error: column 职务 is missing (its header row has: "
                                 "姓名, 单位, 类别); the template templates/bulletin.xml:120 uses it\n");
    wy_buf_clear(&f->d.text);
    /* an empty field is not a missing column */
    wy_bind_set_context(f->b, (WyBindContext){rows->nodesetval->nodeTab[1], 2, 3});
    assert_value(f, "类别", "");
    /* neither is an expression that is not a plain path, nor a row outside a CSV */
    assert_value(f, "职务[1]", "");
    assert_value(f, "string(职务)", "");
    assert_string_equal(diag(f), "");
    xmlXPathObjectPtr notes = wy_bind_nodes(f->b, compile(f, "/data/notes/row"), "select");
    wy_bind_set_context(f->b, (WyBindContext){notes->nodesetval->nodeTab[0], 1, 1});
    assert_value(f, "b", "");
    assert_string_equal(diag(f), "");
    assert_null(compile(f, "@kind")->column);
    assert_string_equal(compile(f, " 单位/名称 ")->column, "单位");
    assert_null(compile(f, "../单位")->column);
    wy_buf_release(&out);
    xmlXPathFreeObject(notes);
    xmlXPathFreeObject(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(syntax_errors_name_the_expression_and_the_line, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_functions_and_variables_fail_at_load, setup, teardown),
        cmocka_unit_test_setup_teardown(attribute_value_templates, setup, teardown),
        cmocka_unit_test_setup_teardown(context_position_and_last, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_types_are_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(variables_are_scoped, setup, teardown),
        cmocka_unit_test_setup_teardown(date_cn, setup, teardown),
        cmocka_unit_test_setup_teardown(the_operation_limit_stops_a_runaway, setup, teardown),
        cmocka_unit_test_setup_teardown(a_missing_column_points_at_the_csv_header, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
