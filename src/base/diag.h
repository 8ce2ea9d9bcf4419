/* Diagnostics: `FILE:LINE:COL: error: MESSAGE` lines for editors and CI,
   optionally followed by the source line and a caret. The first error
   sticks (like cairo's status): callers check wy_diag_failed() once.
   Messages are in the editor's words, never a library's. */
#ifndef WY_DIAG_H
#define WY_DIAG_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/buf.h"

/* A place in an input file. line and col are 1-based; 0 means unknown
   (printed as 1 so editors can still jump to the file). col counts
   characters, not bytes. `file` is borrowed. */
typedef struct WyLoc {
    const char *file;
    int line;
    int col;
} WyLoc;

typedef enum WyStatus {
    WY_OK = 0,
    WY_ERR_INPUT = 1, /* the inputs are wrong: exit 1 */
    WY_ERR_USAGE = 2, /* the command line is wrong: exit 2 */
    WY_ERR_IO = 3,    /* a file could not be read or written, or internal: exit 3 */
} WyStatus;

typedef struct WyDiag {
    FILE *out;        /* where lines are printed as they come; NULL = only kept */
    WyBuf text;       /* every line printed so far, for tests */
    WyStatus status;  /* the first error's kind; WY_OK while none */
    int errors;
    int warnings;
    bool warnings_are_errors; /* --strict */
} WyDiag;

void wy_diag_init(WyDiag *d, FILE *out);
void wy_diag_release(WyDiag *d);

/* Records an input error (exit 1) at LOC. */
void wy_diag_error(WyDiag *d, WyLoc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Records an I/O error (exit 3) at LOC (line 0 prints as FILE: error: ...). */
void wy_diag_io_error(WyDiag *d, WyLoc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Records a warning; with warnings_are_errors it counts as an input error. */
void wy_diag_warning(WyDiag *d, WyLoc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Like wy_diag_error, then prints line LOC.line of SOURCE (LEN bytes, the
   whole file) with a caret under column LOC.col. */
void wy_diag_error_src(WyDiag *d, WyLoc loc, const char *source, size_t len,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* wy_diag_error_src with a va_list, for helpers that take their own format. */
void wy_diag_verror_src(WyDiag *d, WyLoc loc, const char *source, size_t len, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));
/* Usage error (exit 2): printed as `wenyin: error: MSG`. */
void wy_diag_usage(WyDiag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Passes on to INTO what FROM recorded (kept, not printed, by a task run
   on another thread): prints its lines, counts its errors and warnings,
   and takes its status unless INTO has failed first. */
void wy_diag_replay(WyDiag *into, const WyDiag *from);

static inline bool wy_diag_failed(const WyDiag *d) { return d->status != WY_OK; }
/* Process exit code for the recorded status. */
int wy_diag_exit_code(const WyDiag *d);

/* Convenience constructor. */
static inline WyLoc wy_loc(const char *file, int line, int col)
{
    WyLoc l = {file, line, col};
    return l;
}

#endif
