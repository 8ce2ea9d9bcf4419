/* The cairo write function every output goes through: appends to a
   WyAtomicFile and keeps the first errno there, because cairo 1.16 drops
   write errors when a surface finishes (a full disk gives a "finished"
   truncated PDF). Callers check the file's write_errno themselves. */
#ifndef WY_RENDER_STREAM_H
#define WY_RENDER_STREAM_H
#include <cairo.h>
#include <stddef.h>

#include "base/fsx.h"

/* cairo_write_func_t over CLOSURE, a WyAtomicFile. Returns
   CAIRO_STATUS_WRITE_ERROR once any write has failed. */
cairo_status_t wy_render_stream_write(void *closure, const unsigned char *data, unsigned int length);

/* For tests only: after BYTES more bytes in total, every write fails with
   ERRNUM, as on a full disk (ERRNUM 0 turns the fault off). A full disk
   cannot be arranged portably in a unit test, and root ignores read-only
   folders; production code never calls this. Not thread-safe. */
void wy_render_stream_fail_after(size_t bytes, int errnum);

#endif
