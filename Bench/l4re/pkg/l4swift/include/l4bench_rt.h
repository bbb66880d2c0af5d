// Helpers the C and C++ benchmark programs share with each other (the Swift
// programs have the same in Sources/L4Swift): TSC reads, pinning, printing
// result lines. Nothing here runs inside a timed region except the TSC reads.
#pragma once

#include <l4/sys/scheduler.h>
#include <l4/re/env.h>
#include <l4/util/util.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "l4bench_proto.h"

#ifdef __cplusplus
extern "C" {
#endif
/// The sum of `n` words (bench/l4b-payload.c): the servers' payload work, one
/// object compiled once and linked into every peer, Swift included
/// (`@_extern(c, "l4b_sum_words")`). Never inlined: the same instructions in
/// every pair.
__attribute__((noinline)) l4_uint64_t l4b_sum_words(l4_uint64_t const *p, unsigned long n);
#ifdef __cplusplus
}
#endif

static inline __attribute__((always_inline)) unsigned long long l4b_tsc_begin(void)
{
  unsigned lo, hi;
  __asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
  return ((unsigned long long)hi << 32) | lo;
}

static inline __attribute__((always_inline)) unsigned long long l4b_tsc_end(void)
{
  unsigned lo, hi, aux;
  __asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
  return ((unsigned long long)hi << 32) | lo;
}

/// Runs the calling program's main thread on one CPU; 0 or a negative error.
static inline long l4b_pin(unsigned cpu)
{
  l4_sched_param_t sp = l4_sched_param(2, 0);
  sp.affinity = l4_sched_cpu_set(cpu, 0, 1);
  return l4_error(l4_scheduler_run_thread(l4re_env()->scheduler, l4re_env()->main_thread, &sp));
}

static void *l4b_watchdog_main(void *arg)
{
  l4_sleep((l4_uint32_t)(unsigned long)arg);
  printf("watchdog: time limit reached, exiting with 124\n");
  fflush(stdout);
  exit(L4B_EXIT_TIME_LIMIT);
  return 0;
}

/// Ends the program with exit code 124 after `seconds`, whatever its main
/// thread is blocked in (a peer that never answers).
static inline int l4b_watchdog(unsigned seconds)
{
  pthread_t t;
  return pthread_create(&t, 0, l4b_watchdog_main, (void *)((unsigned long)seconds * 1000ul));
}

/// Prints the samples of one group, one results line each (results format v1).
static inline void l4b_emit(char const *bench, char const *client, char const *server,
                            char const *placement, char const *param, unsigned round,
                            unsigned long long const *v, unsigned n, unsigned stride)
{
  for (unsigned i = 0; i < n; ++i)
    printf(L4B_RECORD_PREFIX "s,l4,%s,%s,%s,%s,%s,%u,%u,%llu\n", bench, client, server, placement, param,
           round, i, v[(unsigned long)i * stride]);
  fflush(stdout);
}

/// A `fail` record for a group.
static inline void l4b_fail(char const *bench, char const *client, char const *server,
                            char const *placement, char const *param, unsigned round,
                            char const *why, long code)
{
  printf(L4B_RECORD_PREFIX "fail,l4,%s,%s,%s,%s,%s,round %u: %s (error %ld)\n", bench, client, server,
         placement, param, round, why, code);
  fflush(stdout);
}
