/* Shrinking the CFF fonts of a PDF cairo wrote: the subroutines no glyph
   calls are emptied (render/cffprune) and the end of the PDF rewritten
   around the shorter streams (render/pdftail). Real fonts, a real cairo
   PDF, every glyph's outline compared through FreeType, the result read
   back by qpdf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/buf.h"
#include "render/cffprune.h"
#include "render/pdftail.h"

/* Glyph ids drawn: enough of Noto Serif CJK's Regular face that cairo
   1.16's own subroutine walk gives up and keeps them all (it does once
   900 and 911 are both in the subset). */
#define FIRST_GID 1
#define LAST_GID 1500

typedef struct Fixture {
    WyBuf pdf;      /* cairo's PDF */
    size_t stream;  /* where the CFF stream's data starts in it */
    size_t stream_len;
    unsigned char *cff; /* the CFF, inflated */
    size_t cff_len;
} Fixture;

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
    return wy_buf_append(closure, data, length) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_NO_MEMORY;
}

static cairo_font_face_t *noto_serif_cjk(void)
{
    FcPattern *p = FcNameParse((const FcChar8 *)"Noto Serif CJK SC");
    FcConfigSubstitute(NULL, p, FcMatchPattern);
    FcDefaultSubstitute(p);
    FcResult result;
    FcPattern *match = FcFontMatch(NULL, p, &result);
    FcPatternDestroy(p);
    if (!match)
        return NULL;
    cairo_font_face_t *face = cairo_ft_font_face_create_for_pattern(match);
    FcPatternDestroy(match);
    return face;
}

static unsigned char *inflate_stream(const unsigned char *in, size_t len, size_t *out_len)
{
    size_t cap = len * 8;
    unsigned char *out = malloc(cap);
    z_stream z = {0};
    inflateInit(&z);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    int rc = inflate(&z, Z_FINISH);
    *out_len = z.total_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    return out;
}

static const char *find(const WyBuf *b, size_t from, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = from; i + k <= b->len; i++)
        if (memcmp(b->data + i, needle, k) == 0)
            return b->data + i;
    return NULL;
}

