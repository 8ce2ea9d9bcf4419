#include "expand/units.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "base/uchar.h"
#include "expand/template.h"

#define PT_PER_INCH 72.0
#define PT_PER_CM (10.0 * WY_PT_PER_MM)
#define MAX_LENGTH_PT 14400.0    /* 5 m: anything longer is a typo */

/* ------------------------------------------------------------ numbers */

/* Parses an unsigned decimal "12", "10.5", ".5" at *P (locale-free, unlike
   strtod). Advances *P; returns false when no digit is there. */
static bool parse_decimal(const char **p, double *out)
{
    const char *s = *p;
    double v = 0;
    bool digits = false;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s - '0');
        s++;
        digits = true;
        if (v > 1e9)
            return false;
    }
    if (*s == '.') {
        s++;
        double scale = 0.1;
        while (*s >= '0' && *s <= '9') {
            v += (*s - '0') * scale;
            scale /= 10;
            s++;
            digits = true;
        }
    }
    if (!digits)
        return false;
    *p = s;
    *out = v;
    return true;
}

static const char *skip_spaces(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

/* ------------------------------------------------------------ 号 sizes */

typedef struct HaoSize {
    const char *digit; /* 初 一 二 … 八 */
    double size_pt;
    double small_pt;   /* 小X, 0 when there is none */
} HaoSize;

/* CJK.md §7 */
static const HaoSize hao_sizes[] = {
    {"初", 42, 36}, {"一", 26, 24}, {"二", 22, 18},  {"三", 16, 15},
    {"四", 14, 12}, {"五", 10.5, 9}, {"六", 7.5, 6.5}, {"七", 5.5, 0},
    {"八", 5, 0},
};

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

double wy_hao_size_pt(const char *text)
{
    const char *s = skip_spaces(text);
    bool small = starts_with(s, "小");
    if (small)
        s += strlen("小");
    for (size_t i = 0; i < sizeof hao_sizes / sizeof hao_sizes[0]; i++) {
        const HaoSize *h = &hao_sizes[i];
        if (!starts_with(s, h->digit))
            continue;
        const char *rest = s + strlen(h->digit);
        bool has_hao = starts_with(rest, "号");
        if (has_hao)
            rest += strlen("号");
        /* a bare 三 is a numeral, not a size: it needs 号 or 小 */
        if ((!has_hao && !small) || *skip_spaces(rest) != '\0')
            return 0;
        return small ? h->small_pt : h->size_pt;
    }
    return 0;
}

/* ------------------------------------------------------------ lengths */

static bool unit_is(const char *s, size_t len, const char *unit)
{
    return strlen(unit) == len && memcmp(s, unit, len) == 0;
}

bool wy_len_parse(const char *text, unsigned allow, WyLen *out)
{
    if (!text)
        return false;
    double hao = wy_hao_size_pt(text);
    if (hao > 0) {
        out->value = hao;
        out->unit = WY_LEN_PT;
        return true;
    }
    const char *s = skip_spaces(text);
    bool negative = false;
    if (*s == '-' && (allow & WY_LEN_ALLOW_NEGATIVE)) {
        negative = true;
        s++;
    } else if (*s == '+') {
        s++;
    }
    double v;
    if (!parse_decimal(&s, &v))
        return false;
    s = skip_spaces(s);
    size_t unit_len = strlen(s);
    while (unit_len && (s[unit_len - 1] == ' ' || s[unit_len - 1] == '\t' || s[unit_len - 1] == '\n' ||
                        s[unit_len - 1] == '\r'))
        unit_len--;
    WyLen len = {v, WY_LEN_PT};
    if (unit_is(s, unit_len, "pt"))
        len.value = v;
    else if (unit_is(s, unit_len, "mm"))
        len.value = v * WY_PT_PER_MM;
    else if (unit_is(s, unit_len, "cm"))
        len.value = v * PT_PER_CM;
    else if (unit_is(s, unit_len, "in"))
        len.value = v * PT_PER_INCH;
    else if (unit_is(s, unit_len, "em"))
        len.unit = WY_LEN_EM;
    else if (unit_is(s, unit_len, "%") && (allow & WY_LEN_ALLOW_PERCENT))
        len.unit = WY_LEN_PERCENT;
    else if (unit_len == 0 && (allow & WY_LEN_ALLOW_FACTOR))
        len.unit = WY_LEN_FACTOR;
    else if (unit_len == 0 && v == 0)
        len.value = 0; /* "0" needs no unit */
    else
        return false;
    if (len.unit == WY_LEN_PT && len.value > MAX_LENGTH_PT)
        return false;
    if ((len.unit == WY_LEN_EM || len.unit == WY_LEN_FACTOR) && len.value > 1000)
        return false;
    if (negative)
        len.value = -len.value;
    *out = len;
    return true;
}

double wy_len_resolve(WyLen len, double em_pt, double whole_pt)
{
    switch (len.unit) {
    case WY_LEN_PT:
        return len.value;
    case WY_LEN_EM:
    case WY_LEN_FACTOR:
        return len.value * em_pt;
    case WY_LEN_PERCENT:
        return len.value / 100.0 * whole_pt;
    }
    return len.value;
}

bool wy_length_parse(const char *text, double em_pt, double *out_pt)
{
    WyLen len;
    if (!wy_len_parse(text, WY_LEN_ALLOW_NEGATIVE, &len))
        return false;
    *out_pt = wy_len_resolve(len, em_pt, 0);
    return true;
}

void wy_len_explain(const char *value, unsigned allow, WyBuf *why)
{
    wy_buf_printf(why, "\"%s\" is not a %s; write ", value,
                  (allow & WY_LEN_ALLOW_FACTOR) ? "line height" : "length");
    if (allow & WY_LEN_ALLOW_FACTOR)
        wy_buf_puts(why, "a factor such as 1.5, or ");
    wy_buf_puts(why, "a length such as 16pt, 5mm, 2em or a size such as 三号 or 小四");
    if (allow & WY_LEN_ALLOW_PERCENT)
        wy_buf_puts(why, ", or a share of the line such as 50%");
}

bool wy_lengths4_parse(const char *text, double em_pt, double out_pt[4])
{
    double v[4];
    int n = 0;
    const char *s = skip_spaces(text);
    while (*s) {
        if (n == 4)
            return false;
        const char *end = s;
        while (*end && *end != ' ' && *end != '\t' && *end != '\n' && *end != '\r')
            end++;
        char *word = wy_xstrndup(s, (size_t)(end - s));
        WyLen len;
        bool ok = wy_len_parse(word, 0, &len);
        free(word);
        if (!ok)
            return false;
        v[n++] = wy_len_resolve(len, em_pt, 0);
        s = skip_spaces(end);
    }
    switch (n) {
    case 1:
        out_pt[0] = out_pt[1] = out_pt[2] = out_pt[3] = v[0];
        return true;
    case 2:
        out_pt[0] = out_pt[2] = v[0];
        out_pt[1] = out_pt[3] = v[1];
        return true;
    case 3:
        out_pt[0] = v[0];
        out_pt[1] = out_pt[3] = v[1];
        out_pt[2] = v[2];
        return true;
    case 4:
        memcpy(out_pt, v, sizeof v);
        return true;
    default:
        return false;
    }
}

typedef struct PaperSize {
    const char *name;
    double width_mm, height_mm;
} PaperSize;

/* ISO 216 / GB/T 148 (B5 is ISO B5, the Chinese 16开 bulletin size's cousin) */
static const PaperSize paper_sizes[] = {
    {"A3", 297, 420}, {"A4", 210, 297}, {"A5", 148, 210}, {"B5", 176, 250}, {"B4", 250, 353},
};

bool wy_page_size_parse(const char *text, double *width_pt, double *height_pt)
{
    const char *s = skip_spaces(text);
    for (size_t i = 0; i < sizeof paper_sizes / sizeof paper_sizes[0]; i++) {
        size_t n = strlen(paper_sizes[i].name);
        if (strncasecmp(s, paper_sizes[i].name, n) == 0 && *skip_spaces(s + n) == '\0') {
            *width_pt = paper_sizes[i].width_mm * WY_PT_PER_MM;
            *height_pt = paper_sizes[i].height_mm * WY_PT_PER_MM;
            return true;
        }
    }
    /* WIDTH x HEIGHT, each with its unit */
    const char *x = strstr(s, "×");
    size_t sep_len = strlen("×");
    if (!x) {
        x = strchr(s, 'x');
        sep_len = 1;
    }
    if (!x)
        return false;
    char *w_text = wy_xstrndup(s, (size_t)(x - s));
    WyLen w, h;
    bool ok = wy_len_parse(w_text, 0, &w) && wy_len_parse(x + sep_len, 0, &h) &&
              w.unit == WY_LEN_PT && h.unit == WY_LEN_PT && w.value >= 72 && h.value >= 72;
    free(w_text);
    if (!ok)
        return false;
    *width_pt = w.value;
    *height_pt = h.value;
    return true;
}

/* ------------------------------------------------------------ colours */

typedef struct NamedColor {
    const char *name;
    WyColor rgb;
} NamedColor;

static const NamedColor named_colors[] = {
    {"black", 0x000000},     {"white", 0xFFFFFF},     {"red", 0xE60012}, /* 红头文件 red */
    {"darkred", 0xA50010},   {"lightred", 0xFDECEC},  {"gray", 0x808080},
    {"grey", 0x808080},      {"darkgray", 0x404040},  {"lightgray", 0xD9D9D9},
    {"silver", 0xC0C0C0},    {"blue", 0x1F4E9B},      {"navy", 0x14275A},
    {"green", 0x2E7D32},     {"gold", 0xC9A227},
};

bool wy_color_parse(const char *text, WyColor *out)
{
    if (!text)
        return false;
    const char *s = skip_spaces(text);
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (s[0] == '#' && (len == 7 || len == 4)) {
        WyColor c = 0;
        for (size_t i = 1; i < len; i++) {
            int d = wy_uchar_hex_value(s[i]);
            if (d < 0)
                return false;
            c = (c << 4) | (WyColor)d;
            if (len == 4)
                c = (c << 4) | (WyColor)d; /* #RGB = #RRGGBB */
        }
        *out = c;
        return true;
    }
    for (size_t i = 0; i < sizeof named_colors / sizeof named_colors[0]; i++) {
        if (strlen(named_colors[i].name) == len && strncasecmp(s, named_colors[i].name, len) == 0) {
            *out = named_colors[i].rgb;
            return true;
        }
    }
    return false;
}

bool wy_border_parse(const char *text, double em_pt, WyBorder *out, WyBuf *why)
{
    const char *s = skip_spaces(text);
    if (strcmp(s, "none") == 0 || strcmp(s, "0") == 0) {
        out->width_pt = 0;
        out->color = WY_COLOR_BLACK;
        return true;
    }
    const char *end = s;
    while (*end && *end != ' ' && *end != '\t')
        end++;
    char *width = wy_xstrndup(s, (size_t)(end - s));
    WyLen len;
    bool ok = wy_len_parse(width, 0, &len) && len.unit != WY_LEN_PERCENT;
    if (!ok)
        wy_buf_printf(why, "\"%s\" is not a border; write a thickness and a colour such as \"0.5pt gray\", or none", text);
    free(width);
    if (!ok)
        return false;
    WyColor color = WY_COLOR_BLACK;
    const char *rest = skip_spaces(end);
    if (*rest && !wy_color_parse(rest, &color)) {
        wy_buf_printf(why, "\"%s\" is not a colour; write #RRGGBB or a name such as red, black, gray", rest);
        return false;
    }
    out->width_pt = wy_len_resolve(len, em_pt, 0);
    out->color = color;
    return true;
}
