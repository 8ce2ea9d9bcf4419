/* The Chinese typesetting rules pango lacks (CJK.md §1–§4): character
   classes, the line-break prohibitions wenyin adds, where punctuation is
   compressed, where ¼ em goes between Han and Latin text, and in which
   order a justified line's slack is shared out. Pure: it reads text and
   returns decisions per character; layout/para applies them to pango. */
#ifndef WY_CJK_H
#define WY_CJK_H
#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expand/box.h"

/* What a character is to the spacing rules. */
typedef enum WyCjkClass {
    WY_CJK_OTHER,      /* Latin punctuation, symbols, marks, controls */
    WY_CJK_IDEOGRAPH,  /* Han, kana, bopomofo, Hangul: one em, spaced only by justification */
    WY_CJK_LATIN,      /* letters and digits of alphabetic scripts, and % ‰ (not the full-width forms) */
    WY_CJK_SPACE,      /* U+0020, U+00A0, U+3000 and other spaces */
    WY_CJK_OPENING,    /* （［｛〔〖【〈《「『“‘: glyph on the right, blank half on the left */
    WY_CJK_CLOSING,    /* ）］｝〕〗】〉》」』”’: glyph on the left, blank half on the right */
    WY_CJK_STOP,       /* 、，。．：；！？: blank half on the right in the mainland forms */
    WY_CJK_MIDDLE,     /* · ・ ～ ／: never compressed */
    WY_CJK_DASH,       /* — … ⸺ ⸻: two em in pairs, never split */
} WyCjkClass;

WyCjkClass wy_cjk_class(gunichar c);
/* Characters that must not begin a line (CJK.md §1, plus ／). */
bool wy_cjk_no_start(gunichar c);
/* Characters that must not end a line: the opening marks. */
bool wy_cjk_no_end(gunichar c);
/* Full-width and CJK punctuation: the marks of WY_CJK_OPENING … WY_CJK_DASH. */
bool wy_cjk_is_punct(gunichar c);
/* Characters a number stays with: 年 月 日 万 元 名 个 人 … and % ‰ ℃ ％. */
bool wy_cjk_is_unit(gunichar c);

/* Decisions about one character of a paragraph. */
typedef enum WyCjkFlags {
    WY_CJK_HALT = 1 << 0,       /* set half width before breaking (OpenType halt) */
    WY_CJK_FWID = 1 << 1,       /* full-width form (OpenType fwid): —— is two em */
    WY_CJK_GAP_BEFORE = 1 << 2, /* an ideograph with a Latin letter or digit just before it */
    WY_CJK_GAP_AFTER = 1 << 3,  /* an ideograph with a Latin letter or digit just after it */
    WY_CJK_GLUE = 1 << 4,       /* no line break before this character */
    WY_CJK_BREAK = 1 << 5,      /* a line may break before this character, which pango 1.50 forbids */
} WyCjkFlags;

typedef struct WyCjkChar {
    uint32_t byte;  /* offset in the analysed text */
    gunichar ch;
    uint8_t cls;    /* WyCjkClass */
    uint8_t flags;  /* WyCjkFlags */
} WyCjkChar;

typedef struct WyCjkText {
    WyCjkChar *chars; /* one per character, in text order */
    size_t n_chars;
} WyCjkText;

/* Analyses TEXT (LEN bytes of valid UTF-8) for a paragraph in punctuation
   style MODE. CHINESE false (a Latin-script paragraph) keeps only the
   break rules: no compression, no Han–Latin gaps. Fills OUT, released with
   wy_cjk_text_release; never fails. */
void wy_cjk_analyse(const char *text, size_t len, WyPunctuation mode, bool chinese, WyCjkText *out);
void wy_cjk_text_release(WyCjkText *t);
/* The character starting at byte BYTE of the analysed text, or NULL when
   no character starts there. Borrowed from T. */
const WyCjkChar *wy_cjk_text_at(const WyCjkText *t, size_t byte);

/* The character at BYTE, looked for from index *CURSOR on (a line's
   clusters come in text order), and *CURSOR moved to it; NULL when no
   character starts there. Start with *CURSOR = t->n_chars. */
const WyCjkChar *wy_cjk_text_from(const WyCjkText *t, size_t *cursor, size_t byte);
/* The characters of T in bytes [START, END) that count as text on a line:
   not spaces, opening marks, marks that cannot start a line, nor invisible
   ones. A paragraph's last line must hold two (孤字, CJK.md §4). */
size_t wy_cjk_visible_chars(const WyCjkText *t, size_t start, size_t end);

/* The byte just after character I of T, whose text is TEXT_LEN bytes. */
static inline size_t wy_cjk_char_end(const WyCjkText *t, size_t i, size_t text_len)
{
    return i + 1 < t->n_chars ? t->chars[i + 1].byte : text_len;
}

/* Closing marks and stops: the blank half of the glyph is on the right. */
bool wy_cjk_blank_right(unsigned cls);
/* May justification widen the space between A and the next character B
   (CJK.md §4)? Never inside a Latin word or a dash pair, nor between a
   mark and the text it belongs to; a space takes the share of both its
   sides. In a Latin paragraph (CHINESE false) only spaces widen. */
bool wy_cjk_stretchable(const WyCjkChar *a, const WyCjkChar *b, bool chinese);

/* Justification (CJK.md §4): what takes up a line's slack, in this order.
   A line too long is brought back by the punctuation's blank halves, then
   the gaps; a line too short is filled by the gaps, then evenly. */
typedef enum WyCjkTier {
    WY_CJK_TIER_COMPRESSION, /* the blank half of a full-width mark */
    WY_CJK_TIER_GAP,         /* a Han–Latin gap or a space */
    WY_CJK_TIER_EVEN,        /* between two characters, evenly, without limit */
} WyCjkTier;

typedef struct WyCjkSlot {
    WyCjkTier tier;
    int capacity; /* most this slot takes, in pango units (ignored for WY_CJK_TIER_EVEN) */
    int amount;   /* set by wy_cjk_share */
} WyCjkSlot;

/* Shares SLACK (pango units, the room to fill or the excess to take back)
   among SLOTS: each tier in turn, up to its slots' capacities and in
   proportion to them, the rest evenly over the WY_CJK_TIER_EVEN slots.
   Amounts are whole units that add up exactly. Returns what could not be
   placed (SLACK ≤ 0, or no slot left). */
int wy_cjk_share(int slack, WyCjkSlot *slots, size_t n_slots);

#endif
