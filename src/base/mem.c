#include "base/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(size_t size)
{
    fprintf(stderr, "wenyin: error: out of memory (asked for %zu bytes)\n", size);
    abort();
}

void *wy_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

void *wy_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(wy_mul_size(count, size));
    return p;
}

void *wy_xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        out_of_memory(size);
    return p;
}

char *wy_xstrdup(const char *s)
{
    return s ? wy_xstrndup(s, strlen(s)) : NULL;
}

char *wy_xstrndup(const char *s, size_t len)
{
    char *p = wy_xmalloc(wy_add_size(len, 1));
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

size_t wy_mul_size(size_t a, size_t b)
{
    if (b != 0 && a > SIZE_MAX / b) {
        fprintf(stderr, "wenyin: error: size overflow (%zu x %zu)\n", a, b);
        abort();
    }
    return a * b;
}

size_t wy_add_size(size_t a, size_t b)
{
    if (a > SIZE_MAX - b) {
        fprintf(stderr, "wenyin: error: size overflow (%zu + %zu)\n", a, b);
        abort();
    }
    return a + b;
}
