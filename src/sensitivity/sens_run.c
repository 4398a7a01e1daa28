/*
 * sens_run.c - the methods of the sensitivity analysis: Monte Carlo,
 * one-at-a-time (tornado), Morris elementary effects and Sobol indices with
 * Saltelli sampling and bootstrap intervals, all on the point-list model
 * evaluation of sens_eval.c.
 *
 * Determinism: a random number is a pure function of (seed, stream, index,
 * factor) (a SplitMix64 hash), never a generator's state shared between
 * threads; OpenMP loops only fill disjoint slots, and every sum and sort
 * runs sequentially in index order.  So any thread count gives the same bits.
 * With p->mpi the model evaluations (sens_eval.c) and the bootstrap
 * resamples are split across MPI ranks and gathered into the same slots on
 * every rank (sens_mpi.c); the statistics then run on every rank alike, so
 * any rank count gives the same bits too.
 *
 * Outputs without a finite value (no break-even) are counted per output and
 * left out: a Monte Carlo sample, a Morris elementary effect, a Saltelli
 * row (A, B and every AB_i of one base sample) whose value is not finite.
 */
#include "sensitivity/sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <omp.h>

#include "sensitivity/sens_internal.h"

static void *xcalloc(size_t n, size_t size)
{
    return n ? calloc(n, size) : calloc(1, 1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Percentile (0..100) of sorted v[0..n-1], linear interpolation between
 * order statistics (numpy's default, "type 7"). */
static double pct_sorted(const double *v, size_t n, double pct)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * pct / 100.0;
    size_t lo = (size_t)floor(h);
    if (lo >= n - 1)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

/* ---- Monte Carlo ---------------------------------------------------------- */
static lc_status run_mc(const lc_sens_problem *p, lc_sens_result *r, lc_diag *d)
{
    size_t n = p->samples;
    int k = p->k, no = p->n_outs;
    lc_status st = LC_ENOMEM;
    double *x = malloc(sizeof(double) * n * (size_t)k);
    double *y = malloc(sizeof(double) * n * (size_t)no);
    double *tmp = malloc(sizeof(double) * n);
    const double *xp[LC_SENS_MAX_FACTORS];
    double *yp[LC_OUT_MAX] = {0};
    r->mc_mean = xcalloc((size_t)no, sizeof(double));
    r->mc_sd = xcalloc((size_t)no, sizeof(double));
    r->mc_pct = xcalloc((size_t)(no * p->n_pcts), sizeof(double));
    r->mc_nan = xcalloc((size_t)no, sizeof(size_t));
    if (lc_sens_any(p, !x || !y || !tmp || !r->mc_mean || !r->mc_sd || !r->mc_pct ||
                           !r->mc_nan))
        goto done;
    for (int f = 0; f < k; f++)
        xp[f] = x + (size_t)f * n;
    for (int o = 0; o < no; o++)
        yp[o] = y + (size_t)o * n;

    if ((st = lc_sens_mc_draw(p, x, d)) != LC_OK)
        goto done;
    if ((st = lc_sens_eval_points(p, xp, n, yp, d)) != LC_OK)
        goto done;
    r->evaluations += n;
    r->mc_n = n;

    for (int o = 0; o < no; o++) {
        size_t m = 0;
        for (size_t j = 0; j < n; j++)
            if (isfinite(yp[o][j]))
                tmp[m++] = yp[o][j];
        r->mc_nan[o] = n - m;
        double s = 0.0;
        for (size_t j = 0; j < m; j++)
            s += tmp[j];
        double mean = m ? s / (double)m : NAN, ss = 0.0;
        for (size_t j = 0; j < m; j++)
            ss += (tmp[j] - mean) * (tmp[j] - mean);
        r->mc_mean[o] = mean;
        r->mc_sd[o] = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;
        qsort(tmp, m, sizeof tmp[0], cmp_double);
        for (int q = 0; q < p->n_pcts; q++)
            r->mc_pct[o * p->n_pcts + q] = pct_sorted(tmp, m, p->pcts[q]);
    }
    if (p->store_samples) {
        r->mc_x = x;
        r->mc_y = y;
        x = y = NULL;
    }
    st = LC_OK;
done:
    free(x);
    free(y);
    free(tmp);
    return st == LC_ENOMEM ? lc_diag_set(d, st, NULL, 0, "monte carlo: out of memory") : st;
}

/* The CDF of t at x: the q with lc_dist_quantile(t, q) = x, by bisection
 * (the quantile function is monotone; 60 halvings reach double precision). */
static double dist_cdf(const lc_dist *t, double x)
{
    double a = 0.0, b = 1.0;
    for (int i = 0; i < 60; i++) {
        double m = 0.5 * (a + b);
        if (lc_dist_quantile(t, m) < x)
            a = m;
        else
            b = m;
    }
    return 0.5 * (a + b);
}

/* ---- tornado ----------------------------------------------------------------- */
typedef struct {
    double swing;
    int f;
} swing_ix;

static int cmp_swing(const void *a, const void *b)
{
    const swing_ix *x = a, *y = b;
    /* largest first, NaN last, ties by factor order: a total order */
    int xn = isnan(x->swing), yn = isnan(y->swing);
    if (xn != yn)
        return xn - yn;
    if (!xn && x->swing != y->swing)
        return x->swing < y->swing ? 1 : -1;
    return x->f - y->f;
}

static lc_status run_tornado(const lc_sens_problem *p, lc_sens_result *r, lc_diag *d)
{
    int k = p->k, no = p->n_outs;
    size_t n = 1 + 2 * (size_t)k;
    lc_status st = LC_ENOMEM;
    double *x = malloc(sizeof(double) * n * (size_t)k);
    double *y = malloc(sizeof(double) * n * (size_t)no);
    const double *xp[LC_SENS_MAX_FACTORS];
    double *yp[LC_OUT_MAX] = {0};
    r->tor_base = xcalloc((size_t)no, sizeof(double));
    r->tor_ylo = xcalloc((size_t)(no * k), sizeof(double));
    r->tor_yhi = xcalloc((size_t)(no * k), sizeof(double));
    r->tor_swing = xcalloc((size_t)(no * k), sizeof(double));
    r->tor_order = xcalloc((size_t)(no * k), sizeof(int));
    if (lc_sens_any(p, !x || !y || !r->tor_base || !r->tor_ylo || !r->tor_yhi ||
                           !r->tor_swing || !r->tor_order))
        goto done;
    /* point 0: every factor at its base; 1+2f / 2+2f: factor f at low / high */
    for (int f = 0; f < k; f++) {
        xp[f] = x + (size_t)f * n;
        for (size_t j = 0; j < n; j++)
            x[(size_t)f * n + j] = p->factors[f].base;
        x[(size_t)f * n + 1 + 2 * (size_t)f] = p->factors[f].swing_lo;
        x[(size_t)f * n + 2 + 2 * (size_t)f] = p->factors[f].swing_hi;
    }
    /* correlated inputs move with the swung one, to their conditional
     * medians under the Gaussian copula: z_g = rho_gf z_f with z_f the
     * normal score of the swing end (its quantile held in [P2.5, P97.5]:
     * an end at a bound is infinitely far out in normal scores) */
    if (p->correlated)
        for (int f = 0; f < k; f++)
            for (int e = 0; e < 2; e++) {
                double xe = e ? p->factors[f].swing_hi : p->factors[f].swing_lo;
                double q = dist_cdf(&p->factors[f], xe);
                q = q < 0.025 ? 0.025 : (q > 0.975 ? 0.975 : q);
                double z = gsl_cdf_ugaussian_Pinv(q);
                for (int g = 0; g < k; g++) {
                    if (g == f || p->corr[g][f] == 0.0)
                        continue;
                    double rho = 2.0 * sin(M_PI * p->corr[g][f] / 6.0);
                    x[(size_t)g * n + 1 + 2 * (size_t)f + (size_t)e] =
                        lc_dist_quantile(&p->factors[g], gsl_cdf_ugaussian_P(rho * z));
                }
            }
    for (int o = 0; o < no; o++)
        yp[o] = y + (size_t)o * n;
    if ((st = lc_sens_eval_points(p, xp, n, yp, d)) != LC_OK)
        goto done;
    r->evaluations += n;
    for (int o = 0; o < no; o++) {
        swing_ix s[LC_SENS_MAX_FACTORS];
        r->tor_base[o] = yp[o][0];
        for (int f = 0; f < k; f++) {
            double lo = yp[o][1 + 2 * f], hi = yp[o][2 + 2 * f];
            r->tor_ylo[o * k + f] = lo;
            r->tor_yhi[o * k + f] = hi;
            r->tor_swing[o * k + f] = isfinite(lo) && isfinite(hi) ? fabs(hi - lo) : NAN;
            s[f] = (swing_ix){r->tor_swing[o * k + f], f};
        }
        qsort(s, (size_t)k, sizeof s[0], cmp_swing);
        for (int f = 0; f < k; f++)
            r->tor_order[o * k + f] = s[f].f;
    }
    st = LC_OK;
done:
    free(x);
    free(y);
    return st == LC_ENOMEM ? lc_diag_set(d, st, NULL, 0, "tornado: out of memory") : st;
}

/* ---- Morris ------------------------------------------------------------------ */
/* Unit-cube coordinate -> quantile.  Morris levels reach 0 and 1; an
 * unbounded side would give an infinite value there, so those factors'
 * levels span P1..P99 instead (documented in the man page). */
static double morris_q(const lc_dist *t, double u)
{
    int open_lo = !isfinite(t->lo) || (t->type == LC_DIST_LOGNORMAL && t->lo <= 0.0);
    int open_hi = !isfinite(t->hi);
    double a = open_lo ? 0.01 : 0.0, b = open_hi ? 0.99 : 1.0;
    return a + u * (b - a);
}

static lc_status run_morris(const lc_sens_problem *p, lc_sens_result *r, lc_diag *d)
{
    int k = p->k, no = p->n_outs, levels = p->levels, nt = lc_sens_threads(p);
    size_t traj = (size_t)p->trajectories, per = (size_t)k + 1, n = traj * per;
    double delta = (double)levels / (2.0 * (levels - 1));
    lc_status st = LC_ENOMEM;
    double *u = malloc(sizeof(double) * n * (size_t)k);
    double *x = malloc(sizeof(double) * n * (size_t)k);
    double *y = malloc(sizeof(double) * n * (size_t)no);
    int *moved = malloc(sizeof(int) * n);   /* factor moved to reach point j */
    double *ee = malloc(sizeof(double) * traj);
    const double *xp[LC_SENS_MAX_FACTORS];
    double *yp[LC_OUT_MAX] = {0};
    size_t nk = (size_t)(no * k);
    r->mo_mu_star = xcalloc(nk, sizeof(double));
    r->mo_mu = xcalloc(nk, sizeof(double));
    r->mo_sigma = xcalloc(nk, sizeof(double));
    r->mo_n = xcalloc(nk, sizeof(int));
    r->mo_delta = delta;
    if (lc_sens_any(p, !u || !x || !y || !moved || !ee || !r->mo_mu_star || !r->mo_mu ||
                           !r->mo_sigma || !r->mo_n))
        goto done;

#pragma omp parallel for num_threads(nt) schedule(static)
    for (size_t t = 0; t < traj; t++) {
        size_t j0 = t * per;
        int perm[LC_SENS_MAX_FACTORS];
        /* start on the level grid {0, 1/(p-1), ..., 1}; step +delta where it
         * stays inside the cube, else -delta (both directions get used) */
        for (int f = 0; f < k; f++) {
            uint64_t h = lc_sens_hash4(p->seed, LC_STREAM_MORRIS, t, (uint64_t)f);
            int lv = (int)((h >> 32) * (uint64_t)levels >> 32);
            u[(size_t)f * n + j0] = (double)lv / (levels - 1);
            perm[f] = f;
        }
        for (int i = k - 1; i > 0; i--) {   /* Fisher-Yates: the order of the moves */
            uint64_t h = lc_sens_hash4(p->seed, LC_STREAM_MORRIS_PERM, t, (uint64_t)i);
            int j = (int)((h >> 32) * (uint64_t)(i + 1) >> 32);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        moved[j0] = -1;
        for (int m = 0; m < k; m++) {
            size_t j = j0 + 1 + (size_t)m;
            for (int f = 0; f < k; f++)
                u[(size_t)f * n + j] = u[(size_t)f * n + j - 1];
            int f = perm[m];
            double v = u[(size_t)f * n + j];
            u[(size_t)f * n + j] = v + delta <= 1.0 + 1e-12 ? v + delta : v - delta;
            moved[j] = f;
        }
        for (size_t j = j0; j < j0 + per; j++)
            for (int f = 0; f < k; f++)
                x[(size_t)f * n + j] = lc_dist_quantile(
                    &p->factors[f], morris_q(&p->factors[f], u[(size_t)f * n + j]));
    }
    for (int f = 0; f < k; f++)
        xp[f] = x + (size_t)f * n;
    for (int o = 0; o < no; o++)
        yp[o] = y + (size_t)o * n;
    if ((st = lc_sens_eval_points(p, xp, n, yp, d)) != LC_OK)
        goto done;
    r->evaluations += n;

    for (int o = 0; o < no; o++)
        for (int f = 0; f < k; f++) {
            size_t m = 0;
            for (size_t t = 0; t < traj; t++)
                for (size_t j = t * per + 1; j < (t + 1) * per; j++) {
                    if (moved[j] != f)
                        continue;
                    double du = u[(size_t)f * n + j] - u[(size_t)f * n + j - 1];
                    double e = (yp[o][j] - yp[o][j - 1]) / du;
                    if (isfinite(e))
                        ee[m++] = e;
                }
            double s = 0.0, sa = 0.0, ss = 0.0;
            for (size_t i = 0; i < m; i++) {
                s += ee[i];
                sa += fabs(ee[i]);
            }
            double mu = m ? s / (double)m : NAN;
            for (size_t i = 0; i < m; i++)
                ss += (ee[i] - mu) * (ee[i] - mu);
            r->mo_mu[o * k + f] = mu;
            r->mo_mu_star[o * k + f] = m ? sa / (double)m : NAN;
            r->mo_sigma[o * k + f] = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;
            r->mo_n[o * k + f] = (int)m;
        }
    st = LC_OK;
done:
    free(u);
    free(x);
    free(y);
    free(moved);
    free(ee);
    return st == LC_ENOMEM ? lc_diag_set(d, st, NULL, 0, "morris: out of memory") : st;
}

/* ---- Sobol ------------------------------------------------------------------- */
/* The estimators over the m rows of P, each row packed as
 * [fA, fB, fAB_0..fAB_{k-1}, (fBA_0..fBA_{k-1})] (width w), centred by the
 * mean, with integer weights cnt (NULL: every row once; a bootstrap
 * resample: how often each row was drawn):
 *   first order (Saltelli 2010)  V_i  = mean(fB (fAB_i - fA)),
 *   total order (Jansen 1999)    VT_i = mean((fA - fAB_i)^2) / 2,
 *   second order (Saltelli 2002) V_ij = mean(fBA_i fAB_j - fA fB) - V_i - V_j,
 * each divided by the variance of the 2m values of fA and fB.  Rows are
 * packed so that one row is one cache line for k = 6 and a resample is a
 * stream over P, not a gather.  s2 is k*k (NULL: not computed). */
static void saltelli_est(const double *P, int k, int w, size_t m, const uint32_t *cnt,
                         double *s1, double *st, double *s2, double *var)
{
    double sa = 0, sb = 0, sa2 = 0, sb2 = 0, tot = 0, v1[LC_SENS_MAX_FACTORS] = {0},
           vt[LC_SENS_MAX_FACTORS] = {0};
    for (size_t j = 0; j < m; j++) {
        const double *row = P + j * (size_t)w;
        double c = cnt ? (double)cnt[j] : 1.0;
        if (c == 0.0)
            continue;
        double a = row[0], b = row[1];
        tot += c;
        sa += c * a;
        sb += c * b;
        sa2 += c * a * a;
        sb2 += c * b * b;
        for (int i = 0; i < k; i++) {
            double ab = row[2 + i];
            v1[i] += c * (b * (ab - a));
            vt[i] += c * ((a - ab) * (a - ab));
        }
    }
    double mean = (sa + sb) / (2.0 * tot);
    double V = (sa2 + sb2) / (2.0 * tot) - mean * mean;
    *var = V;
    for (int i = 0; i < k; i++) {
        s1[i] = v1[i] / tot / V;
        st[i] = 0.5 * vt[i] / tot / V;
    }
    if (!s2)
        return;
    for (int i = 0; i < k; i++)
        for (int l = 0; l < k; l++) {
            if (l <= i) {
                s2[i * k + l] = l == i ? NAN : s2[l * k + i];
                continue;
            }
            double acc = 0.0;
            for (size_t j = 0; j < m; j++) {
                const double *row = P + j * (size_t)w;
                double c = cnt ? (double)cnt[j] : 1.0;
                acc += c * (row[2 + k + i] * row[2 + l] - row[0] * row[1]);
            }
            s2[i * k + l] = acc / tot / V - s1[i] - s1[l];
        }
}

static lc_status run_sobol(const lc_sens_problem *p, lc_sens_result *r, lc_diag *d)
{
    int k = p->k, no = p->n_outs, nt = lc_sens_threads(p), sec = p->second_order;
    int reps = p->replicates > 0 ? p->replicates : 1;
    /* n: rows of all replicates, n0 per replicate (replicate-major) */
    size_t n0 = p->samples, n = n0 * (size_t)reps, nk = (size_t)(no * k),
           R = (size_t)p->bootstrap;
    size_t nsets = 2 + (size_t)k * (sec ? 2 : 1);
    lc_status st = LC_OK;
    if (p->design == LC_SOBOL_UNSCRAMBLED) {
        if ((st = lc_sens_sobol_dims_check(k, d)) != LC_OK)
            return st;
        if (reps > 1)
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "sobol: replicates need the scrambled design (the "
                               "unscrambled one is the same every time)");
    } else if (2 * k > LC_SOBOL_MAX_DIMS) {
        return lc_diag_set(d, LC_ERANGE, NULL, 0,
                           "sobol: %d inputs need %d dimensions, the direction numbers "
                           "have %d", k, 2 * k, LC_SOBOL_MAX_DIMS);
    }
    st = LC_ENOMEM;
    gsl_qrng *q = p->design == LC_SOBOL_UNSCRAMBLED
                      ? gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k)) : NULL;
    lc_sobol_seq *seq = p->design == LC_SOBOL_UNSCRAMBLED ? NULL : malloc(sizeof *seq);
    double *ax = malloc(sizeof(double) * n * 2 * (size_t)k);   /* A then B columns */
    double *y = malloc(sizeof(double) * n * nsets * (size_t)no);
    size_t *rows = malloc(sizeof(size_t) * n);
    size_t rep_end[LC_SENS_MAX_REPS + 1];
    double **yrows = malloc(sizeof(double *) * nsets * (size_t)no);
    uint32_t *cnts = NULL;
    double *boot = NULL, *packed = NULL, *col = NULL;
    double pt[2 * LC_SENS_MAX_FACTORS];
    r->so_n = n0;
    r->so_reps = reps;
    r->so_s1 = xcalloc(nk, sizeof(double));
    r->so_s1_lo = xcalloc(nk, sizeof(double));
    r->so_s1_hi = xcalloc(nk, sizeof(double));
    r->so_st = xcalloc(nk, sizeof(double));
    r->so_st_lo = xcalloc(nk, sizeof(double));
    r->so_st_hi = xcalloc(nk, sizeof(double));
    r->so_s1_se = xcalloc(nk, sizeof(double));
    r->so_st_se = xcalloc(nk, sizeof(double));
    r->so_var = xcalloc((size_t)no, sizeof(double));
    r->so_nan = xcalloc((size_t)no, sizeof(size_t));
    if (sec) {
        r->so_s2 = xcalloc(nk * (size_t)k, sizeof(double));
        r->so_s2_lo = xcalloc(nk * (size_t)k, sizeof(double));
        r->so_s2_hi = xcalloc(nk * (size_t)k, sizeof(double));
    }
    if (lc_sens_any(p, (p->design == LC_SOBOL_UNSCRAMBLED ? !q : !seq) || !ax || !y || !rows ||
                           !yrows || !r->so_s1 || !r->so_s1_lo || !r->so_s1_hi ||
                           !r->so_st || !r->so_st_lo || !r->so_st_hi || !r->so_var ||
                           !r->so_s1_se || !r->so_st_se ||
                           !r->so_nan || (sec && (!r->so_s2 || !r->so_s2_lo || !r->so_s2_hi))))
        goto done;

    /* MPI: a rank evaluates only its share of the points, so it needs
     * only their values */
    size_t j_first, j_last;
    lc_sens_part(n, LC_SENS_BLOCK, lc_sens_rank(p), lc_sens_ranks(p), &j_first, &j_last);
    if (q) {
        /* GSL's points are sequential by nature (cheap: 2k numbers each) */
        for (size_t j = 0; j < n; j++) {
            gsl_qrng_get(q, pt);
            for (int f = 0; f < 2 * k; f++)
                ax[(size_t)f * n + j] = pt[f];
        }
#pragma omp parallel for num_threads(nt) schedule(static)
        for (size_t j = j_first; j < j_last; j++)
            for (int f = 0; f < 2 * k; f++) {
                /* a Sobol coordinate is a dyadic k/2^m in (0,1) after the
                 * origin, which GSL skips; clamp anyway so no inverse CDF
                 * sees 0 or 1 */
                double uu = ax[(size_t)f * n + j];
                uu = uu <= 0.0 ? 0x1.0p-40 : (uu >= 1.0 ? 1.0 - 0x1.0p-40 : uu);
                ax[(size_t)f * n + j] = lc_dist_quantile(&p->factors[f % k], uu);
            }
    } else {
        /* replicate rep, point j: the first n0 points of the sequence
         * (from the origin, as scipy and SALib take them), scrambled with
         * the keys of (seed, rep, dimension); a pure function of (rep, j),
         * so computed in parallel and only for this rank's rows */
        lc_sobol_seq_init(seq, 2 * k);
        int depth = lc_sobol_owen_depth(n0), lv = lc_sobol_owen_table_levels(depth);
        size_t tsz = ((size_t)1 << lv) - 1, nkeys = (size_t)reps * 2 * (size_t)k;
        uint64_t *keys = malloc(sizeof(uint64_t) * 2 * nkeys);   /* key, fill key */
        uint8_t *tab = malloc(tsz * nkeys);
        if (lc_sens_any(p, !keys || !tab)) {
            free(keys);
            free(tab);
            goto done;
        }
        /* a key and a flip table per (replicate, dimension) */
#pragma omp parallel for num_threads(nt) schedule(static)
        for (size_t i = 0; i < nkeys; i++) {
            keys[2 * i] = lc_sens_hash4(p->seed, LC_STREAM_OWEN, i / (2 * (size_t)k),
                                        (uint64_t)(i % (2 * (size_t)k)));
            lc_sobol_owen_table(keys[2 * i], lv, tab + i * tsz, &keys[2 * i + 1]);
        }
#pragma omp parallel for num_threads(nt) schedule(static)
        for (size_t j = j_first; j < j_last; j++) {
            size_t rep = j / n0, jj = j - rep * n0;
            for (int f = 0; f < 2 * k; f++) {
                size_t i = rep * 2 * (size_t)k + (size_t)f;
                double uu = lc_sobol_owen_fast(lc_sobol_coord(seq, f, jj), keys[2 * i],
                                               keys[2 * i + 1], depth, tab + i * tsz, lv);
                ax[(size_t)f * n + j] = lc_dist_quantile(&p->factors[f % k], uu);
            }
        }
        free(keys);
        free(tab);
    }

    /* design set s: 0 = A, 1 = B, 2+i = AB_i, 2+k+i = BA_i; outputs of set s
     * for output o at y[(s * no + o) * n].  MPI: every set's share here,
     * then one exchange for all of them */
    for (size_t s = 0; s < nsets; s++) {
        const double *xp[LC_SENS_MAX_FACTORS];
        double *yp[LC_OUT_MAX];
        for (int f = 0; f < k; f++) {
            const double *A = ax + (size_t)f * n, *B = ax + (size_t)(k + f) * n;
            if (s == 0)
                xp[f] = A;
            else if (s == 1)
                xp[f] = B;
            else if (s < 2 + (size_t)k)
                xp[f] = (size_t)f == s - 2 ? B : A;
            else
                xp[f] = (size_t)f == s - 2 - (size_t)k ? A : B;
        }
        for (int o = 0; o < no; o++)
            yrows[s * (size_t)no + (size_t)o] = yp[o] = y + (s * (size_t)no + (size_t)o) * n;
        if ((st = lc_sens_eval_share(p, xp, n, yp, d)) != LC_OK)
            goto done;
        r->evaluations += n;
    }
    if ((st = lc_sens_gather_rows(p, yrows, nsets * (size_t)no, n, LC_SENS_BLOCK, d)) != LC_OK)
        goto done;
    st = LC_ENOMEM;
    int w = 2 + k * (sec ? 2 : 1);
    packed = malloc(sizeof(double) * n * (size_t)w);
    if (R > 0) {
        cnts = malloc(sizeof(uint32_t) * n * (size_t)nt);
        /* calloc: the gather also moves the unused s2 slots */
        boot = calloc(R * (2 + (size_t)k) * (size_t)k, sizeof(double));
        col = malloc(sizeof(double) * R);
    }
    if (lc_sens_any(p, !packed || (R > 0 && (!cnts || !boot || !col))))
        goto done;
    /* MPI: this rank's resamples [b_first, b_last), gathered per output */
    size_t b_first = 0, b_last = R;
    lc_sens_part(R, 1, lc_sens_rank(p), lc_sens_ranks(p), &b_first, &b_last);

    for (int o = 0; o < no; o++) {
        const double *fa = y + (0 * (size_t)no + (size_t)o) * n;
        const double *fb = y + (1 * (size_t)no + (size_t)o) * n;
        const double *fab[LC_SENS_MAX_FACTORS], *fba[LC_SENS_MAX_FACTORS];
        for (int i = 0; i < k; i++) {
            fab[i] = y + ((2 + (size_t)i) * (size_t)no + (size_t)o) * n;
            fba[i] = sec ? y + ((2 + (size_t)k + (size_t)i) * (size_t)no + (size_t)o) * n : NULL;
        }
        /* rows with a non-finite value anywhere in the design are left out;
         * rep_end[i]: the kept rows of replicates 0..i-1 */
        size_t m = 0;
        double sum = 0.0;
        rep_end[0] = 0;
        for (size_t j = 0; j < n; j++) {
            if (j > 0 && j % n0 == 0)
                rep_end[j / n0] = m;
            int ok = isfinite(fa[j]) && isfinite(fb[j]);
            for (int i = 0; i < k && ok; i++)
                ok = isfinite(fab[i][j]) && (!sec || isfinite(fba[i][j]));
            if (ok) {
                rows[m++] = j;
                sum += fa[j] + fb[j];
            }
        }
        rep_end[reps] = m;
        r->so_nan[o] = n - m;
        double *s1 = r->so_s1 + o * k, *stt = r->so_st + o * k;
        double *s2 = sec ? r->so_s2 + (size_t)o * k * k : NULL;
        size_t kk = (size_t)k * k;
        /* Dropping rows breaks the independence of the A/B design (the kept
         * points no longer sample the product distribution), so indices are
         * only given while the loss is negligible: at most
         * LC_SENS_SOBOL_MAX_EXCLUDED of the rows; NaN otherwise. */
        if (m < 2 || (double)(n - m) > LC_SENS_SOBOL_MAX_EXCLUDED * (double)n) {
            for (int i = 0; i < k; i++)
                r->so_s1_se[o * k + i] = r->so_st_se[o * k + i] = NAN;
            for (int i = 0; i < k; i++)
                s1[i] = stt[i] = r->so_s1_lo[o * k + i] = r->so_s1_hi[o * k + i] =
                    r->so_st_lo[o * k + i] = r->so_st_hi[o * k + i] = NAN;
            r->so_var[o] = NAN;
            if (sec)
                for (size_t i = 0; i < kk; i++)
                    s2[i] = r->so_s2_lo[(size_t)o * kk + i] = r->so_s2_hi[(size_t)o * kk + i] = NAN;
            continue;
        }
        /* centring by the mean keeps the sums of products of large costs
         * (1e8 USD) away from cancellation; the indices do not change */
        double c = sum / (2.0 * (double)m);
        for (size_t q2 = 0; q2 < m; q2++) {
            size_t j = rows[q2];
            double *row = packed + q2 * (size_t)w;
            row[0] = fa[j] - c;
            row[1] = fb[j] - c;
            for (int i = 0; i < k; i++) {
                row[2 + i] = fab[i][j] - c;
                if (sec)
                    row[2 + k + i] = fba[i][j] - c;
            }
        }
        saltelli_est(packed, k, w, m, NULL, s1, stt, s2, &r->so_var[o]);
        /* replicated designs: the spread of the replicates' own estimates
         * (each from its rows alone) gives the standard error of their
         * mean, an error estimate beside the bootstrap's */
        for (int i = 0; i < k; i++)
            r->so_s1_se[o * k + i] = r->so_st_se[o * k + i] = NAN;
        if (reps >= 2) {
            double e1[LC_SENS_MAX_REPS][LC_SENS_MAX_FACTORS], et[LC_SENS_MAX_REPS][LC_SENS_MAX_FACTORS];
            int ok = 1;
            for (int rp = 0; rp < reps; rp++) {
                double v;
                size_t mr = rep_end[rp + 1] - rep_end[rp];
                if (mr < 2) {
                    ok = 0;
                    break;
                }
                saltelli_est(packed + rep_end[rp] * (size_t)w, k, w, mr, NULL, e1[rp], et[rp],
                             NULL, &v);
            }
            for (int i = 0; i < k && ok; i++) {
                double a1 = 0, at = 0, v1 = 0, vt = 0;
                for (int rp = 0; rp < reps; rp++) {
                    a1 += e1[rp][i];
                    at += et[rp][i];
                }
                a1 /= reps;
                at /= reps;
                for (int rp = 0; rp < reps; rp++) {
                    v1 += (e1[rp][i] - a1) * (e1[rp][i] - a1);
                    vt += (et[rp][i] - at) * (et[rp][i] - at);
                }
                r->so_s1_se[o * k + i] = sqrt(v1 / (reps - 1) / reps);
                r->so_st_se[o * k + i] = sqrt(vt / (reps - 1) / reps);
            }
        }
        if (R == 0) {
            for (int i = 0; i < k; i++) {
                r->so_s1_lo[o * k + i] = r->so_s1_hi[o * k + i] = NAN;
                r->so_st_lo[o * k + i] = r->so_st_hi[o * k + i] = NAN;
            }
            if (sec)
                for (size_t i = 0; i < kk; i++)
                    r->so_s2_lo[(size_t)o * kk + i] = r->so_s2_hi[(size_t)o * kk + i] = NAN;
            continue;
        }
        /* bootstrap: resample the m rows with replacement R times, as
         * multinomial counts; resample b draws from its own hash stream, so
         * any thread or MPI rank may compute it */
        size_t per = (2 + (size_t)k) * (size_t)k;   /* s1[k], st[k], s2[k*k] */
#pragma omp parallel num_threads(nt)
        {
            uint32_t *cnt = cnts + (size_t)omp_get_thread_num() * n;
#pragma omp for schedule(static)
            for (size_t b = b_first; b < b_last; b++) {
                uint64_t key = lc_sens_hash4(p->seed, LC_STREAM_BOOT, (uint64_t)o, b);
                memset(cnt, 0, sizeof(uint32_t) * m);
                for (size_t q2 = 0; q2 < m; q2++) {
                    uint64_t h = lc_sens_mix64(key + q2 * 0x9E3779B97F4A7C15ull);
                    cnt[(h >> 32) * (uint64_t)m >> 32]++;
                }
                double v;
                double *e = boot + b * per;
                saltelli_est(packed, k, w, m, cnt, e, e + k, sec ? e + 2 * k : NULL, &v);
            }
        }
        if ((st = lc_sens_gather_rows(p, &boot, 1, R * per, per, d)) != LC_OK)
            goto done;
        st = LC_ENOMEM;
        double lo_p = 50.0 * (1.0 - p->confidence), hi_p = 100.0 - lo_p;
        for (size_t e = 0; e < (sec ? per : 2 * (size_t)k); e++) {
            size_t cc = 0;
            for (size_t b = 0; b < R; b++)
                if (isfinite(boot[b * per + e]))
                    col[cc++] = boot[b * per + e];
            qsort(col, cc, sizeof col[0], cmp_double);
            double lo = pct_sorted(col, cc, lo_p), hi = pct_sorted(col, cc, hi_p);
            if (e < (size_t)k) {
                r->so_s1_lo[o * k + (int)e] = lo;
                r->so_s1_hi[o * k + (int)e] = hi;
            } else if (e < 2 * (size_t)k) {
                r->so_st_lo[o * k + (int)e - k] = lo;
                r->so_st_hi[o * k + (int)e - k] = hi;
            } else {
                r->so_s2_lo[(size_t)o * kk + e - 2 * (size_t)k] = lo;
                r->so_s2_hi[(size_t)o * kk + e - 2 * (size_t)k] = hi;
            }
        }
    }
    st = LC_OK;
done:
    if (q)
        gsl_qrng_free(q);
    free(seq);
    free(ax);
    free(y);
    free(rows);
    free(yrows);
    free(cnts);
    free(packed);
    free(boot);
    free(col);
    return st == LC_ENOMEM ? lc_diag_set(d, st, NULL, 0, "sobol: out of memory") : st;
}

lc_status lc_sens_run(const lc_sens_problem *p, lc_sens_result *r, lc_diag *d)
{
    memset(r, 0, sizeof *r);
    if (p->k < 1 || p->k > LC_SENS_MAX_FACTORS || p->n_outs < 1)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "sensitivity: no factor or no output");
    if (p->samples < 2)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "sensitivity: samples must be >= 2");
    if (p->n_outs > LC_OUT_MAX || p->n_pcts < 0 || p->n_pcts > LC_SENS_MAX_PCTS)
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "sensitivity: too many outputs or percentiles");
    for (int o = 0; !p->model && o < p->n_outs; o++)
        if (!lc_formulas_output_info(p->fs, p->outs[o]))
            return lc_diag_set(d, LC_EINVAL, NULL, 0,
                               "sensitivity: output id %d is neither an output nor a formula "
                               "of the problem", p->outs[o]);
    if ((p->methods & LC_SENS_MORRIS) &&
        (p->trajectories < 1 || p->levels < 2 || p->levels % 2 != 0))
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "morris: needs >= 1 trajectory and an even number of levels >= 2");
    if ((p->methods & LC_SENS_SOBOL) &&
        (p->bootstrap < 0 || !(p->confidence > 0.0 && p->confidence < 1.0)))
        return lc_diag_set(d, LC_EINVAL, NULL, 0,
                           "sobol: bootstrap must be >= 0 and confidence in (0, 1)");
    if ((p->methods & LC_SENS_SOBOL) && (p->replicates < 0 || p->replicates > LC_SENS_MAX_REPS))
        return lc_diag_set(d, LC_EINVAL, NULL, 0, "sobol: replicates must be in [1, %d]",
                           LC_SENS_MAX_REPS);
    if (p->correlated && (p->methods & (LC_SENS_SOBOL | LC_SENS_MORRIS)))
        return lc_diag_set(d, LC_EINVAL, NULL, p->corr_line,
                           "%s: the [correlation] section correlates inputs, and %s "
                           "indices are defined for independent inputs only: run "
                           "--method mc,tornado (which sample the correlation), or drop "
                           "the correlation", (p->methods & LC_SENS_SOBOL) ? "sobol" : "morris",
                           (p->methods & LC_SENS_SOBOL) ? "Sobol" : "Morris");
    double t0 = omp_get_wtime();
    lc_status st = LC_OK;
    if (p->methods & LC_SENS_MC)
        st = run_mc(p, r, d);
    if (st == LC_OK && (p->methods & LC_SENS_TORNADO))
        st = run_tornado(p, r, d);
    if (st == LC_OK && (p->methods & LC_SENS_MORRIS))
        st = run_morris(p, r, d);
    if (st == LC_OK && (p->methods & LC_SENS_SOBOL))
        st = run_sobol(p, r, d);
    r->seconds = omp_get_wtime() - t0;
    if (st != LC_OK)
        lc_sens_result_free(r);
    return st;
}

void lc_sens_result_free(lc_sens_result *r)
{
    void *ptrs[] = {r->mc_mean, r->mc_sd, r->mc_pct, r->mc_nan, r->mc_x, r->mc_y,
                    r->tor_base, r->tor_ylo, r->tor_yhi, r->tor_swing, r->tor_order,
                    r->mo_mu_star, r->mo_mu, r->mo_sigma, r->mo_n,
                    r->so_s1, r->so_s1_lo, r->so_s1_hi, r->so_st, r->so_st_lo, r->so_st_hi,
                    r->so_s2, r->so_s2_lo, r->so_s2_hi, r->so_var, r->so_nan,
                    r->so_s1_se, r->so_st_se};
    for (size_t i = 0; i < sizeof ptrs / sizeof ptrs[0]; i++)
        free(ptrs[i]);
    memset(r, 0, sizeof *r);
}
