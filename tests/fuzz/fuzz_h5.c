/*
 * fuzz_h5.c - libFuzzer harness for the HDF5 readers (issue 10): `llmcost
 * info FILE`, `llmcost slice FILE sub_profit --x params --at users=...`
 * (lc_slice_read) and `llmcost merge OUT FILE` (the shard check: tag,
 * format, /summary, shapes).
 *
 * The files are mutated small sweep files.  At start-up the harness writes
 * a valid shard-0-of-1 sweep file with the C API (lc_cluster_sweep), so it
 * is readable by all three commands.  Each input is a list of 4-byte edits
 * (op, a, b, c) applied with the HDF5 API to a copy of it: attributes
 * replaced by other values or types, axes and outputs replaced by datasets
 * of other lengths, types, layouts or declared-but-unwritten extents, the
 * /summary or its attributes removed, the shard tag forged.  HDF5 itself
 * then stays consistent, so what is exercised is llmcost's checks, not
 * libhdf5's parser of damaged bytes.
 *
 * FUZZ_H5_RAW=1 instead takes the input as a raw file image (seeds:
 * tests/fuzz/seeds/h5raw/, written by llmcost and h5py).  That mode finds
 * crashes inside libhdf5 1.10.8 on damaged metadata within seconds (see
 * doc/hardening.md): they are libhdf5's, and no reader built on it can
 * avoid them, so the default mode leaves them out.
 *
 * Invariants: each command returns 0, 1 or 2, never crashes or reads out
 * of bounds, never allocates more than the rss limit for a length the file
 * does not hold, and leaves no HDF5 file open.
 *
 * Run with -close_fd_mask=3 (the commands print); run_fuzz.sh does.
 */
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "catalog/catalog.h"
#include "cluster/cluster_sweep.h"
#include "spec/spec.h"
#include "engine/sweep.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char base_path[] = "base.shard0-of-1.h5";
static const char in_path[] = "in.shard0-of-1.h5";
static unsigned char *base;
static size_t base_len;
static int raw_mode;

static const char spec_text[] = "[sweep]\nchunk_kib = 1\n[axes]\n"
                                "params = 7B, 70B, 175B\nusers = 1k, 1M, 1B, 2B\n"
                                "tokens_per_user = 1M, 2M\n"
                                "[outputs]\nstore = sub_profit, pretrain_cost\n"
                                "reduce = sub_profit\ncount = sub_profit > 0\n";

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
    const char *e = getenv("FUZZ_H5_RAW");
    raw_mode = e && *e == '1';
    /* the base file: a real shard 0 of 1, written by the library */
    lc_catalog cat;
    lc_spec s;
    lc_diag d;
    lc_sweep_opts o;
    lc_sweep_result *r = calloc(1, sizeof *r);
    lc_cluster_report rep;
    lc_cluster_opts co = {0, 1, 0, 0};
    if (!r || lc_catalog_load(&cat, NULL, &d) != LC_OK ||
        lc_spec_parse_text(&s, spec_text, strlen(spec_text), "fuzz.ini", &cat, &d) != LC_OK)
        abort();
    lc_sweep_opts_init(&o);
    o.output = "base.h5";
    o.threads = 1;
    if (lc_cluster_sweep(&s, &o, &co, r, &rep, &d) != LC_OK)
        abort();
    lc_spec_free(&s);
    lc_catalog_free(&cat);
    free(r);
    FILE *f = fopen(base_path, "rb");
    if (!f)
        abort();
    base = malloc(1 << 20);
    base_len = base ? fread(base, 1, 1 << 20, f) : 0;
    fclose(f);
    if (base_len == 0)
        abort();
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
    if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) != 0)
        abort();
}

/* ---- edits ------------------------------------------------------------------ */

static const char *const strings[] = {
    "llmcost-sweep/1", "llmcost-sweep/2", "llmcost-sweep/", "", "0/1", "1/2", "0/268435456",
    "0/0", "-1/2", "0/1x", " 0/1", "0/2", "params,users,tokens_per_user", "params",
    "users,params,tokens_per_user", "params,users,tokens_per_user,nosuch", ",", "params,,users",
    "fnv1a64:0000000000000000", "sub_profit", "nan", "1e308"};
#define N_STRINGS (sizeof strings / sizeof strings[0])
static const char *const root_attrs[] = {"format", "shard", "axes", "identity_fingerprint",
                                         "grid_points", "threads", "input.discount",
                                         "spec_name", "dtype", "layout"};
