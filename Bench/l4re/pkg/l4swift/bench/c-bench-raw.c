/*
 * ipc.roundtrip.raw: the L4 IPC round trip with nothing else in the loop, the
 * limit the C++ and Swift pairs are held against. One program, three roles:
 *   c-bench-raw server CPU
 *   c-bench-raw client CPU PLACEMENT ROUND SAMPLES WARMUP LIMIT
 *   c-bench-raw probe              (prints the run's clock metadata)
 */
#include <l4/sys/ipc.h>
#include <l4/sys/utcb.h>
#include <l4/sys/kip.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/re/env.h>
#include <l4/re/c/util/cap_alloc.h>
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "l4bench_rt.h"

static int server(void)
{
  l4_cap_idx_t gate = l4re_env_get_cap("bench");
  if (l4_error(l4_rcv_ep_bind_thread(gate, l4re_env()->main_thread, 0x10)) < 0)
    return 1;
  l4_utcb_t *u = l4_utcb();
  l4_umword_t label;
  l4_msgtag_t tag = l4_ipc_wait(u, &label, L4_IPC_NEVER);
  for (;;)
    {
      if (l4_msgtag_has_error(tag))
        {
          tag = l4_ipc_wait(u, &label, L4_IPC_NEVER);
          continue;
        }
      tag = l4_ipc_reply_and_wait(u, l4_msgtag(0, 0, 0, 0), &label, L4_IPC_NEVER);
    }
}

static int client(unsigned cpu, char const *placement, unsigned round, unsigned samples, unsigned warmup)
{
  (void)cpu;
  l4_cap_idx_t gate = l4re_env_get_cap("bench");
  unsigned long long *v = malloc(sizeof(*v) * samples);
  if (!v)
    return 1;
  l4_utcb_t *u = l4_utcb();
  for (unsigned i = 0; i < warmup + samples; ++i)
    {
      unsigned long long t0 = l4b_tsc_begin();
      l4_msgtag_t t = l4_ipc_call(gate, u, l4_msgtag(L4B_RAW_LABEL, 0, 0, 0), L4_IPC_NEVER);
      unsigned long long t1 = l4b_tsc_end();
      if (l4_msgtag_has_error(t))
        {
          l4b_fail("ipc.roundtrip.raw", "c", "c", placement, "words=0", round, "IPC error",
                   l4_ipc_to_errno(l4_ipc_error(t, u)));
          return 2;
        }
      if (i >= warmup)
        v[i - warmup] = t1 - t0;
    }
  l4b_emit("ipc.roundtrip.raw", "c", "c", placement, "words=0", round, v, samples, 1);
  return 0;
}

static int probe(void)
{
  unsigned long long v[2001];
  for (int i = 0; i < 2001; ++i)
    {
      unsigned long long t0 = l4b_tsc_begin();
      v[i] = l4b_tsc_end() - t0;
    }
  for (int i = 1; i < 2001; ++i)  // insertion sort: small, and only once
    for (int j = i; j > 0 && v[j - 1] > v[j]; --j)
      {
        unsigned long long x = v[j]; v[j] = v[j - 1]; v[j - 1] = x;
      }
  unsigned regs[12];
  char brand[49] = "unknown";
  if (__get_cpuid_max(0x80000000, 0) >= 0x80000004)
    {
      for (unsigned i = 0; i < 3; i++)
        __cpuid(0x80000002 + i, regs[i * 4], regs[i * 4 + 1], regs[i * 4 + 2], regs[i * 4 + 3]);
      memcpy(brand, regs, 48);
      brand[48] = 0;
    }
  char *b = brand;
  while (*b == ' ')
    ++b;
  printf("L4B1,meta,tsc_hz,%llu\n", (unsigned long long)l4re_kip()->frequency_cpu * 1000ull);
  printf("L4B1,meta,overhead_cycles,%llu\n", v[1000]);
  printf("L4B1,meta,cpu,%s\n", b);
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv)
{
  if (argc >= 2 && !strcmp(argv[1], "probe"))
    return probe();
  if (argc >= 3 && l4b_pin(atoi(argv[2])) < 0)
    printf("c-bench-raw: cannot pin to CPU %s\n", argv[2]);
  if (argc >= 3 && !strcmp(argv[1], "server"))
    return server();
  if (argc >= 8 && !strcmp(argv[1], "client"))
    {
      if (atoi(argv[7]) > 0)
        l4b_watchdog(atoi(argv[7]));
      return client(atoi(argv[2]), argv[3], atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
    }
  printf("usage: c-bench-raw probe | server CPU | client CPU PLACEMENT ROUND SAMPLES WARMUP LIMIT\n");
  return 64;
}
