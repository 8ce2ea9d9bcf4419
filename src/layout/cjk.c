#include "layout/cjk.h"

#include <string.h>

#include "base/mem.h"

/* The punctuation lists of CJK.md §1–§2 (GB/T 15834, clreq). */
static const gunichar OPENING[] = {0xFF08 /* （ */, 0xFF3B /* ［ */, 0xFF5B /* ｛ */, 0x3014 /* 〔 */,
                                   0x3016 /* 〖 */, 0x3010 /* 【 */, 0x3008 /* 〈 */, 0x300A /* 《 */,
                                   0x300C /* 「 */, 0x300E /* 『 */, 0x201C /* “ */, 0x2018 /* ‘ */,
                                   0x3018 /* 〘 */, 0x301A /* 〚 */, 0x301D /* 〝 */};
static const gunichar CLOSING[] = {0xFF09 /* ） */, 0xFF3D /* ］ */, 0xFF5D /* ｝ */, 0x3015 /* 〕 */,
                                   0x3017 /* 〗 */, 0x3011 /* 】 */, 0x3009 /* 〉 */, 0x300B /* 》 */,
                                   0x300D /* 」 */, 0x300F /* 』 */, 0x201D /* ” */, 0x2019 /* ’ */,
                                   0x3019 /* 〙 */, 0x301B /* 〛 */, 0x301E /* 〞 */, 0x301F /* 〟 */};
static const gunichar STOPS[] = {0x3001 /* 、 */, 0xFF0C /* ， */, 0x3002 /* 。 */, 0xFF0E /* ． */,
                                 0xFF1A /* ： */, 0xFF1B /* ； */, 0xFF01 /* ！ */, 0xFF1F /* ？ */};
static const gunichar MIDDLES[] = {0x00B7 /* · */, 0x30FB /* ・ */, 0xFF5E /* ～ */, 0xFF0F /* ／ */,
                                   0x2027 /* ‧ */};
static const gunichar DASHES[] = {0x2014 /* — */, 0x2026 /* … */, 0x2E3A /* ⸺ */, 0x2E3B /* ⸻ */,
                                  0x22EF /* ⋯ */};

/* Units a number is never separated from (GB/T 15835: 2023年, 1.6万元,
   90%, 18.8名): time, magnitudes, money and the measure words of the
   civil-affairs reports. */
static const char UNITS[] = "年月日时分秒周天岁万亿千百元角名个人位户家次项件场所座处条台辆间张本册份篇期届批"
                            "支队类种组对套倍米里斤吨亩克升度号层栋余多%‰℃％";
/* Currency signs stay with the number after them. */
static const gunichar CURRENCY[] = {0x00A5 /* ¥ */, 0xFFE5 /* ￥ */, '$', 0xFF04 /* ＄ */, 0x20AC /* € */,
                                    0x00A3 /* £ */};
/* Marks pango's UAX #14 breaks before although they must not start a line. */
static const gunichar GLUED_MARKS[] = {0x00B7 /* · */, 0xFF5E /* ～ */, 0xFF0F /* ／ */, 0x30FB /* ・ */};

#define MAX_UNIT_CHAIN 3

static bool in_list(gunichar c, const gunichar *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == c)
            return true;
    return false;
}

#define IN(c, list) in_list((c), (list), sizeof(list) / sizeof(list)[0])

static bool in_utf8_set(gunichar c, const char *set)
{
    for (const char *p = set; *p; p = g_utf8_next_char(p))
        if (g_utf8_get_char(p) == c)
            return true;
    return false;
}

static bool is_ideograph(gunichar c)
{
    switch (g_unichar_get_script(c)) {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_BOPOMOFO:
    case G_UNICODE_SCRIPT_HANGUL:
        return g_unichar_isalpha(c) || g_unichar_type(c) == G_UNICODE_LETTER_NUMBER ||
               g_unichar_type(c) == G_UNICODE_MODIFIER_LETTER;
    default:
        return false;
    }
}

