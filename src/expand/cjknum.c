#include "expand/cjknum.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unicode/unum.h>
#include <unicode/unumberformatter.h>
#include <unicode/ustring.h>

#define MAX_INTEGER_DIGITS 24
#define MAX_FRACTION_DIGITS 12
#define MONEY_MAX_YUAN 999999999999ULL     /* 玖仟玖佰玖拾玖亿… */
#define YI 100000000LL                     /* 亿 = 10^8 */
#define CARDINAL_LIMIT 10000000000000000LL /* 10^16 = 亿亿 */
#define ICU_TEXT_MAX 128                   /* UChars; our outputs are far shorter */

/* ---- cached ICU formatters ---- */

static pthread_mutex_t icu_lock = PTHREAD_MUTEX_INITIALIZER;
static UNumberFormat *rbnf_cardinal;    /* zh %spellout-cardinal */
static UNumberFormat *rbnf_year;        /* zh %spellout-numbering-year */
static UNumberFormatter *compact_short; /* zh compact-short, two decimals */
static UFormattedNumber *compact_result;

static void close_formatters(void)
{
    if (rbnf_cardinal)
        unum_close(rbnf_cardinal);
    if (rbnf_year)
        unum_close(rbnf_year);
    if (compact_short)
        unumf_close(compact_short);
    if (compact_result)
        unumf_closeResult(compact_result);
    rbnf_cardinal = rbnf_year = NULL;
    compact_short = NULL;
    compact_result = NULL;
}

/* One RBNF formatter per rule set: switching the default rule set of a
   shared formatter on every call would be a hidden state change. */
static UNumberFormat *open_rbnf(const char *rule_set)
{
    UErrorCode status = U_ZERO_ERROR;
    UNumberFormat *fmt = unum_open(UNUM_SPELLOUT, NULL, 0, "zh", NULL, &status);
    if (U_FAILURE(status))
        return NULL;
    UChar name[64];
    u_uastrncpy(name, rule_set, (int32_t)(sizeof name / sizeof name[0]));
    unum_setTextAttribute(fmt, UNUM_DEFAULT_RULESET, name, -1, &status);
    if (U_FAILURE(status)) {
        unum_close(fmt);
        return NULL;
    }
    return fmt;
}

/* Opens the formatters on first use; call with icu_lock held. */
static bool formatters_ready(void)
{
    if (compact_result)
        return true;
    UErrorCode status = U_ZERO_ERROR;
    rbnf_cardinal = open_rbnf("%spellout-cardinal");
    rbnf_year = open_rbnf("%spellout-numbering-year");
    /* ICU's default compact precision gives 1.2亿 for 123456789; the
       bulletins print two decimals (1.23亿, 123.46万), rounded 四舍五入 as
       editors expect rather than ICU's default half-even. */
    compact_short = unumf_openForSkeletonAndLocale(
        u"compact-short .## rounding-mode-half-up group-off", -1, "zh", &status);
    if (U_SUCCESS(status))
        compact_result = unumf_openResult(&status);
    if (U_FAILURE(status) || !rbnf_cardinal || !rbnf_year || !compact_result) {
        close_formatters();
        return false;
    }
    return true;
}

void wy_cjknum_cleanup(void)
{
    pthread_mutex_lock(&icu_lock);
    close_formatters();
    pthread_mutex_unlock(&icu_lock);
}

/* ---- output helpers ---- */

static void restore_length(WyBuf *out, size_t len)
{
    if (out->data && out->len > len) {
        out->len = len;
        out->data[len] = '\0';
    }
}

static bool put_uchars(WyBuf *out, const UChar *text, int32_t len)
{
    char utf8[ICU_TEXT_MAX * 3 + 1];
    int32_t utf8_len = 0;
    UErrorCode status = U_ZERO_ERROR;
    u_strToUTF8(utf8, (int32_t)sizeof utf8, &utf8_len, text, len, &status);
    if (U_FAILURE(status) || utf8_len >= (int32_t)sizeof utf8)
        return false;
    return wy_buf_append(out, utf8, (size_t)utf8_len);
}

/* Appends VALUE spelled out by the RBNF formatter FMT; icu_lock held. */
static bool put_rbnf(WyBuf *out, UNumberFormat *fmt, int64_t value)
{
    UChar text[ICU_TEXT_MAX];
    UErrorCode status = U_ZERO_ERROR;
    int32_t len = unum_formatInt64(fmt, value, text, ICU_TEXT_MAX, NULL, &status);
    if (U_FAILURE(status) || len >= ICU_TEXT_MAX)
        return false;
    return put_uchars(out, text, len);
}

