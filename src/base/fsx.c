#include "base/fsx.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"

#define TMP_INFIX ".wenyin-tmp-"

bool wy_fsx_read(const char *path, size_t max, WyBuf *out, WyDiag *d)
{
    wy_buf_clear(out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            wy_diag_io_error(d, wy_loc(path, 0, 0), "file not found");
        else
            wy_diag_io_error(d, wy_loc(path, 0, 0), "cannot open: %s", strerror(errno));
        return false;
    }
    struct stat st;
    bool ok = false;
    if (fstat(fd, &st) != 0) {
        wy_diag_io_error(d, wy_loc(path, 0, 0), "cannot read: %s", strerror(errno));
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        wy_diag_io_error(d, wy_loc(path, 0, 0), "is a folder, expected a file");
        goto out;
    }
    if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
        wy_diag_error(d, wy_loc(path, 0, 0), "file is too large (%lld bytes; the limit is %zu MiB)",
                      (long long)st.st_size, max >> 20);
        goto out;
    }
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            wy_diag_io_error(d, wy_loc(path, 0, 0), "cannot read: %s", strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if (out->len + (size_t)n > max) {
            wy_diag_error(d, wy_loc(path, 0, 0), "file is too large (the limit is %zu MiB)", max >> 20);
            goto out;
        }
        wy_buf_append(out, chunk, (size_t)n);
    }
    if (!out->data)
        wy_buf_append(out, "", 0);
    ok = true;
out:
    close(fd);
    return ok;
}

bool wy_fsx_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *wy_fsx_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return wy_xstrdup(".");
    if (slash == path)
        return wy_xstrdup("/");
    return wy_xstrndup(path, (size_t)(slash - path));
}

char *wy_fsx_join(const char *dir, const char *name)
{
    if (name[0] == '/' || !dir || !dir[0] || strcmp(dir, ".") == 0)
        return wy_xstrdup(name);
    WyBuf b;
    wy_buf_init(&b);
    wy_buf_puts(&b, dir);
    if (dir[strlen(dir) - 1] != '/')
        wy_buf_putc(&b, '/');
    wy_buf_puts(&b, name);
    return wy_buf_steal(&b);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Removes `.NAME.wenyin-tmp-*` left by a killed run; safe because we hold
   the folder lock, so no live writer owns them. */
static void remove_stale_temps(int dir_fd, const char *name)
{
    int fd = dup(dir_fd);
    if (fd < 0)
        return;
    DIR *dir = fdopendir(fd);
    if (!dir) {
        close(fd);
        return;
    }
    size_t name_len = strlen(name);
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        const char *n = e->d_name;
        if (n[0] == '.' && strncmp(n + 1, name, name_len) == 0 &&
            strncmp(n + 1 + name_len, TMP_INFIX, strlen(TMP_INFIX)) == 0)
            unlinkat(dir_fd, n, 0);
    }
    closedir(dir);
}

/* Creates the temp file for TARGET (named NAME, in DIR) once LOCK_FD, the
   folder, is locked. */
static bool create_temp(WyAtomicFile *f, int lock_fd, const char *dir, const char *name,
                        const char *target, WyDiag *d)
{
    remove_stale_temps(lock_fd, name);
    WyBuf tmp_name;
    wy_buf_init(&tmp_name);
    wy_buf_printf(&tmp_name, ".%s%sXXXXXX", name, TMP_INFIX);
    f->tmp = wy_fsx_join(dir, wy_buf_str(&tmp_name));
    wy_buf_release(&tmp_name);
    f->fd = mkostemp(f->tmp, O_CLOEXEC);
    if (f->fd < 0) {
        wy_diag_io_error(d, wy_loc(target, 0, 0), "cannot create the output: %s", strerror(errno));
        free(f->tmp);
        f->tmp = NULL;
        return false;
    }
    fchmod(f->fd, 0644);
    f->target = wy_xstrdup(target);
    return true;
}

