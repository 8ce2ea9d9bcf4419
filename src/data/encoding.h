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

/* Returns the byte offset of the first invalid UTF-8 sequence (also
   rejecting overlongs, surrogates and NUL), or LEN when S is valid. */
size_t wy_utf8_invalid_at(const char *s, size_t len);

/* Line and column (1-based, column in characters) of byte OFFSET in UTF-8 TEXT. */
void wy_text_position(const char *text, size_t offset, int *line, int *col);

#endif
