#include "expand/functions.h"

#include <libxml/xpathInternals.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "data/encoding.h"
#include "expand/bind.h"
#include "expand/cjknum.h"
#include "expand/names.h"

/* Integers beyond this lose digits in a double (XPath's only number). */
#define EXACT_INTEGER_LIMIT 1e15

/* ------------------------------------------------------------ arguments */

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return false;
    return true;
}

/* A number as plain digits, as a clerk would type it: 16000, not 1.6e4. */
static xmlChar *number_text(double v)
{
    char text[64];
    if (v == 0)
        v = 0; /* no "-0" */
    if (isfinite(v) && v == floor(v) && fabs(v) < EXACT_INTEGER_LIMIT)
        snprintf(text, sizeof text, "%.0f", v);
    else if (isnan(v))
        snprintf(text, sizeof text, "NaN");
    else
        snprintf(text, sizeof text, "%.15g", v);
    return xmlStrdup(BAD_CAST text);
}

/* The argument as text: a node's string value as typed in the data (so
   "1,234.50" keeps its grouping for the formatter to read), a number in
   plain digits. NULL when out of memory. */
static xmlChar *pop_text(xmlXPathParserContextPtr ctxt)
{
    xmlXPathObjectPtr arg = valuePop(ctxt);
    if (!arg)
        return NULL;
    xmlChar *text = arg->type == XPATH_NUMBER ? number_text(arg->floatval) : xmlXPathCastToString(arg);
    xmlXPathFreeObject(arg);
    return text;
}

static WyBind *binder(xmlXPathParserContextPtr ctxt)
{
    return ctxt->context->userData;
}

/* ------------------------------------------------------------ text in, text out */

typedef bool (*FormatFn)(const char *text, WyBuf *out);

/* One argument formatted by FORMAT; an empty value stays empty (a blank
   cell prints nothing), anything FORMAT refuses is an error saying the
   value should be EXPECTED. */
static void format_one(xmlXPathParserContextPtr ctxt, int nargs, const char *name, FormatFn format,
                       const char *expected)
{
    CHECK_ARITY(1);
    xmlChar *text = pop_text(ctxt);
    if (!text)
        XP_ERROR(XPATH_MEMORY_ERROR);
    WyBuf out;
    wy_buf_init(&out);
    bool ok = is_blank((const char *)text) || format((const char *)text, &out);
    if (!ok)
        wy_bind_function_error(binder(ctxt), "wy:%s() got \"%s\", which is not %s", name, (const char *)text,
                               expected);
    xmlFree(text);
    if (!ok) {
        wy_buf_release(&out);
        XP_ERROR(XPATH_EXPR_ERROR);
    }
    valuePush(ctxt, xmlXPathNewString(BAD_CAST wy_buf_str(&out)));
    wy_buf_release(&out);
}

#define DATE_EXAMPLE "a date written like 2023-03-21"

static void fn_date_cn(xmlXPathParserContextPtr ctxt, int nargs)
{
    format_one(ctxt, nargs, "date-cn", wy_date_cn, DATE_EXAMPLE);
}

static void fn_date_cn_numeral(xmlXPathParserContextPtr ctxt, int nargs)
{
    format_one(ctxt, nargs, "date-cn-numeral", wy_cjknum_date, DATE_EXAMPLE);
}

static void fn_compact(xmlXPathParserContextPtr ctxt, int nargs)
{
    format_one(ctxt, nargs, "compact", wy_cjknum_compact, "a number such as 16000 or 1,234.5");
}

static void fn_money_upper(xmlXPathParserContextPtr ctxt, int nargs)
{
    format_one(ctxt, nargs, "money-upper", wy_cjknum_money_upper,
               "an amount in yuan under 10^12 with at most two decimals, such as 12300 or 1,234.50");
}

/* ------------------------------------------------------------ whole numbers */

typedef bool (*IntegerFn)(long n, WyBuf *out);

