#include "data/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

static const unsigned char BOM_UTF8[] = {0xEF, 0xBB, 0xBF};
static const unsigned char BOM_UTF16LE[] = {0xFF, 0xFE};
static const unsigned char BOM_UTF16BE[] = {0xFE, 0xFF};
static const unsigned char BOM_GB18030[] = {0x84, 0x31, 0x95, 0x33};

static bool starts_with(const char *bytes, size_t len, const unsigned char *prefix, size_t prefix_len)
{
    return len >= prefix_len && memcmp(bytes, prefix, prefix_len) == 0;
}

/* The strict UTF-8 check behind wy_utf8_invalid_at. Detection allows NUL
   so that a UTF-8 file with a stray NUL is reported as such, not as
   "neither UTF-8 nor GB18030" after GB18030 happily accepted it. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len, bool allow_nul)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (c == 0 && !allow_nul)
                return i;
            i++;
            continue;
        }
        size_t n;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
        } else {
            return i; /* stray continuation byte, C0/C1 overlong lead, or F5..FF */
        }
        if (len - i < n)
            return i;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
            return i; /* overlong, or beyond Unicode */
        if (cp >= 0xD800 && cp <= 0xDFFF)
            return i; /* surrogates are not characters */
        i += n;
    }
    return len;
}

size_t wy_utf8_invalid_at(const char *s, size_t len)
{
    return utf8_invalid_at((const unsigned char *)s, len, false);
}

size_t wy_utf8_decode(const char *s, size_t len, unsigned *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = u[0] < 0x80 ? 1 : u[0] < 0xE0 ? 2 : u[0] < 0xF0 ? 3 : 4;
    if (u[0] < 0x80 || u[0] < 0xC2 || u[0] > 0xF4 || n > len) {
        *cp = u[0];
        return 1;
    }
    unsigned v = u[0] & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
        if ((u[k] & 0xC0) != 0x80) {
            *cp = u[0];
            return 1;
        }
        v = (v << 6) | (u[k] & 0x3F);
    }
    *cp = v;
    return n;
}

WyEncoding wy_encoding_detect(const char *bytes, size_t len)
{
    if (starts_with(bytes, len, BOM_UTF8, sizeof BOM_UTF8))
        return WY_ENC_UTF8_BOM;
    if (starts_with(bytes, len, BOM_GB18030, sizeof BOM_GB18030))
        return WY_ENC_GB18030;
    if (starts_with(bytes, len, BOM_UTF16LE, sizeof BOM_UTF16LE))
        return WY_ENC_UTF16LE;
    if (starts_with(bytes, len, BOM_UTF16BE, sizeof BOM_UTF16BE))
        return WY_ENC_UTF16BE;
    if (utf8_invalid_at((const unsigned char *)bytes, len, true) == len)
        return WY_ENC_UTF8;
    return WY_ENC_GB18030;
}

const char *wy_encoding_name(WyEncoding enc)
{
    switch (enc) {
    case WY_ENC_UTF8:
        return "UTF-8";
    case WY_ENC_UTF8_BOM:
        return "UTF-8 with BOM";
    case WY_ENC_UTF16LE:
        return "UTF-16LE";
    case WY_ENC_UTF16BE:
        return "UTF-16BE";
    case WY_ENC_GB18030:
        return "GB18030";
    }
    return "unknown";
}

