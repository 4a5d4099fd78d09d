/*
 * Unit test of the interceptors (runtime/intercept.c): libc out-parameters
 * and bytes read get RAW shadow; pointers in flight in pipes and
 * socketpairs, epoll registrations and anonymous mmap regions are handed to
 * the scanner by lk_intercept_roots exactly while the kernel holds them;
 * with shadow not kept (mode=conservative) nothing is recorded.
 *
 * The test calls the libc names, which bind to the runtime's interceptors
 * linked into this executable.  Heap pointers come from malloc (the
 * runtime's heap); roots are collected by calling lk_intercept_roots
 * directly (the test is single threaded, so nothing runs concurrently).
 */
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <netdb.h>
#include <regex.h>
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "check.h"
#include "lk.h"

static uint8_t shadow(const void *p) {
  return *(const uint8_t *)LK_SHADOW_OF((uintptr_t)p);
}

/* Shadow of the 8 granules from p (8-aligned), as '.' UNKNOWN / 'R' RAW /
 * 'D' DATA. */
static const char *granules(const void *p) {
  static char out[9];
  for (int i = 0; i < 8; i++) {
    uint8_t s = shadow((const char *)p + 8 * i);
    out[i] = s == LEAKCC_SHADOW_RAW       ? 'R'
             : s == LEAKCC_SHADOW_UNKNOWN ? '.'
             : s == LEAKCC_SHADOW_DATA    ? 'D'
                                          : '?';
  }
  return out;
}

/* ------------------------------------------------------------- roots */

/* What one lk_intercept_roots call reported. */
typedef struct seen {
  const char *kind;     /* only ranges of this kind are searched */
  uintptr_t value;      /* looked for as an aligned word */
  size_t hits, words;   /* matches; words in ranges of the kind */
  uintptr_t lo, hi;     /* union of the ranges of the kind */
  bool precise;         /* some range of the kind was precise */
} seen;

static void collect(uintptr_t lo, uintptr_t hi, const char *what,
                    bool precise, void *arg) {
  seen *s = arg;
  if (strcmp(what, s->kind) != 0)
    return;
  s->precise |= precise;
  s->lo = s->lo && s->lo < lo ? s->lo : lo;
  s->hi = s->hi > hi ? s->hi : hi;
  for (uintptr_t p = (lo + 7) & ~(uintptr_t)7; p + 8 <= hi; p += 8) {
    s->words++;
    s->hits += *(const uintptr_t *)p == s->value;
  }
}

static seen roots(const char *kind, const void *value) {
  seen s = {.kind = kind, .value = (uintptr_t)value};
  lk_intercept_roots(collect, &s);
  return s;
}

static size_t pipe_hits(const void *p) {
  return roots("pipe/socket data", p).hits;
}

/* ---------------------------------------------------- out-parameters */

struct holder {
  char *line;
  size_t n;
  char *str;
  char *stream;
  size_t stream_size;
  struct dirent **names;
  struct addrinfo *ai;
  void *tree;
  regex_t re;
  glob_t g;
};

static int compare(const void *a, const void *b) {
  return (int)((intptr_t)a - (intptr_t)b);
}

static int format(char **strp, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vasprintf(strp, fmt, ap);
  va_end(ap);
  return r;
}

