/* Orders personal names for award lists (表彰名单): by surname stroke count
   (姓氏笔画) on the mainland count, or by pinyin with ICU's zh collator.
   Knows surnames, not layout: aligning two- and three-character names is
   the layout's letter spacing, not padding typed into the name. */
#ifndef WY_NAMES_H
#define WY_NAMES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes that always hold a character's stroke sequence and its NUL. */
#define WY_NAMES_SEQ_MAX 128

typedef enum WyNameOrder {
    WY_NAMES_BY_STROKES, /* 姓氏笔画: the order of official lists */
    WY_NAMES_BY_PINYIN,  /* 拼音 */
} WyNameOrder;

/* Names are NUL-terminated UTF-8 (NULL reads as ""). Spaces, tabs and
   line breaks (U+0020, U+00A0, U+3000…) are padding, never part of the
   name. Invalid bytes read as U+FFFD; the order stays total because equal
   keys finally fall to a byte comparison, so a compare returns 0 only for
   identical strings. */

/* Returns the surname's length in characters: the whole part before a
   middle dot (· U+00B7, • U+2022, ‧ U+2027, ・ U+30FB and the like, as in
   阿依古丽·买买提); else a compound surname (欧阳, 司马, 诸葛, 爱新觉罗…)
   when a given name follows it, so 欧阳 alone is 欧 + 阳; else 1, or 0
   for an empty name. Never fails. */
size_t wy_names_surname_len(const char *name_utf8);

/* 姓氏笔画 order, as lists 以姓氏笔画为序 are printed. Surnames first, then
   given names, each character by character (a compound surname by its
   first character, then its second): fewer strokes first, then the stroke
   sequence 一丨丿丶乛, then the code point, so different characters never
   tie. A surname that is a prefix of another comes first (欧 before 欧阳).
   A one-character given name reads as a blank and that character, so
   王晨 precedes 王沪宁 and 田富 precedes 田大利. Characters without a
   count (Latin letters, private use) come after every Han character, by
   code point. Returns <0, 0 or >0 like strcmp; never fails. */
int wy_names_compare_stroke(const char *a, const char *b);

/* Pinyin order with ICU's zh collator (surnames first, then given names),
   ties broken by wy_names_compare_stroke. If ICU's zh data cannot be
   loaded, every name collates equal and the stroke order decides. */
int wy_names_compare_pinyin(const char *a, const char *b);

/* Sorts the N borrowed pointers of NAMES in place in ORDER; names that
   compare equal keep their order (stable). Allocates a scratch array
   (aborts on out-of-memory); never fails. */
void wy_names_sort(const char **names, size_t n, WyNameOrder order);

/* Looks CP up in the stroke table (Unihan kTotalStrokes, first value: the
   mainland count). Sets *COUNT (if COUNT is not NULL) and writes the
   stroke sequence to SEQ as letters h s p n z (一丨丿丶乛), truncated to
   SEQ_SIZE - 1 bytes and NUL-terminated; SEQ may be NULL when SEQ_SIZE is
   0. The sequence is "" when no listed sequence has the mainland count.
   Returns false, with *COUNT = 0 and SEQ "", when CP has no count. */
bool wy_names_strokes(uint32_t cp, int *count, char *seq, size_t seq_size);

/* Where the stroke table comes from (Unicode version), for diagnostics. */
const char *wy_names_table_source(void);

#endif
