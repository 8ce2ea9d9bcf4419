/* Unit tests for src/render: PDF, PNG and SVG output from hand-built pages,
   checked with poppler-utils and qpdf, and the pictures decoded for them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cairo.h>
#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/fsx.h"
#include "base/mem.h"
#include "layout/pages.h"
#include "render/outline.h"
#include "render/pagefiles.h"
#include "render/picture.h"
#include "render/render.h"
#include "render/stream.h"
#include "fonts_support.h"

#define FIXTURES "tests/unit/fixtures/render/"
#define A5_WIDTH_PT (148.0 * WY_PT_PER_MM)
#define A5_HEIGHT_PT (210.0 * WY_PT_PER_MM)
#define CREATED_2024_03_01_0800_UTC 1709280000
#define TITLE "德清社工 2024年第3期"
#define SERIF_16 "Noto Serif CJK SC 16"

/* ---- Fixtures: pages built by hand ----------------------------------- */

typedef struct Fixture {
    char dir[64];             /* temp folder, removed after each test */
    PangoContext *pango;
    WyImage blue_jpg, gray_jpg, cmyk_jpg, gradient_jpg, red_png;
    WyPages pages;
    WyDiag diag;
} Fixture;

static void load_image(WyImage *img, const char *name, WyImageKind kind)
{
    WyDiag d;
    wy_diag_init(&d, stderr);
    WyBuf bytes;
    wy_buf_init(&bytes);
    memset(img, 0, sizeof *img);
    img->path = wy_xstrdup(name);
    assert_true(wy_fsx_read(name, WY_INPUT_MAX_BYTES, &bytes, &d));
    img->kind = kind;
    img->len = bytes.len;
    img->bytes = (unsigned char *)wy_buf_steal(&bytes);
    wy_diag_release(&d);
}

static void free_image(WyImage *img)
{
    free(img->bytes);
    free(img->path);
}

/* A one-line layout of MARKUP (pango markup, so runs can carry colours). */
static PangoLayout *layout_line(Fixture *fx, const char *font_name, const char *markup)
{
    PangoLayout *layout = pango_layout_new(fx->pango);
    PangoFontDescription *font = pango_font_description_from_string(font_name);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    pango_layout_set_markup(layout, markup, -1);
    return layout;
}

static WyItem *add_item(WyPage *page, WyItemKind kind, double x, double y, double w, double h)
{
    if (page->n_items == page->cap_items) {
        page->cap_items = page->cap_items ? 2 * page->cap_items : 8;
        page->items = wy_xrealloc(page->items, page->cap_items * sizeof *page->items);
    }
    WyItem *item = &page->items[page->n_items++];
    memset(item, 0, sizeof *item);
    item->kind = kind;
    item->x = x;
    item->y = y;
    item->w = w;
    item->h = h;
    item->fill = item->stroke = WY_COLOR_NONE;
    item->loc = wy_loc("bulletin.xml", 12, 3);
    return item;
}

static void add_text(Fixture *fx, WyPage *page, double x, double baseline_y, const char *font, const char *markup)
{
    WyItem *item = add_item(page, WY_ITEM_TEXT, x, baseline_y, 0, 0);
    item->layout = layout_line(fx, font, markup);
    item->line_index = 0;
}

static void add_picture(WyPage *page, const WyImage *img, double x, double y, double w, double h)
{
    add_item(page, WY_ITEM_IMAGE, x, y, w, h)->image = img;
}

static void add_bookmark(WyPages *pages, const char *title, int level, int page_index, double y_pt)
{
    WyOutlineEntry *e = &pages->outline[pages->n_outline++];
    e->title = wy_arena_strdup(&pages->arena, title);
    e->level = level;
    e->page_index = page_index;
    e->y_pt = y_pt;
}

/* Page 1: A4 with text (one line blue), a green box, a red rule. Page 2:
   A5 with text in two faces.
   Three bookmarks: 第一章 社工站 (with 品牌项目 under it) on page 1,
   领军人才 on page 2. */
static void build_pages(Fixture *fx)
{
    WyPages *p = &fx->pages;
    memset(p, 0, sizeof *p);
    wy_arena_init(&p->arena);
    p->n_pages = 2;
    p->pages = wy_xcalloc(2, sizeof *p->pages);
    p->pages[0] = (WyPage){.width_pt = A4_WIDTH_PT, .height_pt = A4_HEIGHT_PT, .number = 1};
    p->pages[1] = (WyPage){.width_pt = A5_WIDTH_PT, .height_pt = A5_HEIGHT_PT, .number = 2};

    add_text(fx, &p->pages[0], 72, 100, SERIF_16, "社工用PDF排版 2611名");
    add_text(fx, &p->pages[0], 72, 250, SERIF_16, "<span foreground=\"#0000FF\">蓝色标题</span>");
    WyItem *box = add_item(&p->pages[0], WY_ITEM_RECT, 72, 700, 100, 20);
    box->fill = 0x00FF00;
    box->stroke = 0x000000;
    box->stroke_width = 0.5;
    WyItem *rule = add_item(&p->pages[0], WY_ITEM_LINE, 72, 150, 450, 0);
    rule->stroke = 0xFF0000;
    rule->stroke_width = 2;
    add_text(fx, &p->pages[1], 50, 80, SERIF_16, "（据浙江省民政厅）1.6万元");
    add_text(fx, &p->pages[1], 50, 120, "Noto Sans CJK SC Bold 12", "Stations 社工站 90%以上");

    p->outline = WY_ARENA_ARRAY(&p->arena, WyOutlineEntry, 8);
    add_bookmark(p, "第一章 社工站", 1, 0, 100);
    add_bookmark(p, "品牌项目", 2, 0, 300);
    add_bookmark(p, "领军人才", 1, 1, 50);

    p->meta.title = wy_arena_strdup(&p->arena, TITLE);
    p->meta.author = wy_arena_strdup(&p->arena, "德清县民政局");
    p->meta.subject = wy_arena_strdup(&p->arena, "工作通讯");
    p->meta.keywords = wy_arena_strdup(&p->arena, "社工站, 品牌项目");
}

