/* Sorting in templates and wenyin's XPath functions: <for-each order=…>
   by surname strokes (姓氏笔画) and pinyin with CJK.md §9's acceptance
   facts, text and number orders, descending with stable ties, order as a
   value template and its mistakes; wy:date-cn-numeral, wy:compact,
   wy:money-upper, wy:cardinal, wy:ordinal and wy:strokes, with the error
   a bad value gives at its template line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "expand_support.h"
#include "expand/cjknum.h"
#include "expand/names.h"
#include "expand/schema.h"

/* A spreadsheet the way a clerk typed it: not in any order. Every name is
   unique; 李 吴 何 宋 张 陈 have 7 strokes, 周 8; 李　明 carries a U+3000
   typed to pad it. */
static const char *const AWARDEES =
    "<data>"
    "<awardees file='awardees.csv'>"
    "<row line='2'><姓名>周建国</姓名><分数>88</分数></row>"
    "<row line='3'><姓名>陈静</姓名><分数>95.5</分数></row>"
    "<row line='4'><姓名>何蓉佳</姓名><分数>88</分数></row>"
    "<row line='5'><姓名>白雪梅</姓名><分数></分数></row>"
    "<row line='6'><姓名>张伟</姓名><分数>70</分数></row>"
    "<row line='7'><姓名>李\xe3\x80\x80明</姓名><分数>88</分数></row>"
    "<row line='8'><姓名>宋茈莉</姓名><分数>100</分数></row>"
    "<row line='9'><姓名>安晓雯</姓名><分数>9</分数></row>"
    "<row line='10'><姓名>吴鑫</姓名><分数>x</分数></row>"
    "<row line='11'><姓名>欧阳春燕</姓名><分数>60</分数></row>"
    "<row line='12'><姓名>丁敬学</姓名><分数>75</分数></row>"
    "</awardees>"
    "<params><param name='order'>pinyin</param></params>"
    "</data>";

/* The texts of every paragraph under FIRST, depth first, joined by " ". */
static void collect_texts(const WyBox *first, WyBuf *out)
{
    for (const WyBox *b = first; b; b = b->next) {
        if (b->kind == WY_BOX_PARA)
            wy_buf_printf(out, "%s%s", out->len ? " " : "", b->u.para.text);
        collect_texts(b->children, out);
    }
}

/* Expands a one-loop template: FOR_EACH_ATTRS on a for-each over the
   awardees printing VALUE; returns the printed texts (caller frees), or
   NULL with the diagnostics in *ERRORS (caller frees) when it fails. */
static char *run_loop(const char *for_each_attrs, const char *value, char **errors)
{
    WyBuf t;
    wy_buf_init(&t);
    bool has_select = strstr(for_each_attrs, "select=") != NULL;
    wy_buf_printf(&t, T_HEAD "<param name='order'/>\n<sequence>\n"
                      "<for-each %s %s>\n<p><value-of select=\"%s\"/></p>\n</for-each>\n"
                      "</sequence>\n" T_TAIL,
                  has_select ? "" : "select='awardees/row'", for_each_attrs, value);
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc = expand_text("sort.xml", wy_buf_str(&t), AWARDEES, &d);
    wy_buf_release(&t);
    char *result = NULL;
    if (doc) {
        WyBuf texts;
        wy_buf_init(&texts);
        collect_texts(doc->sequences->blocks, &texts);
        result = wy_buf_steal(&texts);
        wy_document_free(doc);
    }
    if (errors)
        *errors = wy_buf_steal(&d.text);
    wy_diag_release(&d);
    return result;
}

static char *sorted(const char *for_each_attrs, const char *value)
{
    char *errors = NULL;
    char *result = run_loop(for_each_attrs, value, &errors);
    if (!result)
        fail_msg("expansion failed:\n%s", errors);
    free(errors);
    return result;
}

/* Only the surnames in KEEP, in the order they occur in TEXT. */
static char *surnames_among(const char *text, const char *const *keep)
{
    WyBuf out;
    wy_buf_init(&out);
    for (const char *s = text; *s; s++) {
        if (s != text && s[-1] != ' ')
            continue;
        for (const char *const *k = keep; *k; k++)
            if (strncmp(s, *k, strlen(*k)) == 0)
                wy_buf_puts(&out, *k);
    }
    return wy_buf_steal(&out);
}

static void stroke_order_meets_the_acceptance_facts(void **state)
{
    (void)state;
    char *names = sorted("sort-by='姓名' order='stroke'", "translate(姓名, '　', '')");
    static const char *const seven_and_zhou[] = {"李", "吴", "何", "宋", "张", "陈", "周", NULL};
    char *seq = surnames_among(names, seven_and_zhou);
    assert_string_equal(seq, "李吴何宋张陈周"); /* CJK.md §9, and 陈 before 周 */
    free(seq);
    /* 丁 (2) first; 欧阳 sorts as 欧 (8) before 周 (8); the whole list */
    assert_string_equal(names, "丁敬学 白雪梅 安晓雯 李明 吴鑫 何蓉佳 宋茈莉 张伟 陈静 欧阳春燕 周建国");
    free(names);
}

