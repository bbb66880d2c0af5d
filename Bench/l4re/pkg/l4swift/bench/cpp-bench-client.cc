// C++ benchmark client: ipc.roundtrip (raw l4_ipc_call), ipc.rpc (L4_INLINE_RPC),
// cap.map, ipc.str and ds.share against a Bench server in either language.
//   cpp-bench-client CPU PLACEMENT ROUND SERVER SAMPLES WARMUP BENCHES DS LIMIT
// (the command line, the BENCHES keys and the exit codes: l4bench_proto.h).
// In a phase block (ned gives a `phaselog` dataspace) every benchmark but
// ds.share records its phases instead of the plain round trip.
// The Swift client (swift-bench-client.swift) does the same, step for step.
// Built twice: by BID's C++ compiler (GCC; label `cpp`) and by clang
// (label `cpp.clang`, L4B_LANG set by the Makefile).
#include "l4bench_phases.h"  // first: it hooks the RPC stubs' system call
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

#ifndef L4B_LANG
#define L4B_LANG "cpp"
#endif

L4b_call_stamps l4b_call_stamps;

namespace {

char const *const me = L4B_LANG;
char const *placement, *server_lang;
unsigned round_no, samples, warmup;
unsigned long long *v;  // samples, preallocated: L4B_MAX_VALUES per iteration at most
int failures;
/// Phase blocks: the server's timestamps (word 0 at receive, word 1 before
/// the reply) in the dataspace ned gives both peers; null in plain blocks.
l4_uint64_t const volatile *phase_log;
char const *const phase_names[L4B_PHASES] = { L4B_PHASE_NAMES };

/// One phase sample from the client's four timestamps and the server's two.
inline void store_phases(unsigned long long *o, unsigned long long t0, unsigned long long call,
                         unsigned long long ret, unsigned long long t1)
{
  l4b_phase_durations(o, t0, call, phase_log[0], phase_log[1], ret, t1);
}

void fail(char const *bench, char const *param, char const *why, long code)
{
  l4b_fail(bench, me, server_lang, placement, param, round_no, why, code);
  ++failures;
}

/// Prints a benchmark's samples: one group, or in a phase block one group per phase.
template<bool PHASES>
void emit(char const *bench, char const *param)
{
  if (!PHASES)
    {
      l4b_emit(bench, me, server_lang, placement, param, round_no, v, samples, 1);
      return;
    }
  char name[64];
  for (unsigned k = 0; k < L4B_PHASES; ++k)
    {
      snprintf(name, sizeof name, "%s" L4B_PHASE_INFIX "%s", bench, phase_names[k]);
      l4b_emit(name, me, server_lang, placement, param, round_no, v + k, samples, L4B_PHASES);
    }
}

bool ipc_failed(l4_msgtag_t t, char const *bench, char const *param)
{
  if (!l4_msgtag_has_error(t))
    return false;
  fail(bench, param, "IPC error", l4_ipc_to_errno(l4_ipc_error(t, l4_utcb())));
  return true;
}

template<bool PHASES>
void roundtrip(L4::Cap<void> gate, unsigned words)
{
  char param[16];
  snprintf(param, sizeof param, "words=%u", words);
  l4_utcb_t *u = l4_utcb();
  l4_umword_t *mr = l4_utcb_mr_u(u)->mr;
  for (unsigned i = 0; i < warmup + samples; ++i)
    {
      // The payload is written before the timed region (the reply overwrites mr[0]).
      for (unsigned w = 0; w < words; ++w)
        mr[w] = i + w;
      unsigned long long t0 = l4b_tsc_begin(), call = 0, ret = 0;
      if (PHASES)
        call = l4b_tsc_begin();
      l4_msgtag_t t = l4_ipc_call(gate.cap(), u, l4_msgtag(L4B_RAW_LABEL, words, 0, 0), L4_IPC_NEVER);
      if (PHASES)
        ret = l4b_tsc_end();
      unsigned long long t1 = l4b_tsc_end();
      if (ipc_failed(t, "ipc.roundtrip", param))
        return;
      l4_uint64_t want = (l4_uint64_t)words * i + (l4_uint64_t)words * (words - 1) / 2;
      if (words && mr[0] != want)
        {
          fail("ipc.roundtrip", param, "wrong sum", 0);
          return;
        }
      if (i < warmup)
        continue;
      if (PHASES)
        store_phases(v + (i - warmup) * L4B_PHASES, t0, call, ret, t1);
      else
        v[i - warmup] = t1 - t0;
    }
  emit<PHASES>("ipc.roundtrip", param);
}

template<bool PHASES>
void rpc(L4::Cap<L4swift::Bench> bench, unsigned words)
{
  char param[16];
  snprintf(param, sizeof param, "words=%u", words);
  l4_uint64_t data[64];
  for (unsigned i = 0; i < warmup + samples; ++i)
    {
      // The payload is written before the timed region; the stub's copy into
      // the message registers (the marshalling) is timed.
      for (unsigned w = 0; w < words; ++w)
        data[w] = i + w;
      l4_uint64_t sum = 0;
      L4::Ipc::Array<l4_uint64_t const, l4_umword_t> arr(words, data);
      long r;
      unsigned long long t0 = l4b_tsc_begin();
      if (PHASES)
        r = l4b_stamped<L4swift::Bench::ping_t>(bench, arr, &sum);
      else
        r = bench->ping(arr, &sum);
      unsigned long long t1 = l4b_tsc_end();
      l4_uint64_t want = (l4_uint64_t)words * i + (l4_uint64_t)words * (words - 1) / 2;
      if (r < 0 || sum != want)
        {
          fail("ipc.rpc", param, r < 0 ? "RPC error" : "wrong sum", r);
          return;
        }
      if (i < warmup)
        continue;
      if (PHASES)
        store_phases(v + (i - warmup) * L4B_PHASES, t0, l4b_call_stamps.call, l4b_call_stamps.ret, t1);
      else
        v[i - warmup] = t1 - t0;
    }
  emit<PHASES>("ipc.rpc", param);
}

template<bool PHASES>
void str(L4::Cap<L4swift::Bench> bench, unsigned len)
{
  char param[16];
  snprintf(param, sizeof param, "bytes=%u", len);
  static char text[L4B_STR_LEN_2 + 1];
  for (unsigned k = 0; k < len; ++k)
    text[k] = 'a' + k % 26;
  text[len] = 0;
  for (unsigned i = 0; i < warmup + samples; ++i)
    {
      l4_uint64_t got = ~0ull;
      L4::Ipc::String<> s(len + 1, text);  // the terminator counted, as String<>(char const *) does
      long r;
      unsigned long long t0 = l4b_tsc_begin();
      if (PHASES)
        r = l4b_stamped<L4swift::Bench::str_t>(bench, s, &got);
      else
        r = bench->str(s, &got);
      unsigned long long t1 = l4b_tsc_end();
      if (r < 0 || got != len)
        {
          fail("ipc.str", param, r < 0 ? "RPC error" : "wrong length", r < 0 ? r : (long)got);
          return;
        }
      if (i < warmup)
        continue;
      if (PHASES)
        store_phases(v + (i - warmup) * L4B_PHASES, t0, l4b_call_stamps.call, l4b_call_stamps.ret, t1);
      else
        v[i - warmup] = t1 - t0;
    }
  emit<PHASES>("ipc.str", param);
}

template<bool PHASES>
void cap_map(L4::Cap<L4swift::Bench> bench)
{
  auto env = L4Re::Env::env();
  auto irq = L4Re::Util::cap_alloc.alloc<L4::Irq>();
  long r = l4_error(env->factory()->create(irq));
  for (unsigned i = 0; r >= 0 && i < warmup + samples; ++i)
    {
      auto item = L4::Ipc::make_cap_rws(irq);
      unsigned long long t0 = l4b_tsc_begin();
      if (PHASES)
        r = l4b_stamped<L4swift::Bench::map_cap_t>(bench, item);
      else
        r = bench->map_cap(item);
      unsigned long long t1 = l4b_tsc_end();
      if (i < warmup)
        continue;
      if (PHASES)
        store_phases(v + (i - warmup) * L4B_PHASES, t0, l4b_call_stamps.call, l4b_call_stamps.ret, t1);
      else
        v[i - warmup] = t1 - t0;
    }
  if (r < 0)
    fail("cap.map", "-", "RPC error", r);
  else
    emit<PHASES>("cap.map", "-");
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
        l4b_fail(names[k], me, server_lang, placement, param, round_no, what, r);
      else
        l4b_emit(names[k], me, server_lang, placement, param, round_no, v + k, n, 5);
    }
  if (r < 0)
    ++failures;
}