static void free_pages(WyPages *p)
{
    for (size_t i = 0; i < p->n_pages; i++) {
        for (size_t j = 0; j < p->pages[i].n_items; j++)
            if (p->pages[i].items[j].layout)
                g_object_unref(p->pages[i].items[j].layout);
        free(p->pages[i].items);
    }
    free(p->pages);
    wy_arena_release(&p->arena);
}

static int setup(void **state)
{
    Fixture *fx = wy_xcalloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/wy-render-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    fx->pango = pango_font_map_create_context(pango_cairo_font_map_get_default());
    pango_context_set_language(fx->pango, pango_language_from_string("zh-cn"));
    load_image(&fx->blue_jpg, FIXTURES "blue.jpg", WY_IMAGE_JPEG);
    load_image(&fx->gray_jpg, FIXTURES "gray.jpg", WY_IMAGE_JPEG);
    load_image(&fx->cmyk_jpg, FIXTURES "cmyk.jpg", WY_IMAGE_JPEG);
    load_image(&fx->gradient_jpg, FIXTURES "gradient.jpg", WY_IMAGE_JPEG);
    load_image(&fx->red_png, FIXTURES "red.png", WY_IMAGE_PNG);
    build_pages(fx);
    wy_diag_init(&fx->diag, NULL);
    *state = fx;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    Fixture *fx = *state;
    wy_render_stream_fail_after(0, 0);
    nftw(fx->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free_pages(&fx->pages);
    free_image(&fx->blue_jpg);
    free_image(&fx->gray_jpg);
    free_image(&fx->cmyk_jpg);
    free_image(&fx->gradient_jpg);
    free_image(&fx->red_png);
    g_object_unref(fx->pango);
    wy_diag_release(&fx->diag);
    free(fx);
    return 0;
}

/* ---- Helpers ----------------------------------------------------------- */

static char *in_dir(const Fixture *fx, const char *name)
{
    return wy_fsx_join(fx->dir, name);
}

/* Runs CMD (output into OUT) and returns its exit status. */
static int run(WyBuf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(WyBuf *out, const char *fmt, ...)
{
    WyBuf cmd;
    wy_buf_init(&cmd);
    va_list ap;
    va_start(ap, fmt);
    wy_buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    wy_buf_clear(out);
    FILE *pipe = popen(wy_buf_str(&cmd), "r");
    assert_non_null(pipe);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, pipe)) > 0)
        wy_buf_append(out, chunk, n);
    int status = pclose(pipe);
    wy_buf_release(&cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static size_t count_occurrences(const WyBuf *haystack, const char *needle)
{
    size_t count = 0, needle_len = strlen(needle);
    const char *end = haystack->data + haystack->len;
    for (const char *p = memmem(haystack->data, haystack->len, needle, needle_len); p;
         p = memmem(p + 1, (size_t)(end - p - 1), needle, needle_len))
        count++;
    return count;
}

/* The sorted names in DIR, joined by spaces: shows a stray temp file. */
static char *list_dir(const char *dir)
{
    struct dirent **entries;
    int n = scandir(dir, &entries, NULL, alphasort);
    assert_true(n >= 0);
    WyBuf names;
    wy_buf_init(&names);
    for (int i = 0; i < n; i++) {
        if (strcmp(entries[i]->d_name, ".") != 0 && strcmp(entries[i]->d_name, "..") != 0)
            wy_buf_printf(&names, "%s%s", names.len ? " " : "", entries[i]->d_name);
        free(entries[i]);
    }
    free(entries);
    wy_buf_puts(&names, "");
    return wy_buf_steal(&names);
}

static void assert_dir_holds(const Fixture *fx, const char *expected)
{
    char *names = list_dir(fx->dir);
    assert_string_equal(names, expected);
    free(names);
}

static void read_file(const char *path, WyBuf *out)
{
    WyDiag d;
    wy_diag_init(&d, stderr);
    assert_true(wy_fsx_read(path, WY_INPUT_MAX_BYTES, out, &d));
    wy_diag_release(&d);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void assert_file_is(const char *path, const char *text)
{
    WyBuf b;
    wy_buf_init(&b);
    read_file(path, &b);
    assert_string_equal(wy_buf_str(&b), text);
    wy_buf_release(&b);
}

static WyRenderOptions options(void)
{
    WyRenderOptions opt = {.creation_time = CREATED_2024_03_01_0800_UTC, .png_dpi = 0, .only_page = 0};
    return opt;
}

static char *render_pdf(Fixture *fx, const char *name)
{
    char *path = in_dir(fx, name);
    WyRenderOptions opt = options();
    bool ok = wy_render_pdf(&fx->pages, &opt, path, &fx->diag);
    if (!ok)
        fprintf(stderr, "%s", wy_buf_str(&fx->diag.text));
    assert_true(ok);
    return path;
}

/* The value of "KEY:" in pdfinfo's output. */
static char *pdfinfo_field(const char *info, const char *key)
{
    const char *line = strstr(info, key);
    assert_non_null(line);
    const char *value = line + strlen(key);
    while (*value == ' ')
        value++;
    return wy_xstrndup(value, strcspn(value, "\n"));
}

/* ---- PDF ----------------------------------------------------------------- */

static void test_pdf_text_round_trips(void **state)
{
    Fixture *fx = *state;
    char *pdf = render_pdf(fx, "issue.pdf");
    WyBuf out;
    wy_buf_init(&out);
    assert_int_equal(run(&out, "pdftotext -enc UTF-8 '%s' - 2>&1", pdf), 0);
    assert_non_null(strstr(wy_buf_str(&out), "社工用PDF排版"));
    assert_non_null(strstr(wy_buf_str(&out), "2611名"));
    assert_non_null(strstr(wy_buf_str(&out), "据浙江省民政厅"));
    assert_non_null(strstr(wy_buf_str(&out), "Stations 社工站 90%以上"));
    assert_dir_holds(fx, "issue.pdf");
    wy_buf_release(&out);
    free(pdf);
}

/* pdffonts prints one row per font; the emb and sub columns start where the
   header's do (font types such as "CID Type 0C" contain spaces). */
static void test_pdf_fonts_are_embedded_subsets(void **state)
{
    Fixture *fx = *state;
    char *pdf = render_pdf(fx, "issue.pdf");
    WyBuf out;
    wy_buf_init(&out);
    assert_int_equal(run(&out, "pdffonts '%s' 2>&1", pdf), 0);
    const char *text = wy_buf_str(&out);
    const char *header_emb = strstr(text, "emb sub");
    assert_non_null(header_emb);
    size_t emb_col = (size_t)(header_emb - text);
    const char *rule = strchr(text, '\n') + 1;
    const char *row = strchr(rule, '\n') + 1;
    int embedded = 0;
    for (; *row; row = strchr(row, '\n') + 1) {
        size_t len = strcspn(row, "\n");
        assert_true(len > emb_col + 7);
        assert_memory_equal(row + emb_col, "yes yes", 7);
        assert_non_null(memchr(row, '+', strcspn(row, " "))); /* subset tag ABCDEF+Name */
        embedded++;
    }
    assert_true(embedded >= 1);
    assert_non_null(strstr(text, "NotoSerifCJK"));
    wy_buf_release(&out);
    free(pdf);
}

static void test_pdf_passes_qpdf_check(void **state)
{
    Fixture *fx = *state;
    char *pdf = render_pdf(fx, "issue.pdf");
    WyBuf out;
    wy_buf_init(&out);
    assert_int_equal(run(&out, "qpdf --check '%s' 2>&1", pdf), 0);
    assert_non_null(strstr(wy_buf_str(&out), "No syntax or stream encoding errors"));
    wy_buf_release(&out);
    free(pdf);
}

static void test_pdf_metadata_and_page_sizes(void **state)
{
    Fixture *fx = *state;
    char *pdf = render_pdf(fx, "issue.pdf");
    WyBuf out;
    wy_buf_init(&out);
    assert_int_equal(run(&out, "pdfinfo -isodates -f 1 -l 2 '%s' 2>&1", pdf), 0);
    const char *info = wy_buf_str(&out);
    char *title = pdfinfo_field(info, "Title:");
    char *author = pdfinfo_field(info, "Author:");
    char *creator = pdfinfo_field(info, "Creator:");
    char *created = pdfinfo_field(info, "CreationDate:");
    char *modified = pdfinfo_field(info, "ModDate:");
    char *pages = pdfinfo_field(info, "Pages:");
    assert_string_equal(title, TITLE);
    assert_string_equal(author, "德清县民政局");
    assert_string_equal(creator, "wenyin " WY_VERSION);
    assert_string_equal(created, "2024-03-01T08:00:00Z");
    assert_string_equal(modified, "2024-03-01T08:00:00Z");
    assert_string_equal(pages, "2");
    assert_non_null(strstr(info, "Page    1 size:  595.276 x 841.89 pts (A4)"));
    assert_non_null(strstr(info, "Page    2 size:  419.528 x 595.276 pts\n"));
    free(title), free(author), free(creator), free(created), free(modified), free(pages);
    wy_buf_release(&out);
    free(pdf);
}

/* qpdf --json lists the outline as a tree, keys sorted, two more spaces of
   indent per level: each entry's destination [page /XYZ left top zoom],
   its page, its kids, then its title. */
static void test_pdf_outline_is_nested(void **state)
{
    Fixture *fx = *state;
    /* A level 3 straight after a level 1 nests under it, as a level 2. */
    add_bookmark(&fx->pages, "服务成效", 3, 1, 200);
    char *pdf = render_pdf(fx, "issue.pdf");
    WyBuf out;
    wy_buf_init(&out);
    assert_int_equal(run(&out, "qpdf --json --json-key=outlines '%s' 2>&1", pdf), 0);
    const char *json = wy_buf_str(&out);
    /* Top-level entries at 6 spaces, their kids at 10. */
    assert_non_null(strstr(json, "\n      \"title\": \"第一章 社工站\""));
    assert_non_null(strstr(json, "\n          \"title\": \"品牌项目\""));
    assert_non_null(strstr(json, "\n      \"title\": \"领军人才\""));
    assert_non_null(strstr(json, "\n          \"title\": \"服务成效\""));
    assert_int_equal(count_occurrences(&out, "\"title\""), 4);
    /* 品牌项目 is inside 第一章's kids: between that entry's "kids" and its title. */
    const char *first_kids = strstr(json, "\"kids\": [\n");
    const char *brand = strstr(json, "品牌项目");
    assert_true(first_kids && brand > first_kids && brand < strstr(json, "第一章"));
    /* pos is in the page's top-down space; cairo writes top = height − y:
       841.889764 − 100, − 300 on page 1; 595.275591 − 50 on page 2. */
    assert_non_null(strstr(json, "\"/XYZ\",\n        0,\n        741.889764,"));
    assert_non_null(strstr(json, "\"/XYZ\",\n            0,\n            541.889764,"));
    assert_non_null(strstr(json, "\"/XYZ\",\n        0,\n        545.275591,"));
    assert_non_null(strstr(json, "\"/XYZ\",\n            0,\n            395.275591,"));
    const char *brand_end = strstr(json, "第一章");
    assert_true(strstr(json, "服务成效") > brand_end && strstr(json, "服务成效") < strstr(json, "领军人才"));

    /* Level 1 is open: each /Count is +1 (its one kid), not −1. */
    assert_int_equal(run(&out, "qpdf --qdf --object-streams=disable '%s' -", pdf), 0);
    assert_int_equal(count_occurrences(&out, "/Type /Outlines"), 1);
    assert_int_equal(count_occurrences(&out, "  /Count 1\n  /Dest ["), 2);
    wy_buf_release(&out);
    free(pdf);
}

static void assert_same_bytes(const char *path_a, const char *path_b)
{
    WyBuf a, b;
    wy_buf_init(&a);
    wy_buf_init(&b);
    read_file(path_a, &a);
    read_file(path_b, &b);
    assert_true(a.len > 1000);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    wy_buf_release(&a);
    wy_buf_release(&b);
}

/* Twice in this process, and once in another (other addresses, so any
   order taken from a pointer hash would show). */
static void test_pdf_is_byte_identical_across_runs(void **state)
{
    Fixture *fx = *state;
    char *first = render_pdf(fx, "a.pdf");
    char *second = render_pdf(fx, "b.pdf");
    assert_same_bytes(first, second);

    char self[4096];
    ssize_t self_len = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(self_len > 0);
    self[self_len] = '\0';
    char *other_process = in_dir(fx, "c.pdf");
    WyBuf out;
    wy_buf_init(&out);
    assert_int_equal(run(&out, "'%s' --render-pdf '%s' 2>&1", self, other_process), 0);
    assert_same_bytes(first, other_process);

    /* The date in it is ours, not the clock's. */
    read_file(first, &out);
    assert_non_null(memmem(out.data, out.len, "/CreationDate (20240301080000Z)", 31));
    WyRenderOptions later = options();
    later.creation_time += 86400;
    char *next_day = in_dir(fx, "d.pdf");
    assert_true(wy_render_pdf(&fx->pages, &later, next_day, &fx->diag));
    WyBuf changed;
    wy_buf_init(&changed);
    read_file(next_day, &changed);
    assert_non_null(memmem(changed.data, changed.len, "/CreationDate (20240302080000Z)", 31));
    assert_int_equal(changed.len, out.len);
    wy_buf_release(&changed);
    wy_buf_release(&out);
    free(first), free(second), free(other_process), free(next_day);
}

/* Page by page through the writer: the bytes of wy_render_pdf; abandoned
   after some pages (layout failed later on), the previous file stays. */
static void test_pdf_writer_streams_pages(void **state)
{
    Fixture *fx = *state;
    char *whole = render_pdf(fx, "whole.pdf");
    char *streamed = in_dir(fx, "streamed.pdf");
    WyRenderOptions opt = options();
    WyPdfWriter *w = wy_pdf_writer_open(streamed, &fx->pages.meta, &opt, &fx->diag);
    assert_non_null(w);
    for (size_t i = 0; i < fx->pages.n_pages; i++)
        assert_true(wy_pdf_writer_add_page(w, &fx->pages.pages[i], &fx->diag));
    assert_int_equal(wy_pdf_writer_page_count(w), fx->pages.n_pages);
    assert_true(wy_pdf_writer_finish(w, fx->pages.outline, fx->pages.n_outline, &fx->diag));
    assert_same_bytes(whole, streamed);

    write_file(streamed, "the previous issue");
    w = wy_pdf_writer_open(streamed, &fx->pages.meta, &opt, &fx->diag);
    assert_non_null(w);
    assert_true(wy_pdf_writer_add_page(w, &fx->pages.pages[0], &fx->diag));
    wy_pdf_writer_abort(w);
    assert_file_is(streamed, "the previous issue");
    assert_dir_holds(fx, "streamed.pdf whole.pdf");

    /* nothing added: an internal error, and still the previous file */
    WyDiag d;
    wy_diag_init(&d, NULL);
    w = wy_pdf_writer_open(streamed, &fx->pages.meta, &opt, &d);
    assert_false(wy_pdf_writer_finish(w, NULL, 0, &d));
    assert_non_null(strstr(wy_buf_str(&d.text), "internal error: the document has no pages"));
    assert_file_is(streamed, "the previous issue");
    assert_dir_holds(fx, "streamed.pdf whole.pdf");
    wy_diag_release(&d);
    free(whole);
    free(streamed);
}

static void test_pdf_date_before_1970_is_refused(void **state)
{
    Fixture *fx = *state;
    char *path = in_dir(fx, "issue.pdf");
    WyRenderOptions opt = options();
    opt.creation_time = -1;
    assert_false(wy_render_pdf(&fx->pages, &opt, path, &fx->diag));
    assert_int_equal(fx->diag.status, WY_ERR_USAGE);
    assert_non_null(strstr(wy_buf_str(&fx->diag.text), "the document date (-1 seconds since 1970) is out of range"));
    assert_dir_holds(fx, "");
    free(path);
}

static void test_pdf_into_missing_folder_fails_cleanly(void **state)
{
    Fixture *fx = *state;
    char *path = in_dir(fx, "missing/issue.pdf");
    WyRenderOptions opt = options();
    assert_false(wy_render_pdf(&fx->pages, &opt, path, &fx->diag));
    assert_int_equal(fx->diag.status, WY_ERR_IO);
    assert_int_equal(wy_diag_exit_code(&fx->diag), 3);
    assert_non_null(strstr(wy_buf_str(&fx->diag.text), path));
    assert_non_null(strstr(wy_buf_str(&fx->diag.text), "cannot write here"));
    assert_dir_holds(fx, "");
    free(path);
}

/* A full disk halfway through: the old file stays byte for byte, no temp
   file is left, and the message names the disk's complaint. */
static void test_pdf_write_error_keeps_previous_file(void **state)
{
    Fixture *fx = *state;
    char *path = in_dir(fx, "issue.pdf");
    write_file(path, "the previous issue");
    static const size_t fail_after[] = {0, 2000, 20000};
    for (size_t i = 0; i < sizeof fail_after / sizeof *fail_after; i++) {
        WyDiag d;
        wy_diag_init(&d, NULL);
        wy_render_stream_fail_after(fail_after[i], ENOSPC);
        WyRenderOptions opt = options();
        assert_false(wy_render_pdf(&fx->pages, &opt, path, &d));
        wy_render_stream_fail_after(0, 0);
        assert_int_equal(d.status, WY_ERR_IO);
        assert_int_equal(d.errors, 1);
        if (!strstr(wy_buf_str(&d.text), "No space left on device"))
            fail_msg("after %zu bytes: %s", fail_after[i], wy_buf_str(&d.text));
        assert_non_null(strstr(wy_buf_str(&d.text), "the previous file is unchanged"));
        assert_file_is(path, "the previous issue");
        assert_dir_holds(fx, "issue.pdf");
        wy_diag_release(&d);
    }
    /* The hook is off again: the same call now succeeds. */
    WyRenderOptions opt = options();
    assert_true(wy_render_pdf(&fx->pages, &opt, path, &fx->diag));
    free(path);
}

static void test_pdf_embeds_jpeg_as_is_and_once(void **state)
{
    Fixture *fx = *state;
    WyPage *p1 = &fx->pages.pages[0], *p2 = &fx->pages.pages[1];
    add_picture(p1, &fx->blue_jpg, 300, 200, 160, 80);
    add_picture(p2, &fx->blue_jpg, 50, 200, 80, 40); /* the same picture again */
    add_picture(p1, &fx->gray_jpg, 300, 300, 160, 80);
    add_picture(p1, &fx->cmyk_jpg, 300, 400, 160, 80);
    add_picture(p1, &fx->red_png, 300, 500, 80, 60);
    char *pdf = render_pdf(fx, "pictures.pdf");
    WyBuf out;
    wy_buf_init(&out);
    assert_int_equal(run(&out, "qpdf --check '%s' >/dev/null 2>&1 && qpdf --qdf --object-streams=disable '%s' -",
                         pdf, pdf), 0);
    /* blue and gray as they were; the Adobe CMYK one as pixels (see
       picture.c); blue stored once although drawn twice. */
    assert_int_equal(count_occurrences(&out, "/DCTDecode"), 2);
    assert_int_equal(count_occurrences(&out, "/Subtype /Image"), 4);
    assert_int_equal(count_occurrences(&out, "/ColorSpace /DeviceGray"), 1);
    /* The blue JPEG's own bytes are in the file. */
    WyBuf raw;
    wy_buf_init(&raw);
    read_file(pdf, &raw);
    assert_non_null(memmem(raw.data, raw.len, fx->blue_jpg.bytes, fx->blue_jpg.len));
    wy_buf_release(&raw);
    wy_buf_release(&out);
    free(pdf);
}

static void test_pdf_impossible_item_is_internal_error(void **state)
{
    Fixture *fx = *state;
    add_item(&fx->pages.pages[1], WY_ITEM_LINE, NAN, 10, 10, 0)->stroke = 0;
    char *path = in_dir(fx, "issue.pdf");
    WyRenderOptions opt = options();
    assert_false(wy_render_pdf(&fx->pages, &opt, path, &fx->diag));
    assert_int_equal(fx->diag.status, WY_ERR_IO);
    assert_non_null(strstr(wy_buf_str(&fx->diag.text), "page 2: a rule made from bulletin.xml:12 cannot be drawn"));
    assert_dir_holds(fx, "");
    free(path);
}

static void test_pdf_damaged_picture_is_input_error(void **state)
{
    Fixture *fx = *state;
    WyImage truncated = fx->blue_jpg;
    truncated.len /= 2;
    add_picture(&fx->pages.pages[0], &truncated, 300, 200, 160, 80);
    char *path = in_dir(fx, "issue.pdf");
    write_file(path, "old");
    WyRenderOptions opt = options();
    assert_false(wy_render_pdf(&fx->pages, &opt, path, &fx->diag));
    assert_int_equal(fx->diag.status, WY_ERR_INPUT);
    assert_non_null(strstr(wy_buf_str(&fx->diag.text), "bulletin.xml:12:3: error: picture " FIXTURES "blue.jpg"));
    assert_file_is(path, "old");
    assert_dir_holds(fx, "issue.pdf");
    free(path);
}

/* ---- PNG and SVG ----------------------------------------------------- */

static uint32_t pixel(cairo_surface_t *image, double x_pt, double y_pt)
{
    int x = (int)(x_pt * 96 / 72), y = (int)(y_pt * 96 / 72);
    const unsigned char *row = cairo_image_surface_get_data(image) + y * cairo_image_surface_get_stride(image);
    return ((const uint32_t *)(const void *)row)[x] & 0xFFFFFF;
}

/* Pixels darker than mid-grey in the rectangle, in points at 96 dpi. */
static int dark_pixels(cairo_surface_t *image, double x0, double y0, double x1, double y1)
{
    int dark = 0;
    for (double y = y0; y < y1; y += 0.75)
        for (double x = x0; x < x1; x += 0.75) {
            uint32_t px = pixel(image, x, y);
            if ((px >> 16 & 0xff) < 128 && (px >> 8 & 0xff) < 128 && (px & 0xff) < 128)
                dark++;
        }
    return dark;
}

static int blue_pixels(cairo_surface_t *image, double x0, double y0, double x1, double y1)
{
    int blue = 0;
    for (double y = y0; y < y1; y += 0.75)
        for (double x = x0; x < x1; x += 0.75) {
            uint32_t px = pixel(image, x, y);
            if ((px >> 16 & 0xff) < 100 && (px >> 8 & 0xff) < 100 && (px & 0xff) > 200)
                blue++;
        }
    return blue;
}

static void test_png_pages_at_96_dpi(void **state)
{
    Fixture *fx = *state;
    add_picture(&fx->pages.pages[0], &fx->red_png, 300, 500, 80, 60);
    char *path = in_dir(fx, "preview.png");
    WyRenderOptions opt = options();
    assert_true(wy_render_png(&fx->pages, &opt, path, &fx->diag));
    assert_dir_holds(fx, "preview-1.png preview-2.png");

    char *first = in_dir(fx, "preview-1.png");
    cairo_surface_t *page1 = cairo_image_surface_create_from_png(first);
    assert_int_equal(cairo_surface_status(page1), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(page1), 794);
    assert_int_equal(cairo_image_surface_get_height(page1), 1123);
    /* The text line (baseline 100 pt, 16 pt type) is inked; the margin is white. */
    assert_true(dark_pixels(page1, 72, 84, 300, 104) > 200);
    /* y is the baseline: nothing hangs below it but descenders (none here). */
    assert_int_equal(dark_pixels(page1, 72, 103, 300, 140), 0);
    /* pango applies the run's colour: the blue title is blue. */
    assert_true(blue_pixels(page1, 72, 234, 150, 254) > 100);
    assert_int_equal(dark_pixels(page1, 72, 234, 150, 254), 0);
    assert_int_equal(dark_pixels(page1, 0, 0, 60, 60), 0);
    assert_int_equal(pixel(page1, 10, 10), 0xFFFFFF);
    assert_int_equal(pixel(page1, 120, 710), 0x00FF00); /* the box's fill */
    assert_int_equal(pixel(page1, 200, 150), 0xFF0000); /* the rule */
    assert_int_equal(pixel(page1, 340, 530), 0xFF0000); /* red.png scaled up */
    cairo_surface_destroy(page1);

    char *second = in_dir(fx, "preview-2.png");
    cairo_surface_t *page2 = cairo_image_surface_create_from_png(second);
    assert_int_equal(cairo_image_surface_get_width(page2), 560);
    assert_int_equal(cairo_image_surface_get_height(page2), 794);
    assert_true(dark_pixels(page2, 50, 64, 300, 84) > 100);
    cairo_surface_destroy(page2);
    free(first), free(second), free(path);
}

static void test_png_only_page_goes_to_path(void **state)
{
    Fixture *fx = *state;
    char *path = in_dir(fx, "cover.png");
    WyRenderOptions opt = options();
    opt.only_page = 2;
    opt.png_dpi = 72;
    assert_true(wy_render_png(&fx->pages, &opt, path, &fx->diag));
    assert_dir_holds(fx, "cover.png");
    cairo_surface_t *image = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_image_surface_get_width(image), 420);
    assert_int_equal(cairo_image_surface_get_height(image), 596);
    cairo_surface_destroy(image);

    opt.only_page = 3;
    assert_false(wy_render_png(&fx->pages, &opt, path, &fx->diag));
    assert_int_equal(fx->diag.status, WY_ERR_USAGE);
    assert_non_null(strstr(wy_buf_str(&fx->diag.text), "page 3 does not exist: the document has 2 pages"));
    free(path);
}

/* A failure on page 2 renames nothing: page 1's old file stays, page 2's
   never appears, and neither temp file is left. */
static void test_png_failure_renames_no_page(void **state)
{
    Fixture *fx = *state;
    char *path = in_dir(fx, "preview.png");
    char *first = in_dir(fx, "preview-1.png");
    write_file(first, "old page one");
    add_item(&fx->pages.pages[1], WY_ITEM_TEXT, 10, 10, 0, 0); /* no layout */
    WyRenderOptions opt = options();
    assert_false(wy_render_png(&fx->pages, &opt, path, &fx->diag));
    assert_int_equal(fx->diag.status, WY_ERR_IO);
    assert_non_null(strstr(wy_buf_str(&fx->diag.text), "page 2: a text line made from bulletin.xml:12"));
    assert_file_is(first, "old page one");
    assert_dir_holds(fx, "preview-1.png");

    /* The same with a full disk while page 2 is written. */
    fx->pages.pages[1].n_items--;
    WyDiag d;
    wy_diag_init(&d, NULL);
    wy_render_stream_fail_after(20000, ENOSPC);
    assert_false(wy_render_png(&fx->pages, &opt, path, &d));
    wy_render_stream_fail_after(0, 0);
    assert_int_equal(d.status, WY_ERR_IO);
    assert_non_null(strstr(wy_buf_str(&d.text), "preview-2.png: error: cannot write the output: No space left on device"));
    assert_file_is(first, "old page one");
    assert_dir_holds(fx, "preview-1.png");
    wy_diag_release(&d);
    free(first), free(path);
}

static void test_png_resolution_is_checked(void **state)
{
    Fixture *fx = *state;
    char *path = in_dir(fx, "preview.png");
    WyRenderOptions opt = options();
    opt.png_dpi = 5000;
    assert_false(wy_render_png(&fx->pages, &opt, path, &fx->diag));
    assert_int_equal(fx->diag.status, WY_ERR_USAGE);
    WyDiag d;
    wy_diag_init(&d, NULL);
    opt.png_dpi = 2400; /* A4 at 2400 dpi: 19843×28063, over the pixel cap */
    assert_false(wy_render_png(&fx->pages, &opt, path, &d));
    assert_non_null(strstr(wy_buf_str(&d.text), "page 1 would be 19843×28063 pixels"));
    assert_dir_holds(fx, "");
    wy_diag_release(&d);
    free(path);
}

static void test_svg_one_file_per_page(void **state)
{
    Fixture *fx = *state;
    add_picture(&fx->pages.pages[0], &fx->blue_jpg, 300, 200, 160, 80);
    char *path = in_dir(fx, "preview.svg");
    WyRenderOptions opt = options();
    assert_true(wy_render_svg(&fx->pages, &opt, path, &fx->diag));
    assert_dir_holds(fx, "preview-1.svg preview-2.svg");
    char *first = in_dir(fx, "preview-1.svg");
    char *second = in_dir(fx, "preview-2.svg");
    WyBuf svg;
    wy_buf_init(&svg);
    read_file(first, &svg);
    assert_memory_equal(svg.data, "<?xml", 5);
    assert_non_null(strstr(svg.data, "width=\"595.275591pt\" height=\"841.889764pt\""));
    assert_non_null(strstr(svg.data, "data:image/jpeg;base64,")); /* the JPEG as-is */
    assert_non_null(strstr(svg.data, "</svg>"));
    read_file(second, &svg);
    assert_non_null(strstr(svg.data, "width=\"419.527559pt\" height=\"595.275591pt\""));
    assert_non_null(strstr(svg.data, "<path"));  /* glyph outlines */

    wy_render_stream_fail_after(100, EIO);
    assert_false(wy_render_svg(&fx->pages, &opt, path, &fx->diag));
    wy_render_stream_fail_after(0, 0);
    assert_non_null(strstr(wy_buf_str(&fx->diag.text), "Input/output error"));
    assert_dir_holds(fx, "preview-1.svg preview-2.svg");
    wy_buf_release(&svg);
    free(first), free(second), free(path);
}

static void test_pagefiles_names(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"out/x.png", "out/x-3.png"},   {"x.png", "x-3.png"},     {"a.b/x", "a.b/x-3"},
        {"a.b/x.tar.svg", "a.b/x.tar-3.svg"}, {"dir/.png", "dir/.png-3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *name = wy_pagefiles_name(cases[i][0], 3);
        assert_string_equal(name, cases[i][1]);
        free(name);
    }
}

