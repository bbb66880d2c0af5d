// C++ benchmark client: ipc.roundtrip (raw l4_ipc_call), ipc.rpc (L4_INLINE_RPC),
// cap.map and ds.share against a Bench server in either language.
//   cpp-bench-client CPU PLACEMENT ROUND SERVER SAMPLES WARMUP BENCHES DS LIMIT
// BENCHES: comma list of rt, rpc, cap, ds; DS: comma list of SIZE:SAMPLES;
// LIMIT: seconds before a watchdog ends the client with exit code 124.
// The Swift client (swift-bench-client.swift) does the same, step for step.
#include <l4/re/env>
#include <l4/re/rm>
#include <l4/re/dataspace>
#include <l4/re/util/cap_alloc>
#include <l4/sys/factory>
#include <l4/sys/irq>
#include <l4/sys/task>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bench.h"
#include "l4bench_rt.h"

namespace {

char const *placement, *server_lang;
unsigned round_no, samples, warmup;
unsigned long long *v;  // samples, preallocated: 5 values per iteration at most
int failures;

bool ipc_failed(l4_msgtag_t t, char const *bench, char const *param)
{
  if (!l4_msgtag_has_error(t))
    return false;
  l4b_fail(bench, "cpp", server_lang, placement, param, round_no, "IPC error",
           l4_ipc_to_errno(l4_ipc_error(t, l4_utcb())));
  ++failures;
  return true;
}

void roundtrip(L4::Cap<void> gate, unsigned words)
{
  char param[16];
  snprintf(param, sizeof param, "words=%u", words);
  l4_utcb_t *u = l4_utcb();
  l4_umword_t *mr = l4_utcb_mr_u(u)->mr;
  for (unsigned i = 0; i < warmup + samples; ++i)
    {
      unsigned long long t0 = l4b_tsc_begin();
      for (unsigned w = 0; w < words; ++w)
        mr[w] = i + w;
      l4_msgtag_t t = l4_ipc_call(gate.cap(), u, l4_msgtag(L4swift::Bench_raw_label, words, 0, 0), L4_IPC_NEVER);
      unsigned long long t1 = l4b_tsc_end();
      if (ipc_failed(t, "ipc.roundtrip", param))
        return;
      l4_uint64_t want = (l4_uint64_t)words * i + (l4_uint64_t)words * (words - 1) / 2;
      if (words && mr[0] != want)
        {
          l4b_fail("ipc.roundtrip", "cpp", server_lang, placement, param, round_no, "wrong sum", 0);
          ++failures;
          return;
        }
      if (i >= warmup)
        v[i - warmup] = t1 - t0;
    }
  l4b_emit("ipc.roundtrip", "cpp", server_lang, placement, param, round_no, v, samples, 1);
}

void rpc(L4::Cap<L4swift::Bench> bench, unsigned words)
{
  char param[16];
  snprintf(param, sizeof param, "words=%u", words);
  l4_uint64_t data[64];
  for (unsigned i = 0; i < warmup + samples; ++i)
    {
      unsigned long long t0 = l4b_tsc_begin();
      for (unsigned w = 0; w < words; ++w)
        data[w] = i + w;
      l4_uint64_t sum = 0;
      long r = bench->ping(L4::Ipc::Array<l4_uint64_t const, l4_umword_t>(words, data), &sum);
      unsigned long long t1 = l4b_tsc_end();
      l4_uint64_t want = (l4_uint64_t)words * i + (l4_uint64_t)words * (words - 1) / 2;
      if (r < 0 || sum != want)
        {
          l4b_fail("ipc.rpc", "cpp", server_lang, placement, param, round_no, r < 0 ? "RPC error" : "wrong sum", r);
          ++failures;
          return;
        }
      if (i >= warmup)
        v[i - warmup] = t1 - t0;
    }
  l4b_emit("ipc.rpc", "cpp", server_lang, placement, param, round_no, v, samples, 1);
}

void cap_map(L4::Cap<L4swift::Bench> bench)
{
  auto env = L4Re::Env::env();
  auto irq = L4Re::Util::cap_alloc.alloc<L4::Irq>();
  long r = l4_error(env->factory()->create(irq));
  for (unsigned i = 0; r >= 0 && i < warmup + samples; ++i)
    {
      unsigned long long t0 = l4b_tsc_begin();
      r = bench->map_cap(L4::Ipc::make_cap_rws(irq));
      unsigned long long t1 = l4b_tsc_end();
      if (i >= warmup)
        v[i - warmup] = t1 - t0;
    }
  if (r < 0)
    {
      l4b_fail("cap.map", "cpp", server_lang, placement, "-", round_no, "RPC error", r);
      ++failures;
    }
  else
    l4b_emit("cap.map", "cpp", server_lang, placement, "-", round_no, v, samples, 1);
  env->task()->unmap(irq.fpage(), L4_FP_ALL_SPACES);
  L4Re::Util::cap_alloc.free(irq);
}

void ds_share(L4::Cap<L4swift::Bench> bench, unsigned long size, unsigned n)
{
  char param[32];
  snprintf(param, sizeof param, "bytes=%lu", size);
  auto env = L4Re::Env::env();
  unsigned long pages = size / L4_PAGESIZE;
  long r = 0;
  char const *what = "";
  // Large dataspaces cost milliseconds an iteration: warm up in proportion.
  unsigned const ds_warmup = n / 4 < warmup ? (n / 4 ? n / 4 : 1) : warmup;
  for (unsigned i = 0; i < ds_warmup + n; ++i)
    {
      unsigned long long t0 = l4b_tsc_begin();
      auto ds = L4Re::Util::cap_alloc.alloc<L4Re::Dataspace>();
      r = env->mem_alloc()->alloc(size, ds);
      unsigned long long t1 = l4b_tsc_end();
      if (r < 0) { what = "alloc"; break; }
      // Fill (untimed): one distinct word per page, for the server to sum.
      l4_uint64_t *p = nullptr;
      r = env->rm()->attach(&p, size, L4Re::Rm::F::Search_addr | L4Re::Rm::F::RW, L4::Ipc::make_cap_rw(ds));
      if (r < 0) { what = "attach"; break; }
      l4_uint64_t want = 0;
      for (unsigned long pg = 0; pg < pages; ++pg)
        want += (p[pg * (L4_PAGESIZE / 8)] = ((l4_uint64_t)i << 32) + pg + 1);
      env->rm()->detach(p, nullptr);
      l4_uint64_t sum = 0, ta = 0, tt = 0, td = 0;
      unsigned long long t2 = l4b_tsc_begin();
      r = bench->share(L4::Ipc::make_cap_rw(ds), size, &sum, &ta, &tt, &td);
      unsigned long long t3 = l4b_tsc_end();
      env->task()->unmap(ds.fpage(), L4_FP_ALL_SPACES);
      L4Re::Util::cap_alloc.free(ds);
      if (r < 0) { what = "RPC error"; break; }
      if (sum != want) { what = "pages read back wrong"; r = -1; break; }
      if (i >= ds_warmup)
        {
          unsigned long long *o = v + (unsigned long)(i - ds_warmup) * 5;
          o[0] = t1 - t0; o[1] = ta; o[2] = tt; o[3] = td; o[4] = t3 - t2;
        }
    }
  static char const *const names[5] = { "ds.share.alloc", "ds.share.map", "ds.share.touch", "ds.share.unmap", "ds.share" };
  for (unsigned k = 0; k < 5; ++k)
    {
      if (r < 0)
        l4b_fail(names[k], "cpp", server_lang, placement, param, round_no, what, r);
      else
        l4b_emit(names[k], "cpp", server_lang, placement, param, round_no, v + k, n, 5);
    }
  if (r < 0)
    ++failures;
}

}

