// Records the requests L4Re's own C++ sends for the calls L4Swift makes
// through generated clients (Sources/L4Swift/Services/L4ReRequests.swift):
// Mem_alloc::alloc, Dataspace::size, Rm::attach, Rm::detach (with the pages it
// then unmaps), Rcv_endpoint::bind_thread, Factory::create of an IRQ and
// Scheduler::run_thread and info.
// Built on the host against an L4Re build's headers (l4re-core's client
// implementations included from the build's l4/re/impl) by
// scripts/l4re-request-fixtures.sh; its output (cpp-requests.txt) is what
// Tests/L4SwiftServicesTests compares L4Swift's requests with, byte for byte.
// No system call runs: l4_ipc_call is replaced by a function that records the
// request (destination, tag, message and buffer registers) and answers with a
// canned reply.
#include <l4/sys/utcb.h>
#include <stdio.h>
#include <string.h>

static unsigned char utcb_mem[4096] __attribute__((aligned(4096)));
static l4_utcb_t *record_utcb() { return reinterpret_cast<l4_utcb_t *>(utcb_mem); }
// The headers' l4_utcb() reads the thread's segment register: every use from here on gets ours.
#define l4_utcb() record_utcb()
#include <l4/sys/ipc.h>

static l4_umword_t canned_mr[8];
static unsigned canned_words;
static char const *call_name = "";
static unsigned call_no;

static l4_msgtag_t record_call(l4_cap_idx_t dest, l4_utcb_t *utcb, l4_msgtag_t t, l4_timeout_t)
{
  unsigned words = t.words() + 2 * t.items();
  if (words > 63)
    words = 63;
  printf("%s#%u dest=0x%lx label=%ld words=%u items=%u :", call_name, call_no++, (unsigned long)dest,
         (long)t.label(), t.words(), t.items());
  unsigned char const *b = reinterpret_cast<unsigned char const *>(l4_utcb_mr_u(utcb)->mr);
  for (unsigned i = 0; i < words * 8; ++i)
    printf(" %02x", b[i]);
  printf("\n");
  l4_buf_regs_t *br = l4_utcb_br_u(utcb);
  printf("buffers %s#%u : %lx %lx %lx %lx\n", call_name, call_no - 1, (unsigned long)br->bdr,
         (unsigned long)br->br[0], (unsigned long)br->br[1], (unsigned long)br->br[2]);
  memcpy(l4_utcb_mr_u(utcb)->mr, canned_mr, sizeof(canned_mr));
  return l4_msgtag(0, canned_words, 0, 0);
}
#define l4_ipc_call record_call
#include <l4/re/impl/rm_impl.h>
#include <l4/re/impl/dataspace_impl.h>
#include <l4/re/impl/mem_alloc_impl.h>
#include <l4/sys/rcv_endpoint>
#include <l4/sys/irq>
#include <l4/sys/factory>
#include <l4/sys/scheduler>

// libl4sys defines L4::Kobject's (empty) type information; this program links no L4Re library.
L4::Type_info const L4::Kobject::__Kobject_typeid::_m = { 0, 0, 0, 0 };

// The capability indices and replies the calls use (the Swift test uses the same).
enum : l4_cap_idx_t
{
  Rm_cap = 0x5000, Ds_cap = 0x6000, Mem_alloc_cap = 0x7000, Gate_cap = 0x8000,
  Thread_cap = 0x9000, Factory_cap = 0xa000, Irq_cap = 0xb000, Scheduler_cap = 0xc000,
};

static void begin(char const *name, unsigned words, l4_umword_t a = 0, l4_umword_t b = 0, l4_umword_t c = 0)
{
  memset(utcb_mem, 0, sizeof(utcb_mem));
  call_name = name;
  call_no = 0;
  canned_words = words;
  canned_mr[0] = a; canned_mr[1] = b; canned_mr[2] = c;
}

