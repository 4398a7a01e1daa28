/* build_info.c - the commit the binary was built from (see version.h). */
#include "llmcost/version.h"
#ifndef LC_GIT_COMMIT
#define LC_GIT_COMMIT "unknown"
#endif
const char *lc_build_commit(void) { return LC_GIT_COMMIT; }
