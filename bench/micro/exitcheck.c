/*
 * A heap for timing the leak check at exit: N nodes of 48 bytes, all
 * reachable, shaped like the program that motivated leakcc (issue 4): a
 * forest of complete binary trees of TREE_NODES nodes each, whose roots sit in
 * one array held by a global, plus one cross edge per node to an earlier node
 * chosen uniformly at random from the whole heap, so that marking jumps
 * around memory and keeps meeting nodes it has already marked.
 *
 *   exitcheck N
 *
 * Output, one line on stdout, flushed just before main returns:
 *   nodes=N build_ns=T exit_ts_ns=CLOCK_MONOTONIC
 * measure.c subtracts exit_ts_ns from the time the process was reaped; that
 * tail contains the atexit handlers (the leak check) and process teardown.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "micro.h"

#define TREE_NODES 4096u       /* nodes per tree: 12 levels */
#define SAMPLE_SLOTS (1u << 20) /* reservoir of earlier nodes for cross edges */

struct node {
  struct node *kid[2];
  struct node *cross;
  uint64_t key;
  uint64_t payload[2];
};
_Static_assert(sizeof(struct node) == 48, "nodes must be 48 bytes");

/* The only root.  External linkage so the optimizer keeps the stores. */
struct node **exitcheck_forest;

/* Scratch memory comes from mmap, not malloc, and is unmapped before main
 * returns: it must not hold references the checker could see at exit. */
static void *scratch(size_t bytes) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) {
    perror("micro: mmap");
    exit(1);
  }
  return p;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: exitcheck NODES\n");
    return 2;
  }
  uint64_t n = micro_count(argv[1], "NODES");
  uint64_t trees = (n + TREE_NODES - 1) / TREE_NODES, rng = 7, seen = 0;
  struct node **tree = scratch(TREE_NODES * sizeof *tree);
  struct node **sample = scratch(SAMPLE_SLOTS * sizeof *sample);

  uint64_t t0 = micro_now_ns();
  exitcheck_forest = malloc(trees * sizeof *exitcheck_forest);
  if (!exitcheck_forest) {
    fprintf(stderr, "micro: cannot allocate %llu tree roots\n", (unsigned long long)trees);
    return 1;
  }
  for (uint64_t i = 0; i < n; i++) {
    uint32_t k = (uint32_t)(i % TREE_NODES);
    struct node *nd = malloc(sizeof *nd);
    if (!nd) {
      fprintf(stderr, "micro: out of memory after %llu nodes\n", (unsigned long long)i);
      return 1;
    }
    nd->kid[0] = nd->kid[1] = NULL;
    nd->key = i;
    nd->payload[0] = i * 3;
    nd->payload[1] = ~i;
    nd->cross = seen ? sample[micro_rand(&rng) % (seen < SAMPLE_SLOTS ? seen : SAMPLE_SLOTS)] : NULL;
    tree[k] = nd;
    if (k == 0)
      exitcheck_forest[i / TREE_NODES] = nd;
    else
      tree[(k - 1) / 2]->kid[(k - 1) % 2] = nd;
    /* Reservoir sampling keeps `sample` a uniform sample of all nodes so far. */
    if (seen < SAMPLE_SLOTS)
      sample[seen] = nd;
    else if (micro_rand(&rng) % (seen + 1) < SAMPLE_SLOTS)
      sample[micro_rand(&rng) % SAMPLE_SLOTS] = nd;
    seen++;
  }
  uint64_t built = micro_now_ns();
  munmap(tree, TREE_NODES * sizeof *tree);
  munmap(sample, SAMPLE_SLOTS * sizeof *sample);
  printf("nodes=%llu build_ns=%llu exit_ts_ns=%llu\n", (unsigned long long)n,
         (unsigned long long)(built - t0), (unsigned long long)micro_now_ns());
  fflush(stdout);
  return 0;
}
