/* WyArena: bump allocator for a document's boxes, lines and strings, freed
   all at once (MuPDF, jq). Allocation never fails (aborts on OOM). */
#ifndef WY_ARENA_H
#define WY_ARENA_H
#include <stddef.h>

#include "base/mem.h"

typedef struct WyArenaChunk WyArenaChunk;
typedef struct WyArena {
    WyArenaChunk *head;
    size_t used_bytes; /* total handed out, for statistics */
} WyArena;

void wy_arena_init(WyArena *a);
void wy_arena_release(WyArena *a);
/* Returns zeroed memory aligned for any type, owned by A. */
void *wy_arena_alloc(WyArena *a, size_t size);
/* Returns a copy of S owned by A (NULL stays NULL). */
char *wy_arena_strdup(WyArena *a, const char *s);
char *wy_arena_strndup(WyArena *a, const char *s, size_t len);

#define WY_ARENA_NEW(a, type) ((type *)wy_arena_alloc((a), sizeof(type)))
#define WY_ARENA_ARRAY(a, type, n) ((type *)wy_arena_alloc((a), wy_mul_size(sizeof(type), (n))))

#endif