/* ---- Pictures ---------------------------------------------------------- */

static uint32_t centre(cairo_surface_t *s)
{
    const unsigned char *data = cairo_image_surface_get_data(s);
    int y = cairo_image_surface_get_height(s) / 2, x = cairo_image_surface_get_width(s) / 2;
    return ((const uint32_t *)(const void *)(data + y * cairo_image_surface_get_stride(s)))[x] & 0xFFFFFF;
}

static void assert_near(uint32_t rgb, uint32_t expected, int tolerance)
{
    for (int shift = 0; shift <= 16; shift += 8) {
        int got = (int)(rgb >> shift & 0xff), want = (int)(expected >> shift & 0xff);
        if (abs(got - want) > tolerance)
            fail_msg("colour %06x is not near %06x", (unsigned)rgb, (unsigned)expected);
    }
}

static void test_picture_decodes_every_kind(void **state)
{
    Fixture *fx = *state;
    WyLoc loc = wy_loc("bulletin.xml", 4, 1);
    struct {
        const WyImage *img;
        int width, height;
        uint32_t colour;
        bool keeps_jpeg;
    } cases[] = {
        {&fx->red_png, 8, 6, 0xFF0000, false},
        {&fx->blue_jpg, 16, 8, 0x0000FF, true},
        {&fx->gray_jpg, 16, 8, 0x808080, true},
        {&fx->cmyk_jpg, 16, 8, 0xFF0000, false},
        {&fx->gradient_jpg, 64, 256, 0x8587B0, true}, /* djpeg gives 85 87 b0 at (32, 128) */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cairo_surface_t *s = wy_picture_surface_new(cases[i].img, loc, &fx->diag);
        assert_non_null(s);
        assert_int_equal(cairo_image_surface_get_width(s), cases[i].width);
        assert_int_equal(cairo_image_surface_get_height(s), cases[i].height);
        assert_near(centre(s), cases[i].colour, 6);
        const unsigned char *mime;
        unsigned long mime_len;
        cairo_surface_get_mime_data(s, CAIRO_MIME_TYPE_JPEG, &mime, &mime_len);
        if (cases[i].keeps_jpeg) {
            assert_int_equal(mime_len, cases[i].img->len);
            assert_memory_equal(mime, cases[i].img->bytes, mime_len);
        } else {
            assert_null(mime);
        }
        cairo_surface_get_mime_data(s, CAIRO_MIME_TYPE_UNIQUE_ID, &mime, &mime_len);
        assert_non_null(mime);
        cairo_surface_destroy(s);
    }
    assert_int_equal(fx->diag.errors, 0);
}

