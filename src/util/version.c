/* version.c - the commit the binary was built from (see version.h). */
#include "util/version.h"
#ifndef LC_GIT_COMMIT
#define LC_GIT_COMMIT "unknown"
#endif
const char *lc_build_commit(void) { return LC_GIT_COMMIT; }
