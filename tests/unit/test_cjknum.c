/* Chinese numbers and dates: ICU spell-outs, 万/亿 compact numbers,
   uppercase money, what is rejected, and that rejection leaves the
   buffer alone. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "expand/cjknum.h"

typedef bool (*TextFormat)(const char *, WyBuf *);
typedef bool (*LongFormat)(long, WyBuf *);

#define BEFORE "前:" /* text already in the buffer must survive */

/* True when B holds BEFORE followed by exactly WANT. */
static bool holds(const WyBuf *b, const char *want)
{
    const char *s = wy_buf_str(b);
    return strncmp(s, BEFORE, strlen(BEFORE)) == 0 && strcmp(s + strlen(BEFORE), want) == 0;
}

static void expect_text(TextFormat format, const char *input, const char *want)
{
    WyBuf b;
    wy_buf_init(&b);
    wy_buf_puts(&b, BEFORE);
    if (!format(input, &b))
        fail_msg("rejected \"%s\", wanted %s", input, want);
    if (!holds(&b, want))
        fail_msg("\"%s\" gave %s, wanted %s%s", input, wy_buf_str(&b), BEFORE, want);
    wy_buf_release(&b);
}

static void expect_rejected(TextFormat format, const char *input)
{
    WyBuf b;
    wy_buf_init(&b);
    wy_buf_puts(&b, BEFORE);
    if (format(input, &b))
        fail_msg("accepted \"%s\" as %s", input, wy_buf_str(&b));
    assert_string_equal(wy_buf_str(&b), BEFORE);
    assert_int_equal(b.len, strlen(BEFORE));
    wy_buf_release(&b);
}

static void expect_long(LongFormat format, long n, const char *want)
{
    WyBuf b;
    wy_buf_init(&b);
    wy_buf_puts(&b, BEFORE);
    if (!format(n, &b))
        fail_msg("rejected %ld, wanted %s", n, want);
    if (!holds(&b, want))
        fail_msg("%ld gave %s, wanted %s%s", n, wy_buf_str(&b), BEFORE, want);
    wy_buf_release(&b);
}

static void expect_long_rejected(LongFormat format, long n)
{
    WyBuf b;
    wy_buf_init(&b);
    wy_buf_puts(&b, BEFORE);
    if (format(n, &b))
        fail_msg("accepted %ld as %s", n, wy_buf_str(&b));
    assert_string_equal(wy_buf_str(&b), BEFORE);
    wy_buf_release(&b);
}

/* ---- dates ---- */

static void test_date_in_chinese_numerals(void **state)
{
    (void)state;
    expect_text(wy_cjknum_date, "2023-03-21", "二〇二三年三月二十一日");
    expect_text(wy_cjknum_date, "2023年3月21日", "二〇二三年三月二十一日");
    expect_text(wy_cjknum_date, "2023/3/21", "二〇二三年三月二十一日");
    expect_text(wy_cjknum_date, "2020-10-10", "二〇二〇年十月十日");
    expect_text(wy_cjknum_date, "2000-11-30", "二〇〇〇年十一月三十日");
    expect_text(wy_cjknum_date, "2008-12-31", "二〇〇八年十二月三十一日");
    expect_text(wy_cjknum_date, "1999-01-01", "一九九九年一月一日");
    expect_text(wy_cjknum_date, "2024-02-29", "二〇二四年二月二十九日");
    expect_text(wy_cjknum_date, "2000-02-29", "二〇〇〇年二月二十九日");
    expect_text(wy_cjknum_date, "  2023-03-21\t", "二〇二三年三月二十一日");
    expect_text(wy_cjknum_date, "\u30002023年03月05日\u3000", "二〇二三年三月五日");
    expect_text(wy_cjknum_date, "２０２３年３月２１日", "二〇二三年三月二十一日");
}

