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
#include <stddef.h>

#include "base/buf.h"

/* TAIL holds a PDF's bytes from file offset BASE to its end. Replaces it
   with the shrunk bytes when a font could be shrunk. Returns the number
   of bytes saved (0 when nothing changed). */
size_t wy_pdf_tail_shrink_fonts(WyBuf *tail, size_t base);

#endif