static void test_out_parameters(void) {
  struct holder *h = calloc(1, sizeof *h);
  FILE *f = fmemopen("a line\nmore\n", 12, "r");
  REQUIRE(f, "fmemopen failed");
  CHECK(getline(&h->line, &h->n, f) == 7);
  CHECK(shadow(&h->line) == LEAKCC_SHADOW_RAW);
  CHECK(shadow(&h->n) == LEAKCC_SHADOW_UNKNOWN);
  h->line[0] = 0;
  __leakcc_shadow_clear(&h->line, sizeof h->line);
  CHECK(getdelim(&h->line, &h->n, 'e', f) > 0);
  CHECK(shadow(&h->line) == LEAKCC_SHADOW_RAW);
  fclose(f);

  CHECK(asprintf(&h->str, "%d", 42) == 2);
  CHECK(shadow(&h->str) == LEAKCC_SHADOW_RAW);
  free(h->str);
  __leakcc_shadow_clear(&h->str, sizeof h->str);
  CHECK(format(&h->str, "%s", "x") == 1);
  CHECK(shadow(&h->str) == LEAKCC_SHADOW_RAW);

  FILE *m = open_memstream(&h->stream, &h->stream_size);
  CHECK(shadow(&h->stream) == LEAKCC_SHADOW_RAW); /* before libc writes it */
  fputs("text", m);
  fclose(m);

  CHECK(regcomp(&h->re, "a+b", REG_EXTENDED) == 0);
  for (size_t i = 0; i < sizeof h->re / 8; i++)
    CHECK(shadow((char *)&h->re + 8 * i) == LEAKCC_SHADOW_RAW);
  regfree(&h->re);

  CHECK(glob("/", 0, NULL, &h->g) == 0);
  for (size_t i = 0; i < sizeof h->g / 8; i++)
    CHECK(shadow((char *)&h->g + 8 * i) == LEAKCC_SHADOW_RAW);
  globfree(&h->g);

  CHECK(scandir("/", &h->names, NULL, alphasort) > 0);
  CHECK(shadow(&h->names) == LEAKCC_SHADOW_RAW);

  struct addrinfo hints = {.ai_flags = AI_NUMERICHOST,
                           .ai_family = AF_INET};
  CHECK(getaddrinfo("127.0.0.1", NULL, &hints, &h->ai) == 0);
  CHECK(shadow(&h->ai) == LEAKCC_SHADOW_RAW);
  freeaddrinfo(h->ai);

  CHECK(tsearch((void *)1, &h->tree, compare) != NULL);
  CHECK(shadow(&h->tree) == LEAKCC_SHADOW_RAW);
  __leakcc_shadow_clear(&h->tree, sizeof h->tree);
  tdelete((void *)1, &h->tree, compare);
  CHECK(shadow(&h->tree) == LEAKCC_SHADOW_RAW);
}

/* ------------------------------------------------------- bytes read */

static void test_reads(void) {
  int p[2];
  REQUIRE(pipe(p) == 0, "pipe failed");
  uint64_t *buf = calloc(8, 8);
  char data[64];
  memset(data, 'x', sizeof data);

  CHECK(write(p[1], data, 21) == 21);
  CHECK(read(p[0], (char *)buf + 4, 21) == 21); /* bytes 4..24 */
  CHECK(strcmp(granules(buf), ".RR.....") == 0);

  __leakcc_shadow_clear(buf, 64);
  CHECK(write(p[1], data, 24) == 24);
  struct iovec iov[2] = {{buf, 8}, {buf + 4, 16}};
  CHECK(readv(p[0], iov, 2) == 24);
  CHECK(strcmp(granules(buf), "R...RR..") == 0);

  __leakcc_shadow_clear(buf, 64);
  int s[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0, "socketpair failed");
  CHECK(send(s[0], data, 16, 0) == 16);
  CHECK(recv(s[1], buf, 16, MSG_PEEK) == 16);
  CHECK(strcmp(granules(buf), "RR......") == 0);
  CHECK(recvfrom(s[1], buf + 2, 16, 0, NULL, NULL) == 16);
  CHECK(strcmp(granules(buf), "RRRR....") == 0);

  __leakcc_shadow_clear(buf, 64);
  FILE *f = fmemopen(data, sizeof data, "r");
  CHECK(fread(buf, 8, 3, f) == 3);
  CHECK(strcmp(granules(buf), "RRR.....") == 0);
  fclose(f);

  /* A file's bytes are no reference to this heap: DATA. */
  memset((void *)LK_SHADOW_OF((uintptr_t)buf), LEAKCC_SHADOW_RAW, 8);
  FILE *t = tmpfile();
  REQUIRE(t && fwrite(data, 1, 40, t) == 40 && fflush(t) == 0, "tmpfile failed");
  CHECK(pread(fileno(t), buf, 24, 0) == 24);
  CHECK(strcmp(granules(buf), "DDDRRRRR") == 0);
  fclose(t);
  close(p[0]);
  close(p[1]);
  close(s[0]);
  close(s[1]);
  free(buf);
}

/* ---------------------------------------------------- bytes in flight */

