/*
 * fuzz_h5.c - libFuzzer harness for the HDF5 readers (issue 10): the input
 * is a file image (seeds: small sweep files written by llmcost itself, in
 * tests/fuzz/seeds/h5/), written to a private temporary file and given to
 *   - `llmcost info FILE`,
 *   - `llmcost slice FILE OUTPUT --x AXIS` (lc_slice_read and the writer),
 *   - `llmcost merge OUT FILE` (the shard check: tag, format, /summary,
 *     shapes), whose output lands in the private directory and is removed.
 * Invariants: every command returns 0, 1 or 2 and never crashes, reads out
 * of bounds or allocates more than the rss limit (a declared length that
 * the file does not hold must be refused, not allocated); afterwards no
 * HDF5 file is left open (each command closes what it opened).
 *
 * Run with -close_fd_mask=3 (the commands print) and -max_len=32768 (the
 * seeds are about 20 kB); run_fuzz.sh does both.
 */
#include <fcntl.h>
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/lcfuzzh5XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0)
        abort();
    int fd = open("/dev/null", O_RDONLY);
    if (fd < 0 || dup2(fd, 0) < 0)
        abort();
    close(fd);
    H5dont_atexit(); /* as main() does */
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return 0;
}

static void run(int (*cmd)(int, char **), int argc, char **argv)
{
    optind = 0;
    opterr = 1;
    int rc = cmd(argc, argv);
    fflush(stdout);
    if (rc < 0 || rc > 2)
        abort();
    /* every command closes the files it opened, also on a refusal */
    if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_FILE) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    /* a shard's name, so that merge takes it for one */
    static const char path[] = "in.shard0-of-1.h5";
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        abort();
    if (size && write(fd, data, size) != (ssize_t)size)
        abort();
    close(fd);
    char a0[] = "info", a1[sizeof path], s0[] = "slice", s2[] = "sub_profit",
         s3[] = "--x", s4[] = "params", m0[] = "merge", m1[] = "out.h5";
    memcpy(a1, path, sizeof path);
    char *info[] = {a0, a1, NULL};
    char *slice[] = {s0, a1, s2, s3, s4, NULL};
    char *merge[] = {m0, m1, a1, NULL};
    run(lc_cmd_info, 2, info);
    run(lc_cmd_slice, 5, slice);
    run(lc_cmd_merge, 3, merge);
    unlink("out.h5");
    unlink("out.h5.partial");
    unlink(path);
    return 0;
}
