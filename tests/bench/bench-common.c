/*
 * Helpers shared by libqio's benchmarks: clock, statistics, pinning and
 * the result table.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#include "qemu/osdep.h"

#include <sched.h>

#include "bench-common.h"

static clockid_t bench_clock_id(void)
{
    static int id = -1;

    if (id < 0) {
        const char *env = getenv("QIO_BENCH_CLOCK");

        id = env && g_str_equal(env, "cpu") ? CLOCK_THREAD_CPUTIME_ID
                                            : CLOCK_MONOTONIC;
    }
    return id;
}

const char *bench_clock_name(void)
{
    return bench_clock_id() == CLOCK_MONOTONIC ? "CLOCK_MONOTONIC"
                                               : "CLOCK_THREAD_CPUTIME_ID";
}

int64_t bench_now_ns(void)
{
    struct timespec ts;

    clock_gettime(bench_clock_id(), &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int bench_reps(int dflt)
{
    const char *env = getenv("QIO_BENCH_REPS");
    long n;

    if (env && *env) {
        n = strtol(env, NULL, 10);
        if (n > 0 && n < 1000) {
            return (int)n;
        }
    }
    return dflt;
}

long bench_scale(long n)
{
    const char *env = getenv("QIO_BENCH_SCALE");
    double scale;

    if (env && *env) {
        scale = strtod(env, NULL);
        if (scale > 0 && scale < 1) {
            n = (long)(n * scale);
        }
    }
    return n > 0 ? n : 1;
}

int bench_pin_cpu(void)
{
    const char *env = getenv("QIO_BENCH_PIN");
    cpu_set_t allowed, one;
    int cpu;

    if (env && g_str_equal(env, "no")) {
        return -1;
    }
    if (sched_getaffinity(0, sizeof(allowed), &allowed) < 0) {
        return -1;
    }
    for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &allowed)) {
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            if (sched_setaffinity(0, sizeof(one), &one) < 0) {
                return -1;
            }
            return cpu;
        }
    }
    return -1;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a;
    double y = *(const double *)b;

    return x < y ? -1 : x > y;
}

void bench_stats_from(BenchStats *st, double *values, int n)
{
    g_assert(n >= 1);
    qsort(values, n, sizeof(*values), compare_doubles);
    st->min = values[0];
    st->max = values[n - 1];
    st->median = n % 2 ? values[n / 2]
                       : (values[n / 2 - 1] + values[n / 2]) / 2;
    st->reps = n;
}

void bench_measure(BenchStats *st, int reps, BenchRepFunc fn, void *opaque)
{
    double *values = g_new(double, reps);
    int i;

    fn(opaque);
    for (i = 0; i < reps; i++) {
        values[i] = fn(opaque);
    }
    bench_stats_from(st, values, reps);
    g_free(values);
}

void bench_measure_interleaved(BenchStats *st, int n, int reps,
                               BenchRepFunc fn, void *const *opaques)
{
    double *values = g_new(double, (size_t)n * reps);
    int i, r;

    for (i = 0; i < n; i++) {
        fn(opaques[i]);
    }
    for (r = 0; r < reps; r++) {
        for (i = 0; i < n; i++) {
            values[i * reps + r] = fn(opaques[i]);
        }
    }
    for (i = 0; i < n; i++) {
        bench_stats_from(&st[i], values + i * reps, reps);
    }
    g_free(values);
}

void bench_table_header(const char *title, const char *unit)
{
    printf("\n%s (%s; median of N repetitions, min-max)\n", title, unit);
    printf("%-36s %10s %21s  %-26s %10s %7s %8s %s\n",
           "case", "median", "min-max", "limit", "limit med", "ratio",
           "target", "");
}

/* Three significant digits for small figures (GB/s, ms), one decimal else. */
static const char *bench_fmt(char *buf, size_t len, double v)
{
    snprintf(buf, len, v < 100 ? "%.3g" : "%.1f", v);
    return buf;
}

bool bench_table_row(const char *name, const BenchStats *st,
                     const char *limit_name, const BenchStats *limit,
                     BenchDirection dir, double target)
{
    char range[64];
    char med[32], lo[32], hi[32];
    char limit_med[32] = "-";
    char ratio_str[32] = "-";
    char target_str[32] = "-";
    const char *verdict = "";
    bool met = true;

    snprintf(range, sizeof(range), "%s-%s", bench_fmt(lo, sizeof(lo), st->min),
             bench_fmt(hi, sizeof(hi), st->max));
    if (limit && limit->median > 0) {
        double ratio = st->median / limit->median;

        bench_fmt(limit_med, sizeof(limit_med), limit->median);
        snprintf(ratio_str, sizeof(ratio_str), "%.2f", ratio);
        if (target > 0) {
            if (dir == BENCH_LOWER_IS_BETTER) {
                met = ratio <= target;
                snprintf(target_str, sizeof(target_str), "<=%.2f", target);
            } else {
                met = ratio >= target;
                snprintf(target_str, sizeof(target_str), ">=%.2f", target);
            }
            verdict = met ? "ok" : "MISSED";
        }
    }
    printf("%-36s %10s %21s  %-26s %10s %7s %8s %s\n",
           name, bench_fmt(med, sizeof(med), st->median), range, limit_name ? limit_name : "-",
           limit_med, ratio_str, target_str, verdict);
    fflush(stdout);
    return met;
}