static void pinyin_order_and_the_order_parameter(void **state)
{
    (void)state;
    char *names = sorted("sort-by='姓名' order='pinyin'", "translate(姓名, '　', '')");
    assert_string_equal(names, "安晓雯 白雪梅 陈静 丁敬学 何蓉佳 李明 欧阳春燕 宋茈莉 吴鑫 张伟 周建国");
    /* order="{$order}" reads -p order=pinyin when the loop runs */
    char *by_param = sorted("sort-by='姓名' order='{$order}'", "translate(姓名, '　', '')");
    assert_string_equal(by_param, names);
    free(by_param);
    free(names);
    /* without sort-by, the nodes sort by their own text */
    char *self = sorted("select='awardees/row/姓名' order='stroke'", "substring(., 1, 1)");
    assert_string_equal(self, "丁 白 安 李 吴 何 宋 张 陈 欧 周");
    free(self);
}

static void number_text_and_document_orders(void **state)
{
    (void)state;
    /* numbers ascending, ties (88) in document order, non-numbers last */
    char *up = sorted("sort-by='分数' order='number'", "分数");
    assert_string_equal(up, "9 60 70 75 88 88 88 95.5 100 x");
    free(up);
    /* descending reverses the numbers but neither the ties nor where the
       non-numbers go; the empty 分数 of 白雪梅 prints nothing */
    char *down = sorted("sort-by='分数' order='number' sort-order='descending'", "concat(分数, 姓名)");
    assert_string_equal(down, "100宋茈莉 95.5陈静 88周建国 88何蓉佳 88李\xe3\x80\x80明 75丁敬学 70张伟 60欧阳春燕 "
                              "9安晓雯 白雪梅 x吴鑫");
    free(down);
    /* code point order: 丁 U+4E01 < 何 U+4F55 < 周 U+5468 … */
    char *text = sorted("sort-by='姓名' order='text'", "substring(姓名, 1, 1)");
    assert_string_equal(text, "丁 何 吴 周 安 宋 张 李 欧 白 陈");
    free(text);
    /* sort-type is the older spelling */
    char *old = sorted("sort-by='姓名' sort-type='text'", "substring(姓名, 1, 1)");
    assert_string_equal(old, "丁 何 吴 周 安 宋 张 李 欧 白 陈");
    free(old);
    /* sort-type without sort-by sorts nothing */
    char *none = sorted("sort-type='number'", "substring(姓名, 1, 1)");
    assert_string_equal(none, "周 陈 何 白 张 李 宋 安 吴 欧 丁");
    free(none);
    /* document: the order of the file, whatever sort-by says */
    char *doc = sorted("sort-by='姓名' order='document'", "substring(姓名, 1, 1)");
    assert_string_equal(doc, "周 陈 何 白 张 李 宋 安 吴 欧 丁");
    free(doc);
}

static void order_mistakes_are_reported_at_their_line(void **state)
{
    (void)state;
    char *errors = NULL;
    assert_null(run_loop("sort-by='姓名' order='strokes'", "姓名", &errors));
    assert_non_null(strstr(errors, "sort.xml:4:46: error: order=\"strokes\" is not an order; write stroke, pinyin"));
    free(errors);
    /* a value template is checked when the loop runs */
    assert_null(run_loop("sort-by='姓名' order='{$order}x'", "姓名", &errors));
    assert_non_null(strstr(errors, "sort.xml:4:46: error: order=\"{$order}x\" gave \"pinyinx\", which is not an order"));
    free(errors);
    assert_null(run_loop("sort-by='姓名' order='text' sort-type='number'", "姓名", &errors));
    assert_non_null(strstr(errors, "sort-type is the older spelling of order"));
    free(errors);
    /* sorting by a column the spreadsheet lacks names its header line */
    assert_null(run_loop("sort-by='职务' order='stroke'", "姓名", &errors));
    assert_non_null(strstr(errors, "awardees.csv:1:1: error: column 职务 is missing (its header row has: 姓名, 分数); "
                                   "the template "));
    free(errors);
}

/* ------------------------------------------------------------ functions */

/* The string value of EXPR in a template over AWARDEES; NULL on failure,
   with the diagnostics in *ERRORS (caller frees both). */
static char *value_of(const char *expr, char **errors)
{
    WyBuf t;
    wy_buf_init(&t);
    wy_buf_printf(&t, T_HEAD "<sequence>\n<p>[<value-of select=\"%s\"/>]</p>\n</sequence>\n" T_TAIL, expr);
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyDocument *doc = expand_text("fn.xml", wy_buf_str(&t), AWARDEES, &d);
    wy_buf_release(&t);
    char *result = NULL;
    if (doc) {
        result = wy_xstrdup(doc->sequences->blocks->u.para.text);
        wy_document_free(doc);
    }
    *errors = wy_buf_steal(&d.text);
    wy_diag_release(&d);
    return result;
}

