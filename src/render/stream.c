#include "render/stream.h"

#include <stdbool.h>

static struct {
    int errnum;          /* 0 = no fault injected */
    size_t bytes_left;   /* bytes that may still be written before the fault */
} fault;

void wy_render_stream_fail_after(size_t bytes, int errnum)
{
    fault.errnum = errnum;
    fault.bytes_left = bytes;
}

/* Lets through what the injected fault still allows; returns false once it
   has struck, recording its errno as a real write would. */
static bool pass_fault(WyAtomicFile *f, const unsigned char *data, unsigned int length)
{
    if (fault.errnum == 0 || length <= fault.bytes_left) {
        if (fault.errnum)
            fault.bytes_left -= length;
        return true;
    }
    if (fault.bytes_left > 0)
        wy_atomic_write(f, data, fault.bytes_left);
    fault.bytes_left = 0;
    if (f->write_errno == 0)
        f->write_errno = fault.errnum;
    return false;
}

cairo_status_t wy_render_stream_write(void *closure, const unsigned char *data, unsigned int length)
{
    WyAtomicFile *f = closure;
    if (f->write_errno != 0 || !pass_fault(f, data, length))
        return CAIRO_STATUS_WRITE_ERROR;
    return wy_atomic_write(f, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}
