/*
 * sens_dist.c - the distributions of the sensitivity analysis: inverse CDFs
 * (GSL's gsl_cdf_*_Pinv where GSL has one), validation against the model's
 * input ranges, and the defaults of the tornado's base and swing.
 *
 * Invariant after lc_dist_finish: every value the quantile function can
 * return for q in [0,1] (after the Morris margin for unbounded
 * distributions) lies in the input's valid range, so the model never sees an
 * input it would reject.
 */
#include "sensitivity/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

/* q kept away from 0 and 1 for unbounded tails: Pinv(0) is -inf. */
#define Q_TINY 1e-15

static double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : (x > hi ? hi : x);
}

/* The quantile range [qa, qb] of the untruncated distribution that the
 * truncation bounds lo/hi cut out. */
static void trunc_range(const lc_dist *t, double *qa, double *qb)
{
    *qa = 0.0;
    *qb = 1.0;
    if (t->type == LC_DIST_NORMAL) {
        if (isfinite(t->lo))
            *qa = gsl_cdf_gaussian_P(t->lo - t->p1, t->p2);
        if (isfinite(t->hi))
            *qb = gsl_cdf_gaussian_P(t->hi - t->p1, t->p2);
    } else if (t->type == LC_DIST_LOGNORMAL) {
        if (t->lo > 0.0)
            *qa = gsl_cdf_lognormal_P(t->lo, t->p1, t->p2);
        if (isfinite(t->hi))
            *qb = gsl_cdf_lognormal_P(t->hi, t->p1, t->p2);
    }
}

double lc_dist_quantile(const lc_dist *t, double q)
{
    q = clampd(q, 0.0, 1.0);
    switch (t->type) {
    case LC_DIST_UNIFORM:
        return clampd(gsl_cdf_flat_Pinv(q, t->p1, t->p2), t->p1, t->p2);
    case LC_DIST_LOGUNIFORM: {
        double la = log(t->p1), lb = log(t->p2);
        /* exp(log(b)) need not give b back: the ends are returned exactly */
        if (q <= 0.0 || q >= 1.0)
            return q <= 0.0 ? t->p1 : t->p2;
        return clampd(exp(la + q * (lb - la)), t->p1, t->p2);
    }
    case LC_DIST_NORMAL:
    case LC_DIST_LOGNORMAL: {
        double qa, qb;
        trunc_range(t, &qa, &qb);
        double qq = clampd(qa + q * (qb - qa), Q_TINY, 1.0 - Q_TINY);
        double x = t->type == LC_DIST_NORMAL ? gsl_cdf_gaussian_Pinv(qq, t->p2) + t->p1
                                             : gsl_cdf_lognormal_Pinv(qq, t->p1, t->p2);
        return clampd(x, t->lo, t->hi);
    }
    case LC_DIST_TRIANGULAR: {
        double a = t->p1, b = t->p2, c = t->mode;
        double fc = (c - a) / (b - a);
        double x = q < fc ? a + sqrt(q * (b - a) * (c - a))
                          : b - sqrt((1.0 - q) * (b - a) * (b - c));
        return clampd(x, a, b);
    }
    case LC_DIST_CHOICE:
        for (int i = 0; i < t->n_choices; i++) {
            double w = t->cum[i] - (i ? t->cum[i - 1] : 0.0);
            if (w > 0.0 && q <= t->cum[i])
                return t->values[i];
        }
        for (int i = t->n_choices - 1; i >= 0; i--)   /* q = 1 past rounding */
            if (t->cum[i] - (i ? t->cum[i - 1] : 0.0) > 0.0)
                return t->values[i];
        return t->values[0];
    }
    return NAN;
}

static const char *type_name(lc_dist_type t)
{
    static const char *n[] = {"uniform", "loguniform", "normal", "lognormal",
                              "triangular", "choice"};
    return n[t];
}

/* Is x a valid value of the factor's input?  (free factors: any finite x) */
static lc_status check_value(const lc_dist *t, const char *what, double x,
                             const char *file, lc_diag *d)
{
    if (t->input < 0)
        return isfinite(x) || t->input == LC_FACTOR_FREE ? LC_OK
               : lc_diag_set(d, LC_ERANGE, file, t->line, "%s: %s is not finite", t->name, what);
    lc_diag sub;
    if (lc_input_check((lc_input)t->input, x, &sub) != LC_OK)
        return lc_diag_set(d, LC_ERANGE, file, t->line,
                           "[distribution.%s]: %s %s", t->name, what, sub.msg);
    return LC_OK;
}