static void test_date_in_arabic_digits(void **state)
{
    (void)state;
    expect_text(wy_cjknum_date_arabic, "2023-03-21", "2023年3月21日");
    expect_text(wy_cjknum_date_arabic, "2023-01-05", "2023年1月5日");
    expect_text(wy_cjknum_date_arabic, "2023/12/1", "2023年12月1日");
    expect_text(wy_cjknum_date_arabic, "2023年03月09日", "2023年3月9日");
    expect_text(wy_cjknum_date_arabic, "2024-02-29", "2024年2月29日");
}

static void test_date_rejects_impossible_and_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2023-02-29", "2023-02-30", "1900-02-29", "2100-02-29", "2023-04-31",
        "2023-13-01", "2023-00-10", "2023-01-00", "2023-01-32", "0999-01-01",
        "0000-01-01", "23-03-21",   "20230-03-21", "2023-003-21", "2023-03-21T10:00",
        "2023-03/21", "2023年3月21", "2023年3-21日", "2023.3.21", "2023 03 21",
        "20230321",   "",           "   ",         "二〇二三年三月二十一日", "2023-3-21x",
        "-2023-03-21", "2023--03-21", "2023-03-",  "2023年3月21日日",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_rejected(wy_cjknum_date, bad[i]);
        expect_rejected(wy_cjknum_date_arabic, bad[i]);
    }
    expect_rejected(wy_cjknum_date, NULL);
    expect_rejected(wy_cjknum_date_arabic, NULL);
}

/* ---- compact 万/亿 ---- */

static void test_compact_wan_yi(void **state)
{
    (void)state;
    expect_text(wy_cjknum_compact, "16000", "1.6万");
    expect_text(wy_cjknum_compact, "123456789", "1.23亿");
    expect_text(wy_cjknum_compact, "9999", "9999");
    expect_text(wy_cjknum_compact, "10000", "1万");
    expect_text(wy_cjknum_compact, "2611", "2611");
    expect_text(wy_cjknum_compact, "150000000", "1.5亿");
    expect_text(wy_cjknum_compact, "1234567", "123.46万");
    expect_text(wy_cjknum_compact, "12345678", "1234.57万");
    expect_text(wy_cjknum_compact, "345000000", "3.45亿"); /* never 3亿4500万 */
    expect_text(wy_cjknum_compact, "99999999", "1亿");   /* carries into 亿 */
    expect_text(wy_cjknum_compact, "99995000", "9999.5万");
    expect_text(wy_cjknum_compact, "1000000000000", "1万亿");
    expect_text(wy_cjknum_compact, "0", "0");
    expect_text(wy_cjknum_compact, "-0", "0");
    expect_text(wy_cjknum_compact, "7", "7");
    expect_text(wy_cjknum_compact, "-16000", "-1.6万");
}

static void test_compact_rounds_half_up(void **state)
{
    (void)state;
    expect_text(wy_cjknum_compact, "12250", "1.23万"); /* half-even would give 1.22万 */
    expect_text(wy_cjknum_compact, "12249", "1.22万");
    expect_text(wy_cjknum_compact, "1234.567", "1234.57");
    expect_text(wy_cjknum_compact, "0.125", "0.13");
}

static void test_compact_reads_typed_numbers(void **state)
{
    (void)state;
    expect_text(wy_cjknum_compact, "1,234.50", "1234.5");
    expect_text(wy_cjknum_compact, "16,000", "1.6万");
    expect_text(wy_cjknum_compact, "123,456,789", "1.23亿");
    expect_text(wy_cjknum_compact, "１２３", "123");
    expect_text(wy_cjknum_compact, "１６０００", "1.6万");
    expect_text(wy_cjknum_compact, "１６，０００．００", "1.6万");
    expect_text(wy_cjknum_compact, "  16000  ", "1.6万");
    expect_text(wy_cjknum_compact, "\u300016000\u00A0", "1.6万");
    expect_text(wy_cjknum_compact, "+16000", "1.6万");
    expect_text(wy_cjknum_compact, "－16000", "-1.6万");
    expect_text(wy_cjknum_compact, "\u221216000", "-1.6万");
    expect_text(wy_cjknum_compact, "0016000", "1.6万");
    expect_text(wy_cjknum_compact, "999999999999999999999999", "1000000000000万亿");
}

