/* Character classes wenyin's stages share: which characters are Chinese
   text (so a line break or template whitespace between two of them
   vanishes instead of becoming a space), and hexadecimal digits. Knows
   nothing of fonts or lines. */
#ifndef WY_UCHAR_H
#define WY_UCHAR_H
#include <stdbool.h>

/* Han (with radicals, strokes, compatibility blocks and the supplementary
   planes), kana, CJK punctuation and symbols, full-width forms, and the
   general-punctuation marks Chinese text uses (— … “ ” ‘ ’). Not · (also
   a Latin separator, usually set with spaces around it), nor Hangul:
   Korean separates words with spaces. */
bool wy_uchar_is_cjk(unsigned cp);
/* Full-width punctuation (、。，：《》（）): it carries its own blank half,
   so it takes no space on either side even next to Latin text. The curly
   quotes, dashes and ellipsis are left out: English uses them too. */
bool wy_uchar_is_fullwidth_punct(unsigned cp);

/* The value of hexadecimal digit C (0-9, a-f, A-F), or -1. */
int wy_uchar_hex_value(char c);

#endif
