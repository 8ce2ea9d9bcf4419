/* Picture headers: size, resolution and components read from real PNG and
   JPEG files (tests/unit/fixtures/data, made by make-fixtures.py), and the
   broken, foreign and oversized files refused at the reference's place. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "data/image.h"

#define FIXTURES "tests/unit/fixtures/data/"

static const WyLoc REFERENCE = {"issue/01.md", 12, 3};

static WyImage *load_ok(const char *path)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyImage *img = wy_image_load(path, REFERENCE, &d);
    if (!img)
        fail_msg("unexpected error: %s", wy_buf_str(&d.text));
    assert_false(wy_diag_failed(&d));
    wy_diag_release(&d);
    return img;
}

/* PATH must be refused with an error at REFERENCE containing EXPECTED. */
static void assert_refused(const char *path, const char *expected, int exit_code)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_null(wy_image_load(path, REFERENCE, &d));
    assert_int_equal(wy_diag_exit_code(&d), exit_code);
    const char *text = wy_buf_str(&d.text);
    assert_true(strncmp(text, "issue/01.md:12:3: error: picture ", 33) == 0);
    if (!strstr(text, expected))
        fail_msg("expected \"%s\" in \"%s\"", expected, text);
    wy_diag_release(&d);
}

static void png_header_and_resolution(void **state)
{
    (void)state;
    WyImage *img = load_ok(FIXTURES "photo-300dpi.png");
    assert_int_equal(img->kind, WY_IMAGE_PNG);
    assert_int_equal(img->width_px, 3);
    assert_int_equal(img->height_px, 2);
    assert_float_equal(img->dpi, 11811 * 0.0254, 1e-9); /* pHYs 11811 px/m */
    assert_int_equal(img->components, 0);
    assert_int_equal(img->len, 107);
    assert_memory_equal(img->bytes, "\x89PNG", 4);
    assert_string_equal(img->path, FIXTURES "photo-300dpi.png");
    assert_float_equal(wy_image_width_pt(img), 3 * 72.0 / (11811 * 0.0254), 1e-9);
    assert_float_equal(wy_image_height_pt(img), 0.48, 1e-4);
    wy_image_free(img);

    img = load_ok(FIXTURES "gray-nodpi.png");
    assert_int_equal(img->width_px, 1);
    assert_float_equal(img->dpi, 0, 0);
    assert_float_equal(wy_image_width_pt(img), 0.75, 1e-12); /* 96 dpi */
    wy_image_free(img);
}

static void jpeg_header_density_and_components(void **state)
{
    (void)state;
    WyImage *img = load_ok(FIXTURES "photo-150dpi.jpg");
    assert_int_equal(img->kind, WY_IMAGE_JPEG);
    assert_int_equal(img->width_px, 16);
    assert_int_equal(img->height_px, 8);
    assert_int_equal(img->components, 3);
    assert_float_equal(img->dpi, 150, 0);
    assert_float_equal(wy_image_width_pt(img), 7.68, 1e-9);
    assert_float_equal(wy_image_height_pt(img), 3.84, 1e-9);
    wy_image_free(img);

    /* progressive greyscale; JFIF density 1:1 with no unit is not a resolution */
    img = load_ok(FIXTURES "gray-progressive.jpg");
    assert_int_equal(img->width_px, 5);
    assert_int_equal(img->height_px, 7);
    assert_int_equal(img->components, 1);
    assert_float_equal(img->dpi, 0, 0);
    wy_image_free(img);
}

static void jpeg_density_in_dots_per_cm(void **state)
{
    (void)state;
    FILE *f = fopen(FIXTURES "photo-150dpi.jpg", "rb");
    assert_non_null(f);
    unsigned char bytes[4096];
    size_t len = fread(bytes, 1, sizeof bytes, f);
    fclose(f);
    assert_memory_equal(bytes + 6, "JFIF", 4);
    bytes[13] = 2;                    /* units: dots per centimetre */
    bytes[14] = 0, bytes[15] = 118;   /* 118 dots/cm */
    WyImage *img = load_ok(tmp_write("cm.jpg", bytes, len));
    assert_float_equal(img->dpi, 118 * 2.54, 1e-9);
    wy_image_free(img);
}

static void broken_and_foreign_files_are_refused(void **state)
{
    (void)state;
    assert_refused(FIXTURES "cut.png", "tests/unit/fixtures/data/cut.png is cut short (the file is incomplete)", 1);
    assert_refused(FIXTURES "cut.jpg", "cut.jpg is cut short", 1);
    assert_refused(FIXTURES "zero-width.png", "zero-width.png has no size (0 × 5 pixels)", 1);
    assert_refused(FIXTURES "fake.gif", "fake.gif is a GIF file; wenyin prints PNG and JPEG pictures", 1);
    assert_refused(FIXTURES "no-such-picture.jpg", "no-such-picture.jpg was not found", 1);
    assert_refused(tmp_write("empty.png", "", 0), "empty.png is an empty file", 1);
    assert_refused(tmp_write("text.jpg", "hello", 5), "text.jpg is not a PNG or JPEG picture", 1);
    assert_refused(tmp_dir, "is a folder", 3);
    /* a lossless JPEG (SOF3) cannot go into a PDF as it is */
    static const unsigned char lossless[] = {0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x0B, 0x08, 0x00, 0x10, 0x00,
                                             0x10, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9};
    assert_refused(tmp_write("lossless.jpg", lossless, sizeof lossless), "lossless.jpg is a kind of JPEG", 1);
    /* a PNG whose first chunk is not IHDR */
    static const unsigned char no_header[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0,
                                              'I',  'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    assert_refused(tmp_write("noheader.png", no_header, sizeof no_header), "noheader.png is damaged", 1);
}

static void pixel_count_is_capped_before_decoding(void **state)
{
    (void)state;
    assert_refused(FIXTURES "huge.png",
                   "huge.png is 20000 × 20000 pixels (400 megapixels); the limit is 50 megapixels: make it smaller", 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(png_header_and_resolution),
        cmocka_unit_test(jpeg_header_density_and_components),
        cmocka_unit_test(jpeg_density_in_dots_per_cm),
        cmocka_unit_test(broken_and_foreign_files_are_refused),
        cmocka_unit_test(pixel_count_is_capped_before_decoding),
    };
    return cmocka_run_group_tests(tests, make_tmp_dir, remove_tmp_dir);
}