#define assert_fn(expr, expected)                                     \
    do {                                                              \
        char *errors_;                                                \
        char *value_ = value_of((expr), &errors_);                    \
        if (!value_)                                                  \
            fail_msg("%s failed:\n%s", (expr), errors_);              \
        assert_string_equal(value_, "[" expected "]");                \
        free(value_);                                                 \
        free(errors_);                                                \
    } while (0)

#define assert_fn_error(expr, expected)                               \
    do {                                                              \
        char *errors_;                                                \
        char *value_ = value_of((expr), &errors_);                    \
        assert_null(value_);                                          \
        if (!strstr(errors_, (expected)))                             \
            fail_msg("expected \"%s\" in:\n%s", (expected), errors_); \
        free(errors_);                                                \
    } while (0)

static void chinese_dates_numbers_and_money(void **state)
{
    (void)state;
    assert_fn("wy:date-cn-numeral('2023-03-21')", "二〇二三年三月二十一日");
    assert_fn("wy:date-cn-numeral('2020/10/1')", "二〇二〇年十月一日");
    assert_fn("wy:date-cn('2023-03-21')", "2023年3月21日");
    assert_fn("wy:compact(16000)", "1.6万");
    assert_fn("wy:compact('123456789')", "1.23亿");
    assert_fn("wy:compact('1,234')", "1234");
    assert_fn("wy:money-upper(12300)", "壹万贰仟叁佰元整");
    assert_fn("wy:money-upper('325.04')", "叁佰贰拾伍元零肆分");
    assert_fn("wy:cardinal(101)", "一百零一");
    assert_fn("wy:cardinal('-5')", "负五");
    assert_fn("wy:ordinal(17)", "第十七");
    assert_fn("wy:ordinal(count(awardees/row))", "第十一");
    /* an empty cell prints nothing */
    assert_fn("wy:money-upper(awardees/row[姓名='白雪梅']/分数)", "");
    assert_fn("wy:ordinal('')", "");
    assert_fn("wy:date-cn-numeral(' ')", "");
}

static void surname_strokes(void **state)
{
    (void)state;
    assert_fn("wy:strokes('丁敬学')", "2");
    assert_fn("wy:strokes('陈静')", "7"); /* 阝 is 2 strokes on the mainland */
    assert_fn("wy:strokes('周建国')", "8");
    assert_fn("wy:strokes('欧阳春燕')", "8"); /* grouped by 欧, as it sorts */
    assert_fn("wy:strokes('\xe3\x80\x80王晓婷')", "4"); /* padding is not the surname */
    assert_fn("wy:strokes(awardees/row[1]/姓名)", "8");
    /* a group heading: 二画, 四画 … */
    assert_fn("concat(wy:cardinal(wy:strokes('王晓婷')), '画')", "四画");
}

static void bad_values_name_the_line_and_the_value(void **state)
{
    (void)state;
    assert_fn_error("wy:date-cn-numeral('2023-02-30')",
                    "fn.xml:3:15: error: \"wy:date-cn-numeral('2023-02-30')\" cannot be evaluated: "
                    "wy:date-cn-numeral() got \"2023-02-30\", which is not a date written like 2023-03-21");
    assert_fn_error("wy:compact('1.1E+17')", "wy:compact() got \"1.1E+17\", which is not a number");
    assert_fn_error("wy:money-upper(awardees/row[姓名='吴鑫']/分数)", "wy:money-upper() got \"x\", which is not an amount");
    assert_fn_error("wy:money-upper('1000000000000')", "wy:money-upper() got \"1000000000000\"");
    assert_fn_error("wy:ordinal('17.5')", "wy:ordinal() got \"17.5\", which is not a whole number of 0 or more");
    assert_fn_error("wy:ordinal(-1)", "wy:ordinal() got \"-1\", which is not a whole number of 0 or more");
    assert_fn_error("wy:cardinal('十七')", "wy:cardinal() got \"十七\", which is not a whole number");
    assert_fn_error("wy:strokes('')", "wy:strokes() got an empty name");
    assert_fn_error("wy:strokes('Smith')", "wy:strokes() got \"Smith\", whose first character has no stroke count");
    assert_fn_error("wy:ordinal(1, 2)", "a function is called with the wrong number of arguments");
    /* an unknown wy: function stops the load and lists the real ones */
    assert_fn_error("wy:upper('a')", "calls wy:upper(), which is not a function");
    assert_fn_error("wy:upper('a')", "wy:money-upper()");
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
        cmocka_unit_test(stroke_order_meets_the_acceptance_facts),
        cmocka_unit_test(pinyin_order_and_the_order_parameter),
        cmocka_unit_test(number_text_and_document_orders),
        cmocka_unit_test(order_mistakes_are_reported_at_their_line),
        cmocka_unit_test(chinese_dates_numbers_and_money),
        cmocka_unit_test(surname_strokes),
        cmocka_unit_test(bad_values_name_the_line_and_the_value),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup);
}