static void test_compact_rejects_non_numbers(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", " ", "abc", "1.10105E+17", "1e5", ".5", "5.", "1.2.3", "12,34", "1234,567",
        "1,2345", ",123", "123,", "1,,234", "1 234", "--5", "+-5", "- 5", "5-", "0x10",
        "1.5万", "一万", "¥100", "100元", "12%", "NaN", "inf", "1,234.5,6", "1.234,5",
        "1234567890123456789012345",             /* 25 significant digits */
        "1.1234567890123",                       /* 13 decimals */
        "\xEF\xBC",                              /* truncated full-width digit */
        "12\xEF\xBC\x9A",                        /* U+FF1A is not a digit */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_rejected(wy_cjknum_compact, bad[i]);
    expect_rejected(wy_cjknum_compact, NULL);
}

/* ---- uppercase money ---- */

static void test_money_examples(void **state)
{
    (void)state;
    expect_text(wy_cjknum_money_upper, "12300", "壹万贰仟叁佰元整");
    expect_text(wy_cjknum_money_upper, "10005.6", "壹万零伍元陆角整");
    expect_text(wy_cjknum_money_upper, "0.05", "伍分");
    expect_text(wy_cjknum_money_upper, "100000000", "壹亿元整");
    expect_text(wy_cjknum_money_upper, "1001", "壹仟零壹元整");
    expect_text(wy_cjknum_money_upper, "1010", "壹仟零壹拾元整");
    expect_text(wy_cjknum_money_upper, "110", "壹佰壹拾元整");
    expect_text(wy_cjknum_money_upper, "1.5", "壹元伍角整");
    expect_text(wy_cjknum_money_upper, "1.50", "壹元伍角整");
    expect_text(wy_cjknum_money_upper, "0.5", "伍角整");
    expect_text(wy_cjknum_money_upper, "0.55", "伍角伍分");
    expect_text(wy_cjknum_money_upper, "10", "壹拾元整");
    expect_text(wy_cjknum_money_upper, "16", "壹拾陆元整");
    expect_text(wy_cjknum_money_upper, "100000", "壹拾万元整");
    expect_text(wy_cjknum_money_upper, "1000000000", "壹拾亿元整");
}

/* The worked examples of the People's Bank rules for filling in bills
   (正确填写票据和结算凭证的基本规定), in the form this module chooses. */
static void test_money_bank_rule_examples(void **state)
{
    (void)state;
    expect_text(wy_cjknum_money_upper, "1409.50", "壹仟肆佰零玖元伍角整");
    expect_text(wy_cjknum_money_upper, "6007.14", "陆仟零柒元壹角肆分");
    expect_text(wy_cjknum_money_upper, "1680.32", "壹仟陆佰捌拾元叁角贰分");
    expect_text(wy_cjknum_money_upper, "107000.53", "壹拾万柒仟元伍角叁分");
    expect_text(wy_cjknum_money_upper, "16409.02", "壹万陆仟肆佰零玖元零贰分");
    expect_text(wy_cjknum_money_upper, "325.04", "叁佰贰拾伍元零肆分");
}

