#include "render/picture.h"

#include <glib.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h> /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h> /* after jpeglib.h, which it needs */

#include "base/buf.h"
#include "base/mem.h"

/* cairo image surfaces are limited to 32767 pixels a side. */
#define CAIRO_MAX_SIDE_PX 32767u
/* A progressive JPEG can hold any number of scans, each a full pass over
   the coefficients: a small hostile file can keep libjpeg busy for minutes.
   Real files have about ten (libjpeg-turbo's djpeg offers -maxscans). */
#define JPEG_MAX_SCANS 500

/* Why a decode failed, in the editor's words; "" while it has not. */
typedef struct Failure {
    char why[JMSG_LENGTH_MAX + 64];
} Failure;

static const char *picture_name(const WyImage *img)
{
    return img->path ? img->path : "(picture)";
}

static void report(const WyImage *img, WyLoc loc, const Failure *fail, WyDiag *d)
{
    if (!loc.file)
        loc = wy_loc(picture_name(img), 0, 0);
    wy_diag_error(d, loc, "picture %s cannot be drawn: %s", picture_name(img), fail->why);
}

static bool size_allowed(unsigned long width, unsigned long height, Failure *fail)
{
    if (width == 0 || height == 0) {
        snprintf(fail->why, sizeof fail->why, "it has no pixels");
        return false;
    }
    if (width > CAIRO_MAX_SIDE_PX || height > CAIRO_MAX_SIDE_PX ||
        (unsigned long long)width * height > WY_IMAGE_MAX_PIXELS) {
        snprintf(fail->why, sizeof fail->why,
                 "it is too large (%lu×%lu pixels; the limit is %u million pixels and %u a side)",
                 width, height, WY_IMAGE_MAX_PIXELS / 1000000u, CAIRO_MAX_SIDE_PX);
        return false;
    }
    return true;
}

/* ---- PNG ------------------------------------------------------------- */

typedef struct ByteReader {
    const unsigned char *at;
    size_t left;
} ByteReader;

static cairo_status_t read_bytes(void *closure, unsigned char *data, unsigned int length)
{
    ByteReader *r = closure;
    if (length > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->at, length);
    r->at += length;
    r->left -= length;
    return CAIRO_STATUS_SUCCESS;
}

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

/* Checks the signature and the IHDR size before cairo decodes anything:
   cairo would allocate whatever the header declares. */
static bool png_header_ok(const WyImage *img, Failure *fail)
{
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    const unsigned char *b = img->bytes;
    if (!b || img->len < 33 || memcmp(b, signature, 8) != 0 || memcmp(b + 12, "IHDR", 4) != 0) {
        snprintf(fail->why, sizeof fail->why, "it is not a PNG file");
        return false;
    }
    return size_allowed(be32(b + 16), be32(b + 20), fail);
}

static cairo_surface_t *decode_png(const WyImage *img, Failure *fail)
{
    if (!png_header_ok(img, fail))
        return NULL;
    ByteReader reader = {img->bytes, img->len};
    cairo_surface_t *surface = cairo_image_surface_create_from_png_stream(read_bytes, &reader);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        snprintf(fail->why, sizeof fail->why,
                 cairo_surface_status(surface) == CAIRO_STATUS_NO_MEMORY ? "out of memory"
                                                                         : "the file is damaged or truncated");
        cairo_surface_destroy(surface);
        return NULL;
    }
    return surface;
}

/* ---- JPEG ------------------------------------------------------------ */

/* libjpeg reports a fatal error by calling error_exit, which must not
   return (the library's state is undefined after it); its default calls
   exit(). The only way back to the caller is a longjmp, so setjmp is used
   here and nowhere else. JpegError extends libjpeg's error manager. */
typedef struct JpegError {
    struct jpeg_error_mgr mgr;
    jmp_buf escape;
    Failure *fail;
} JpegError;

static void jpeg_fail(j_common_ptr cinfo)
{
    JpegError *e = (JpegError *)cinfo->err;
    char message[JMSG_LENGTH_MAX];
    e->mgr.format_message(cinfo, message);
    snprintf(e->fail->why, sizeof e->fail->why, "the JPEG data is damaged (%s)", message);
    longjmp(e->escape, 1);
}

/* Warnings are not printed (stderr belongs to our diagnostics). A JPEG
   that ends early would be drawn with a grey bottom, silently: that one
   warning is an error. Others ("extraneous bytes before marker") are
   common in camera files that display fine. */
static void jpeg_message(j_common_ptr cinfo, int msg_level)
{
    JpegError *e = (JpegError *)cinfo->err;
    if (msg_level < 0 && e->mgr.msg_code == JWRN_JPEG_EOF) {
        snprintf(e->fail->why, sizeof e->fail->why, "the JPEG file is truncated");
        longjmp(e->escape, 1);
    }
}