int main()
{
  // L4Re::Env's memory allocator: alloc(size, ds) with no flags and no alignment.
  static long const sizes[] = { 4096L, 1L << 20 };
  for (long size : sizes)
    {
      char name[32];
      snprintf(name, sizeof name, "alloc.%ld", size);
      begin(name, 0);
      long r = L4::Cap<L4Re::Mem_alloc>(Mem_alloc_cap)->alloc(size, L4::Cap<L4Re::Dataspace>(Ds_cap), 0, 0);
      printf("result %s : %ld\n", name, r);
    }

  // Dataspace::size(): info, the size from the reply's Stats.
  begin("size", 2, 0x11000, 3);
  printf("result size : %llu\n", (unsigned long long)L4::Cap<L4Re::Dataspace>(Ds_cap)->size());

  // What the benchmark and the examples ask: attach read-write where there is room.
  begin("attach", 1, 0x7f000);
  l4_addr_t start = 0;
  long r = L4::Cap<L4Re::Rm>(Rm_cap)->attach(&start, 0x11000, L4Re::Rm::F::Search_addr | L4Re::Rm::F::RW,
                                               L4::Ipc::make_cap_rw(L4::Cap<L4Re::Dataspace>(Ds_cap)));
  printf("result attach : %ld 0x%lx\n", r, (unsigned long)start);

  // detach(addr, nullptr): the region's start and size come back, then its pages are unmapped.
  static l4_umword_t const rsizes[] = { 0x1000UL, 0x11000UL, 0x123456UL };
  for (l4_umword_t rsize : rsizes)
    {
      char name[32];
      snprintf(name, sizeof name, "detach.0x%lx", (unsigned long)rsize);
      begin(name, 3, 0x7f000, rsize, Ds_cap);
      r = L4::Cap<L4Re::Rm>(Rm_cap)->detach(0x7f000UL, nullptr);
      printf("result %s : %ld\n", name, r);
    }

  // An IPC gate (or an IRQ) bound to a thread with a label.
  begin("bind_thread", 0);
  L4::Cap<L4::Rcv_endpoint>(Gate_cap)->bind_thread(L4::Cap<L4::Thread>(Thread_cap), 0x10);
  begin("bind_thread.c", 0);
  l4_rcv_ep_bind_thread_u(Gate_cap, Thread_cap, 0x10, record_utcb());

  // An IRQ from the factory: create<Irq>(target), no further arguments.
  begin("create_irq", 0);
  r = l4_error(L4::Cap<L4::Factory>(Factory_cap)->create(L4::Cap<L4::Irq>(Irq_cap)));
  printf("result create_irq : %ld\n", r);
  begin("create_irq.c", 0);
  l4_factory_create_irq_u(Factory_cap, Irq_cap, record_utcb());

  // A thread pinned to CPU 1 at priority 2 (as l4_sched_param(2) and l4_sched_cpu_set(1, 0, 1) make it).
  l4_sched_param_t sp = l4_sched_param(2, 0);
  sp.affinity = l4_sched_cpu_set(1, 0, 1);
  begin("run_thread", 0);
  L4::Cap<L4::Scheduler>(Scheduler_cap)->run_thread(L4::Cap<L4::Thread>(Thread_cap), sp);
  begin("run_thread.c", 0);
  l4_scheduler_run_thread_u(Scheduler_cap, Thread_cap, &sp, record_utcb());

  // The CPUs online: info with granularity 0, offset 0; the reply's map has a bit per CPU.
  begin("info", 3, 0x5, 16, 0);
  l4_umword_t cpu_max = 0;
  l4_sched_cpu_set_t cs = l4_sched_cpu_set(0, 0, 0);
  L4::Cap<L4::Scheduler>(Scheduler_cap)->info(&cpu_max, &cs);
  printf("result info : map 0x%lx cpu_max %lu\n", (unsigned long)cs.map, (unsigned long)cpu_max);
  return 0;
}
