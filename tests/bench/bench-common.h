/*
 * Helpers shared by libqio's benchmarks (tests/bench/): a monotonic
 * clock, repetitions summarised as median/min/max, CPU pinning, and a
 * table whose rows set each figure beside the limit measured in the same
 * run.
 *
 * Figures are compared as ratios against a limit measured in the same
 * process, because the machines are shared and their absolute speed
 * varies from run to run.
 *
 * This library is free software; you can redistribute it and/or modify it
 * under the terms of the GNU Lesser General Public License as published by
 * the Free Software Foundation; either version 2.1 of the License, or (at
 * your option) any later version.  See COPYING.LIB.
 */
#ifndef QIO_BENCH_COMMON_H
#define QIO_BENCH_COMMON_H

#include <stdbool.h>
#include <stdint.h>

/**
 * BenchStats:
 * @median: median of the repetitions
 * @min: smallest repetition
 * @max: largest repetition
 * @reps: number of repetitions summarised
 *
 * Summary of one measured figure.
 */
typedef struct BenchStats {
    double median;
    double min;
    double max;
    int reps;
} BenchStats;

/**
 * BenchRepFunc:
 * @opaque: the benchmark's state
 *
 * Runs one repetition of a measurement.
 *
 * Returns: the repetition's figure (for example ns per operation, or
 * GB/s)
 */
typedef double (*BenchRepFunc)(void *opaque);

/**
 * BenchDirection:
 * @BENCH_LOWER_IS_BETTER: times and costs: the ratio to the limit must
 *     stay at or below the target
 * @BENCH_HIGHER_IS_BETTER: rates and throughputs: the ratio must reach
 *     the target
 *
 * How a row's ratio is checked against its target.
 */
typedef enum {
    BENCH_LOWER_IS_BETTER,
    BENCH_HIGHER_IS_BETTER,
} BenchDirection;

/**
 * bench_now_ns:
 *
 * Reads the benchmark clock: CLOCK_MONOTONIC, or, when the environment
 * has QIO_BENCH_CLOCK=cpu, the calling thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID).  CPU time leaves out the time the thread
 * waits for a CPU, which makes single-threaded CPU-bound figures usable
 * on a busy shared machine; it must not be used for anything that
 * blocks or involves other threads.
 *
 * Returns: the clock's time in nanoseconds
 */
int64_t bench_now_ns(void);

/**
 * bench_clock_name:
 *
 * Returns: the name of the clock bench_now_ns() reads, for the report
 */
const char *bench_clock_name(void);

/**
 * bench_reps:
 * @dflt: repetitions to use when QIO_BENCH_REPS is not set
 *
 * Returns: the number of repetitions, from the QIO_BENCH_REPS
 * environment variable when it holds a positive number, else @dflt
 */
int bench_reps(int dflt);

/**
 * bench_scale:
 * @n: an iteration count
 *
 * Lets a quick smoke run shrink the work: QIO_BENCH_SCALE (a number
 * between 0 and 1) multiplies @n.
 *
 * Returns: @n scaled, at least 1
 */
long bench_scale(long n);

/**
 * bench_pin_cpu:
 *
 * Pins the calling thread to the first CPU it may run on, unless
 * QIO_BENCH_PIN=no.  On the project's virtual machines a wake-up across
 * cores costs tens of microseconds, and migrations add noise.
 *
 * Returns: the CPU pinned to, or -1 when not pinned
 */
int bench_pin_cpu(void);

/**
 * bench_measure:
 * @st: receives the summary
 * @reps: number of measured repetitions
 * @fn: one repetition
 * @opaque: passed to @fn
 *
 * Calls @fn once to warm up (discarded), then @reps times, and
 * summarises the figures.
 */
void bench_measure(BenchStats *st, int reps, BenchRepFunc fn, void *opaque);

/**
 * bench_measure_interleaved:
 * @st: receives one summary per variant
 * @n: number of variants
 * @reps: measured repetitions of each
 * @fn: one repetition
 * @opaques: @n arguments for @fn, one per variant
 *
 * Like bench_measure() for several variants of one measurement (say the
 * library and its raw limit), taking their repetitions in turn: a change
 * in the machine's speed during the run then moves all of them alike
 * instead of skewing their ratio.
 */
void bench_measure_interleaved(BenchStats *st, int n, int reps,
                               BenchRepFunc fn, void *const *opaques);

/**
 * bench_stats_from:
 * @st: receives the summary
 * @values: the figures, reordered in place
 * @n: number of figures, at least 1
 *
 * Summarises figures measured by other means than bench_measure().
 */
void bench_stats_from(BenchStats *st, double *values, int n);

/**
 * bench_table_header:
 * @title: what the table measures
 * @unit: unit of the figures, e.g. "ns/op"
 *
 * Prints a table's title and column headings.
 */
void bench_table_header(const char *title, const char *unit);

/**
 * bench_table_row:
 * @name: what the row measures
 * @st: its summary
 * @limit_name: what it is compared with, or NULL for no comparison
 * @limit: the limit's summary, or NULL
 * @dir: whether lower or higher figures are better
 * @target: the target for median / limit median, or 0 for none
 *
 * Prints one row: median, min-max, the limit's name and median, their
 * ratio, the target and whether it is met.
 *
 * Returns: false when a target is given and missed, true otherwise
 */
bool bench_table_row(const char *name, const BenchStats *st,
                     const char *limit_name, const BenchStats *limit,
                     BenchDirection dir, double target);

#endif /* QIO_BENCH_COMMON_H */
