/* Pictures referenced by templates and articles: reads the file, checks its
   header (format, pixel size, resolution) and caps the pixel count before
   anything decodes it. Decoding is render's job; this keeps the bytes so a
   JPEG can be embedded in the PDF as-is. */
#ifndef WY_IMAGE_H
#define WY_IMAGE_H
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

#define WY_IMAGE_MAX_PIXELS (50u * 1000u * 1000u) /* 50 megapixels */

typedef enum WyImageKind { WY_IMAGE_PNG, WY_IMAGE_JPEG } WyImageKind;

typedef struct WyImage {
    WyImageKind kind;
    char *path;               /* as resolved, for messages */
    unsigned char *bytes;     /* the whole file */
    size_t len;
    unsigned width_px, height_px;
    double dpi;               /* from pHYs / JFIF, 0 when the file does not say (or says
                                 less than 20, which is an aspect ratio, not a resolution) */
    int components;           /* JPEG: 1 gray, 3 YCbCr/RGB, 4 CMYK; PNG: 0 */
} WyImage;

/* Loads PATH's header and bytes. Returns NULL with an error at LOC (the
   reference's place) when the file is missing (input error) or unreadable
   (I/O error), not PNG/JPEG, truncated (a PNG without IEND, a JPEG without
   EOI after its frame header), damaged, of zero size, a JPEG kind PDF
   cannot embed (lossless, 12-bit, arithmetic-coded), or over
   WY_IMAGE_MAX_PIXELS. Decodes no pixels. Caller frees with wy_image_free. */
WyImage *wy_image_load(const char *path, WyLoc loc, WyDiag *d);
void wy_image_free(WyImage *img);
/* Natural size in points: pixels at the file's dpi, else 96 dpi. */
double wy_image_width_pt(const WyImage *img);
double wy_image_height_pt(const WyImage *img);

#endif