int main(int argc, char **argv)
{
  if (argc != 10)
    {
      printf("usage: cpp-bench-client CPU PLACEMENT ROUND SERVER SAMPLES WARMUP BENCHES DS LIMIT\n");
      return 64;
    }
  unsigned cpu = atoi(argv[1]);
  placement = argv[2];
  round_no = atoi(argv[3]);
  server_lang = argv[4];
  samples = atoi(argv[5]);
  warmup = atoi(argv[6]);
  char const *benches = argv[7];
  if (atoi(argv[9]) > 0 && l4b_watchdog(atoi(argv[9])) != 0)
    printf("cpp-bench-client: no watchdog thread\n");
  if (l4b_pin(cpu) < 0)
    printf("cpp-bench-client: cannot pin to CPU %u\n", cpu);

  // The largest block decides the buffer: every ds size's samples, 5 values each.
  unsigned most = samples;
  for (char const *s = argv[8]; s && *s; )
    {
      char const *colon = strchr(s, ':');
      if (!colon) break;
      unsigned n = atoi(colon + 1);
      if (n > most) most = n;
      s = strchr(colon, ',');
      if (s) ++s;
    }
  v = static_cast<unsigned long long *>(malloc(sizeof(*v) * most * 5));
  auto gate = L4Re::Env::env()->get_cap<void>("bench");
  auto bench = L4::cap_cast<L4swift::Bench>(gate);
  if (!v || !gate.is_valid())
    return 1;

  static unsigned const rt_words[] = { 0, 8, 63 };
  static unsigned const rpc_words[] = { 0, 8, 61 };
  if (strstr(benches, "rt"))
    for (unsigned w : rt_words)
      roundtrip(gate, w);
  if (strstr(benches, "rpc"))
    for (unsigned w : rpc_words)
      rpc(bench, w);
  if (strstr(benches, "cap"))
    cap_map(bench);
  if (strstr(benches, "ds"))
    for (char const *s = argv[8]; s && *s; )
      {
        unsigned long size = strtoul(s, nullptr, 10);
        char const *colon = strchr(s, ':');
        if (!colon) break;
        ds_share(bench, size, atoi(colon + 1));
        s = strchr(colon, ',');
        if (s) ++s;
      }
  return failures ? 2 : 0;
}