static void test_pipe(void) {
  int p[2];
  REQUIRE(pipe(p) == 0, "pipe failed");
  void *a = malloc(32), *b = malloc(32);
  CHECK(pipe_hits(a) == 0);
  CHECK(write(p[1], &a, sizeof a) == 8);
  CHECK(pipe_hits(a) == 1);
  /* An unaligned pointer in a packed message is found too. */
  char msg[9] = {'t'};
  memcpy(msg + 1, &b, sizeof b);
  CHECK(write(p[1], msg, sizeof msg) == 9);
  CHECK(pipe_hits(b) == 1);
  char got[17];
  CHECK(read(p[0], got, 4) == 4); /* half of a: still in flight */
  CHECK(pipe_hits(a) == 1);
  CHECK(read(p[0], got, 4) == 4);
  CHECK(pipe_hits(a) == 0);
  CHECK(pipe_hits(b) == 1);
  /* A dup of the read end reads the same data. */
  int d = dup(p[0]);
  CHECK(read(d, got, 9) == 9);
  CHECK(pipe_hits(b) == 0);
  /* Closing the write ends keeps the data readable... */
  CHECK(write(p[1], &a, sizeof a) == 8);
  close(p[1]);
  CHECK(pipe_hits(a) == 1);
  /* ...closing the last read end discards it. */
  close(p[0]);
  CHECK(pipe_hits(a) == 1);
  close(d);
  CHECK(pipe_hits(a) == 0);

  /* A socketpair carries data both ways; writev and sendmsg count. */
  int s[2];
  REQUIRE(socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0, "socketpair failed");
  struct iovec iov[2] = {{msg, 1}, {&a, 8}};
  CHECK(writev(s[0], iov, 2) == 9);
  struct msghdr mh = {.msg_iov = &iov[1], .msg_iovlen = 1};
  CHECK(sendmsg(s[1], &mh, 0) == 8);
  CHECK(pipe_hits(a) == 2);
  CHECK(recv(s[1], got, 9, 0) == 9); /* what s[0] wrote */
  CHECK(pipe_hits(a) == 1);
  struct iovec in = {got, 8};
  struct msghdr rh = {.msg_iov = &in, .msg_iovlen = 1};
  CHECK(recvmsg(s[0], &rh, 0) == 8);
  CHECK(pipe_hits(a) == 0);
  /* dup2 onto a tracked end replaces it. */
  int q[2];
  REQUIRE(pipe(q) == 0, "pipe failed");
  CHECK(dup2(s[0], q[1]) == q[1]); /* q[1] now writes into s */
  CHECK(write(q[1], &b, sizeof b) == 8);
  CHECK(pipe_hits(b) == 1);
  CHECK(read(s[1], got, 8) == 8);
  CHECK(pipe_hits(b) == 0);
  close(q[0]);
  close(q[1]);
  close(s[0]);
  close(s[1]);
  free(a);
  free(b);
}

/* Past MAX_CANDIDATES words in flight in one channel, the oldest go. */
static void test_pipe_overflow(void) {
  int p[2];
  REQUIRE(pipe(p) == 0, "pipe failed");
  size_t words = (1u << 16) + 1024, bytes = words * 8;
  if (fcntl(p[1], F_SETPIPE_SZ, (int)bytes) < (int)bytes) {
    printf("skipping the overflow test: cannot grow a pipe to %zu bytes\n",
           bytes);
    return;
  }
  uintptr_t *data = malloc(bytes);
  void *first = malloc(1), *later = malloc(1);
  for (size_t i = 0; i < words; i++)
    data[i] = (uintptr_t)(i < 1024 ? first : later);
  CHECK(write(p[1], data, bytes) == (ssize_t)bytes);
  seen s = roots("pipe/socket data", later);
  CHECK(s.hits == 1u << 16);
  CHECK(pipe_hits(first) == 0);
  close(p[0]);
  close(p[1]);
  free(data);
}

/* ---------------------------------------------------------------- epoll */

static void test_epoll(void) {
  int ep = epoll_create1(0), p[2], q[2];
  REQUIRE(ep >= 0 && pipe(p) == 0 && pipe(q) == 0, "epoll/pipe failed");
  void *a = malloc(8), *b = malloc(8);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = a};
  CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
  CHECK(roots("epoll data", a).hits == 1);
  ev.data.ptr = b;
  CHECK(epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
  CHECK(roots("epoll data", a).hits == 0);
  CHECK(roots("epoll data", b).hits == 1);
  CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0);
  CHECK(roots("epoll data", b).hits == 0);
  /* A failed call records nothing. */
  CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, 12345, &ev) != 0);
  CHECK(roots("epoll data", b).hits == 0);
  /* Closing the watched descriptor or the instance forgets it. */
  CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
  ev.data.ptr = a;
  CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev) == 0);
  close(p[0]);
  CHECK(roots("epoll data", b).hits == 0);
  CHECK(roots("epoll data", a).hits == 1);
  close(ep);
  CHECK(roots("epoll data", a).hits == 0);
  close(p[1]);
  close(q[0]);
  close(q[1]);
  free(a);
  free(b);
}

