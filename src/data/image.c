#include "data/image.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/fsx.h"
#include "base/mem.h"

#define DEFAULT_DPI 96.0
#define POINTS_PER_INCH 72.0
#define METERS_PER_INCH 0.0254
#define CM_PER_INCH 2.54
/* Below this a stated resolution is an aspect ratio written as dots per
   inch (JFIF 1:1 with units set), not a real one: 300 px would print at
   300 inches. */
#define MIN_BELIEVABLE_DPI 20.0

typedef enum Problem {
    IMG_OK,
    IMG_TRUNCATED,   /* the file ends too early */
    IMG_DAMAGED,     /* a header or structure that cannot be right */
    IMG_UNSUPPORTED, /* a JPEG kind PDF and cairo cannot take */
} Problem;

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const unsigned char PNG_SIGNATURE[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

static bool png_depth_fits(unsigned colour_type, unsigned depth)
{
    switch (colour_type) {
    case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
        return depth == 8 || depth == 16;
    default:
        return false;
    }
}

/* Walks the chunks (no decompression) from IHDR to IEND, so a file cut
   short is caught here and not as a half-drawn picture in the PDF. */
static Problem parse_png(WyImage *img)
{
    const unsigned char *b = img->bytes;
    size_t len = img->len, pos = sizeof PNG_SIGNATURE;
    bool seen_header = false, seen_data = false;
    for (;;) {
        if (len - pos < 8)
            return IMG_TRUNCATED;
        uint32_t chunk_len = be32(b + pos);
        const unsigned char *type = b + pos + 4;
        if (chunk_len > 0x7FFFFFFFu)
            return IMG_DAMAGED;
        if (len - pos - 8 < (size_t)chunk_len + 4)
            return IMG_TRUNCATED;
        const unsigned char *data = b + pos + 8;
        if (!seen_header) {
            if (memcmp(type, "IHDR", 4) != 0 || chunk_len != 13)
                return IMG_DAMAGED;
            img->width_px = be32(data);
            img->height_px = be32(data + 4);
            if (img->width_px > 0x7FFFFFFFu || img->height_px > 0x7FFFFFFFu || !png_depth_fits(data[9], data[8]) ||
                data[10] != 0 || data[11] != 0 || data[12] > 1)
                return IMG_DAMAGED;
            seen_header = true;
        } else if (memcmp(type, "pHYs", 4) == 0 && chunk_len == 9 && !seen_data) {
            if (data[8] == 1) /* unit: metre */
                img->dpi = be32(data) * METERS_PER_INCH;
        } else if (memcmp(type, "IDAT", 4) == 0) {
            seen_data = true;
        } else if (memcmp(type, "IEND", 4) == 0) {
            return seen_data ? IMG_OK : IMG_DAMAGED;
        }
        pos += 8 + (size_t)chunk_len + 4;
    }
}

static bool is_jpeg_frame_we_take(unsigned marker)
{
    return marker == 0xC0 || marker == 0xC1 || marker == 0xC2; /* baseline, extended, progressive */
}

static bool is_other_jpeg_frame(unsigned marker)
{
    /* lossless, hierarchical and arithmetic-coded frames */
    return marker == 0xC3 || (marker >= 0xC5 && marker <= 0xC7) || (marker >= 0xC9 && marker <= 0xCB) ||
           (marker >= 0xCD && marker <= 0xCF);
}

/* True when an EOI marker follows OFFSET. Entropy-coded data escapes 0xFF
   as FF 00, so FF D9 after the frame header is the end of the picture;
   bytes after it (some cameras append data) are allowed. */
static bool jpeg_has_end(const unsigned char *b, size_t len, size_t offset)
{
    for (size_t i = len; i >= offset + 2; i--)
        if (b[i - 2] == 0xFF && b[i - 1] == 0xD9)
            return true;
    return false;
}

static Problem parse_jpeg(WyImage *img)
{
    const unsigned char *b = img->bytes;
    size_t len = img->len, pos = 2;
    for (;;) {
        if (pos >= len)
            return IMG_TRUNCATED;
        if (b[pos] != 0xFF)
            return IMG_DAMAGED;
        while (pos < len && b[pos] == 0xFF)
            pos++; /* fill bytes */
        if (pos >= len)
            return IMG_TRUNCATED;
        unsigned marker = b[pos++];
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8))
            continue; /* markers without a length */
        if (marker == 0xD9 || marker == 0xDA)
            return IMG_DAMAGED; /* end of image or scan data before any frame header */
        if (len - pos < 2)
            return IMG_TRUNCATED;
        unsigned seg_len = be16(b + pos);
        if (seg_len < 2)
            return IMG_DAMAGED;
        if (len - pos < seg_len)
            return IMG_TRUNCATED;
        const unsigned char *seg = b + pos + 2;
        size_t body = seg_len - 2;
        if (marker == 0xE0 && body >= 12 && memcmp(seg, "JFIF\0", 5) == 0) {
            unsigned units = seg[7], x_density = be16(seg + 8);
            if (units == 1)
                img->dpi = x_density;
            else if (units == 2)
                img->dpi = x_density * CM_PER_INCH;
        } else if (is_jpeg_frame_we_take(marker)) {
            if (body < 6)
                return IMG_DAMAGED;
            if (seg[0] != 8)
                return IMG_UNSUPPORTED; /* 12-bit samples */
            img->height_px = be16(seg + 1);
            img->width_px = be16(seg + 3);
            img->components = seg[5];
            if (img->components != 1 && img->components != 3 && img->components != 4)
                return IMG_DAMAGED;
            return jpeg_has_end(b, len, pos + seg_len) ? IMG_OK : IMG_TRUNCATED;
        } else if (is_other_jpeg_frame(marker)) {
            return IMG_UNSUPPORTED;
        }
        pos += seg_len;
    }
}

