/*
 * process.c - Ctrl-C, files read on a user's behalf, temporary files and
 * thread counts (include/tpp.h, "files and processes").
 */
#define _POSIX_C_SOURCE 200809L

#include "internal.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- Ctrl-C ---- */

static volatile sig_atomic_t g_interrupted = 0;
static struct sigaction g_previous;
static int g_installed = 0;

static void on_sigint(int sig) {
  g_interrupted = 1;
  /* the interpreter's own handler (lua.c's) stops Lua code at its next
   * instruction; the flag stops tpp's C loops and the rule sandbox */
  if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN &&
      g_previous.sa_handler != on_sigint)
    g_previous.sa_handler(sig);
}

int tpp_interrupt_install(void) {
  struct sigaction sa;
  if (g_installed) return 0;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGINT, &sa, &g_previous) != 0) return -1;
  if (g_previous.sa_flags & SA_SIGINFO) g_previous.sa_handler = SIG_DFL; /* not chainable here */
  g_installed = 1;
  return 0;
}

int tpp_interrupted(void) {
  return g_interrupted != 0;
}

void tpp_interrupt_clear(void) {
  g_interrupted = 0;
}

void tpp_interrupt_raise(void) {
  g_interrupted = 1;
}

/* ---- reading a regular file ---- */

static const char *kind_of(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a FIFO (named pipe)";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISLNK(m)) return "a symbolic link";
  return "not a regular file";
}

int tpp_read_regular_file(const char *path, int64_t max_bytes, int32_t no_follow, char **data,
                          int64_t *size, tpp_error *err) {
  struct stat st;
  int fd, flags = O_RDONLY | O_NONBLOCK | O_NOCTTY; /* a FIFO must not block the open */
  char *buf;
  int64_t got = 0;
  tpp_error_clear(err);
  *data = NULL;
  *size = 0;
  if (!path || !*path) return tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "empty file name");
  if (no_follow) {
    if (lstat(path, &st) != 0)
      return tpp_fail(err, TPP_E_IO, -1, -1, NAN, "%s: %s", path, strerror(errno));
    if (S_ISLNK(st.st_mode))
      return tpp_fail(err, TPP_E_IO, -1, -1, NAN, "%s: a symbolic link; only a regular file is read here",
                      path);
#ifdef O_NOFOLLOW
    flags |= O_NOFOLLOW;
#endif
  }
  fd = open(path, flags);
  if (fd < 0) return tpp_fail(err, TPP_E_IO, -1, -1, NAN, "%s: %s", path, strerror(errno));
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return tpp_fail(err, TPP_E_IO, -1, -1, NAN, "%s: %s", path, strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return tpp_fail(err, TPP_E_IO, -1, -1, NAN, "%s: %s, not a regular file", path,
                    kind_of(st.st_mode));
  }
  if ((int64_t)st.st_size > max_bytes) {
    close(fd);
    return tpp_fail(err, TPP_E_IO, -1, -1, (double)st.st_size,
                    "%s: %lld bytes, more than the %lld bytes allowed", path,
                    (long long)st.st_size, (long long)max_bytes);
  }
  buf = (char *)tpp_alloc((size_t)st.st_size + 1);
  if (!buf) {
    close(fd);
    return tpp_fail(err, TPP_E_NOMEM, -1, -1, NAN, "%s: out of memory", path);
  }
  /* read up to the size seen (a file that grows meanwhile is cut there) */
  while (got < (int64_t)st.st_size) {
    ssize_t r = read(fd, buf + got, (size_t)(st.st_size - got));
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r < 0) {
      int e = errno;
      tpp_free(buf);
      close(fd);
      return tpp_fail(err, TPP_E_IO, -1, -1, NAN, "%s: %s", path, strerror(e));
    }
    if (r == 0) break;
    got += r;
  }
  close(fd);
  buf[got] = '\0';
  *data = buf;
  *size = got;
  return TPP_OK;
}

/* ---- temporary files ---- */

int tpp_temp_file(const char *dir, const char *prefix, const char *suffix, char *path,
                  size_t path_size, tpp_error *err) {
  int fd = tpp_temp_open(dir, prefix, suffix, path, path_size, err);
  if (fd < 0) return err ? err->code : TPP_E_IO;
  close(fd);
  return TPP_OK;
}

int tpp_temp_open(const char *dir, const char *prefix, const char *suffix, char *path,
                  size_t path_size, tpp_error *err) {
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  uint64_t state;
  struct timespec ts;
  int attempt;
  tpp_error_clear(err);
  if (!dir || !*dir) dir = getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  if (!prefix) prefix = "tpp";
  if (!suffix) suffix = "";
  if (strchr(prefix, '/') || strchr(suffix, '/')) {
    tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "temporary file prefix and suffix hold no '/'");
    return -1;
  }
  clock_gettime(CLOCK_REALTIME, &ts);
  state = tpp_rng_from_seed((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
                            ((uint64_t)getpid() << 40) ^ (uint64_t)(uintptr_t)path);
  for (attempt = 0; attempt < 100; attempt++) {
    char name[7];
    int i, fd, n;
    for (i = 0; i < 6; i++) name[i] = letters[tpp_rng_u64(&state) % (sizeof letters - 1)];
    name[6] = '\0';
    n = snprintf(path, path_size, "%s%s%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", prefix,
                 name, suffix);
    if (n < 0 || (size_t)n >= path_size) {
      tpp_fail(err, TPP_E_ARG, -1, -1, NAN, "temporary file name in %s is too long", dir);
      return -1;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
    if (fd >= 0) return fd;
    if (errno != EEXIST) {
      tpp_fail(err, TPP_E_IO, -1, -1, NAN, "cannot create a file in %s: %s", dir, strerror(errno));
      return -1;
    }
  }
  tpp_fail(err, TPP_E_IO, -1, -1, NAN, "cannot create a unique file in %s", dir);
  return -1;
}

/* ---- thread counts ---- */

int tpp_check_threads(double n, const char *what, tpp_error *err) {
  tpp_error_clear(err);
  if (!(n >= 1 && n <= TPP_MAX_THREADS) || n != (double)(int64_t)n)
    return tpp_fail(err, TPP_E_ARG, -1, -1, n, "%s: got %.17g, expected an integer from 1 to %d",
                    what ? what : "threads", n, (int)TPP_MAX_THREADS);
  return TPP_OK;
}
