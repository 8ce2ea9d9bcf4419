/* Text encodings of files from Excel, WPS and editors: detects a BOM
   (UTF-8, UTF-16LE/BE, GB18030's 84 31 95 33), else strict UTF-8, else
   GB18030 (a superset of GBK/GB2312); converts to UTF-8 with iconv, never
   //IGNORE. Also validates UTF-8. Knows nothing of CSV or XML. */
#ifndef WY_ENCODING_H
#define WY_ENCODING_H
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/diag.h"

typedef enum WyEncoding {
    WY_ENC_UTF8,
    WY_ENC_UTF8_BOM,
    WY_ENC_UTF16LE,
    WY_ENC_UTF16BE,
    WY_ENC_GB18030,
} WyEncoding;

/* Returns the encoding of BYTES by the rules above. */
WyEncoding wy_encoding_detect(const char *bytes, size_t len);
const char *wy_encoding_name(WyEncoding enc);

/* Converts LEN bytes of PATH to UTF-8 in OUT (BOM removed, CRLF kept).
   On bytes that are neither UTF-8 nor GB18030 records an error at the
   line and column of the first bad byte and returns false. */
bool wy_encoding_to_utf8(const char *path, const char *bytes, size_t len, WyBuf *out, WyDiag *d);

/* Like wy_encoding_to_utf8 for bytes whose encoding is already known (a
   BOM, or a declaration such as XML's encoding="GBK"): a BOM of ENC at the
   start is removed. Fails the same way. */
bool wy_encoding_convert(const char *path, const char *bytes, size_t len, WyEncoding enc,
                         WyBuf *out, WyDiag *d);

/* Returns the byte offset of the first invalid UTF-8 sequence (also
   rejecting overlongs, surrogates and NUL), or LEN when S is valid. */
size_t wy_utf8_invalid_at(const char *s, size_t len);

/* Decodes the character at S (LEN > 0 bytes of valid UTF-8) into *CP and
   returns its length in bytes; an invalid byte decodes as itself, length 1. */
size_t wy_utf8_decode(const char *s, size_t len, unsigned *cp);

/* Line and column (1-based, column in characters) of byte OFFSET in UTF-8 TEXT. */
void wy_text_position(const char *text, size_t offset, int *line, int *col);

/* Returns the byte offset in UTF-8 S of the first character nobody can see
   that can hide or reorder text: C0/C1 controls other than tab, LF and CR,
   DEL, the bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F,
   U+202A–U+202E, U+2066–U+2069) and U+FEFF; with ZERO_WIDTH_TOO also
   U+200B–U+200D (zero-width space and joiners, which copy-paste from web
   pages often carries into prose). Sets *CP to it; returns LEN when none. */
size_t wy_text_hidden_at(const char *s, size_t len, bool zero_width_too, unsigned *cp);
/* Plain name of a character wy_text_hidden_at finds, e.g.
   "right-to-left override"; static string. */
const char *wy_hidden_char_name(unsigned cp);

#endif