lc_status lc_dist_finish(lc_dist *t, const char *file, lc_diag *d)
{
    const char *sec = t->name;
    lc_status st;
    switch (t->type) {
    case LC_DIST_UNIFORM:
    case LC_DIST_LOGUNIFORM:
        if (!(t->p1 < t->p2))
            return lc_diag_set(d, LC_EINVAL, file, t->line,
                               "[distribution.%s]: %s needs low < high (got %g, %g)",
                               sec, type_name(t->type), t->p1, t->p2);
        if (t->type == LC_DIST_LOGUNIFORM && !(t->p1 > 0.0))
            return lc_diag_set(d, LC_EINVAL, file, t->line,
                               "[distribution.%s]: loguniform needs low > 0 (got %g)",
                               sec, t->p1);
        t->lo = t->p1;
        t->hi = t->p2;
        break;
    case LC_DIST_NORMAL:
    case LC_DIST_LOGNORMAL:
        if (!(t->p2 > 0.0) || !isfinite(t->p2))
            return lc_diag_set(d, LC_EINVAL, file, t->line,
                               "[distribution.%s]: %s needs %s > 0 (got %g)", sec,
                               type_name(t->type), t->type == LC_DIST_NORMAL ? "sd" : "sigma",
                               t->p2);
        if (!(t->lo < t->hi))
            return lc_diag_set(d, LC_EINVAL, file, t->line,
                               "[distribution.%s]: truncation needs low < high (got %g, %g)",
                               sec, t->lo, t->hi);
        if (t->type == LC_DIST_LOGNORMAL && t->lo < 0.0)
            t->lo = 0.0;
        {
            double qa, qb;
            trunc_range(t, &qa, &qb);
            if (!(qb - qa > 1e-12))
                return lc_diag_set(d, LC_EINVAL, file, t->line,
                                   "[distribution.%s]: the truncation [%g, %g] holds "
                                   "no probability", sec, t->lo, t->hi);
        }
        break;
    case LC_DIST_TRIANGULAR:
        if (!(t->p1 < t->p2) || !(t->mode >= t->p1 && t->mode <= t->p2))
            return lc_diag_set(d, LC_EINVAL, file, t->line,
                               "[distribution.%s]: triangular needs low <= mode <= high "
                               "and low < high (got %g, %g, %g)", sec, t->p1, t->mode, t->p2);
        t->lo = t->p1;
        t->hi = t->p2;
        break;
    case LC_DIST_CHOICE: {
        if (t->n_choices < 1)
            return lc_diag_set(d, LC_EINVAL, file, t->line,
                               "[distribution.%s]: choice needs 'values'", sec);
        double sum = 0.0, wmax = 0.0;
        for (int i = 0; i < t->n_choices; i++) {
            if (!(t->cum[i] >= 0.0) || !isfinite(t->cum[i]))
                return lc_diag_set(d, LC_EINVAL, file, t->line,
                                   "[distribution.%s]: weights must be >= 0", sec);
            wmax = fmax(wmax, t->cum[i]);
        }
        /* scaled by the largest first, so that weights like 1e308, 1e308
         * sum to a finite number (at most 64) and keep their ratios */
        for (int i = 0; i < t->n_choices && wmax > 0.0; i++) {
            t->cum[i] /= wmax;
            sum += t->cum[i];
        }
        if (!(sum > 0.0))
            return lc_diag_set(d, LC_EINVAL, file, t->line,
                               "[distribution.%s]: the weights sum to 0", sec);
        double c = 0.0;
        t->lo = HUGE_VAL;
        t->hi = -HUGE_VAL;
        for (int i = 0; i < t->n_choices; i++) {
            if (t->cum[i] > 0.0) {
                t->lo = fmin(t->lo, t->values[i]);
                t->hi = fmax(t->hi, t->values[i]);
            }
            c += t->cum[i];
            t->cum[i] = c / sum;
        }
        t->cum[t->n_choices - 1] = 1.0;
        if (LC_FACTOR_NAMED(t)) {   /* first and last listed GPU / architecture */
            t->lo = 0;
            t->hi = t->n_choices - 1;
        }
        break;
    }
    }

    /* support inside the input's range: the ends the samplers can reach */
    if (t->input >= 0 && t->type != LC_DIST_CHOICE) {
        const lc_input_info *in = &lc_inputs[t->input];
        double q0 = lc_dist_quantile(t, 0.0), q1 = lc_dist_quantile(t, 1.0);
        int unb_lo = !isfinite(t->lo), unb_hi = !isfinite(t->hi);
        if ((unb_lo && isfinite(in->min)) || (unb_hi && isfinite(in->max)))
            return lc_diag_set(d, LC_ERANGE, file, t->line,
                               "[distribution.%s]: a %s distribution is unbounded but %s "
                               "must lie in [%g, %g]: truncate it with low = / high =",
                               sec, type_name(t->type), in->name, in->min, in->max);
        if ((st = check_value(t, "low end", q0, file, d)) != LC_OK ||
            (st = check_value(t, "high end", q1, file, d)) != LC_OK)
            return st;
    }
    if (t->type == LC_DIST_CHOICE && t->input >= 0)
        for (int i = 0; i < t->n_choices; i++)
            if ((st = check_value(t, "value", t->values[i], file, d)) != LC_OK)
                return st;

    /* tornado defaults: the median as base; the swing spans the bounds of
     * the bounded-by-design types (uniform, log-uniform, triangular, choice)
     * and P5..P95 of a normal or lognormal, whose truncation bounds are a
     * guard far out in the tails rather than a plausible range */
    int tails = t->type == LC_DIST_NORMAL || t->type == LC_DIST_LOGNORMAL;
    if (isnan(t->base))
        t->base = lc_dist_quantile(t, 0.5);
    if (isnan(t->swing_lo))
        t->swing_lo = tails ? lc_dist_quantile(t, 0.05) : t->lo;
    if (isnan(t->swing_hi))
        t->swing_hi = tails ? lc_dist_quantile(t, 0.95) : t->hi;
    if (t->type != LC_DIST_CHOICE || !LC_FACTOR_NAMED(t)) {
        if ((st = check_value(t, "base", t->base, file, d)) != LC_OK ||
            (st = check_value(t, "tornado_low", t->swing_lo, file, d)) != LC_OK ||
            (st = check_value(t, "tornado_high", t->swing_hi, file, d)) != LC_OK)
            return st;
    }
    return LC_OK;
}