bool has_key(char const *list, char const *key)
{
  size_t n = strlen(key);
  for (char const *s = list; s && *s; )
    {
      char const *e = strchr(s, ',');
      size_t len = e ? (size_t)(e - s) : strlen(s);
      if (len == n && !memcmp(s, key, n))
        return true;
      s = e ? e + 1 : nullptr;
    }
  return false;
}

template<bool PHASES>
void run(L4::Cap<void> gate, char const *benches, char const *ds)
{
  auto bench = L4::cap_cast<L4swift::Bench>(gate);
  static unsigned const rt_words[L4B_WORD_SIZES] = { L4B_RT_WORDS_0, L4B_RT_WORDS_1, L4B_RT_WORDS_2 };
  static unsigned const rpc_words[L4B_WORD_SIZES] = { L4B_RPC_WORDS_0, L4B_RPC_WORDS_1, L4B_RPC_WORDS_2 };
  static unsigned const str_lens[] = { L4B_STR_LEN_0, L4B_STR_LEN_1, L4B_STR_LEN_2 };
  if (has_key(benches, L4B_KEY_RT))
    for (unsigned w : rt_words)
      roundtrip<PHASES>(gate, w);
  if (has_key(benches, L4B_KEY_RPC))
    for (unsigned w : rpc_words)
      rpc<PHASES>(bench, w);
  if (has_key(benches, L4B_KEY_CAP))
    cap_map<PHASES>(bench);
  if (has_key(benches, L4B_KEY_STR))
    for (unsigned n : str_lens)
      str<PHASES>(bench, n);
  if (!PHASES && has_key(benches, L4B_KEY_DS))
    for (char const *s = ds; s && *s; )
      {
        unsigned long size = strtoul(s, nullptr, 10);
        char const *colon = strchr(s, ':');
        if (!colon) break;
        ds_share(bench, size, atoi(colon + 1));
        s = strchr(colon, ',');
        if (s) ++s;
      }
}

}