/* Full-width forms (Ａ１) are set like ideographs, one em each. */
static bool is_fullwidth_form(gunichar c)
{
    return c >= 0xFF00 && c <= 0xFFEF;
}

static bool is_latin(gunichar c)
{
    if (c == '%' || c == 0x2030 /* ‰ */)
        return true;
    return g_unichar_isalnum(c) && !is_ideograph(c) && !is_fullwidth_form(c);
}

WyCjkClass wy_cjk_class(gunichar c)
{
    if (c < 0x80) {
        if (c == ' ')
            return WY_CJK_SPACE;
        return is_latin(c) ? WY_CJK_LATIN : WY_CJK_OTHER;
    }
    /* the common case first: the CJK Unified Ideographs and Extension A */
    if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF))
        return WY_CJK_IDEOGRAPH;
    if (c >= 0x2000 && c <= 0xFF5E) {
        if (IN(c, STOPS))
            return WY_CJK_STOP;
        if (IN(c, OPENING))
            return WY_CJK_OPENING;
        if (IN(c, CLOSING))
            return WY_CJK_CLOSING;
        if (IN(c, MIDDLES))
            return WY_CJK_MIDDLE;
        if (IN(c, DASHES))
            return WY_CJK_DASH;
    }
    if (c == 0x00B7)
        return WY_CJK_MIDDLE;
    if (g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR)
        return WY_CJK_SPACE;
    if (is_ideograph(c))
        return WY_CJK_IDEOGRAPH;
    return is_latin(c) ? WY_CJK_LATIN : WY_CJK_OTHER;
}

bool wy_cjk_no_start(gunichar c)
{
    return IN(c, STOPS) || IN(c, CLOSING) || c == 0x2013 /* – */ || c == 0x2026 /* … */ || c == 0x22EF /* ⋯ */ ||
           c == 0xFF5E /* ～ */ || c == 0x00B7 /* · */ || c == 0x30FB /* ・ */ || c == 0xFF0F /* ／ */;
}

bool wy_cjk_no_end(gunichar c)
{
    return IN(c, OPENING);
}

bool wy_cjk_is_punct(gunichar c)
{
    WyCjkClass cls = wy_cjk_class(c);
    return cls >= WY_CJK_OPENING;
}

bool wy_cjk_is_unit(gunichar c)
{
    return in_utf8_set(c, UNITS);
}

static bool is_digit(gunichar c)
{
    return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static bool is_number_separator(gunichar c)
{
    return c == '.' || c == ',' || c == ':' || c == 0xFF0E /* ． */;
}

bool wy_cjk_blank_right(unsigned cls)
{
    return cls == WY_CJK_CLOSING || cls == WY_CJK_STOP;
}

static bool compressible(uint8_t cls)
{
    return cls == WY_CJK_OPENING || wy_cjk_blank_right(cls);
}

/* Keeps a number starting at I whole (full-width digits too, which pango
   breaks between) and with its unit and currency sign. Returns the index
   after the number and its unit, or I + 1 when no number starts there. */
static size_t glue_number(WyCjkChar *c, size_t n, size_t i)
{
    if (!is_digit(c[i].ch))
        return i + 1;
    if (i > 0 && IN(c[i - 1].ch, CURRENCY))
        c[i].flags |= WY_CJK_GLUE;
    size_t j = i + 1;
    while (j < n && (is_digit(c[j].ch) || (is_number_separator(c[j].ch) && j + 1 < n && is_digit(c[j + 1].ch))))
        c[j++].flags |= WY_CJK_GLUE;
    for (int k = 0; k < MAX_UNIT_CHAIN && j < n && wy_cjk_is_unit(c[j].ch); k++)
        c[j++].flags |= WY_CJK_GLUE;
    return j;
}

/* CJK.md §2: of two adjacent marks, the one whose blank half faces the
   other is set half width, so 。」 and ），and 《「 take 1.5 em. A blank
   half facing a typed space is dropped too: the space already separates
   (the ’ in “推进‘五社联动’ 关爱…”). */
static void compress_pairs(WyCjkChar *c, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        uint8_t a = c[i].cls, b = c[i + 1].cls;
        if (wy_cjk_blank_right(a) && (compressible(b) || b == WY_CJK_SPACE))
            c[i].flags |= WY_CJK_HALT;
        else if (b == WY_CJK_OPENING && (a == WY_CJK_OPENING || a == WY_CJK_SPACE))
            c[i + 1].flags |= WY_CJK_HALT;
    }
}

