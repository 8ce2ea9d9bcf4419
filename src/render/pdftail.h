/* The end of a PDF cairo has just finished (fonts, outline, cross-reference
   table, trailer), rewritten with its CFF fonts' unused subroutines
   emptied (render/cffprune). A font stream gets shorter, so the objects
   after it move: their cross-reference entries and startxref are written
   again. Everything before the tail is left as it is, byte for byte.

   Only cairo's own layout is understood (one cross-reference section,
   `N 0 obj` at the offsets it lists, indirect /Length objects); anything
   else leaves the tail untouched, which is always a valid PDF. */
#ifndef WY_RENDER_PDFTAIL_H
#define WY_RENDER_PDFTAIL_H
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* The tail as cairo writes it: each CFF font stream is shrunk on a thread
   of its own as soon as its last byte has come, while cairo goes on with
   the next font; wy_pdf_tail_finish waits for them and rewrites the tail
   with what they made. */
typedef struct WyPdfTail WyPdfTail;

WyPdfTail *wy_pdf_tail_new(void);
/* Appends LEN bytes; false (nothing appended) past the buffer's cap. */
bool wy_pdf_tail_append(WyPdfTail *t, const void *data, size_t len);
size_t wy_pdf_tail_len(const WyPdfTail *t);
/* How many font streams have been spotted and handed to a thread so far. */
size_t wy_pdf_tail_fonts_ahead(const WyPdfTail *t);
/* The bytes as they came. */
const WyBuf *wy_pdf_tail_bytes(const WyPdfTail *t);
/* The tail, its first byte at file offset BASE, with its fonts shrunk
   (as wy_pdf_tail_shrink_fonts); valid until wy_pdf_tail_free. */
const WyBuf *wy_pdf_tail_finish(WyPdfTail *t, size_t base);
/* Waits for the threads still running and frees T; NULL is ignored. */
void wy_pdf_tail_free(WyPdfTail *t);

/* TAIL holds a PDF's bytes from file offset BASE to its end. Replaces it
   with the shrunk bytes when a font could be shrunk. Returns the number
   of bytes saved (0 when nothing changed). */
size_t wy_pdf_tail_shrink_fonts(WyBuf *tail, size_t base);

#endif
