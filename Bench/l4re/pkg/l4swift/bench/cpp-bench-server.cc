// C++ benchmark server: raw ipc.roundtrip messages in its own loop, the RPCs
// through L4Re's Epiface dispatch. The Swift server (swift-bench-server.swift)
// is built the same way. Built twice: by BID's C++ compiler (GCC) and by clang.
// The payload sum is l4b_sum_words (l4b-payload.c), one C object for every peer.
//   cpp-bench-server CPU [hang|crash]
// (hang and crash are for checking the runner: the server never answers, or
// exits on the first request.)
#include <l4/re/env>
#include <l4/re/rm>
#include <l4/re/util/cap_alloc>
#include <l4/sys/cxx/ipc_epiface>
#include <l4/sys/rcv_endpoint>
#include <l4/sys/task>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "bench.h"
#include "l4bench_rt.h"

static L4::Cap<void> rcv_slot;

static void drop_received()
{
  L4Re::Env::env()->task()->unmap(l4_obj_fpage(rcv_slot.cap(), 0, L4_CAP_FPAGE_RWSD), L4_FP_ALL_SPACES);
}

struct Bench_server : L4::Epiface_t<Bench_server, L4swift::Bench>
{
  long op_ping(L4swift::Bench::Rights, L4::Ipc::Array_ref<l4_uint64_t const, l4_umword_t> data, l4_uint64_t &sum)
  {
    sum = data.length ? l4b_sum_words(data.data, data.length) : 0;
    return 0;
  }

  long op_str(L4swift::Bench::Rights, L4::Ipc::String<> s, l4_uint64_t &length)
  {
    length = s.length ? s.length - 1 : 0;  // the terminator not counted
    return 0;
  }

  long op_map_cap(L4swift::Bench::Rights, L4::Ipc::Snd_fpage fp)
  {
    if (!fp.cap_received())
      return -L4_EINVAL;
    drop_received();
    return 0;
  }

  long op_share(L4swift::Bench::Rights, L4::Ipc::Snd_fpage fp, l4_uint64_t size, l4_uint64_t &sum,
                l4_uint64_t &attach_ticks, l4_uint64_t &touch_ticks, l4_uint64_t &detach_ticks)
  {
    if (!fp.cap_received())
      return -L4_EINVAL;
    auto rm = L4Re::Env::env()->rm();
    l4_uint64_t *p = nullptr;
    unsigned long long t0 = l4b_tsc_begin();
    long r = rm->attach(&p, size, L4Re::Rm::F::Search_addr | L4Re::Rm::F::RW,
                        L4::Ipc::make_cap_rw(L4::cap_cast<L4Re::Dataspace>(rcv_slot)));
    unsigned long long t1 = l4b_tsc_end();
    if (r < 0)
      {
        drop_received();
        return r;
      }
    l4_uint64_t s = 0;
    for (unsigned long off = 0; off < size; off += L4_PAGESIZE)
      s += *(volatile l4_uint64_t *)((char *)p + off);
    unsigned long long t2 = l4b_tsc_end();
    rm->detach(p, nullptr);
    unsigned long long t3 = l4b_tsc_end();
    drop_received();
    sum = s;
    attach_ticks = t1 - t0;
    touch_ticks = t2 - t1;
    detach_ticks = t3 - t2;
    return 0;
  }
};

/// The server loop: raw ipc.roundtrip messages answered in place, RPCs through
/// the Epiface dispatch. With PHASES (a phase block), the TSC at receive and
/// before the reply go into the phase log's words 0 and 1.
template<bool PHASES>
[[noreturn]] void serve(Bench_server &obj, l4_umword_t my_label, l4_msgtag_t tag, l4_umword_t label,
                        l4_uint64_t volatile *phase_log)
{
  l4_utcb_t *u = l4_utcb();
  l4_umword_t *mr = l4_utcb_mr_u(u)->mr;
  l4_buf_regs_t *br = l4_utcb_br_u(u);
  for (;;)
    {
      if (l4_msgtag_has_error(tag))
        {
          tag = l4_ipc_wait(u, &label, L4_IPC_NEVER);
          continue;
        }
      if (PHASES)
        phase_log[0] = l4b_tsc_begin();
      l4_msgtag_t reply;
      if ((label & ~3ul) != my_label)
        reply = l4_msgtag(-L4_EBADPROTO, 0, 0, 0);
      else if (l4_msgtag_label(tag) == L4swift::Bench_raw_label)
        {
          unsigned n = l4_msgtag_words(tag);
          mr[0] = n ? l4b_sum_words(reinterpret_cast<l4_uint64_t const *>(mr), n) : 0;
          reply = l4_msgtag(0, n ? 1 : 0, 0, 0);
        }
      else
        reply = obj.dispatch(tag, label & 3, u);
      br->bdr = 0;
      br->br[0] = rcv_slot.cap() | L4_RCV_ITEM_SINGLE_CAP;
      br->br[1] = 0;
      if (PHASES)
        phase_log[1] = l4b_tsc_begin();
      tag = l4_ipc_reply_and_wait(u, reply, &label, L4_IPC_NEVER);
    }
}

int main(int argc, char **argv)
{
  if (argc != 2 && argc != 3)
    {
      printf("usage: cpp-bench-server " L4B_SERVER_USAGE "\n");
      return L4B_EXIT_USAGE;
    }
  if (l4b_pin(atoi(argv[1])) < 0)
    printf("cpp-bench-server: cannot pin to CPU %s\n", argv[1]);
  static Bench_server obj;
  auto env = L4Re::Env::env();
  auto gate = env->get_cap<L4::Rcv_endpoint>("bench");
  l4_umword_t const my_label = 0x5c0;
  if (!gate.is_valid() || l4_error(gate->bind_thread(env->main_thread(), my_label)) < 0)
    {
      printf("cpp-bench-server: cannot serve 'bench'\n");
      return 1;
    }
  rcv_slot = L4Re::Util::cap_alloc.alloc<void>();
  l4_uint64_t *phase_log = nullptr;
  auto log = env->get_cap<L4Re::Dataspace>(L4B_PHASE_LOG_CAP);
  if (log.is_valid()
      && env->rm()->attach(&phase_log, L4_PAGESIZE, L4Re::Rm::F::Search_addr | L4Re::Rm::F::RW,
                           L4::Ipc::make_cap_rw(log)) < 0)
    {
      printf("cpp-bench-server: cannot attach the phase log\n");
      return 1;
    }

  l4_utcb_t *u = l4_utcb();
  l4_buf_regs_t *br = l4_utcb_br_u(u);
  l4_umword_t label = 0;
  br->bdr = 0;
  br->br[0] = rcv_slot.cap() | L4_RCV_ITEM_SINGLE_CAP;
  br->br[1] = 0;
  l4_msgtag_t tag = l4_ipc_wait(u, &label, L4_IPC_NEVER);
  if (argc == 3 && !strcmp(argv[2], "hang"))
    {
      printf("cpp-bench-server: hanging (fault injection)\n");
      l4_sleep_forever();
    }
  if (argc == 3 && !strcmp(argv[2], "crash"))
    {
      printf("cpp-bench-server: crashing (fault injection)\n");
      exit(99);
    }
  if (phase_log)
    serve<true>(obj, my_label, tag, label, phase_log);
  serve<false>(obj, my_label, tag, label, nullptr);
}