int main(int argc, char **argv)
{
  if (argc != L4B_CLIENT_ARGS + 1)
    {
      printf("usage: %s-bench-client " L4B_CLIENT_USAGE "\n", me);
      return L4B_EXIT_USAGE;
    }
  unsigned cpu = atoi(argv[L4B_ARG_CPU]);
  placement = argv[L4B_ARG_PLACEMENT];
  round_no = atoi(argv[L4B_ARG_ROUND]);
  server_lang = argv[L4B_ARG_SERVER];
  samples = atoi(argv[L4B_ARG_SAMPLES]);
  warmup = atoi(argv[L4B_ARG_WARMUP]);
  char const *benches = argv[L4B_ARG_BENCHES];
  char const *ds = argv[L4B_ARG_DS];
  if (atoi(argv[L4B_ARG_LIMIT]) > 0 && l4b_watchdog(atoi(argv[L4B_ARG_LIMIT])) != 0)
    printf("%s-bench-client: no watchdog thread\n", me);
  if (l4b_pin(cpu) < 0)
    printf("%s-bench-client: cannot pin to CPU %u\n", me, cpu);

  // The largest block decides the buffer: every ds size's samples, 5 values each.
  unsigned most = samples;
  for (char const *s = ds; s && *s; )
    {
      char const *colon = strchr(s, ':');
      if (!colon) break;
      unsigned n = atoi(colon + 1);
      if (n > most) most = n;
      s = strchr(colon, ',');
      if (s) ++s;
    }
  v = static_cast<unsigned long long *>(malloc(sizeof(*v) * most * L4B_MAX_VALUES));
  auto gate = L4Re::Env::env()->get_cap<void>("bench");
  if (!v || !gate.is_valid())
    return 1;

  auto log = L4Re::Env::env()->get_cap<L4Re::Dataspace>(L4B_PHASE_LOG_CAP);
  if (log.is_valid())
    {
      l4_uint64_t *p = nullptr;
      long r = L4Re::Env::env()->rm()->attach(&p, L4_PAGESIZE, L4Re::Rm::F::Search_addr | L4Re::Rm::F::RW,
                                              L4::Ipc::make_cap_rw(log));
      if (r < 0)
        {
          fail("block", "-", "cannot attach the phase log", r);
          return L4B_EXIT_FAILURES;
        }
      phase_log = p;
      run<true>(gate, benches, ds);
    }
  else
    run<false>(gate, benches, ds);
  return failures ? L4B_EXIT_FAILURES : L4B_EXIT_OK;
}