static void test_money_zeros_and_sections(void **state)
{
    (void)state;
    expect_text(wy_cjknum_money_upper, "0", "零元整");
    expect_text(wy_cjknum_money_upper, "0.00", "零元整");
    expect_text(wy_cjknum_money_upper, "-0", "零元整");
    expect_text(wy_cjknum_money_upper, "100.04", "壹佰元零肆分");
    expect_text(wy_cjknum_money_upper, "1.05", "壹元零伍分");
    expect_text(wy_cjknum_money_upper, "10.5", "壹拾元伍角整");
    expect_text(wy_cjknum_money_upper, "100000001", "壹亿零壹元整");
    expect_text(wy_cjknum_money_upper, "100010000", "壹亿零壹万元整");
    expect_text(wy_cjknum_money_upper, "100001000", "壹亿零壹仟元整");
    expect_text(wy_cjknum_money_upper, "110000000", "壹亿壹仟万元整");
    expect_text(wy_cjknum_money_upper, "10000100", "壹仟万零壹佰元整");
    expect_text(wy_cjknum_money_upper, "300040000", "叁亿零肆万元整");
    expect_text(wy_cjknum_money_upper, "100100000", "壹亿零壹拾万元整");
    expect_text(wy_cjknum_money_upper, "999999999999.99",
                "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分");
    expect_text(wy_cjknum_money_upper, "-12300", "负壹万贰仟叁佰元整");
    expect_text(wy_cjknum_money_upper, "-0.05", "负伍分");
    expect_text(wy_cjknum_money_upper, "12,300.00", "壹万贰仟叁佰元整");
    expect_text(wy_cjknum_money_upper, "１２３００", "壹万贰仟叁佰元整");
    expect_text(wy_cjknum_money_upper, " 12300 ", "壹万贰仟叁佰元整");
}

static void test_money_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "1000000000000", "1000000000000.00", "999999999999.991", "1.005", "1.500",
        "", "abc", "1e3", "¥100", "100元", "12,30", ".5", "5.", "1 000",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_rejected(wy_cjknum_money_upper, bad[i]);
    expect_rejected(wy_cjknum_money_upper, NULL);
}

/* ---- cardinals and ordinals ---- */

static void test_cardinal(void **state)
{
    (void)state;
    expect_long(wy_cjknum_cardinal, 17, "十七");
    expect_long(wy_cjknum_cardinal, 0, "零");
    expect_long(wy_cjknum_cardinal, 10, "十");
    expect_long(wy_cjknum_cardinal, 11, "十一");
    expect_long(wy_cjknum_cardinal, 110, "一百一十");
    expect_long(wy_cjknum_cardinal, 1010, "一千零一十");
    expect_long(wy_cjknum_cardinal, 101000, "十万一千");
    expect_long(wy_cjknum_cardinal, 10000100, "一千万零一百");
    expect_long(wy_cjknum_cardinal, -5, "负五");
    expect_long(wy_cjknum_cardinal, -110, "负一百一十");
    expect_long(wy_cjknum_cardinal, 123456789, "一亿二千三百四十五万六千七百八十九");
    expect_long(wy_cjknum_cardinal, 1000000000, "十亿");
}

/* Above 亿 ICU 72 drops zeros and uses 兆; these are joined by hand. */
static void test_cardinal_above_yi(void **state)
{
    (void)state;
    expect_long(wy_cjknum_cardinal, 100000000, "一亿");
    expect_long(wy_cjknum_cardinal, 100000001, "一亿零一");
    expect_long(wy_cjknum_cardinal, 100000010, "一亿零一十");
    expect_long(wy_cjknum_cardinal, 100000015, "一亿零一十五");
    expect_long(wy_cjknum_cardinal, 100010000, "一亿零一万");
    expect_long(wy_cjknum_cardinal, 100100000, "一亿零一十万");
    expect_long(wy_cjknum_cardinal, 101000000, "一亿零一百万");
    expect_long(wy_cjknum_cardinal, 110000000, "一亿一千万");
    expect_long(wy_cjknum_cardinal, 1099999879, "十亿九千九百九十九万九千八百七十九");
    expect_long(wy_cjknum_cardinal, 1000000000000, "一万亿");
    expect_long(wy_cjknum_cardinal, 1200000000000, "一万二千亿");
    expect_long(wy_cjknum_cardinal, 1000000000005, "一万亿零五");
    expect_long(wy_cjknum_cardinal, 9999999999999999L,
                "九千九百九十九万九千九百九十九亿九千九百九十九万九千九百九十九");
    expect_long(wy_cjknum_cardinal, -9999999999999999L,
                "负九千九百九十九万九千九百九十九亿九千九百九十九万九千九百九十九");
    expect_long_rejected(wy_cjknum_cardinal, 10000000000000000L);
    expect_long_rejected(wy_cjknum_cardinal, -10000000000000000L);
    expect_long_rejected(wy_cjknum_cardinal, LONG_MAX);
    expect_long_rejected(wy_cjknum_cardinal, LONG_MIN);
}