static void jpeg_limit_scans(j_common_ptr cinfo)
{
    if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > JPEG_MAX_SCANS) {
        JpegError *e = (JpegError *)cinfo->err;
        snprintf(e->fail->why, sizeof e->fail->why, "the JPEG file has more than %d scans", JPEG_MAX_SCANS);
        longjmp(e->escape, 1);
    }
}

static uint32_t rgb_px(unsigned r, unsigned g, unsigned b)
{
    return (uint32_t)r << 16 | (uint32_t)g << 8 | b;
}

/* Adobe's CMYK JPEGs (Photoshop, and every file with the APP14 marker)
   store the inks inverted; plain CMYK files do not. The conversion is the
   naive one: previews only, a PDF keeps the original where it can. */
static uint32_t cmyk_px(const JSAMPLE *s, bool inverted)
{
    unsigned c = s[0], m = s[1], y = s[2], k = s[3];
    if (!inverted) {
        c = 255 - c;
        m = 255 - m;
        y = 255 - y;
        k = 255 - k;
    }
    return rgb_px(c * k / 255, m * k / 255, y * k / 255);
}

static void convert_row(const JSAMPLE *in, uint32_t *out, unsigned width, J_COLOR_SPACE space, bool inverted)
{
    for (unsigned x = 0; x < width; x++) {
        switch (space) {
        case JCS_GRAYSCALE:
            out[x] = rgb_px(in[x], in[x], in[x]);
            break;
        case JCS_CMYK:
            out[x] = cmyk_px(in + 4 * x, inverted);
            break;
        default:
            out[x] = rgb_px(in[3 * x], in[3 * x + 1], in[3 * x + 2]);
            break;
        }
    }
}

static J_COLOR_SPACE output_space(J_COLOR_SPACE in)
{
    switch (in) {
    case JCS_GRAYSCALE:
        return JCS_GRAYSCALE;
    case JCS_CMYK:
    case JCS_YCCK:
        return JCS_CMYK; /* libjpeg turns YCCK into CMYK */
    default:
        return JCS_RGB;
    }
}

/* Decodes a JPEG into an RGB24 surface. Sets *KEEP_ORIGINAL when a PDF may
   embed the bytes as they are. */
static cairo_surface_t *decode_jpeg(const WyImage *img, bool *keep_original, Failure *fail)
{
    struct jpeg_decompress_struct cinfo;
    struct jpeg_progress_mgr progress = {.progress_monitor = jpeg_limit_scans};
    JpegError err;
    /* Assigned after setjmp and read after a longjmp: volatile, as C11
       7.13.2.1 requires. */
    cairo_surface_t *volatile surface = NULL;
    JSAMPLE *volatile row = NULL;

    if (!img->bytes || img->len < 4) {
        snprintf(fail->why, sizeof fail->why, "it is not a JPEG file");
        return NULL;
    }
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    err.mgr.emit_message = jpeg_message;
    err.fail = fail;
    if (setjmp(err.escape)) {
        jpeg_destroy_decompress(&cinfo);
        free(row);
        cairo_surface_destroy(surface);
        return NULL;
    }
    jpeg_create_decompress(&cinfo);
    cinfo.progress = &progress;
    jpeg_mem_src(&cinfo, img->bytes, (unsigned long)img->len);
    jpeg_read_header(&cinfo, TRUE);
    if (!size_allowed(cinfo.image_width, cinfo.image_height, fail)) {
        jpeg_destroy_decompress(&cinfo);
        return NULL;
    }
    J_COLOR_SPACE space = output_space(cinfo.jpeg_color_space);
    bool inverted = cinfo.saw_Adobe_marker;
    /* cairo 1.16 writes a CMYK JPEG as /DeviceCMYK without the /Decode
       array that Adobe's inverted inks need: it would print as a negative. */
    *keep_original = !(space == JCS_CMYK && inverted);
    cinfo.out_color_space = space;
    jpeg_start_decompress(&cinfo);

    unsigned width = cinfo.output_width, height = cinfo.output_height;
    surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)width, (int)height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        snprintf(fail->why, sizeof fail->why, "out of memory");
        longjmp(err.escape, 1);
    }
    row = wy_xmalloc(wy_mul_size(width, (size_t)cinfo.output_components));
    unsigned char *pixels = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    cairo_surface_flush(surface);
    while (cinfo.output_scanline < height) {
        JSAMPROW rows[1] = {row};
        unsigned y = cinfo.output_scanline;
        if (jpeg_read_scanlines(&cinfo, rows, 1) != 1) {
            snprintf(fail->why, sizeof fail->why, "the JPEG file is truncated");
            longjmp(err.escape, 1);
        }
        convert_row(row, (uint32_t *)(void *)(pixels + (size_t)y * (size_t)stride), width, space, inverted);
    }
    cairo_surface_mark_dirty(surface);
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(row);
    return surface;
}

