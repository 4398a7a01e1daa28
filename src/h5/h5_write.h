/*
 * h5_write.h - writing the llmcost sweep file (h5_write.c; HDF5, format
 * "llmcost-sweep/1", layout in doc/file-format.md): the writer the sweep
 * engine uses, and the HDF5 error helpers every file of src/h5/ shares.
 *
 * Every HDF5 call is checked; the library's own error printing is turned
 * off (lc_h5_quiet) and failures come back as LC_EHDF5 with a message that
 * names the object and the innermost HDF5 error.
 */
#ifndef LLMCOST_H5_WRITE_H
#define LLMCOST_H5_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "grid/reduce.h"
#include "spec/spec.h"
#include "util/status.h"

#define LC_H5_FORMAT "llmcost-sweep/1"
#define LC_H5_FILTER_LZ4 32004
#define LC_H5_FILTER_BLOSC 32001

/* Before any other HDF5 call (main.c): no HDF5 shutdown from atexit.
 * Every command closes its files itself, and after a failed H5Fclose (a
 * full disk: the flush fails) HDF5 1.10.8's own shutdown dereferences the
 * half-closed file and crashes (SIGSEGV in H5F__close_cb) instead of
 * exiting with the error the command already reported.  (HDF5's memory
 * stays reachable at exit, so leak checkers stay quiet; its shutdown would
 * also dlclose the filter plugins, whose global compression contexts -
 * blosc, lz4 - then show up as leaks.) */
void lc_h5_init(void);

/* Silence HDF5's automatic error printing (idempotent, thread-safe enough:
 * call it before any other HDF5 call). */
void lc_h5_quiet(void);

/* The innermost message on HDF5's error stack ("" when none). */
void lc_h5_error_text(char *buf, size_t size);

/* The one error path of src/h5/: a failed HDF5 call while doing WHAT on
 * PATH.  LC_EIO with the system's reason when HDF5's file driver saw an
 * errno (a full disk: "the .partial is kept ... --resume"), else LC_EHDF5
 * "HDF5: WHAT failed: <innermost HDF5 message>". */
lc_status lc_h5_fail(lc_diag *d, const char *path, const char *what);

/* 1 when the codec can be used here (plugin filters need the plugin). */
int lc_h5_codec_available(lc_codec c);

/* ---- writer ---------------------------------------------------------------- */
typedef struct lc_h5w lc_h5w;

typedef struct {
    const char *isa;
    int threads;
    uint64_t grid_points;
    const char *const *extra_attrs; /* root string attributes name, value, ..., NULL */
} lc_h5_prov;

/* Create the file at path exclusively (H5F_ACC_EXCL: an existing file or
 * symbolic link there is refused, never truncated; --force unlinks first),
 * with creation order tracked, write the
 * axes (dimension scales), the root attributes and create one dataset per
 * stored output (dims/chunk per output given by the caller). */
lc_status lc_h5w_create(lc_h5w **w, const char *path, const lc_spec *s,
                        const lc_h5_prov *prov, lc_diag *d);

/* Resume (src/cluster/): open an existing sweep file written by lc_h5w_create
 * for adding chunks; lc_h5w_dataset then opens each dataset (same order,
 * dims and chunk shape, else LC_EFORMAT) instead of creating it, and
 * lc_h5w_summary replaces a /summary already there. */
lc_status lc_h5w_reopen(lc_h5w **w, const char *path, const lc_spec *s, lc_diag *d);

/* The same on this process only, also in an MPI run (rank 0 writes the
 * /summary alone: parallel HDF5 cannot write variable-length strings). */
lc_status lc_h5w_reopen_local(lc_h5w **w, const char *path, const lc_spec *s, lc_diag *d);

/* H5Fflush: everything written so far reaches the file (not fsync). */
lc_status lc_h5w_flush(lc_h5w *w, lc_diag *d);

/* The MPI build, run on several ranks: rank 0 creates the file alone
 * (lc_h5w_create), then every rank lc_h5w_reopen's it with the MPI-IO
 * driver; from there every call is collective - lc_h5w_chunk with
 * data == NULL is this rank's empty share of a collective write. */

/* Create the dataset of stored output `output` over the spec axes
 * axes[0..rank-1] (grid order) with the given chunk shape; returns its
 * index for lc_h5w_chunk. */
lc_status lc_h5w_dataset(lc_h5w *w, int output, int rank, const int *axes,
                         const uint64_t *dims, const uint64_t *chunk, int *index,
                         lc_diag *d);

/* Write one chunk.  When the codec is applied by the engine, data holds the
 * encoded (or raw) bytes of the full chunk shape; otherwise the raw values
 * in the full chunk shape and HDF5 filters them (extent = the valid part). */
lc_status lc_h5w_chunk(lc_h5w *w, int index, const uint64_t *origin,
                       const uint64_t *extent, const void *data, size_t nbytes,
                       lc_diag *d);
/* lc_h5w_chunk with the filter mask of engine-encoded bytes. */
lc_status lc_h5w_chunk_mask(lc_h5w *w, int index, const uint64_t *origin,
                            const uint64_t *extent, const void *data, size_t nbytes,
                            unsigned mask, lc_diag *d);

/* Attributes on an HDF5 object (a hid_t): a UTF-8 string, a float64, a
 * uint64, a uint64 vector (n > 0); 1 on success. */
int lc_h5w_attr_str(int64_t obj, const char *name, const char *value);
int lc_h5w_attr_f64(int64_t obj, const char *name, double v);
int lc_h5w_attr_u64(int64_t obj, const char *name, uint64_t v);
int lc_h5w_attr_u64v(int64_t obj, const char *name, const uint64_t *v, size_t n);

/* The netCDF-4 classic model (doc/file-format.md), for the files of the
 * file layer that add to a sweep file after lc_h5w_create (h5_bands.c):
 * lc_h5w_classic: 1 when obj's file is one (its root "_nc3_strict"); the
 * attribute writers above then write its forms (fixed-length text, uint64
 * as float64).  lc_h5w_nc_dimension: in such a file, give dimension scale
 * ds the next netCDF dimension id, 1 + the largest "_Netcdf4Dimid" of the
 * root datasets (lc_h5w_create numbers the axes 0..n-1, then the
 * "<axis>_strlen" dimensions), so netCDF-C sees dense, unique ids; 1
 * (nothing written) in any other file, 0 on failure.
 * lc_h5w_dim_without_variable: a dimension of n points that netCDF sees
 * without a variable (an empty dataset NAME, a dimension scale named as
 * netCDF-C names those), left open (close it), or -1. */
int lc_h5w_classic(int64_t obj);
int lc_h5w_nc_dimension(int64_t ds);
int64_t lc_h5w_dim_without_variable(int64_t loc, const char *name, uint64_t n);

/* "params=7e+10, gpu=H100, ..." of full-grid coordinates (the argmin text). */
void lc_h5_coords_text(const lc_spec *s, const uint64_t *c, char *buf, size_t size);

/* The /summary group from the reductions (and the questions: h5_questions.h). */
lc_status lc_h5w_summary(lc_h5w *w, const lc_sweep_result *r, lc_diag *d);

/* Close everything and fsync the file; frees w (also on failure). */
lc_status lc_h5w_close(lc_h5w *w, lc_diag *d);

/* After a write failed (a full disk): keep the file exactly as its last
 * successful flush left it, which is what the resume journal vouches for.
 * HDF5's descriptor is replaced by a read-only one, so the close that
 * follows cannot write half of its newer metadata (a half-written index
 * made the .partial unreadable).  Serial (sec2) files only; 1 if frozen. */
int lc_h5w_freeze(lc_h5w *w);

#endif
