/* File system helpers: reading a whole input with a size cap, and writing
   an output atomically (temp file in the target's folder, fsync, rename,
   fsync the folder) so a failed run leaves the previous file untouched and
   no temp file behind. Does not interpret contents. */
#ifndef WY_FSX_H
#define WY_FSX_H
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/diag.h"

#define WY_INPUT_MAX_BYTES ((size_t)64 << 20) /* 64 MiB per input file */

/* Reads PATH into OUT (cleared first), refusing files over MAX bytes.
   On failure records an I/O error naming PATH and returns false. */
bool wy_fsx_read(const char *path, size_t max, WyBuf *out, WyDiag *d);

/* True if PATH names an existing directory. */
bool wy_fsx_is_dir(const char *path);

/* Returns the directory part of PATH ("." when none); caller frees. */
char *wy_fsx_dirname(const char *path);
/* Returns DIR/NAME, or NAME alone when it is absolute; caller frees. */
char *wy_fsx_join(const char *dir, const char *name);

typedef struct WyAtomicFile {
    char *target;   /* final path */
    char *tmp;      /* temp path in the same folder; NULL once renamed */
    int fd;         /* temp file, -1 when closed */
    int dir_fd;     /* target folder, held with flock so two runs never interleave */
    int write_errno;/* first write error, 0 if none */
    unsigned char *buf; /* bytes not yet written: cairo hands over a PDF in pieces of ~100 bytes */
    size_t buf_len;
} WyAtomicFile;

/* Creates the temp file for TARGET (removing stale temps of an earlier
   killed run) and takes the folder lock. */
bool wy_atomic_open(WyAtomicFile *f, const char *target, WyDiag *d);
/* Appends bytes, written in blocks of WY_ATOMIC_BUFFER_BYTES; a failure
   is remembered (it may show only at a later call) and reported by commit. */
bool wy_atomic_write(WyAtomicFile *f, const void *data, size_t len);
/* fsync + close + rename over the target + fsync folder. On any failure the
   temp file is removed, the target untouched, and an I/O error recorded. */
bool wy_atomic_commit(WyAtomicFile *f, WyDiag *d);
/* Drops the temp file (the target is untouched) and releases the lock. */
void wy_atomic_abort(WyAtomicFile *f);

/* A set of outputs in one folder renamed together (the pages of a PNG or
   SVG preview). wy_atomic_open_beside creates F's temp file under the lock
   HOLDER (opened with wy_atomic_open in the same folder) already holds, so
   the process never waits on its own lock; F keeps no folder handle.
   wy_atomic_finish fsyncs and closes a temp file early, so many can be
   written before any is renamed; wy_atomic_commit then only renames.
   Commit every F before HOLDER (whose commit fsyncs the folder). Both fail
   like wy_atomic_open / wy_atomic_commit; after a failed finish F is
   released and only wy_atomic_abort may follow. */
bool wy_atomic_open_beside(WyAtomicFile *f, const WyAtomicFile *holder, const char *target, WyDiag *d);
bool wy_atomic_finish(WyAtomicFile *f, WyDiag *d);

#endif
