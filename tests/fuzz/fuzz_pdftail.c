/* libFuzzer target: rewriting the end of a PDF around its shrunk CFF fonts
   (cross-reference parsing, stream dictionaries, the streaming spotter). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "render/pdftail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    WyBuf whole;
    wy_buf_init(&whole);
    wy_buf_append(&whole, data, size);
    size_t saved = wy_pdf_tail_shrink_fonts(&whole, 0);
    if (whole.len + saved != size)
        abort();
    /* the same bytes fed in pieces give the same tail */
    WyPdfTail *t = wy_pdf_tail_new();
    size_t piece = size % 997 + 1;
    for (size_t at = 0; at < size; at += piece)
        wy_pdf_tail_append(t, data + at, size - at < piece ? size - at : piece);
    const WyBuf *out = wy_pdf_tail_finish(t, 0);
    if (out->len != whole.len || (out->len && memcmp(out->data, whole.data, out->len) != 0))
        abort();
    wy_pdf_tail_free(t);
    wy_buf_release(&whole);
    return 0;
}
