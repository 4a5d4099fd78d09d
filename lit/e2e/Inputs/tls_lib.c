// Dynamic TLS: too large for glibc's static TLS surplus, so each thread's
// block is allocated by the loader (__tls_get_addr) on first use.
__thread char tls_big[65536];
char *tls_touch(void) {
  tls_big[0] = 1;
  return tls_big;
}
