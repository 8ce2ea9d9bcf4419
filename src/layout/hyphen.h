/* English hyphenation with libhyphen's patterns: the points where a word
   may break, and a paragraph's text with soft hyphens (U+00AD) at them so
   pango can break a line inside a word and show a hyphen there. */
#ifndef WY_HYPHEN_H
#define WY_HYPHEN_H
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define WY_HYPHEN_EN_DIC "/usr/share/hyphen/hyph_en_US.dic"
#define WY_HYPHEN_MIN_WORD 6 /* shorter words never break */
#define WY_HYPHEN_LEFT_MIN 2 /* letters kept before a break */
#define WY_HYPHEN_RIGHT_MIN 3 /* letters carried after it */
#define WY_SOFT_HYPHEN "\xC2\xAD"
#define WY_SOFT_HYPHEN_LEN 2

typedef struct WyHyphenator WyHyphenator;

/* Loads the patterns file PATH; NULL when it cannot be read. */
WyHyphenator *wy_hyphen_open(const char *path);
void wy_hyphen_close(WyHyphenator *h);

/* The points where WORD (LEN bytes) may break, as counts of letters
   before each break, ascending, into AFTER (room for MAX); returns how
   many. Only words of WY_HYPHEN_MIN_WORD or more ASCII letters that are
   not all capitals (acronyms) break. */
size_t wy_hyphen_points(WyHyphenator *h, const char *word, size_t len, size_t *after, size_t max);

/* Appends TEXT (LEN bytes of UTF-8) to OUT (unless NULL: the points
   only) with a soft hyphen at every break point of its words. *AT (malloc'd, NULL when none; the caller
   frees it) receives the byte offsets of TEXT before which one was put,
   ascending, and *N_AT their count. */
void wy_hyphen_insert(WyHyphenator *h, const char *text, size_t len, WyBuf *out, size_t **at, size_t *n_at);

#endif