static void assert_refused(const WyImage *img, const char *why)
{
    WyDiag d;
    wy_diag_init(&d, NULL);
    assert_null(wy_picture_surface_new(img, wy_loc("bulletin.xml", 4, 1), &d));
    assert_int_equal(d.status, WY_ERR_INPUT);
    assert_non_null(strstr(wy_buf_str(&d.text), "bulletin.xml:4:1: error: picture"));
    if (!strstr(wy_buf_str(&d.text), why))
        fail_msg("expected \"%s\" in: %s", why, wy_buf_str(&d.text));
    wy_diag_release(&d);
}

static void test_picture_refuses_damaged_files(void **state)
{
    Fixture *fx = *state;
    WyImage img = fx->gradient_jpg;
    img.len = 2000; /* cut halfway down, while rows are being decoded */
    assert_refused(&img, "truncated");
    img = fx->blue_jpg;
    img.len = 300; /* cut inside the tables */
    assert_refused(&img, "truncated");
    WyImage many_scans;
    load_image(&many_scans, FIXTURES "manyscans.jpg", WY_IMAGE_JPEG);
    assert_refused(&many_scans, "more than 500 scans");
    free_image(&many_scans);
    img = fx->red_png;
    img.len = 50;
    assert_refused(&img, "damaged or truncated");
    img.kind = WY_IMAGE_JPEG; /* PNG bytes called a JPEG */
    img.len = fx->red_png.len;
    assert_refused(&img, "damaged");

    /* A PNG header declaring 20000×20000 is refused before decoding. */
    unsigned char huge[80];
    memcpy(huge, fx->red_png.bytes, sizeof huge < fx->red_png.len ? sizeof huge : fx->red_png.len);
    const unsigned char side[4] = {0, 0, 0x4e, 0x20};
    memcpy(huge + 16, side, 4);
    memcpy(huge + 20, side, 4);
    img = fx->red_png;
    img.bytes = huge;
    img.len = fx->red_png.len;
    assert_refused(&img, "too large (20000×20000 pixels");
}