static int setup(void **state)
{
    Fixture *fx = calloc(1, sizeof *fx);
    wy_buf_init(&fx->pdf);
    cairo_font_face_t *face = noto_serif_cjk();
    if (!face)
        return -1;
    cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(to_buf, &fx->pdf, 595, 842);
    cairo_t *cr = cairo_create(surface);
    cairo_set_font_face(cr, face);
    cairo_set_font_size(cr, 10);
    int per_line = 50;
    for (int gid = FIRST_GID; gid <= LAST_GID; gid++) {
        int k = gid - FIRST_GID;
        cairo_glyph_t g = {(unsigned long)gid, 20 + (k % per_line) * 11, 20 + (k / per_line) * 11};
        cairo_show_glyphs(cr, &g, 1);
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    cairo_font_face_destroy(face);
    const char *dict = find(&fx->pdf, 0, "/Subtype /CIDFontType0C");
    const char *data = dict ? find(&fx->pdf, (size_t)(dict - fx->pdf.data), "stream\n") : NULL;
    const char *end = data ? find(&fx->pdf, (size_t)(data - fx->pdf.data), "\nendstream") : NULL;
    if (!end)
        return -1;
    fx->stream = (size_t)(data + 7 - fx->pdf.data);
    fx->stream_len = (size_t)(end - (data + 7));
    fx->cff = inflate_stream((const unsigned char *)fx->pdf.data + fx->stream, fx->stream_len, &fx->cff_len);
    *state = fx;
    return fx->cff ? 0 : -1;
}

static int teardown(void **state)
{
    Fixture *fx = *state;
    wy_buf_release(&fx->pdf);
    free(fx->cff);
    free(fx);
    return 0;
}

/* Every glyph of the two bare CFF fonts has the same outline, in font units. */
static void assert_same_outlines(const unsigned char *a, size_t a_len, const unsigned char *b, size_t b_len)
{
    FT_Library lib;
    assert_int_equal(FT_Init_FreeType(&lib), 0);
    FT_Face fa, fb;
    assert_int_equal(FT_New_Memory_Face(lib, a, (FT_Long)a_len, 0, &fa), 0);
    assert_int_equal(FT_New_Memory_Face(lib, b, (FT_Long)b_len, 0, &fb), 0);
    assert_int_equal(fa->num_glyphs, fb->num_glyphs);
    assert_true(fa->num_glyphs > (LAST_GID - FIRST_GID) * 9 / 10);
    long points = 0;
    for (FT_Long gid = 0; gid < fa->num_glyphs; gid++) {
        assert_int_equal(FT_Load_Glyph(fa, (FT_UInt)gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
        assert_int_equal(FT_Load_Glyph(fb, (FT_UInt)gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING), 0);
        FT_Outline *oa = &fa->glyph->outline, *ob = &fb->glyph->outline;
        assert_int_equal(oa->n_points, ob->n_points);
        assert_int_equal(oa->n_contours, ob->n_contours);
        assert_memory_equal(oa->points, ob->points, sizeof *oa->points * (size_t)oa->n_points);
        assert_memory_equal(oa->tags, ob->tags, (size_t)oa->n_points);
        assert_memory_equal(oa->contours, ob->contours, sizeof *oa->contours * (size_t)oa->n_contours);
        assert_int_equal(fa->glyph->metrics.horiAdvance, fb->glyph->metrics.horiAdvance);
        points += oa->n_points;
    }
    assert_true(points > 10000); /* real ideographs, not empty boxes */
    FT_Done_Face(fa);
    FT_Done_Face(fb);
    FT_Done_FreeType(lib);
}

static void test_unused_subroutines_are_emptied_and_every_glyph_stays(void **state)
{
    Fixture *fx = *state;
    unsigned char *cff = malloc(fx->cff_len);
    memcpy(cff, fx->cff, fx->cff_len);
    long emptied = wy_cff_prune_subrs(cff, fx->cff_len);
    /* cairo kept Noto's 26,000 local subroutines: most are emptied */
    assert_true(emptied > 10000);
    assert_same_outlines(fx->cff, fx->cff_len, cff, fx->cff_len);
    /* the zeros compress: the stream is much smaller */
    uLongf packed = compressBound((uLong)fx->cff_len);
    unsigned char *z = malloc(packed);
    assert_int_equal(compress2(z, &packed, cff, (uLong)fx->cff_len, Z_DEFAULT_COMPRESSION), Z_OK);
    assert_true(packed * 2 < fx->stream_len);
    free(z);
    /* again: nothing left to empty */
    assert_int_equal(wy_cff_prune_subrs(cff, fx->cff_len), 0);
    free(cff);
}

static void test_damaged_fonts_are_left_as_they_are(void **state)
{
    Fixture *fx = *state;
    size_t cuts[] = {0, 1, 3, 4, 20, 100, 1000, fx->cff_len / 3, fx->cff_len / 2, fx->cff_len - 1};
    unsigned char *cff = malloc(fx->cff_len);
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        memcpy(cff, fx->cff, cuts[i]);
        assert_int_equal(wy_cff_prune_subrs(cff, cuts[i]), -1);
        assert_memory_equal(cff, fx->cff, cuts[i]); /* untouched */
    }
    /* not a CFF font at all */
    unsigned char junk[4096];
    srand(7);
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)rand();
    junk[0] = 1;
    junk[2] = 4;
    unsigned char copy[sizeof junk];
    memcpy(copy, junk, sizeof junk);
    assert_int_equal(wy_cff_prune_subrs(junk, sizeof junk), -1);
    assert_memory_equal(junk, copy, sizeof junk);
    free(cff);
}

/* The object offsets in PDF's cross-reference table point at `N 0 obj`,
   startxref at `xref`. */
static void assert_xref_sound(const WyBuf *pdf)
{
    const char *sx = NULL;
    for (const char *p = find(pdf, 0, "startxref\n"); p; p = find(pdf, (size_t)(p - pdf->data) + 1, "startxref\n"))
        sx = p;
    assert_non_null(sx);
    size_t xref = strtoul(sx + 10, NULL, 10);
    assert_true(xref < pdf->len);
    assert_memory_equal(pdf->data + xref, "xref\n0 ", 7);
    char *p;
    size_t count = strtoul(pdf->data + xref + 7, &p, 10);
    assert_true(count > 10);
    p++;
    for (size_t i = 0; i < count; i++, p += 20) {
        if (p[17] != 'n')
            continue;
        size_t off = strtoul(p, NULL, 10);
        char head[32];
        int n = snprintf(head, sizeof head, "%zu 0 obj\n", i);
        assert_true(off + (size_t)n <= pdf->len);
        assert_memory_equal(pdf->data + off, head, (size_t)n);
    }
}

static void qpdf_accepts(const WyBuf *pdf)
{
    char path[] = "/tmp/wenyin-pdftail-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    unlink(path);
}

static void test_tail_is_rewritten_around_the_shorter_font(void **state)
{
    Fixture *fx = *state;
    WyBuf whole;
    wy_buf_init(&whole);
    wy_buf_append(&whole, fx->pdf.data, fx->pdf.len);
    size_t saved = wy_pdf_tail_shrink_fonts(&whole, 0);
    assert_true(saved > fx->stream_len / 2);
    assert_int_equal(whole.len, fx->pdf.len - saved);
    assert_memory_equal(whole.data, fx->pdf.data, fx->stream); /* what comes before the font is untouched */
    assert_xref_sound(&whole);
    qpdf_accepts(&whole);
    /* the stream now holds the emptied font, and its /Length says so */
    const char *end = find(&whole, fx->stream, "\nendstream");
    size_t len = (size_t)(end - whole.data) - fx->stream, cff_len;
    unsigned char *cff = inflate_stream((const unsigned char *)whole.data + fx->stream, len, &cff_len);
    assert_non_null(cff);
    assert_int_equal(cff_len, fx->cff_len);
    assert_same_outlines(fx->cff, fx->cff_len, cff, cff_len);
    free(cff);
    char length[32];
    snprintf(length, sizeof length, "\n   %zu\nendobj", len);
    assert_non_null(find(&whole, fx->stream, length));

    /* a tail that starts before the font: the same bytes as the whole file */
    size_t base = fx->stream - 200;
    WyBuf tail;
    wy_buf_init(&tail);
    wy_buf_append(&tail, fx->pdf.data + base, fx->pdf.len - base);
    assert_int_equal(wy_pdf_tail_shrink_fonts(&tail, base), saved);
    assert_int_equal(base + tail.len, whole.len);
    assert_memory_equal(tail.data, whole.data + base, tail.len);
    wy_buf_release(&tail);
    wy_buf_release(&whole);
}

/* Fed the way cairo writes, in pieces of any size: the font is spotted as
   soon as its stream is complete, shrunk on a thread, and the tail comes
   out byte for byte as the one shrunk all at once. */
static void test_fonts_are_shrunk_while_the_tail_comes(void **state)
{
    Fixture *fx = *state;
    WyBuf whole;
    wy_buf_init(&whole);
    wy_buf_append(&whole, fx->pdf.data, fx->pdf.len);
    assert_true(wy_pdf_tail_shrink_fonts(&whole, 0) > 0);
    size_t base = fx->stream - 300;
    size_t pieces[] = {1, 7, 100, 4096, 1 << 20};
    for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
        WyPdfTail *t = wy_pdf_tail_new();
        size_t ahead_before_end = 0;
        for (size_t at = base; at < fx->pdf.len; at += pieces[i]) {
            size_t n = fx->pdf.len - at < pieces[i] ? fx->pdf.len - at : pieces[i];
            assert_true(wy_pdf_tail_append(t, fx->pdf.data + at, n));
            if (at + n < fx->pdf.len)
                ahead_before_end = wy_pdf_tail_fonts_ahead(t);
        }
        if (pieces[i] < fx->pdf.len - fx->stream - fx->stream_len)
            assert_int_equal(ahead_before_end, 1); /* handed over before the file ended */
        assert_int_equal(wy_pdf_tail_len(t), fx->pdf.len - base);
        const WyBuf *out = wy_pdf_tail_finish(t, base);
        assert_int_equal(base + out->len, whole.len);
        assert_memory_equal(out->data, whole.data + base, out->len);
        wy_pdf_tail_free(t);
    }
    /* freed without finishing, the thread still at work */
    WyPdfTail *t = wy_pdf_tail_new();
    assert_true(wy_pdf_tail_append(t, fx->pdf.data, fx->pdf.len));
    wy_pdf_tail_free(t);
    wy_buf_release(&whole);
}