/* ---- reading typed text ---- */

static bool skip_literal(const char **p, const char *literal)
{
    size_t n = strlen(literal);
    if (strncmp(*p, literal, n) != 0)
        return false;
    *p += n;
    return true;
}

static void skip_spaces(const char **p)
{
    for (;;) {
        if (**p == ' ' || **p == '\t')
            (*p)++;
        else if (!skip_literal(p, "\u3000") && !skip_literal(p, "\u00A0"))
            return;
    }
}

/* Reads one ASCII or full-width digit. */
static bool read_digit(const char **p, int *digit)
{
    const unsigned char *s = (const unsigned char *)*p;
    if (s[0] >= '0' && s[0] <= '9') {
        *digit = s[0] - '0';
        *p += 1;
        return true;
    }
    if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) { /* U+FF10..FF19 */
        *digit = s[2] - 0x90;
        *p += 3;
        return true;
    }
    return false;
}

static bool at_digit(const char *p)
{
    int digit;
    return read_digit(&p, &digit);
}

/* Reads MIN_DIGITS to MAX_DIGITS digits into VALUE. */
static bool read_number(const char **p, int min_digits, int max_digits, int *value)
{
    int count = 0, digit;
    *value = 0;
    while (count < max_digits && read_digit(p, &digit)) {
        *value = *value * 10 + digit;
        count++;
    }
    return count >= min_digits && !at_digit(*p);
}

/* ---- numbers ---- */

typedef struct Decimal {
    bool negative;
    char integer[MAX_INTEGER_DIGITS + 1];   /* no leading zeros; "" for 0 */
    size_t integer_len;
    char fraction[MAX_FRACTION_DIGITS + 1]; /* as typed, trailing zeros kept */
    size_t fraction_len;
} Decimal;

static bool read_sign(const char **p)
{
    static const char *const minus[] = {"-", "\u2212", "\uFF0D"};
    for (size_t i = 0; i < sizeof minus / sizeof minus[0]; i++)
        if (skip_literal(p, minus[i]))
            return true;
    if (!skip_literal(p, "+"))
        skip_literal(p, "\uFF0B");
    return false;
}

static bool skip_group_separator(const char **p)
{
    return skip_literal(p, ",") || skip_literal(p, "\uFF0C");
}

/* Reads the digits before the point, grouped in threes or not at all. */
static bool read_integer_part(const char **p, Decimal *d)
{
    size_t group = 0, groups = 0;
    int digit;
    for (;;) {
        if (read_digit(p, &digit)) {
            group++;
            if (d->integer_len == 0 && digit == 0)
                continue;
            if (d->integer_len == MAX_INTEGER_DIGITS)
                return false;
            d->integer[d->integer_len++] = (char)('0' + digit);
        } else if (skip_group_separator(p)) {
            if (group == 0 || group > 3 || (groups > 0 && group != 3))
                return false;
            groups++;
            group = 0;
        } else {
            break;
        }
    }
    if (group == 0 || (groups > 0 && group != 3))
        return false;
    d->integer[d->integer_len] = '\0';
    return true;
}

static bool read_fraction_part(const char **p, Decimal *d)
{
    if (!skip_literal(p, ".") && !skip_literal(p, "\uFF0E"))
        return true;
    int digit;
    while (read_digit(p, &digit)) {
        if (d->fraction_len == MAX_FRACTION_DIGITS)
            return false;
        d->fraction[d->fraction_len++] = (char)('0' + digit);
    }
    d->fraction[d->fraction_len] = '\0';
    return d->fraction_len > 0;
}

static bool is_zero(const Decimal *d)
{
    return d->integer_len == 0 && strspn(d->fraction, "0") == d->fraction_len;
}

static bool parse_decimal(const char *text, Decimal *d)
{
    memset(d, 0, sizeof *d);
    const char *p = text;
    skip_spaces(&p);
    d->negative = read_sign(&p);
    if (!read_integer_part(&p, d) || !read_fraction_part(&p, d))
        return false;
    skip_spaces(&p);
    if (*p != '\0')
        return false;
    if (is_zero(d))
        d->negative = false; /* "-0" is 0 */
    return true;
}

