/* `wenyin render`: data → expand → layout → render for one document. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "base/fsx.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "cli/resources.h"
#include "data/datatree.h"
#include "data/xmlsrc.h"
#include "expand/template.h"
#include "layout/fonts.h"
#include "layout/layout.h"
#include "render/render.h"

typedef enum OutFormat { OUT_PDF, OUT_PNG, OUT_SVG } OutFormat;

typedef struct RenderArgs {
    const char *template_path;
    const char **data_names, **data_paths;
    int n_data;
    const char **param_names, **param_values;
    int n_params;
    const char *out_path;
    char *default_out;
    OutFormat format;
    int only_page;
    double dpi;
    bool strict;
} RenderArgs;

static const char render_usage[] =
    "Usage: wenyin render TEMPLATE [-d NAME=FILE]... [-p NAME=VALUE]... [-o OUT]\n"
    "                     [--page N] [--dpi N] [--strict]\n";

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* Parses a positive integer option value; false on anything else. */
static bool parse_positive(const char *text, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v <= 0 || v > max)
        return false;
    *out = v;
    return true;
}

/* Splits "NAME=VALUE" in place; false when there is no '=' or no name. */
static bool split_assignment(char *arg, const char **name, const char **value)
{
    char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return false;
    *eq = '\0';
    *name = arg;
    *value = eq + 1;
    return true;
}

static bool parse_args(int argc, char **argv, RenderArgs *a, WyDiag *d)
{
    a->data_names = wy_xcalloc((size_t)argc + 1, sizeof *a->data_names);
    a->data_paths = wy_xcalloc((size_t)argc + 1, sizeof *a->data_paths);
    a->param_names = wy_xcalloc((size_t)argc + 1, sizeof *a->param_names);
    a->param_values = wy_xcalloc((size_t)argc + 1, sizeof *a->param_values);
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(arg, "-d") == 0 || strcmp(arg, "-p") == 0) {
            if (!has_value) {
                wy_diag_usage(d, "%s needs NAME=%s", arg, arg[1] == 'd' ? "FILE" : "VALUE");
                return false;
            }
            const char *name, *value;
            if (!split_assignment(argv[++i], &name, &value)) {
                wy_diag_usage(d, "%s expects NAME=%s, got '%s'", arg, arg[1] == 'd' ? "FILE" : "VALUE", argv[i]);
                return false;
            }
            if (arg[1] == 'd') {
                a->data_names[a->n_data] = name;
                a->data_paths[a->n_data++] = value;
            } else {
                a->param_names[a->n_params] = name;
                a->param_values[a->n_params++] = value;
            }
        } else if (strcmp(arg, "-o") == 0) {
            if (!has_value) {
                wy_diag_usage(d, "-o needs an output file name");
                return false;
            }
            a->out_path = argv[++i];
        } else if (strcmp(arg, "--page") == 0) {
            long v;
            if (!has_value || !parse_positive(argv[++i], 1000000, &v)) {
                wy_diag_usage(d, "--page needs a page number (1, 2, ...)");
                return false;
            }
            a->only_page = (int)v;
        } else if (strcmp(arg, "--dpi") == 0) {
            long v;
            if (!has_value || !parse_positive(argv[++i], 1200, &v)) {
                wy_diag_usage(d, "--dpi needs a resolution between 1 and 1200");
                return false;
            }
            a->dpi = (double)v;
        } else if (strcmp(arg, "--strict") == 0) {
            a->strict = true;
        } else if (arg[0] == '-' && arg[1]) {
            wy_diag_usage(d, "unknown option '%s'", arg);
            return false;
        } else if (!a->template_path) {
            a->template_path = arg;
        } else {
            wy_diag_usage(d, "more than one template given ('%s' and '%s')", a->template_path, arg);
            return false;
        }
    }
    if (!a->template_path) {
        wy_diag_usage(d, "no template given");
        return false;
    }
    if (!a->out_path) {
        /* bulletin.xml → bulletin.pdf in the current folder */
        const char *base = strrchr(a->template_path, '/');
        base = base ? base + 1 : a->template_path;
        const char *dot = strrchr(base, '.');
        size_t stem = dot ? (size_t)(dot - base) : strlen(base);
        WyBuf b;
        wy_buf_init(&b);
        wy_buf_append(&b, base, stem);
        wy_buf_puts(&b, ".pdf");
        a->default_out = wy_buf_steal(&b);
        a->out_path = a->default_out;
    }
    if (ends_with(a->out_path, ".pdf"))
        a->format = OUT_PDF;
    else if (ends_with(a->out_path, ".png"))
        a->format = OUT_PNG;
    else if (ends_with(a->out_path, ".svg"))
        a->format = OUT_SVG;
    else {
        wy_diag_usage(d, "output '%s' must end in .pdf, .png or .svg", a->out_path);
        return false;
    }
    if (a->only_page && a->format == OUT_PDF) {
        wy_diag_usage(d, "--page applies to .png and .svg output only");
        return false;
    }
    return true;
}

