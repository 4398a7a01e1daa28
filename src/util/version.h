/* version.h - llmcost's version (semantic versioning). */
#ifndef LLMCOST_VERSION_H
#define LLMCOST_VERSION_H
#define LC_VERSION "0.1.0"
/* Commit the binary was built from; the Makefile defines it. */
const char *lc_build_commit(void);
#endif