static void test_ordinal(void **state)
{
    (void)state;
    expect_long(wy_cjknum_ordinal, 17, "第十七");
    expect_long(wy_cjknum_ordinal, 1, "第一");
    expect_long(wy_cjknum_ordinal, 10, "第十");
    expect_long(wy_cjknum_ordinal, 21, "第二十一");
    expect_long(wy_cjknum_ordinal, 100, "第一百");
    expect_long(wy_cjknum_ordinal, 101, "第一百零一");
    expect_long(wy_cjknum_ordinal, 0, "第零");
    expect_long(wy_cjknum_ordinal, 100010000, "第一亿零一万");
    expect_long_rejected(wy_cjknum_ordinal, -1);
    expect_long_rejected(wy_cjknum_ordinal, LONG_MIN);
    expect_long_rejected(wy_cjknum_ordinal, LONG_MAX);
}

/* Maps uppercase money "壹拾万零柒元整" back to the lowercase reading
   "十万零七" so the hand-written money walker and the ICU cardinal can
   be compared on the same value. */
static void money_to_cardinal(const char *money, WyBuf *out)
{
    static const char *const pairs[][2] = {
        {"壹", "一"}, {"贰", "二"}, {"叁", "三"}, {"肆", "四"}, {"伍", "五"}, {"陆", "六"},
        {"柒", "七"}, {"捌", "八"}, {"玖", "九"}, {"拾", "十"}, {"佰", "百"}, {"仟", "千"},
        {"元整", ""},
    };
    const char *p = money;
    while (*p) {
        size_t i = 0, n = sizeof pairs / sizeof pairs[0];
        while (i < n && strncmp(p, pairs[i][0], strlen(pairs[i][0])) != 0)
            i++;
        if (i < n) {
            wy_buf_puts(out, pairs[i][1]);
            p += strlen(pairs[i][0]);
        } else {
            wy_buf_putc(out, *p++);
        }
    }
    /* the spoken form drops the 一 of a leading ten: 十万, 十亿 */
    if (strncmp(wy_buf_str(out), "一十", strlen("一十")) == 0) {
        WyBuf copy;
        wy_buf_init(&copy);
        wy_buf_puts(&copy, wy_buf_str(out) + strlen("一"));
        wy_buf_clear(out);
        wy_buf_puts(out, wy_buf_str(&copy));
        wy_buf_release(&copy);
    }
}

/* Every pattern of zero and non-zero digits over twelve places. */
static void test_cardinal_and_money_agree_on_zeros(void **state)
{
    (void)state;
    WyBuf money, mapped, cardinal;
    wy_buf_init(&money);
    wy_buf_init(&mapped);
    wy_buf_init(&cardinal);
    for (unsigned mask = 1; mask < (1u << 12); mask++) {
        long value = 0;
        for (int place = 11; place >= 0; place--)
            value = value * 10 + ((mask >> place) & 1 ? (place * 7 + mask) % 9 + 1 : 0);
        char amount[32];
        snprintf(amount, sizeof amount, "%ld", value);
        wy_buf_clear(&money);
        wy_buf_clear(&mapped);
        wy_buf_clear(&cardinal);
        assert_true(wy_cjknum_money_upper(amount, &money));
        assert_true(wy_cjknum_cardinal(value, &cardinal));
        money_to_cardinal(wy_buf_str(&money), &mapped);
        if (strcmp(wy_buf_str(&mapped), wy_buf_str(&cardinal)) != 0)
            fail_msg("%ld: money %s, cardinal %s", value, wy_buf_str(&money), wy_buf_str(&cardinal));
    }
    wy_buf_release(&money);
    wy_buf_release(&mapped);
    wy_buf_release(&cardinal);
}

