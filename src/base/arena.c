#include "base/arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#define CHUNK_BYTES ((size_t)64 << 10)

struct WyArenaChunk {
    WyArenaChunk *next;
    size_t size;
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

void wy_arena_init(WyArena *a)
{
    a->head = NULL;
    a->used_bytes = 0;
}

void wy_arena_release(WyArena *a)
{
    WyArenaChunk *c = a->head;
    while (c) {
        WyArenaChunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used_bytes = 0;
}

void *wy_arena_alloc(WyArena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    size = wy_add_size(size, align - 1) & ~(align - 1);
    WyArenaChunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t chunk = size > CHUNK_BYTES / 4 ? size : CHUNK_BYTES;
        c = wy_xmalloc(wy_add_size(sizeof *c, chunk));
        c->size = chunk;
        c->used = 0;
        if (size > CHUNK_BYTES / 4 && a->head) {
            /* a big block gets its own chunk behind the current one */
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->data + c->used;
    c->used += size;
    a->used_bytes += size;
    memset(p, 0, size);
    return p;
}

char *wy_arena_strndup(WyArena *a, const char *s, size_t len)
{
    char *p = wy_arena_alloc(a, wy_add_size(len, 1));
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *wy_arena_strdup(WyArena *a, const char *s)
{
    return s ? wy_arena_strndup(a, s, strlen(s)) : NULL;
}