static void free_args(RenderArgs *a)
{
    free(a->data_names);
    free(a->data_paths);
    free(a->param_names);
    free(a->param_values);
    free(a->default_out);
}

static int64_t mtime_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (int64_t)st.st_mtime : 0;
}

/* Newest modification time of PATH, or of the files directly in it. */
static int64_t newest_mtime(const char *path)
{
    int64_t newest = mtime_of(path);
    DIR *dir = opendir(path);
    if (!dir)
        return newest;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *child = wy_fsx_join(path, e->d_name);
        int64_t t = mtime_of(child);
        if (t > newest)
            newest = t;
        free(child);
    }
    closedir(dir);
    return newest;
}

/* The PDF's creation date: SOURCE_DATE_EPOCH when set (reproducible
   builds), else the newest input's modification time — so the same inputs
   always give the same bytes, which cron jobs and diffing rely on. */
static bool creation_time(const RenderArgs *a, int64_t *out, WyDiag *d)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || end == sde || *end || v < 0 || v > 253402300799LL) {
            wy_diag_usage(d, "SOURCE_DATE_EPOCH must be a number of seconds since 1970, got '%s'", sde);
            return false;
        }
        *out = v;
        return true;
    }
    int64_t newest = newest_mtime(a->template_path);
    for (int i = 0; i < a->n_data; i++) {
        int64_t t = newest_mtime(a->data_paths[i]);
        if (t > newest)
            newest = t;
    }
    *out = newest;
    return true;
}

static xmlDocPtr load_data(const RenderArgs *a, WyDiag *d)
{
    xmlDocPtr data = wy_data_new();
    for (int i = 0; i < a->n_data; i++)
        wy_data_add(data, a->data_names[i], a->data_paths[i], d); /* report every bad source */
    for (int i = 0; i < a->n_params; i++)
        wy_data_add_param(data, a->param_names[i], a->param_values[i]);
    if (wy_diag_failed(d)) {
        xmlFreeDoc(data);
        return NULL;
    }
    return data;
}

static bool write_output(const RenderArgs *a, const WyPages *pages, int64_t created, WyDiag *d)
{
    WyRenderOptions opt = {.creation_time = created, .png_dpi = a->dpi, .only_page = a->only_page};
    if (a->only_page > (int)pages->n_pages) {
        wy_diag_usage(d, "--page %d: the document has only %zu pages", a->only_page, pages->n_pages);
        return false;
    }
    switch (a->format) {
    case OUT_PDF:
        return wy_render_pdf(pages, &opt, a->out_path, d);
    case OUT_PNG:
        return wy_render_png(pages, &opt, a->out_path, d);
    case OUT_SVG:
        return wy_render_svg(pages, &opt, a->out_path, d);
    }
    return false;
}

/* A page of a streamed layout goes straight into the PDF. */
typedef struct PdfSink {
    WyPdfWriter *writer;
    WyDiag *diag;
} PdfSink;

static bool pdf_sink_page(void *ctx, const WyPage *page, int index)
{
    PdfSink *sink = ctx;
    (void)index; /* pages come in order: the writer counts them */
    return wy_pdf_writer_add_page(sink->writer, page, sink->diag);
}