bool wy_atomic_open(WyAtomicFile *f, const char *target, WyDiag *d)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->dir_fd = -1;
    char *dir = wy_fsx_dirname(target);
    const char *name = base_name(target);
    if (!*name) {
        wy_diag_usage(d, "output '%s' names a folder, not a file", target);
        free(dir);
        return false;
    }
    f->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (f->dir_fd < 0) {
        wy_diag_io_error(d, wy_loc(target, 0, 0), "cannot write here: folder %s: %s", dir, strerror(errno));
        free(dir);
        return false;
    }
    while (flock(f->dir_fd, LOCK_EX) != 0 && errno == EINTR)
        ;
    bool ok = create_temp(f, f->dir_fd, dir, name, target, d);
    free(dir);
    if (!ok) {
        close(f->dir_fd);
        f->dir_fd = -1;
    }
    return ok;
}

bool wy_atomic_open_beside(WyAtomicFile *f, const WyAtomicFile *holder, const char *target, WyDiag *d)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
    f->dir_fd = -1;
    char *dir = wy_fsx_dirname(target);
    char *holder_dir = holder->target ? wy_fsx_dirname(holder->target) : NULL;
    const char *name = base_name(target);
    bool ok = false;
    if (!*name)
        wy_diag_usage(d, "output '%s' names a folder, not a file", target);
    else if (holder->dir_fd < 0 || !holder_dir || strcmp(dir, holder_dir) != 0)
        wy_diag_io_error(d, wy_loc(target, 0, 0), "internal error: not in the folder of the locked output");
    else
        ok = create_temp(f, holder->dir_fd, dir, name, target, d);
    free(holder_dir);
    free(dir);
    return ok;
}

/* Blocks written to the temp file: one write(2) per block, not per piece. */
#define WY_ATOMIC_BUFFER_BYTES (64 * 1024)

static void write_all(WyAtomicFile *f, const unsigned char *p, size_t len)
{
    while (len > 0 && f->write_errno == 0) {
        ssize_t n = write(f->fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            f->write_errno = errno;
            break;
        }
        p += n;
        len -= (size_t)n;
    }
}

static void flush_buffer(WyAtomicFile *f)
{
    write_all(f, f->buf, f->buf_len);
    f->buf_len = 0;
}

bool wy_atomic_write(WyAtomicFile *f, const void *data, size_t len)
{
    if (f->write_errno != 0)
        return false;
    if (f->buf_len + len > WY_ATOMIC_BUFFER_BYTES)
        flush_buffer(f);
    if (len >= WY_ATOMIC_BUFFER_BYTES) {
        write_all(f, data, len);
    } else {
        if (!f->buf)
            f->buf = wy_xmalloc(WY_ATOMIC_BUFFER_BYTES);
        memcpy(f->buf + f->buf_len, data, len);
        f->buf_len += len;
    }
    return f->write_errno == 0;
}

static void release(WyAtomicFile *f)
{
    free(f->buf);
    f->buf = NULL;
    f->buf_len = 0;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->tmp)
        unlink(f->tmp);
    free(f->tmp);
    f->tmp = NULL;
    if (f->dir_fd >= 0)
        close(f->dir_fd); /* drops the flock */
    f->dir_fd = -1;
    free(f->target);
    f->target = NULL;
}

/* fsyncs and closes the temp file; returns the first error, 0 if none. */
static int close_temp(WyAtomicFile *f)
{
    if (f->fd >= 0)
        flush_buffer(f);
    int err = f->write_errno;
    if (f->fd < 0)
        return err;
    if (!err && fsync(f->fd) != 0)
        err = errno;
    if (close(f->fd) != 0 && !err)
        err = errno;
    f->fd = -1;
    return err;
}

static void report_write_error(WyAtomicFile *f, int err, WyDiag *d)
{
    wy_diag_io_error(d, wy_loc(f->target, 0, 0), "cannot write the output: %s (the previous file is unchanged)",
                     strerror(err));
}

bool wy_atomic_finish(WyAtomicFile *f, WyDiag *d)
{
    int err = close_temp(f);
    if (err) {
        report_write_error(f, err, d);
        release(f);
        return false;
    }
    return true;
}

bool wy_atomic_commit(WyAtomicFile *f, WyDiag *d)
{
    int err = close_temp(f);
    if (!err && rename(f->tmp, f->target) != 0)
        err = errno;
    if (err) {
        report_write_error(f, err, d);
        release(f);
        return false;
    }
    free(f->tmp);
    f->tmp = NULL;
    if (f->dir_fd >= 0)
        fsync(f->dir_fd);
    release(f);
    return true;
}

void wy_atomic_abort(WyAtomicFile *f)
{
    release(f);
}