static bool is_quote(gunichar c, bool opening)
{
    return opening ? c == 0x201C || c == 0x2018 : c == 0x201D || c == 0x2019;
}

/* UAX #14 as pango 1.50 has it (before Unicode 15.1's LB19a) never breaks
   beside a quotation mark, so 合“五 and 动”资 stay together and the line
   before them comes out loose. In Chinese a quotation mark is a bracket:
   a line may break before “ and after ” when the other side is Chinese. */
static void free_quotes(WyCjkChar *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && is_quote(c[i].ch, true) &&
            (c[i - 1].cls == WY_CJK_IDEOGRAPH || c[i - 1].cls == WY_CJK_STOP || c[i - 1].cls == WY_CJK_CLOSING))
            c[i].flags |= WY_CJK_BREAK;
        if (i + 1 < n && is_quote(c[i].ch, false) &&
            (c[i + 1].cls == WY_CJK_IDEOGRAPH || c[i + 1].cls == WY_CJK_OPENING))
            c[i + 1].flags |= WY_CJK_BREAK;
    }
}

void wy_cjk_analyse(const char *text, size_t len, WyPunctuation mode, bool chinese, WyCjkText *out)
{
    size_t n = (size_t)g_utf8_strlen(text, (gssize)len);
    out->n_chars = n;
    out->chars = n ? wy_xcalloc(n, sizeof *out->chars) : NULL;
    WyCjkChar *c = out->chars;
    const char *p = text;
    for (size_t i = 0; i < n; i++, p = g_utf8_next_char(p)) {
        c[i].byte = (uint32_t)(p - text);
        c[i].ch = g_utf8_get_char(p);
        c[i].cls = (uint8_t)wy_cjk_class(c[i].ch);
    }
    for (size_t i = 0; i < n;) {
        if (i > 0 && IN(c[i].ch, GLUED_MARKS))
            c[i].flags |= WY_CJK_GLUE;
        i = glue_number(c, n, i);
    }
    if (!chinese)
        return;
    free_quotes(c, n);
    if (mode == WY_PUNCT_COMPRESSED)
        compress_pairs(c, n);
    for (size_t i = 0; i < n; i++) {
        if (mode == WY_PUNCT_HALF_WIDTH && compressible(c[i].cls))
            c[i].flags |= WY_CJK_HALT;
        /* Noto CJK's em dash is 0.89 em and its —— ligature 1.69 em;
           Chinese sets each dash a full em. */
        if (c[i].ch == 0x2014 || c[i].ch == 0x2E3A || c[i].ch == 0x2E3B)
            c[i].flags |= WY_CJK_FWID;
        if (i + 1 < n && c[i].cls == WY_CJK_IDEOGRAPH && c[i + 1].cls == WY_CJK_LATIN)
            c[i].flags |= WY_CJK_GAP_AFTER;
        if (i > 0 && c[i].cls == WY_CJK_IDEOGRAPH && c[i - 1].cls == WY_CJK_LATIN)
            c[i].flags |= WY_CJK_GAP_BEFORE;
    }
}

void wy_cjk_text_release(WyCjkText *t)
{
    free(t->chars);
    memset(t, 0, sizeof *t);
}

const WyCjkChar *wy_cjk_text_at(const WyCjkText *t, size_t byte)
{
    size_t lo = 0, hi = t->n_chars;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->chars[mid].byte < byte)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n_chars && t->chars[lo].byte == byte ? &t->chars[lo] : NULL;
}