static void test_tails_not_understood_are_left_alone(void **state)
{
    Fixture *fx = *state;
    /* a tail starting after the font: nothing to shrink in it */
    size_t base = fx->stream + fx->stream_len;
    WyBuf tail;
    wy_buf_init(&tail);
    wy_buf_append(&tail, fx->pdf.data + base, fx->pdf.len - base);
    assert_int_equal(wy_pdf_tail_shrink_fonts(&tail, base), 0);
    assert_int_equal(tail.len, fx->pdf.len - base);
    assert_memory_equal(tail.data, fx->pdf.data + base, tail.len);
    /* cut anywhere, or not a PDF: untouched */
    size_t cuts[] = {fx->pdf.len - 5, fx->pdf.len - 40, fx->pdf.len / 2, 10};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        wy_buf_clear(&tail);
        wy_buf_append(&tail, fx->pdf.data, cuts[i]);
        assert_int_equal(wy_pdf_tail_shrink_fonts(&tail, 0), 0);
        assert_int_equal(tail.len, cuts[i]);
        assert_memory_equal(tail.data, fx->pdf.data, cuts[i]);
    }
    wy_buf_clear(&tail);
    wy_buf_puts(&tail, "startxref\n12\n%%EOF\n");
    assert_int_equal(wy_pdf_tail_shrink_fonts(&tail, 0), 0);
    wy_buf_release(&tail);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unused_subroutines_are_emptied_and_every_glyph_stays),
        cmocka_unit_test(test_damaged_fonts_are_left_as_they_are),
        cmocka_unit_test(test_tail_is_rewritten_around_the_shorter_font),
        cmocka_unit_test(test_fonts_are_shrunk_while_the_tail_comes),
        cmocka_unit_test(test_tails_not_understood_are_left_alone),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
