/*
 * sens_corr.c - correlated inputs: a Gaussian copula with given rank
 * (Spearman) correlations, and Spearman's coefficient to check it.
 *
 * For a bivariate normal with correlation rho, Spearman's rank correlation
 * is (6/pi) asin(rho/2) (Pearson 1907), so asking for rank correlation r
 * means normal scores correlated by rho = 2 sin(pi r / 6); the copula keeps
 * every marginal as given (each factor still has its own distribution) and
 * the rank correlation is exactly r in the limit of many samples.  One
 * point is transformed alone (u -> Phi^-1 -> L z -> Phi), so a sample is
 * still a pure function of its index: any thread count, the same bits.
 */
#include "sensitivity/sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "sensitivity/sens_internal.h"

lc_status lc_sens_corr_factor(const lc_sens_problem *p, double *L, const char *file,
                              lc_diag *d)
{
    int k = p->k;
    memset(L, 0, sizeof(double) * (size_t)k * (size_t)k);
    for (int i = 0; i < k; i++)
        for (int j = 0; j <= i; j++) {
            double rij = i == j ? 1.0 : 2.0 * sin(M_PI * p->corr[i][j] / 6.0);
            double s = rij;
            for (int c = 0; c < j; c++)
                s -= L[i * k + c] * L[j * k + c];
            if (i == j) {
                if (!(s > 1e-12))
                    return lc_diag_set(d, LC_EINVAL, file, p->corr_line,
                                       "[correlation]: the correlations are not consistent "
                                       "(the matrix is not positive definite at '%s'): "
                                       "weaken some of them",
                                       p->factors[i].name);
                L[i * k + i] = sqrt(s);
            } else {
                L[i * k + j] = s / L[j * k + j];
            }
        }
    return LC_OK;
}

void lc_sens_corr_apply(const double *L, int k, double *u)
{
    double z[LC_SENS_MAX_FACTORS];
    for (int i = 0; i < k; i++)
        z[i] = gsl_cdf_ugaussian_Pinv(u[i]);
    for (int i = 0; i < k; i++) {
        double w = 0.0;
        for (int c = 0; c <= i; c++)
            w += L[i * k + c] * z[c];
        double q = gsl_cdf_ugaussian_P(w);
        /* keep (0,1) open like the independent uniforms */
        u[i] = q <= 0.0 ? 0x1.0p-60 : (q >= 1.0 ? 1.0 - 0x1.0p-53 : q);
    }
}

lc_status lc_sens_mc_draw(const lc_sens_problem *p, double *x, lc_diag *d)
{
    size_t n = p->samples;
    int k = p->k, nt = lc_sens_threads(p);
    double L[LC_SENS_MAX_FACTORS * LC_SENS_MAX_FACTORS];
    if (p->correlated) {
        lc_status st = lc_sens_corr_factor(p, L, NULL, d);
        if (st != LC_OK)
            return st;
    }
    /* sample j: k independent uniforms of (seed, j, f), through the
     * copula when correlated, then each factor's inverse CDF */
#pragma omp parallel for num_threads(nt) schedule(static)
    for (size_t j = 0; j < n; j++) {
        double u[LC_SENS_MAX_FACTORS];
        for (int f = 0; f < k; f++)
            u[f] = lc_sens_unit(lc_sens_hash4(p->seed, LC_STREAM_MC, j, (uint64_t)f));
        if (p->correlated)
            lc_sens_corr_apply(L, k, u);
        for (int f = 0; f < k; f++)
            x[(size_t)f * n + j] = lc_dist_quantile(&p->factors[f], u[f]);
    }
    return LC_OK;
}

typedef struct {
    double v;
    size_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* average ranks (1-based) of v into r */
static int ranks(const double *v, size_t n, double *r)
{
    ranked *t = malloc(sizeof *t * (n ? n : 1));
    if (!t)
        return -1;
    for (size_t i = 0; i < n; i++)
        t[i] = (ranked){v[i], i};
    qsort(t, n, sizeof *t, cmp_ranked);
    for (size_t a = 0; a < n;) {
        size_t b = a;
        while (b + 1 < n && t[b + 1].v == t[a].v)
            b++;
        double avg = 0.5 * (double)(a + b) + 1.0;
        for (size_t c = a; c <= b; c++)
            r[t[c].i] = avg;
        a = b + 1;
    }
    free(t);
    return 0;
}

double lc_sens_spearman(const double *x, const double *y, size_t n)
{
    double *rx = malloc(sizeof(double) * (n ? n : 1)), *ry = malloc(sizeof(double) * (n ? n : 1));
    double out = NAN;
    if (rx && ry && n > 1 && ranks(x, n, rx) == 0 && ranks(y, n, ry) == 0) {
        double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
        for (size_t i = 0; i < n; i++) {
            mx += rx[i];
            my += ry[i];
        }
        mx /= (double)n;
        my /= (double)n;
        for (size_t i = 0; i < n; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        out = sxy / sqrt(sxx * syy);
    }
    free(rx);
    free(ry);
    return out;
}