void wy_text_position(const char *text, size_t offset, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < offset; i++) {
        unsigned char b = (unsigned char)text[i];
        if (b == '\n') {
            l++;
            c = 1;
        } else if ((b & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

typedef enum IconvResult { ICONV_DONE, ICONV_BAD_INPUT, ICONV_TOO_BIG, ICONV_UNAVAILABLE } IconvResult;

/* Converts LEN bytes of IN from encoding FROM to UTF-8, appended to OUT.
   On bad input sets *BAD_AT to the offset of the sequence iconv refused and
   *TRUNCATED when the input ends inside a character (EINVAL). */
static IconvResult iconv_to_utf8(const char *from, const char *in, size_t len, WyBuf *out,
                                 size_t *bad_at, bool *truncated)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return ICONV_UNAVAILABLE;
    IconvResult result = ICONV_DONE;
    char *inp = (char *)in;
    size_t in_left = len;
    char chunk[16384];
    for (;;) {
        char *outp = chunk;
        size_t out_left = sizeof chunk;
        size_t r = in_left ? iconv(cd, &inp, &in_left, &outp, &out_left) : iconv(cd, NULL, NULL, &outp, &out_left);
        int err = errno;
        if (!wy_buf_append(out, chunk, (size_t)(outp - chunk))) {
            result = ICONV_TOO_BIG;
            break;
        }
        if (r == (size_t)-1 && err == E2BIG)
            continue;
        if (r == (size_t)-1) {
            *bad_at = (size_t)(inp - in);
            *truncated = err == EINVAL;
            result = ICONV_BAD_INPUT;
            break;
        }
        if (in_left == 0 && outp == chunk)
            break; /* input consumed and the shift state flushed */
    }
    iconv_close(cd);
    return result;
}

static const char *iconv_name(WyEncoding enc)
{
    switch (enc) {
    case WY_ENC_UTF16LE:
        return "UTF-16LE";
    case WY_ENC_UTF16BE:
        return "UTF-16BE";
    case WY_ENC_GB18030:
        return "GB18030";
    default:
        return "UTF-8";
    }
}

static size_t bom_length(const char *bytes, size_t len, WyEncoding enc)
{
    switch (enc) {
    case WY_ENC_UTF8:
    case WY_ENC_UTF8_BOM:
        return starts_with(bytes, len, BOM_UTF8, sizeof BOM_UTF8) ? sizeof BOM_UTF8 : 0;
    case WY_ENC_UTF16LE:
        return starts_with(bytes, len, BOM_UTF16LE, sizeof BOM_UTF16LE) ? sizeof BOM_UTF16LE : 0;
    case WY_ENC_UTF16BE:
        return starts_with(bytes, len, BOM_UTF16BE, sizeof BOM_UTF16BE) ? sizeof BOM_UTF16BE : 0;
    case WY_ENC_GB18030:
        return starts_with(bytes, len, BOM_GB18030, sizeof BOM_GB18030) ? sizeof BOM_GB18030 : 0;
    }
    return 0;
}

/* Line and column of byte OFFSET of BODY (encoded in ENC), found by
   decoding the bytes before it, which converted cleanly. */
static void position_in(WyEncoding enc, const char *body, size_t offset, int *line, int *col)
{
    if (enc == WY_ENC_UTF8 || enc == WY_ENC_UTF8_BOM) {
        wy_text_position(body, offset, line, col);
        return;
    }
    WyBuf prefix;
    wy_buf_init(&prefix);
    size_t bad_at = 0;
    bool truncated = false;
    if (iconv_to_utf8(iconv_name(enc), body, offset, &prefix, &bad_at, &truncated) == ICONV_DONE)
        wy_text_position(wy_buf_str(&prefix), prefix.len, line, col);
    else
        wy_text_position(body, offset, line, col);
    wy_buf_release(&prefix);
}

static void report_bad_bytes(const char *path, WyEncoding enc, bool guessed, const char *body, size_t body_len,
                             size_t bad_at, bool truncated, WyDiag *d)
{
    int line, col;
    unsigned bad = bad_at < body_len ? (unsigned char)body[bad_at] : 0;
    WyLoc loc;
    if (enc == WY_ENC_GB18030 && guessed) {
        /* Neither encoding fits: point at the place where the one that got
           further stopped; that is most likely the file's real encoding. */
        size_t utf8_bad = utf8_invalid_at((const unsigned char *)body, body_len, true);
        if (utf8_bad >= bad_at) {
            bad_at = utf8_bad;
            bad = (unsigned char)body[bad_at];
            wy_text_position(body, bad_at, &line, &col);
        } else {
            position_in(enc, body, bad_at, &line, &col);
        }
        loc = wy_loc(path, line, col);
        wy_diag_error(d, loc, "this file is neither UTF-8 nor GB18030 (bad byte 0x%02X); save it again as UTF-8", bad);
        return;
    }
    position_in(enc, body, bad_at, &line, &col);
    loc = wy_loc(path, line, col);
    switch (enc) {
    case WY_ENC_UTF8:
        wy_diag_error(d, loc, "this file is not valid UTF-8 (bad byte 0x%02X); save it again as UTF-8", bad);
        break;
    case WY_ENC_UTF8_BOM:
        wy_diag_error(d, loc,
                      "this file is marked as UTF-8 (it starts with a byte-order mark) but byte 0x%02X here "
                      "is not UTF-8; save it again as UTF-8",
                      bad);
        break;
    case WY_ENC_UTF16LE:
    case WY_ENC_UTF16BE:
        if (truncated)
            wy_diag_error(d, loc, "this UTF-16 file ends in the middle of a character; save it again as UTF-8");
        else
            wy_diag_error(d, loc, "this UTF-16 file has a broken character here; save it again as UTF-8");
        break;
    case WY_ENC_GB18030:
        if (truncated)
            wy_diag_error(d, loc, "this GB18030 file ends in the middle of a character; save it again as UTF-8");
        else
            wy_diag_error(d, loc, "this file is marked as GB18030 but byte 0x%02X here is not; save it again as UTF-8",
                          bad);
        break;
    }
}

/* NUL cannot travel through C strings or libxml2, and in a text file it
   means the file is damaged or not text at all (or UTF-16 without a BOM). */
static bool reject_nul(const char *path, const WyBuf *text, WyDiag *d)
{
    const char *nul = memchr(wy_buf_str(text), '\0', text->len);
    if (!nul)
        return true;
    int line, col;
    wy_text_position(text->data, (size_t)(nul - text->data), &line, &col);
    wy_diag_error(d, wy_loc(path, line, col),
                  "the file contains a NUL byte (0x00), so it is not plain text; save it again as UTF-8 text");
    return false;
}

static bool convert(const char *path, const char *bytes, size_t len, WyEncoding enc, bool guessed, WyBuf *out,
                    WyDiag *d)
{
    wy_buf_clear(out);
    size_t skip = bom_length(bytes, len, enc);
    const char *body = bytes + skip;
    size_t body_len = len - skip;
    if (enc == WY_ENC_UTF8 || enc == WY_ENC_UTF8_BOM) {
        size_t bad_at = utf8_invalid_at((const unsigned char *)body, body_len, true);
        if (bad_at < body_len) {
            report_bad_bytes(path, enc, guessed, body, body_len, bad_at, false, d);
            return false;
        }
        if (!wy_buf_append(out, body, body_len)) {
            wy_diag_error(d, wy_loc(path, 0, 0), "file is too large");
            return false;
        }
        return reject_nul(path, out, d);
    }
    size_t bad_at = 0;
    bool truncated = false;
    switch (iconv_to_utf8(iconv_name(enc), body, body_len, out, &bad_at, &truncated)) {
    case ICONV_DONE:
        break;
    case ICONV_BAD_INPUT:
        report_bad_bytes(path, enc, guessed, body, body_len, bad_at, truncated, d);
        return false;
    case ICONV_TOO_BIG:
        wy_diag_error(d, wy_loc(path, 0, 0), "file is too large once converted to UTF-8");
        return false;
    case ICONV_UNAVAILABLE:
        wy_diag_io_error(d, wy_loc(path, 0, 0), "cannot convert from %s: this system's iconv lacks it",
                         wy_encoding_name(enc));
        return false;
    }
    if (!out->data)
        wy_buf_append(out, "", 0);
    return reject_nul(path, out, d);
}

bool wy_encoding_convert(const char *path, const char *bytes, size_t len, WyEncoding enc, WyBuf *out, WyDiag *d)
{
    return convert(path, bytes, len, enc, false, out, d);
}

bool wy_encoding_to_utf8(const char *path, const char *bytes, size_t len, WyBuf *out, WyDiag *d)
{
    WyEncoding enc = wy_encoding_detect(bytes, len);
    /* GB18030 without its BOM is only a guess: the bytes were not UTF-8. */
    bool guessed = enc == WY_ENC_GB18030 && bom_length(bytes, len, enc) == 0;
    return convert(path, bytes, len, enc, guessed, out, d);
}

static bool is_hidden(unsigned cp, bool zero_width_too)
{
    if (cp < 0x20)
        return cp != '\t' && cp != '\n' && cp != '\r';
    if (cp >= 0x7F && cp <= 0x9F)
        return true;
    if (cp >= 0x200B && cp <= 0x200D)
        return zero_width_too;
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

size_t wy_text_hidden_at(const char *s, size_t len, bool zero_width_too, unsigned *cp)
{
    size_t i = 0;
    while (i < len) {
        unsigned c;
        size_t n = wy_utf8_decode(s + i, len - i, &c);
        if (is_hidden(c, zero_width_too)) {
            *cp = c;
            return i;
        }
        i += n;
    }
    return len;
}

const char *wy_hidden_char_name(unsigned cp)
{
    switch (cp) {
    case 0x00:
        return "NUL byte";
    case 0x061C:
        return "Arabic letter mark";
    case 0x200B:
        return "zero-width space";
    case 0x200C:
        return "zero-width non-joiner";
    case 0x200D:
        return "zero-width joiner";
    case 0x200E:
        return "left-to-right mark";
    case 0x200F:
        return "right-to-left mark";
    case 0x202A:
        return "left-to-right embedding";
    case 0x202B:
        return "right-to-left embedding";
    case 0x202C:
        return "pop directional formatting";
    case 0x202D:
        return "left-to-right override";
    case 0x202E:
        return "right-to-left override";
    case 0x2066:
        return "left-to-right isolate";
    case 0x2067:
        return "right-to-left isolate";
    case 0x2068:
        return "first strong isolate";
    case 0x2069:
        return "pop directional isolate";
    case 0xFEFF:
        return "zero-width no-break space (a byte-order mark inside the text)";
    default:
        return "control character";
    }
}