bool wy_cjknum_compact(const char *number, WyBuf *out)
{
    Decimal d;
    if (!number || !parse_decimal(number, &d))
        return false;
    char canonical[MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS + 4];
    snprintf(canonical, sizeof canonical, "%s%s%s%s", d.negative ? "-" : "",
             d.integer_len ? d.integer : "0", d.fraction_len ? "." : "", d.fraction);

    size_t start = out->len;
    bool ok = false;
    pthread_mutex_lock(&icu_lock);
    if (formatters_ready()) {
        UErrorCode status = U_ZERO_ERROR;
        UChar text[ICU_TEXT_MAX];
        unumf_formatDecimal(compact_short, canonical, -1, compact_result, &status);
        int32_t len = unumf_resultToString(compact_result, text, ICU_TEXT_MAX, &status);
        ok = U_SUCCESS(status) && len < ICU_TEXT_MAX && put_uchars(out, text, len);
    }
    pthread_mutex_unlock(&icu_lock);
    if (!ok)
        restore_length(out, start);
    return ok;
}

/* ---- uppercase money ---- */

static const char *const UPPER_DIGIT[10] = {"零", "壹", "贰", "叁", "肆",
                                            "伍", "陆", "柒", "捌", "玖"};
static const char *const UPPER_PLACE[4] = {"", "拾", "佰", "仟"};
static const char *const SECTION_NAME[3] = {"", "万", "亿"};

/* Writes YUAN (0 < YUAN < 10^12) in uppercase by the reading rule taught
   for Chinese numbers: a run of zeros inside the number is one 零, zeros
   closing a 万 or 亿 section are silent. Every digit keeps its 壹, so 10
   is 壹拾 (a bare 拾 invites an added digit in front). */
static bool put_upper_yuan(WyBuf *out, uint64_t yuan)
{
    int digit[12];
    for (int place = 0; place < 12; place++) {
        digit[place] = (int)(yuan % 10);
        yuan /= 10;
    }
    bool ok = true, started = false, zero_pending = false, section_used = false;
    for (int place = 11; place >= 0; place--) {
        if (digit[place] == 0) {
            zero_pending = started;
        } else {
            if (zero_pending)
                ok = ok && wy_buf_puts(out, UPPER_DIGIT[0]);
            ok = ok && wy_buf_puts(out, UPPER_DIGIT[digit[place]]) &&
                 wy_buf_puts(out, UPPER_PLACE[place % 4]);
            started = section_used = true;
            zero_pending = false;
        }
        if (place % 4 == 0 && place > 0 && section_used) {
            ok = ok && wy_buf_puts(out, SECTION_NAME[place / 4]);
            section_used = zero_pending = false;
        }
    }
    return ok;
}

/* Total in 分 from D, or false past two decimals or 9999亿…. */
static bool decimal_to_fen(const Decimal *d, uint64_t *fen)
{
    if (d->fraction_len > 2 || d->integer_len > 12)
        return false;
    uint64_t yuan = 0;
    for (size_t i = 0; i < d->integer_len; i++)
        yuan = yuan * 10 + (uint64_t)(d->integer[i] - '0');
    if (yuan > MONEY_MAX_YUAN)
        return false;
    uint64_t cents = 0;
    for (size_t i = 0; i < 2; i++)
        cents = cents * 10 + (i < d->fraction_len ? (uint64_t)(d->fraction[i] - '0') : 0);
    *fen = yuan * 100 + cents;
    return true;
}

static bool put_money(WyBuf *out, bool negative, uint64_t fen_total)
{
    uint64_t yuan = fen_total / 100;
    int jiao = (int)(fen_total / 10 % 10), fen = (int)(fen_total % 10);
    bool ok = true;
    if (negative)
        ok = wy_buf_puts(out, "负");
    if (yuan > 0)
        ok = ok && put_upper_yuan(out, yuan) && wy_buf_puts(out, "元");
    if (jiao == 0 && fen == 0)
        return ok && wy_buf_puts(out, yuan == 0 ? "零元整" : "整");
    if (jiao > 0)
        ok = ok && wy_buf_puts(out, UPPER_DIGIT[jiao]) && wy_buf_puts(out, "角");
    else if (yuan > 0)
        ok = ok && wy_buf_puts(out, "零"); /* 元零贰分: the zero 角 must show */
    if (fen > 0)
        return ok && wy_buf_puts(out, UPPER_DIGIT[fen]) && wy_buf_puts(out, "分");
    return ok && wy_buf_puts(out, "整");
}

bool wy_cjknum_money_upper(const char *amount, WyBuf *out)
{
    Decimal d;
    uint64_t fen;
    if (!amount || !parse_decimal(amount, &d) || !decimal_to_fen(&d, &fen))
        return false;
    size_t start = out->len;
    if (put_money(out, d.negative, fen))
        return true;
    restore_length(out, start);
    return false;
}

/* ---- cardinals and ordinals ---- */