/* ------------------------------------------------------------- regions */

static seen region_roots(void) { return roots("mmap region", NULL); }

static void test_mmap(void) {
  size_t size = 16 * 4096;
  char *r = mmap(NULL, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  REQUIRE(r != MAP_FAILED, "mmap failed");
  seen s = region_roots();
  CHECK(s.lo == (uintptr_t)r && s.hi == (uintptr_t)r + size);
  CHECK(!s.precise);
  /* Its shadow starts NONE, whatever the address held before. */
  lk_shadow_set_raw((uintptr_t)r, (uintptr_t)r + 64);
  CHECK(munmap(r, size) == 0);
  CHECK(region_roots().words == 0);
  char *again = mmap(r, size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  CHECK(again == r && shadow(r) == LEAKCC_SHADOW_UNKNOWN);
  /* Unmapping the middle splits the region. */
  CHECK(munmap(r + 4 * 4096, 4096) == 0);
  s = region_roots();
  CHECK(s.words == (size - 4096) / 8);
  /* Only the readable parts are scanned. */
  CHECK(mprotect(r, 4096, PROT_NONE) == 0);
  CHECK(region_roots().words == (size - 2 * 4096) / 8);
  /* A file mapping over part of it is no longer an anonymous region. */
  int fd = open("/proc/self/exe", O_RDONLY);
  CHECK(mmap(r + 8 * 4096, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0) ==
        r + 8 * 4096);
  close(fd);
  CHECK(region_roots().words == (size - 3 * 4096) / 8);
  /* mremap moves the region (and its shadow). */
  void **tail = (void **)(r + 12 * 4096);
  *tail = r;
  lk_shadow_set_raw((uintptr_t)tail, (uintptr_t)(tail + 1));
  char *moved = mremap(tail, 4 * 4096, 8 * 4096, MREMAP_MAYMOVE);
  REQUIRE(moved != MAP_FAILED, "mremap failed");
  s = roots("mmap region", r);
  CHECK(s.hits == 1);
  if (moved != (char *)tail) {
    CHECK(shadow(moved) == LEAKCC_SHADOW_RAW);
    CHECK(shadow(tail) == LEAKCC_SHADOW_UNKNOWN);
  }
  munmap(r, 12 * 4096);
  munmap(moved, 8 * 4096);
  CHECK(region_roots().words == 0);
  /* A reservation committed later is scanned where it is readable. */
  char *res = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
                   0);
  CHECK(mprotect(res + 4096, 4096, PROT_READ | PROT_WRITE) == 0);
  s = region_roots();
  CHECK(s.lo == (uintptr_t)res + 4096 && s.words == 512);
  munmap(res, 1 << 20);
}

/* ------------------------------------------------ shadow not kept */

static void test_inactive(void) {
  lk_alloc_clears_shadow = false;
  char **slot = calloc(1, sizeof *slot);
  CHECK(asprintf(slot, "%d", 1) == 1);
  CHECK(shadow(slot) != LEAKCC_SHADOW_RAW); /* the interceptor left it */
  int p[2];
  REQUIRE(pipe(p) == 0, "pipe failed");
  CHECK(write(p[1], slot, sizeof *slot) == 8);
  CHECK(pipe_hits(*slot) == 0);
  void *r = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CHECK(region_roots().words == 0);
  munmap(r, 4096);
  close(p[0]);
  close(p[1]);
  lk_alloc_clears_shadow = true;
}

int main(void) {
  REQUIRE(lk_shadow_reserved(), "the shadow could not be reserved");
  /* What lk_init sets for mode=precise (ctest runs the default mode). */
  lk_flags.mode = "precise";
  lk_alloc_clears_shadow = true;
  test_out_parameters();
  test_reads();
  test_pipe();
  test_pipe_overflow();
  test_epoll();
  test_mmap();
  test_inactive();
  return failures != 0;
}