/* ---- buffer, threads, cleanup ---- */

static void test_full_buffer_is_left_unchanged(void **state)
{
    (void)state;
    WyBuf b;
    wy_buf_init(&b);
    b.cap = strlen(BEFORE) + 6; /* room for two CJK characters */
    wy_buf_puts(&b, BEFORE);
    assert_false(wy_cjknum_date("2023-03-21", &b));
    assert_false(wy_cjknum_money_upper("12300", &b));
    assert_false(wy_cjknum_cardinal(123456789, &b));
    assert_false(wy_cjknum_ordinal(100010000, &b));
    assert_false(wy_cjknum_compact("123456789", &b));
    assert_false(wy_cjknum_date_arabic("2023-03-21", &b));
    assert_string_equal(wy_buf_str(&b), BEFORE);
    assert_true(wy_cjknum_cardinal(17, &b));
    assert_string_equal(wy_buf_str(&b), BEFORE "十七");
    wy_buf_release(&b);
}

static void *format_many(void *arg)
{
    (void)arg;
    WyBuf b;
    wy_buf_init(&b);
    bool same = true;
    for (int i = 0; i < 300 && same; i++) {
        wy_buf_clear(&b);
        same = wy_cjknum_date("2023-03-21", &b) && wy_cjknum_compact("123456789", &b) &&
               wy_cjknum_ordinal(101, &b) &&
               strcmp(wy_buf_str(&b), "二〇二三年三月二十一日1.23亿第一百零一") == 0;
    }
    wy_buf_release(&b);
    return same ? arg : NULL;
}

static void test_threads_share_the_formatters(void **state)
{
    (void)state;
    wy_cjknum_cleanup(); /* the threads race to open them */
    pthread_t threads[4];
    int token[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, format_many, &token[i]), 0);
    for (int i = 0; i < 4; i++) {
        void *result = NULL;
        assert_int_equal(pthread_join(threads[i], &result), 0);
        assert_ptr_equal(result, &token[i]);
    }
}

static void test_cleanup_then_reopen(void **state)
{
    (void)state;
    wy_cjknum_cleanup();
    wy_cjknum_cleanup(); /* twice is harmless */
    expect_long(wy_cjknum_cardinal, 21, "二十一");
    expect_text(wy_cjknum_compact, "16000", "1.6万");
}

static int cleanup_formatters(void **state)
{
    (void)state;
    wy_cjknum_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_in_chinese_numerals),
        cmocka_unit_test(test_date_in_arabic_digits),
        cmocka_unit_test(test_date_rejects_impossible_and_malformed),
        cmocka_unit_test(test_compact_wan_yi),
        cmocka_unit_test(test_compact_rounds_half_up),
        cmocka_unit_test(test_compact_reads_typed_numbers),
        cmocka_unit_test(test_compact_rejects_non_numbers),
        cmocka_unit_test(test_money_examples),
        cmocka_unit_test(test_money_bank_rule_examples),
        cmocka_unit_test(test_money_zeros_and_sections),
        cmocka_unit_test(test_money_rejects),
        cmocka_unit_test(test_cardinal),
        cmocka_unit_test(test_cardinal_above_yi),
        cmocka_unit_test(test_ordinal),
        cmocka_unit_test(test_cardinal_and_money_agree_on_zeros),
        cmocka_unit_test(test_full_buffer_is_left_unchanged),
        cmocka_unit_test(test_threads_share_the_formatters),
        cmocka_unit_test(test_cleanup_then_reopen),
    };
    return cmocka_run_group_tests(tests, NULL, cleanup_formatters);
}
