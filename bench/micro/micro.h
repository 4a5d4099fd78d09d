/*
 * Helpers shared by the microbenchmarks: a monotonic clock and a small
 * deterministic PRNG, so that every build variant runs the same sequence of
 * allocations.  Header-only (static inline): each benchmark is one .c file
 * compiled on its own by run.sh.
 */
#ifndef MICRO_H
#define MICRO_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* CLOCK_MONOTONIC is system-wide, so a timestamp printed by a benchmark can
 * be compared with one taken by measure.c after the process has ended. */
static inline uint64_t micro_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* splitmix64: fast, good enough to spread sizes and indices. */
static inline uint64_t micro_rand(uint64_t *state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* Parses a positive count argument or exits with a usage message. */
static inline uint64_t micro_count(const char *arg, const char *what) {
  char *end;
  unsigned long long v = strtoull(arg, &end, 10);
  if (*arg == '\0' || *end != '\0' || v == 0) {
    fprintf(stderr, "micro: %s must be a positive integer, got '%s'\n", what, arg);
    exit(2);
  }
  return v;
}

#endif
