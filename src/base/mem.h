/* Allocation that never returns NULL: on out-of-memory the process stops
   with a message (git's xmalloc). Size arithmetic that can overflow goes
   through wy_mul_size / wy_add_size, which abort instead of wrapping. */
#ifndef WY_MEM_H
#define WY_MEM_H
#include <stddef.h>

void *wy_xmalloc(size_t size);
void *wy_xcalloc(size_t count, size_t size);
void *wy_xrealloc(void *ptr, size_t size);
/* Returns a malloc'd copy of S (NULL stays NULL); the caller frees it. */
char *wy_xstrdup(const char *s);
char *wy_xstrndup(const char *s, size_t len);
size_t wy_mul_size(size_t a, size_t b);
size_t wy_add_size(size_t a, size_t b);

#endif