/* ---- Both -------------------------------------------------------------- */

/* A key for cairo's CAIRO_MIME_TYPE_UNIQUE_ID: the same bytes give the same
   key, so a picture drawn twice (or two copies of one file) is stored once
   in a PDF. FNV-1a is enough: the key only has to tell pictures apart. */
static char *content_key(const WyImage *img)
{
    uint64_t hash = 0xcbf29ce484222325u;
    for (size_t i = 0; i < img->len; i++) {
        hash ^= img->bytes[i];
        hash *= 0x100000001b3u;
    }
    WyBuf key;
    wy_buf_init(&key);
    wy_buf_printf(&key, "wenyin-picture-%016llx-%zu", (unsigned long long)hash, img->len);
    return wy_buf_steal(&key);
}

/* Attaches DATA (malloc'd, handed over) as mime TYPE; false when cairo
   runs out of memory. */
static bool attach(cairo_surface_t *surface, const char *type, unsigned char *data, size_t len)
{
    cairo_status_t status = cairo_surface_set_mime_data(surface, type, data, len, free, data);
    if (status != CAIRO_STATUS_SUCCESS) {
        free(data);
        return false;
    }
    return true;
}

static bool attach_mime(cairo_surface_t *surface, const WyImage *img, const char *content, bool keep_original)
{
    char *key = wy_xstrdup(content);
    if (!attach(surface, CAIRO_MIME_TYPE_UNIQUE_ID, (unsigned char *)key, strlen(key)))
        return false;
    if (!keep_original)
        return true;
    /* A copy: cairo may hold the data as long as it holds the surface. */
    unsigned char *copy = wy_xmalloc(img->len);
    memcpy(copy, img->bytes, img->len);
    return attach(surface, CAIRO_MIME_TYPE_JPEG, copy, img->len);
}

static cairo_surface_t *surface_new(const WyImage *img, const char *content, WyLoc loc, WyDiag *d)
{
    Failure fail = {""};
    bool keep_original = false;
    cairo_surface_t *surface = NULL;
    if (img->kind == WY_IMAGE_JPEG)
        surface = decode_jpeg(img, &keep_original, &fail);
    else if (img->kind == WY_IMAGE_PNG)
        surface = decode_png(img, &fail);
    else
        snprintf(fail.why, sizeof fail.why, "it is neither PNG nor JPEG");
    if (surface && !attach_mime(surface, img, content, img->kind == WY_IMAGE_JPEG && keep_original)) {
        snprintf(fail.why, sizeof fail.why, "out of memory");
        cairo_surface_destroy(surface);
        surface = NULL;
    }
    if (!surface)
        report(img, loc, &fail, d);
    return surface;
}

cairo_surface_t *wy_picture_surface_new(const WyImage *img, WyLoc loc, WyDiag *d)
{
    char *content = content_key(img);
    cairo_surface_t *surface = surface_new(img, content, loc, d);
    free(content);
    return surface;
}

struct WyPictureCache {
    GHashTable *surfaces;   /* const WyImage * → cairo_surface_t * (a reference each) */
    GHashTable *by_content; /* content_key → cairo_surface_t * (a reference each) */
};

static void destroy_surface(gpointer surface)
{
    cairo_surface_destroy(surface);
}

WyPictureCache *wy_picture_cache_new(void)
{
    WyPictureCache *cache = wy_xmalloc(sizeof *cache);
    cache->surfaces = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, destroy_surface);
    cache->by_content = g_hash_table_new_full(g_str_hash, g_str_equal, free, destroy_surface);
    return cache;
}

void wy_picture_cache_free(WyPictureCache *cache)
{
    if (!cache)
        return;
    g_hash_table_destroy(cache->surfaces);
    g_hash_table_destroy(cache->by_content);
    free(cache);
}

cairo_surface_t *wy_picture_cache_get(WyPictureCache *cache, const WyImage *img, WyLoc loc, WyDiag *d)
{
    cairo_surface_t *surface = g_hash_table_lookup(cache->surfaces, img);
    if (surface)
        return surface;
    /* the same file loaded twice (an article's picture repeated in another
       article, a logo on every certificate) is decoded once */
    char *content = content_key(img);
    surface = g_hash_table_lookup(cache->by_content, content);
    if (surface) {
        free(content);
        g_hash_table_insert(cache->surfaces, (gpointer)img, cairo_surface_reference(surface));
        return surface;
    }
    surface = surface_new(img, content, loc, d);
    if (!surface) {
        free(content);
        return NULL;
    }
    g_hash_table_insert(cache->by_content, content, cairo_surface_reference(surface));
    g_hash_table_insert(cache->surfaces, (gpointer)img, surface);
    return surface;
}