static void test_picture_cache_decodes_once(void **state)
{
    Fixture *fx = *state;
    WyPictureCache *cache = wy_picture_cache_new();
    WyLoc loc = wy_loc("bulletin.xml", 4, 1);
    cairo_surface_t *a = wy_picture_cache_get(cache, &fx->blue_jpg, loc, &fx->diag);
    cairo_surface_t *b = wy_picture_cache_get(cache, &fx->blue_jpg, loc, &fx->diag);
    cairo_surface_t *c = wy_picture_cache_get(cache, &fx->red_png, loc, &fx->diag);
    assert_non_null(a);
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, c);
    wy_picture_cache_free(cache);
}

static void test_picture_cache_decodes_the_same_bytes_once(void **state)
{
    Fixture *fx = *state;
    WyPictureCache *cache = wy_picture_cache_new();
    WyLoc loc = wy_loc("bulletin.xml", 4, 1);
    /* a second reference to the same file: its own WyImage, its own bytes */
    WyImage again = fx->red_png;
    again.bytes = malloc(fx->red_png.len);
    memcpy(again.bytes, fx->red_png.bytes, fx->red_png.len);
    cairo_surface_t *a = wy_picture_cache_get(cache, &fx->red_png, loc, &fx->diag);
    cairo_surface_t *b = wy_picture_cache_get(cache, &again, loc, &fx->diag);
    assert_non_null(a);
    assert_ptr_equal(a, b);
    again.bytes[again.len - 13] ^= 1; /* other bytes: another picture (here a damaged one) */
    WyDiag d;
    wy_diag_init(&d, NULL);
    WyImage other = again;
    assert_null(wy_picture_cache_get(cache, &other, loc, &d));
    assert_int_equal(d.status, WY_ERR_INPUT);
    wy_diag_release(&d);
    free(again.bytes);
    wy_picture_cache_free(cache);
}


