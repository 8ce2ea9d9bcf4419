#include "base/diag.h"

#include <stdarg.h>
#include <string.h>

void wy_diag_init(WyDiag *d, FILE *out)
{
    memset(d, 0, sizeof *d);
    d->out = out;
    wy_buf_init(&d->text);
    d->text.cap = 1 << 20; /* a flood of diagnostics is cut, not fatal */
}

void wy_diag_release(WyDiag *d)
{
    wy_buf_release(&d->text);
}

static void emit(WyDiag *d, const char *s)
{
    wy_buf_puts(&d->text, s);
    if (d->out) {
        fputs(s, d->out);
        fflush(d->out);
    }
}

static void report(WyDiag *d, WyStatus kind, const char *level, WyLoc loc, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
static void report(WyDiag *d, WyStatus kind, const char *level, WyLoc loc,
                   const char *fmt, va_list ap)
{
    WyBuf line;
    wy_buf_init(&line);
    if (loc.file && loc.line > 0)
        wy_buf_printf(&line, "%s:%d:%d: %s: ", loc.file, loc.line, loc.col > 0 ? loc.col : 1, level);
    else if (loc.file)
        wy_buf_printf(&line, "%s: %s: ", loc.file, level);
    else
        wy_buf_printf(&line, "wenyin: %s: ", level);
    wy_buf_vprintf(&line, fmt, ap);
    wy_buf_putc(&line, '\n');
    emit(d, wy_buf_str(&line));
    wy_buf_release(&line);
    if (kind != WY_OK) {
        d->errors++;
        if (d->status == WY_OK)
            d->status = kind;
    }
}

void wy_diag_error(WyDiag *d, WyLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, WY_ERR_INPUT, "error", loc, fmt, ap);
    va_end(ap);
}

void wy_diag_io_error(WyDiag *d, WyLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, WY_ERR_IO, "error", loc, fmt, ap);
    va_end(ap);
}

void wy_diag_warning(WyDiag *d, WyLoc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (d->warnings_are_errors) {
        report(d, WY_ERR_INPUT, "error", loc, fmt, ap);
    } else {
        report(d, WY_OK, "warning", loc, fmt, ap);
        d->warnings++;
    }
    va_end(ap);
}

void wy_diag_usage(WyDiag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(d, WY_ERR_USAGE, "error", wy_loc(NULL, 0, 0), fmt, ap);
    va_end(ap);
}

/* Prints the LINE-th line of SOURCE and a caret under character COL;
   the caret is indented by display columns (CJK characters take two). */
static void show_source_line(WyDiag *d, const char *source, size_t len, int line, int col)
{
    const char *p = source, *end = source + len;
    for (int n = 1; n < line && p < end; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return;
        p = nl + 1;
    }
    if (p >= end)
        return;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    if (eol > p && eol[-1] == '\r')
        eol--;
    if (eol - p > 400)
        return; /* a huge line helps nobody */
    WyBuf b;
    wy_buf_init(&b);
    wy_buf_puts(&b, "  ");
    wy_buf_append(&b, p, (size_t)(eol - p));
    wy_buf_puts(&b, "\n  ");
    int chars = 1;
    for (const unsigned char *q = (const unsigned char *)p; q < (const unsigned char *)eol && chars < col; q++) {
        if ((*q & 0xC0) == 0x80)
            continue;
        chars++;
        if (*q == '\t')
            wy_buf_putc(&b, '\t');
        else
            wy_buf_puts(&b, *q >= 0xE0 ? "  " : " ");
    }
    wy_buf_puts(&b, "^\n");
    emit(d, wy_buf_str(&b));
    wy_buf_release(&b);
}

void wy_diag_verror_src(WyDiag *d, WyLoc loc, const char *source, size_t len, const char *fmt, va_list ap)
{
    report(d, WY_ERR_INPUT, "error", loc, fmt, ap);
    if (source && loc.line > 0)
        show_source_line(d, source, len, loc.line, loc.col > 0 ? loc.col : 1);
}

void wy_diag_error_src(WyDiag *d, WyLoc loc, const char *source, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    wy_diag_verror_src(d, loc, source, len, fmt, ap);
    va_end(ap);
}

int wy_diag_exit_code(const WyDiag *d)
{
    return (int)d->status;
}

void wy_diag_replay(WyDiag *into, const WyDiag *from)
{
    if (from->text.len)
        emit(into, wy_buf_str(&from->text));
    into->errors += from->errors;
    into->warnings += from->warnings;
    if (into->status == WY_OK)
        into->status = from->status;
}