/* True when VALUE (> 0) is read with a bare leading 十: 10-19 and
   10万-19万, where ICU writes 十 and 十万. */
static bool starts_with_ten(int64_t value)
{
    int place = 0;
    while (value >= 10) {
        value /= 10;
        place++;
    }
    return value == 1 && place % 4 == 1;
}

/* Appends 0 ≤ VALUE < 10^16; icu_lock held. ICU 72's zh rules are right
   below 亿 (checked against the reading rule for every value), but above
   they drop the 零 after 亿 (一亿一万 for 100010000) and name 10^12 兆,
   which the mainland reads as 10^6; so 亿 and up are joined here. */
static bool put_cardinal(WyBuf *out, int64_t value)
{
    if (value < YI)
        return put_rbnf(out, rbnf_cardinal, value);
    int64_t above = value / YI, below = value % YI;
    if (!put_rbnf(out, rbnf_cardinal, above) || !wy_buf_puts(out, "亿"))
        return false;
    if (below == 0)
        return true;
    /* A 万 section starting with zeros is read 零 (一亿零一万), and after
       零 a leading ten keeps its 一 (一亿零一十万). */
    if (below < YI / 10 && !wy_buf_puts(out, "零"))
        return false;
    if (below < YI / 10 && starts_with_ten(below) && !wy_buf_puts(out, "一"))
        return false;
    return put_rbnf(out, rbnf_cardinal, below);
}

static bool put_signed_cardinal(WyBuf *out, const char *prefix, long n)
{
    if (n <= -CARDINAL_LIMIT || n >= CARDINAL_LIMIT)
        return false;
    size_t start = out->len;
    bool ok = false;
    pthread_mutex_lock(&icu_lock);
    if (formatters_ready())
        ok = wy_buf_puts(out, prefix) && (n >= 0 || wy_buf_puts(out, "负")) &&
             put_cardinal(out, n < 0 ? -(int64_t)n : (int64_t)n);
    pthread_mutex_unlock(&icu_lock);
    if (!ok)
        restore_length(out, start);
    return ok;
}

bool wy_cjknum_cardinal(long n, WyBuf *out)
{
    return put_signed_cardinal(out, "", n);
}

bool wy_cjknum_ordinal(long n, WyBuf *out)
{
    return n >= 0 && put_signed_cardinal(out, "第", n);
}

/* ---- dates ---- */

typedef struct Date {
    int year, month, day;
} Date;

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* The three typed forms: 2023-03-21, 2023/3/21, 2023年3月21日. */
static bool parse_date(const char *text, Date *date)
{
    static const struct {
        const char *after_year, *after_month, *after_day;
    } forms[] = {{"-", "-", ""}, {"/", "/", ""}, {"年", "月", "日"}};
    const char *p = text;
    skip_spaces(&p);
    if (!read_number(&p, 4, 4, &date->year) || date->year < 1000)
        return false;
    size_t form = 0;
    while (form < sizeof forms / sizeof forms[0] && !skip_literal(&p, forms[form].after_year))
        form++;
    if (form == sizeof forms / sizeof forms[0] ||
        !read_number(&p, 1, 2, &date->month) || !skip_literal(&p, forms[form].after_month) ||
        !read_number(&p, 1, 2, &date->day) || !skip_literal(&p, forms[form].after_day))
        return false;
    skip_spaces(&p);
    return *p == '\0' && date->month >= 1 && date->month <= 12 && date->day >= 1 &&
           date->day <= days_in_month(date->year, date->month);
}

bool wy_cjknum_date(const char *text, WyBuf *out)
{
    Date date;
    if (!text || !parse_date(text, &date))
        return false;
    size_t start = out->len;
    bool ok = false;
    pthread_mutex_lock(&icu_lock);
    if (formatters_ready())
        ok = put_rbnf(out, rbnf_year, date.year) && wy_buf_puts(out, "年") &&
             put_rbnf(out, rbnf_cardinal, date.month) && wy_buf_puts(out, "月") &&
             put_rbnf(out, rbnf_cardinal, date.day) && wy_buf_puts(out, "日");
    pthread_mutex_unlock(&icu_lock);
    if (!ok)
        restore_length(out, start);
    return ok;
}

bool wy_cjknum_date_arabic(const char *text, WyBuf *out)
{
    Date date;
    if (!text || !parse_date(text, &date))
        return false;
    size_t start = out->len;
    if (wy_buf_printf(out, "%d年%d月%d日", date.year, date.month, date.day))
        return true;
    restore_length(out, start);
    return false;
}
