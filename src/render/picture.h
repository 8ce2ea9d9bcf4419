/* Pictures for drawing: a WyImage's bytes decoded into a cairo surface,
   once per render. PNG goes through cairo's own reader; JPEG through
   libjpeg, with the original bytes attached so a PDF embeds the JPEG as-is
   (DCTDecode) instead of re-compressing its pixels. Does not load files. */
#ifndef WY_RENDER_PICTURE_H
#define WY_RENDER_PICTURE_H
#include <cairo.h>

#include "base/diag.h"
#include "data/image.h"

/* Decodes IMG into a new CAIRO_FORMAT_RGB24 (JPEG) or ARGB32 (PNG) surface
   the caller destroys. Returns NULL with an input error at LOC (where the
   picture is used) naming the file when the bytes are damaged, truncated,
   not the format IMG says, or over WY_IMAGE_MAX_PIXELS. */
cairo_surface_t *wy_picture_surface_new(const WyImage *img, WyLoc loc, WyDiag *d);

/* Surfaces of one render, one per picture content, so a picture used on
   many pages, or the same file loaded by two references, is decoded once
   and (with its unique id) stored once in a PDF. */
typedef struct WyPictureCache WyPictureCache;

WyPictureCache *wy_picture_cache_new(void);
/* Destroys every surface; call after the output surface is finished. */
void wy_picture_cache_free(WyPictureCache *cache);
/* Returns IMG's surface, decoding it on first use; borrowed, valid until
   wy_picture_cache_free. NULL with an error as wy_picture_surface_new. */
cairo_surface_t *wy_picture_cache_get(WyPictureCache *cache, const WyImage *img, WyLoc loc, WyDiag *d);

#endif