/* `test_render --render-pdf PATH` renders the fixture pages to PATH: the
   determinism test's other process. */
static int render_for_other_process(const char *path)
{
    void *state;
    if (setup(&state) != 0)
        return 3;
    Fixture *fx = state;
    fx->diag.out = stderr;
    WyRenderOptions opt = options();
    bool ok = wy_render_pdf(&fx->pages, &opt, path, &fx->diag);
    teardown(&state);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pdf_text_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_fonts_are_embedded_subsets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_passes_qpdf_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_metadata_and_page_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_outline_is_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_is_byte_identical_across_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_writer_streams_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_date_before_1970_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_into_missing_folder_fails_cleanly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_write_error_keeps_previous_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_embeds_jpeg_as_is_and_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_impossible_item_is_internal_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_damaged_picture_is_input_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_png_pages_at_96_dpi, setup, teardown),
        cmocka_unit_test_setup_teardown(test_png_only_page_goes_to_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_png_failure_renames_no_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_png_resolution_is_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(test_svg_one_file_per_page, setup, teardown),
        cmocka_unit_test(test_pagefiles_names),
        cmocka_unit_test_setup_teardown(test_picture_decodes_every_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_picture_refuses_damaged_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_picture_cache_decodes_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_picture_cache_decodes_the_same_bytes_once, setup, teardown),
    };
    int status = argc == 3 && strcmp(argv[1], "--render-pdf") == 0 ? render_for_other_process(argv[2])
                                                                   : cmocka_run_group_tests(tests, NULL, NULL);
    /* Drop the libraries' caches so a leak checker sees only real leaks. */
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
    FcFini();
    return status;
}
