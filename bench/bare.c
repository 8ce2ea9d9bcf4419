/* Baseline for `make bench`: the same article text set with bare
   pango + cairo (one PangoLayout per paragraph, justified, fixed width,
   simple pagination, PDF out) — the floor wenyin's pipeline is compared to.
   Usage: bare OUT.pdf PAGES FILE.md...  (repeats the text until PAGES) */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN_X 79.4
#define MARGIN_TOP 104.9
#define MARGIN_BOTTOM 99.2

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    int want_pages = atoi(argv[2]);
    cairo_surface_t *surface = cairo_pdf_surface_create(argv[1], PAGE_W, PAGE_H);
    cairo_t *cr = cairo_create(surface);
    PangoFontDescription *font = pango_font_description_from_string("Noto Serif CJK SC 14");
    double width = PAGE_W - 2 * MARGIN_X, y = MARGIN_TOP;
    int pages = 1;
    while (pages <= want_pages) {
        for (int i = 3; i < argc && pages <= want_pages; i++) {
            char *text = slurp(argv[i]);
            if (!text)
                return 3;
            for (char *para = strtok(text, "\n"); para && pages <= want_pages; para = strtok(NULL, "\n")) {
                if (para[0] == '-' || para[0] == '#' || strchr(para, ':'))
                    continue; /* front matter and headings: the body text is what is timed */
                PangoLayout *layout = pango_cairo_create_layout(cr);
                pango_layout_set_font_description(layout, font);
                pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
                pango_layout_set_justify(layout, TRUE);
                pango_layout_set_indent(layout, 28 * PANGO_SCALE);
                pango_layout_set_text(layout, para, -1);
                PangoLayoutIter *it = pango_layout_get_iter(layout);
                do {
                    if (y + 24 > PAGE_H - MARGIN_BOTTOM) {
                        cairo_show_page(cr);
                        pages++;
                        y = MARGIN_TOP;
                    }
                    PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
                    PangoRectangle logical;
                    pango_layout_iter_get_line_extents(it, NULL, &logical);
                    cairo_move_to(cr, MARGIN_X + logical.x / (double)PANGO_SCALE, y + 18);
                    pango_cairo_show_layout_line(cr, line);
                    y += 24;
                } while (pango_layout_iter_next_line(it));
                pango_layout_iter_free(it);
                g_object_unref(layout);
            }
            free(text);
        }
    }
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    pango_font_description_free(font);
    printf("%d\n", pages - 1);
    return 0;
}