static const char *const objects[] = {"params", "users", "tokens_per_user", "sub_profit",
                                      "pretrain_cost", "summary", "summary/sub_profit",
                                      "summary/cond0"};
static const char *const sum_attrs[] = {"min", "max", "mean", "count_finite", "count_nan",
                                        "count_inf", "argmin", "argmax", "argmin_index",
                                        "count", "share", "condition", "units"};

/* Replace attribute NAME of LOC by a value of kind k. */
static void set_attr(hid_t loc, const char *name, unsigned k, unsigned v)
{
    if (H5Aexists(loc, name) > 0)
        H5Adelete(loc, name);
    switch (k % 6) {
    case 0: /* delete only */
        break;
    case 1:
        H5LTset_attribute_string(loc, ".", name, strings[v % N_STRINGS]);
        break;
    case 2: {
        double x = v & 1 ? -1.0 * v : (double)v * 1e300;
        H5LTset_attribute_double(loc, ".", name, &x, 1);
        break;
    }
    case 3: {
        unsigned long long x = v & 1 ? ~0ULL : (unsigned long long)v << 40;
        H5LTset_attribute_ulong(loc, ".", name, (unsigned long *)&x, 1);
        break;
    }
    case 4: { /* an array where a scalar is expected */
        double x[3] = {1, 2, (double)v};
        H5LTset_attribute_double(loc, ".", name, x, 3);
        break;
    }
    default: {
        int x = -(int)v;
        H5LTset_attribute_int(loc, ".", name, &x, 1);
        break;
    }
    }
}

/* Replace dataset NAME by one of n points (declared; written only when
 * `write`) of type t, 1-D or 2-D. */
