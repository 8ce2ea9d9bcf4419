/* WyBuf: the one growable byte buffer, always NUL-terminated, with a size
   cap so hostile input cannot grow it without bound. Embedded by value:
   wy_buf_init / wy_buf_release. */
#ifndef WY_BUF_H
#define WY_BUF_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define WY_BUF_DEFAULT_CAP ((size_t)256 << 20) /* 256 MiB */

typedef struct WyBuf {
    char *data;      /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t alloc;
    size_t cap;      /* appends past this fail and set `overflow` */
    bool overflow;
} WyBuf;

void wy_buf_init(WyBuf *b);
void wy_buf_release(WyBuf *b);
/* Returns false (and sets b->overflow) when the cap would be exceeded. */
bool wy_buf_append(WyBuf *b, const void *data, size_t len);
bool wy_buf_puts(WyBuf *b, const char *s);
bool wy_buf_putc(WyBuf *b, char c);
bool wy_buf_printf(WyBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool wy_buf_vprintf(WyBuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends the UTF-8 encoding of code point CP. */
bool wy_buf_put_utf8(WyBuf *b, unsigned cp);
void wy_buf_clear(WyBuf *b);
/* Returns the contents (never NULL: "" when empty), borrowed. */
const char *wy_buf_str(const WyBuf *b);
/* Hands the malloc'd string to the caller (who frees it) and resets B. */
char *wy_buf_steal(WyBuf *b);

#endif