/* Names formats people try to use, so the message says what the file is. */
static const char *other_format(const unsigned char *b, size_t len)
{
    if (len >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
        return "GIF";
    if (len >= 2 && memcmp(b, "BM", 2) == 0)
        return "BMP";
    if (len >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return "WebP";
    if (len >= 4 && (memcmp(b, "II*\0", 4) == 0 || memcmp(b, "MM\0*", 4) == 0))
        return "TIFF";
    if (len >= 12 && memcmp(b + 4, "ftyp", 4) == 0 &&
        (memcmp(b + 8, "heic", 4) == 0 || memcmp(b + 8, "heix", 4) == 0 || memcmp(b + 8, "mif1", 4) == 0))
        return "HEIC";
    if (len >= 4 && memcmp(b, "%PDF", 4) == 0)
        return "PDF";
    if (len >= 5 && (memcmp(b, "<svg", 4) == 0 || memcmp(b, "<?xml", 5) == 0))
        return "SVG";
    return NULL;
}

/* Reports a failed read at LOC in the reader's words minus its own
   "PATH: error: " prefix, keeping its kind (missing picture: input;
   unreadable disk: I/O). */
static void report_read_failure(const WyDiag *scratch, const char *path, WyLoc loc, WyDiag *d)
{
    const char *text = wy_buf_str(&scratch->text);
    const char *msg = strstr(text, ": error: ");
    msg = msg ? msg + strlen(": error: ") : text;
    int len = (int)strcspn(msg, "\n");
    if (scratch->status == WY_ERR_IO)
        wy_diag_io_error(d, loc, "picture %s: %.*s", path, len, msg);
    else
        wy_diag_error(d, loc, "picture %s: %.*s", path, len, msg);
}

static void report_problem(const WyImage *img, Problem problem, WyLoc loc, WyDiag *d)
{
    switch (problem) {
    case IMG_TRUNCATED:
        wy_diag_error(d, loc, "picture %s is cut short (the file is incomplete); copy or save it again", img->path);
        break;
    case IMG_DAMAGED:
        wy_diag_error(d, loc, "picture %s is damaged (its %s structure is not valid); save it again", img->path,
                      img->kind == WY_IMAGE_PNG ? "PNG" : "JPEG");
        break;
    case IMG_UNSUPPORTED:
        wy_diag_error(d, loc,
                      "picture %s is a kind of JPEG that cannot be printed (lossless, 12-bit or arithmetic-coded); "
                      "save it again as an ordinary JPEG",
                      img->path);
        break;
    case IMG_OK:
        break;
    }
}

/* The missing-file case is an input error at the reference: the editor
   wrote a name that is not there. */
static bool read_picture(const char *path, WyLoc loc, WyBuf *bytes, WyDiag *d)
{
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) {
        wy_diag_error(d, loc, "picture %s was not found", path);
        return false;
    }
    WyDiag scratch;
    wy_diag_init(&scratch, NULL);
    bool ok = wy_fsx_read(path, WY_INPUT_MAX_BYTES, bytes, &scratch);
    if (!ok)
        report_read_failure(&scratch, path, loc, d);
    wy_diag_release(&scratch);
    return ok;
}

WyImage *wy_image_load(const char *path, WyLoc loc, WyDiag *d)
{
    WyBuf bytes;
    wy_buf_init(&bytes);
    if (!read_picture(path, loc, &bytes, d)) {
        wy_buf_release(&bytes);
        return NULL;
    }
    WyImage *img = wy_xcalloc(1, sizeof *img);
    img->path = wy_xstrdup(path);
    img->len = bytes.len;
    img->bytes = (unsigned char *)wy_buf_steal(&bytes);
    const unsigned char *b = img->bytes;
    Problem problem;
    if (img->len == 0) {
        wy_diag_error(d, loc, "picture %s is an empty file", path);
        goto fail;
    } else if (img->len >= sizeof PNG_SIGNATURE && memcmp(b, PNG_SIGNATURE, sizeof PNG_SIGNATURE) == 0) {
        img->kind = WY_IMAGE_PNG;
        problem = parse_png(img);
    } else if (img->len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) {
        img->kind = WY_IMAGE_JPEG;
        problem = parse_jpeg(img);
    } else {
        const char *format = other_format(b, img->len);
        if (format)
            wy_diag_error(d, loc, "picture %s is a %s file; wenyin prints PNG and JPEG pictures: save it as one of those",
                          path, format);
        else
            wy_diag_error(d, loc, "picture %s is not a PNG or JPEG picture; save it as one of those", path);
        goto fail;
    }
    if (problem != IMG_OK) {
        report_problem(img, problem, loc, d);
        goto fail;
    }
    if (img->width_px == 0 || img->height_px == 0) {
        wy_diag_error(d, loc, "picture %s has no size (%u × %u pixels); it is damaged, save it again", path,
                      img->width_px, img->height_px);
        goto fail;
    }
    uint64_t pixels = (uint64_t)img->width_px * img->height_px;
    if (pixels > WY_IMAGE_MAX_PIXELS) {
        wy_diag_error(d, loc,
                      "picture %s is %u × %u pixels (%.0f megapixels); the limit is %u megapixels: make it smaller",
                      path, img->width_px, img->height_px, (double)pixels / 1e6, WY_IMAGE_MAX_PIXELS / 1000000u);
        goto fail;
    }
    if (img->dpi < MIN_BELIEVABLE_DPI)
        img->dpi = 0;
    return img;
fail:
    wy_image_free(img);
    return NULL;
}

void wy_image_free(WyImage *img)
{
    if (!img)
        return;
    free(img->path);
    free(img->bytes);
    free(img);
}

static double dpi_of(const WyImage *img)
{
    return img->dpi > 0 ? img->dpi : DEFAULT_DPI;
}

double wy_image_width_pt(const WyImage *img)
{
    return img->width_px * POINTS_PER_INCH / dpi_of(img);
}

double wy_image_height_pt(const WyImage *img)
{
    return img->height_px * POINTS_PER_INCH / dpi_of(img);
}