static void new_dataset(hid_t f, const char *name, unsigned n, unsigned t, unsigned shape)
{
    if (H5Lexists(f, name, H5P_DEFAULT) > 0)
        H5Ldelete(f, name, H5P_DEFAULT);
    int huge = shape & 4, write = !(shape & 8) && !huge;
    hsize_t dims[2] = {huge ? (hsize_t)1 << (20 + n % 20) : n % 5000, (shape & 2) ? 3 : 1};
    int rank = (shape & 2) ? 2 : 1;
    hid_t type = t % 4 == 0 ? H5T_IEEE_F64LE : t % 4 == 1 ? H5T_STD_I32LE
               : t % 4 == 2 ? H5T_IEEE_F32LE : H5T_C_S1;
    hid_t tc = H5Tcopy(type);
    if (t % 4 == 3)
        H5Tset_size(tc, H5T_VARIABLE);
    hid_t sp = H5Screate_simple(rank, dims, NULL), pl = H5Pcreate(H5P_DATASET_CREATE);
    hsize_t ch[2] = {dims[0] ? (dims[0] < 1024 ? dims[0] : 1024) : 1, dims[1]};
    if (huge || (shape & 1))
        H5Pset_chunk(pl, rank, ch);
    hid_t ds = H5Dcreate2(f, name, tc, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    if (ds >= 0 && write && t % 4 != 3 && dims[0] * dims[1] > 0) {
        double *v = calloc((size_t)(dims[0] * dims[1]), sizeof *v);
        for (hsize_t i = 0; v && i < dims[0] * dims[1]; i++)
            v[i] = (double)i * 1e9 + 1;
        if (v)
            H5Dwrite(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v);
        free(v);
    }
    if (ds >= 0) {
        if (strcmp(name, "params") == 0 || strcmp(name, "users") == 0)
            H5DSset_scale(ds, name);
        else
            H5LTset_attribute_string(f, name, "formula", "fuzzed");
        H5Dclose(ds);
    }
    H5Pclose(pl);
    H5Sclose(sp);
    H5Tclose(tc);
}

static void edit(const uint8_t *data, size_t size)
{
    hid_t f = H5Fopen(in_path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        abort();
    int removed = 0;
    for (size_t i = 0; i + 4 <= size && i < 4 * 16; i += 4) {
        unsigned op = data[i], a = data[i + 1], b = data[i + 2], c = data[i + 3];
        /* H5DS calls on a dimension list that references a removed dataset
         * leak identifiers inside libhdf5_hl: scales are edited only while
         * no object has been removed or replaced */
        if (op % 6 >= 2 && op % 6 <= 4)
            removed = 1;
        if (op % 6 == 5 && removed)
            continue;
        switch (op % 6) {
        case 0: /* a root attribute */
            set_attr(f, root_attrs[a % (sizeof root_attrs / sizeof root_attrs[0])], b, c);
            break;
        case 1: { /* a /summary attribute */
            const char *g = c & 1 ? "summary/cond0" : "summary/sub_profit";
            hid_t sg = H5Lexists(f, "summary", H5P_DEFAULT) > 0 &&
                               H5Lexists(f, g, H5P_DEFAULT) > 0
                           ? H5Gopen2(f, g, H5P_DEFAULT) : -1;
            if (sg >= 0) {
                set_attr(sg, sum_attrs[a % (sizeof sum_attrs / sizeof sum_attrs[0])], b, c >> 1);
                H5Gclose(sg);
            }
            break;
        }
        case 2: { /* an object removed */
            const char *o = objects[a % (sizeof objects / sizeof objects[0])];
            if (H5Lexists(f, "summary", H5P_DEFAULT) > 0 || strncmp(o, "summary", 7) != 0)
                if (H5Lexists(f, o, H5P_DEFAULT) > 0)
                    H5Ldelete(f, o, H5P_DEFAULT);
            break;
        }
        case 3: /* an axis replaced */
            new_dataset(f, a & 1 ? "users" : "params", (unsigned)b << 4 | (c & 15), a >> 1, c >> 4);
            break;
        case 4: /* an output replaced */
            new_dataset(f, a & 1 ? "pretrain_cost" : "sub_profit", (unsigned)b << 4 | (c & 15),
                        a >> 1, c >> 4);
            break;
        default: { /* an output's dimension scale detached or another attached */
            const char *o = a & 1 ? "pretrain_cost" : "sub_profit";
            const char *sc = b & 1 ? "users" : "params";
            hid_t ds = H5Lexists(f, o, H5P_DEFAULT) > 0 ? H5Dopen2(f, o, H5P_DEFAULT) : -1;
            hid_t s = H5Lexists(f, sc, H5P_DEFAULT) > 0 ? H5Dopen2(f, sc, H5P_DEFAULT) : -1;
            hid_t sp = ds >= 0 ? H5Dget_space(ds) : -1;
            int rank = sp >= 0 ? H5Sget_simple_extent_ndims(sp) : 0;
            unsigned idx = (c >> 1) % 3;
            if (sp >= 0)
                H5Sclose(sp);
            if (ds >= 0 && s >= 0 && (int)idx < rank && H5DSis_scale(s) > 0) {
                htri_t on = H5DSis_attached(ds, s, idx);
                if ((c & 1) && on > 0)
                    H5DSdetach_scale(ds, s, idx);
                else if (!(c & 1) && on == 0)
                    H5DSattach_scale(ds, s, idx);
            }
            if (s >= 0)
                H5Dclose(s);
            if (ds >= 0)
                H5Dclose(ds);
            break;
        }
        }
    }
    H5Fclose(f);
    /* the edits close what they open (the detach op is guarded: libhdf5_hl
     * leaks identifiers when H5DSdetach_scale fails) */
    if (H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    int fd = open(in_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        abort();
    const void *img = raw_mode ? (const void *)data : (const void *)base;
    size_t len = raw_mode ? size : base_len;
    if (len && write(fd, img, len) != (ssize_t)len)
        abort();
    close(fd);
    if (!raw_mode)
        edit(data, size);
    char a0[] = "info", a1[sizeof in_path], s0[] = "slice", s2[] = "sub_profit",
         s3[] = "--x", s4[] = "params", s5[] = "--at", s6[] = "users=1M", s7[] = "--at",
         s8[] = "tokens_per_user=1M", m0[] = "merge", m1[] = "out.h5";
    memcpy(a1, in_path, sizeof in_path);
    char *info[] = {a0, a1, NULL};
    char *slice[] = {s0, a1, s2, s3, s4, s5, s6, s7, s8, NULL};
    char *merge[] = {m0, m1, a1, NULL};
    run(lc_cmd_info, 2, info);
    run(lc_cmd_slice, 9, slice);
    run(lc_cmd_merge, 3, merge);
    unlink("out.h5");
    unlink("out.h5.partial");
    unlink(in_path);
    return 0;
}
