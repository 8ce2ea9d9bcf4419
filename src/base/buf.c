#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

void wy_buf_init(WyBuf *b)
{
    memset(b, 0, sizeof *b);
    b->cap = WY_BUF_DEFAULT_CAP;
}

void wy_buf_release(WyBuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->alloc = 0;
}

static bool reserve(WyBuf *b, size_t extra)
{
    size_t need = wy_add_size(wy_add_size(b->len, extra), 1);
    if (need - 1 > b->cap) {
        b->overflow = true;
        return false;
    }
    if (need <= b->alloc)
        return true;
    size_t n = b->alloc ? b->alloc : 64;
    while (n < need)
        n = wy_mul_size(n, 2);
    b->data = wy_xrealloc(b->data, n);
    b->alloc = n;
    return true;
}

bool wy_buf_append(WyBuf *b, const void *data, size_t len)
{
    if (!reserve(b, len))
        return false;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return true;
}

bool wy_buf_puts(WyBuf *b, const char *s)
{
    return wy_buf_append(b, s, strlen(s));
}

bool wy_buf_putc(WyBuf *b, char c)
{
    return wy_buf_append(b, &c, 1);
}

bool wy_buf_vprintf(WyBuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !reserve(b, (size_t)n))
        return false;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return true;
}

bool wy_buf_printf(WyBuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = wy_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return ok;
}

bool wy_buf_put_utf8(WyBuf *b, unsigned cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return wy_buf_append(b, s, n);
}

void wy_buf_clear(WyBuf *b)
{
    b->len = 0;
    b->overflow = false;
    if (b->data)
        b->data[0] = '\0';
}

const char *wy_buf_str(const WyBuf *b)
{
    return b->data ? b->data : "";
}

char *wy_buf_steal(WyBuf *b)
{
    char *s = b->data ? b->data : wy_xstrdup("");
    b->data = NULL;
    b->len = b->alloc = 0;
    b->overflow = false;
    return s;
}