const WyCjkChar *wy_cjk_text_from(const WyCjkText *t, size_t *cursor, size_t byte)
{
    size_t i = *cursor;
    if (i >= t->n_chars || t->chars[i].byte > byte) {
        const WyCjkChar *c = wy_cjk_text_at(t, byte);
        if (c)
            *cursor = (size_t)(c - t->chars);
        return c;
    }
    while (i < t->n_chars && t->chars[i].byte < byte)
        i++;
    *cursor = i;
    return i < t->n_chars && t->chars[i].byte == byte ? &t->chars[i] : NULL;
}

size_t wy_cjk_visible_chars(const WyCjkText *t, size_t start, size_t end)
{
    const WyCjkChar *c = wy_cjk_text_at(t, start);
    size_t count = 0;
    for (; c && c < t->chars + t->n_chars && c->byte < end; c++)
        if (c->cls != WY_CJK_SPACE && c->cls != WY_CJK_OPENING && !wy_cjk_no_start(c->ch) &&
            g_unichar_type(c->ch) != G_UNICODE_FORMAT && c->ch != '\n')
            count++;
    return count;
}

static bool western(unsigned cls)
{
    return cls == WY_CJK_LATIN || cls == WY_CJK_OTHER;
}

bool wy_cjk_stretchable(const WyCjkChar *a, const WyCjkChar *b, bool chinese)
{
    if (!a || !b || b->cls == WY_CJK_SPACE)
        return false;
    if (a->cls == WY_CJK_SPACE)
        return true;
    if (!chinese || (western(a->cls) && western(b->cls)))
        return false;
    if (a->cls == WY_CJK_DASH && a->ch == b->ch)
        return false;
    if (a->cls == WY_CJK_OPENING || wy_cjk_blank_right(b->cls))
        return false;
    return !wy_cjk_no_start(b->ch) || b->cls == WY_CJK_MIDDLE;
}

/* Fills the slots of TIER up to their capacities, in proportion to them
   when SLACK is short. Returns the slack left. */
static int fill_tier(int slack, WyCjkSlot *slots, size_t n, WyCjkTier tier)
{
    long long total = 0;
    for (size_t i = 0; i < n; i++)
        if (slots[i].tier == tier && slots[i].capacity > 0)
            total += slots[i].capacity;
    if (total == 0)
        return slack;
    if (slack >= total) {
        for (size_t i = 0; i < n; i++)
            if (slots[i].tier == tier && slots[i].capacity > 0)
                slots[i].amount = slots[i].capacity;
        return slack - (int)total;
    }
    int given = 0;
    for (size_t i = 0; i < n; i++) {
        if (slots[i].tier != tier || slots[i].capacity <= 0)
            continue;
        slots[i].amount = (int)((long long)slots[i].capacity * slack / total);
        given += slots[i].amount;
    }
    for (size_t i = 0; i < n && given < slack; i++) {
        if (slots[i].tier == tier && slots[i].amount < slots[i].capacity) {
            slots[i].amount++;
            given++;
        }
    }
    return 0;
}

int wy_cjk_share(int slack, WyCjkSlot *slots, size_t n_slots)
{
    for (size_t i = 0; i < n_slots; i++)
        slots[i].amount = 0;
    if (slack <= 0)
        return slack;
    slack = fill_tier(slack, slots, n_slots, WY_CJK_TIER_COMPRESSION);
    slack = fill_tier(slack, slots, n_slots, WY_CJK_TIER_GAP);
    if (slack == 0)
        return 0;
    size_t even = 0;
    for (size_t i = 0; i < n_slots; i++)
        even += slots[i].tier == WY_CJK_TIER_EVEN;
    if (even == 0)
        return slack;
    int each = slack / (int)even, rest = slack % (int)even;
    for (size_t i = 0; i < n_slots; i++) {
        if (slots[i].tier != WY_CJK_TIER_EVEN)
            continue;
        slots[i].amount = each + (rest > 0);
        rest -= rest > 0;
    }
    return 0;
}
