/* Built with plain clang (sound_escape_reachable.c): stores the pointers it
 * is given into memory it reaches by following the pointers it finds. */
void deep_set_via(void **ref, void *p) { *(void **)*ref = p; }

struct deep_outer {
  long id;
  void **inner;
};

void deep_set_in(struct deep_outer *o, void *p) { o->inner[1] = p; }