/* Lays DOC out straight into the PDF, a page at a time, so memory follows
   the page rather than the document. Any error, even after many pages,
   drops the PDF and leaves the previous file untouched. */
static bool render_pdf_streamed(const RenderArgs *a, const WyDocument *doc, WyFonts *fonts, int64_t created,
                                WyDiag *d)
{
    WyRenderOptions opt = {.creation_time = created, .png_dpi = a->dpi, .only_page = a->only_page};
    WyPdfWriter *writer = wy_pdf_writer_open(a->out_path, &doc->meta, &opt, d);
    if (!writer)
        return false;
    PdfSink ctx = {.writer = writer, .diag = d};
    WyPageSink sink = {.page = pdf_sink_page, .ctx = &ctx};
    WyPages *rest = wy_layout_document_streamed(doc, fonts, &sink, d);
    bool ok = rest && !wy_diag_failed(d);
    if (ok && a->only_page > (int)rest->n_streamed) {
        wy_diag_usage(d, "--page %d: the document has only %zu pages", a->only_page, rest->n_streamed);
        ok = false;
    }
    if (ok)
        ok = wy_pdf_writer_finish(writer, rest->outline, rest->n_outline, d);
    else
        wy_pdf_writer_abort(writer);
    wy_pages_free(rest);
    return ok;
}

int wy_cli_render(int argc, char **argv)
{
    WyDiag diag;
    wy_diag_init(&diag, stderr);
    RenderArgs args = {0};
    WyTemplate *tmpl = NULL;
    xmlDocPtr data = NULL;
    WyFonts *fonts = NULL;
    WyFontsLoad *fonts_load = NULL;
    WyDocument *doc = NULL;
    WyPages *pages = NULL;
    char *schema = NULL, *fonts_conf = NULL;
    int64_t created = 0;

    if (argc == 1 && strcmp(argv[0], "--help") == 0) {
        fputs(render_usage, stdout);
        wy_diag_release(&diag);
        free_args(&args);
        return 0;
    }
    if (!parse_args(argc, argv, &args, &diag)) {
        fputs(render_usage, stderr);
        goto out;
    }
    diag.warnings_are_errors = args.strict;
    if (!creation_time(&args, &created, &diag))
        goto out;
    schema = wy_resource_path("templates/wenyin.rng");
    fonts_conf = wy_resource_path("fonts/fonts.conf");
    if (!schema || !fonts_conf) {
        wy_diag_io_error(&diag, wy_loc(NULL, 0, 0),
                         "cannot find wenyin's templates/wenyin.rng and fonts/fonts.conf; set WENYIN_DATADIR");
        goto out;
    }
    /* the fonts load meanwhile; their errors come after the data's */
    fonts_load = wy_fonts_load_start(fonts_conf);
    wy_xml_init();
    /* The template first: its mistakes are reported before any data is read. */
    tmpl = wy_template_load(args.template_path, schema, &diag);
    if (!tmpl)
        goto out;
    data = load_data(&args, &diag);
    if (!data)
        goto out;
    fonts = wy_fonts_load_finish(fonts_load, &diag);
    fonts_load = NULL;
    if (!fonts)
        goto out;
    doc = wy_template_expand(tmpl, data, &diag);
    if (!doc)
        goto out;
    /* A page count in a header needs every page before the first is final. */
    if (args.format == OUT_PDF && !wy_layout_needs_page_count(doc)) {
        render_pdf_streamed(&args, doc, fonts, created, &diag);
        goto out;
    }
    pages = wy_layout_document(doc, fonts, &diag);
    if (!pages || wy_diag_failed(&diag))
        goto out;
    write_output(&args, pages, created, &diag);
out:
    wy_fonts_load_cancel(fonts_load);
    if (pages)
        wy_pages_free(pages);
    wy_document_free(doc);
    wy_fonts_free(fonts);
    if (data)
        xmlFreeDoc(data);
    wy_template_free(tmpl);
    free(schema);
    free(fonts_conf);
    free_args(&args);
    int code = wy_diag_exit_code(&diag);
    wy_diag_release(&diag);
    return code;
}