static void integer_one(xmlXPathParserContextPtr ctxt, int nargs, const char *name, IntegerFn format,
                        bool allow_negative)
{
    CHECK_ARITY(1);
    xmlChar *text = pop_text(ctxt);
    if (!text)
        XP_ERROR(XPATH_MEMORY_ERROR);
    if (is_blank((const char *)text)) {
        xmlFree(text);
        valuePush(ctxt, xmlXPathNewCString(""));
        return;
    }
    double v = xmlXPathCastStringToNumber(text);
    WyBuf out;
    wy_buf_init(&out);
    bool ok = isfinite(v) && v == floor(v) && fabs(v) < EXACT_INTEGER_LIMIT && (allow_negative || v >= 0) &&
              format((long)v, &out);
    if (!ok)
        wy_bind_function_error(binder(ctxt), "wy:%s() got \"%s\", which is not a whole number%s", name,
                               (const char *)text, allow_negative ? "" : " of 0 or more");
    xmlFree(text);
    if (!ok) {
        wy_buf_release(&out);
        XP_ERROR(XPATH_EXPR_ERROR);
    }
    valuePush(ctxt, xmlXPathNewString(BAD_CAST wy_buf_str(&out)));
    wy_buf_release(&out);
}

static void fn_cardinal(xmlXPathParserContextPtr ctxt, int nargs)
{
    integer_one(ctxt, nargs, "cardinal", wy_cjknum_cardinal, true);
}

static void fn_ordinal(xmlXPathParserContextPtr ctxt, int nargs)
{
    integer_one(ctxt, nargs, "ordinal", wy_cjknum_ordinal, false);
}

/* ------------------------------------------------------------ names */

static bool is_padding(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x3000;
}

/* The stroke count of the name's first character: the one 姓氏笔画 order
   groups by (a compound surname sorts by its first character, so 欧阳
   stands among the 8-stroke 欧). */
static void fn_strokes(xmlXPathParserContextPtr ctxt, int nargs)
{
    CHECK_ARITY(1);
    xmlChar *text = pop_text(ctxt);
    if (!text)
        XP_ERROR(XPATH_MEMORY_ERROR);
    const char *s = (const char *)text;
    size_t len = strlen(s);
    unsigned cp = 0;
    while (len > 0) {
        size_t n = wy_utf8_decode(s, len, &cp);
        if (!is_padding(cp))
            break;
        s += n;
        len -= n;
        cp = 0;
    }
    int count = 0;
    bool ok = cp != 0 && wy_names_strokes(cp, &count, NULL, 0);
    if (!ok && cp == 0)
        wy_bind_function_error(binder(ctxt), "wy:strokes() got an empty name");
    else if (!ok)
        wy_bind_function_error(binder(ctxt), "wy:strokes() got \"%s\", whose first character has no stroke count "
                                             "(it is not a Chinese character)", (const char *)text);
    xmlFree(text);
    if (!ok)
        XP_ERROR(XPATH_EXPR_ERROR);
    valuePush(ctxt, xmlXPathNewFloat(count));
}

/* ------------------------------------------------------------ registry */

typedef struct Function {
    const char *name;
    xmlXPathFunction fn;
} Function;

static const Function functions[] = {
    {"date-cn", fn_date_cn},         {"date-cn-numeral", fn_date_cn_numeral},
    {"compact", fn_compact},         {"money-upper", fn_money_upper},
    {"cardinal", fn_cardinal},       {"ordinal", fn_ordinal},
    {"strokes", fn_strokes},
};

bool wy_functions_known(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        if (strlen(functions[i].name) == len && memcmp(functions[i].name, name, len) == 0)
            return true;
    return false;
}

const char *wy_functions_names(void)
{
    return "wy:date-cn(), wy:date-cn-numeral(), wy:compact(), wy:money-upper(), wy:cardinal(), wy:ordinal() "
           "and wy:strokes()";
}

void wy_functions_register(xmlXPathContextPtr ctx)
{
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++)
        xmlXPathRegisterFuncNS(ctx, BAD_CAST functions[i].name, BAD_CAST WY_FUNCTIONS_NS, functions[i].fn);
}
