// STAND-IN, written for this project: NOT L4Re's headers and no code from them.
//
// On L4Re, swift.mk generates the clients L4Swift calls L4Re's services with
// (Sources/L4Swift/Services) from L4Re's own headers: l4/re/dataspace,
// l4/re/rm, l4/sys/factory, l4/sys/rcv_endpoint, l4/sys/scheduler. Where there is no L4Re build
// (CI), scripts/embedded-check.sh and the host tests (Tests/L4SwiftServicesTests)
// generate them from this file instead. It declares only the RPCs L4Swift uses,
// with the facts of those headers that decide the Swift and the bytes on the
// wire: each interface's C++ name and protocol number, the opcode order of its
// RPC list, each RPC's argument types and order, and the struct layouts.
// Nothing else of L4Re's headers is here; RPCs L4Swift does not call are left
// out, except those whose place in the RPC list gives the used ones their
// opcode. scripts/l4re-request-fixtures.sh checks, against an L4Re build, that
// the clients this file gives write what the real headers' do.
#pragma once

typedef struct l4_sched_cpu_set_t
{
  l4_umword_t gran_offset;
  l4_umword_t map;
} l4_sched_cpu_set_t;

typedef struct l4_sched_param_t
{
  l4_sched_cpu_set_t affinity;
  l4_umword_t prio;
  l4_umword_t quantum;
} l4_sched_param_t;

namespace L4 {

class Factory : public Kobject_t<Factory, Kobject, -15>
{
public:
  L4_INLINE_RPC_NF(l4_msgtag_t, create, (L4::Ipc::Out<L4::Cap<void> > target, l4_mword_t obj,
                                         L4::Ipc::Varg const *args),
                   L4::Ipc::Call_t<L4_CAP_FPAGE_S>);
  typedef L4::Typeid::Rpc_nocode<create_t> Rpcs;
};

class Rcv_endpoint : public Kobject_t<Rcv_endpoint, Kobject, -10, Type_info::Demand_t<1> >
{
public:
  L4_INLINE_RPC_OP(0x10, l4_msgtag_t, bind_thread, (Ipc::Cap<Thread> t, l4_umword_t label));
  typedef L4::Typeid::Rpcs_sys<bind_thread_t> Rpcs;
};

class Scheduler : public Kobject_t<Scheduler, Kobject, -14, Type_info::Demand_t<1> >
{
public:
  L4_INLINE_RPC_NF_OP(0UL, l4_msgtag_t, info, (l4_umword_t gran_offset, l4_umword_t *map,
                                               l4_umword_t *cpu_max, l4_umword_t *sched_classes));
  L4_INLINE_RPC_OP(1UL, l4_msgtag_t, run_thread, (Ipc::Cap<Thread> thread, l4_sched_param_t const &sp));
  typedef L4::Typeid::Rpcs_sys<info_t, run_thread_t> Rpcs;
};

}

namespace L4Re {

class Dataspace : public L4::Kobject_t<Dataspace, L4::Kobject, 0x4000, L4::Type_info::Demand_t<1> >
{
public:
  struct Flags
  {
    unsigned long raw;
  };

  typedef l4_uint64_t Size;
  typedef l4_uint64_t Offset;
  typedef l4_uint64_t Map_addr;

  struct Stats
  {
    Size size;
    Flags flags;
  };

  L4_RPC_NF(l4_ret_t, map, (Offset offset, Map_addr spot, Flags flags, L4::Ipc::Rcv_fpage r,
                            L4::Ipc::Snd_fpage &fp));
  L4_RPC(l4_ret_t, clear, (Offset offset, Size size));
  L4_RPC(l4_ret_t, info, (Stats *stats));

  typedef L4::Typeid::Rpcs<map_t, clear_t, info_t> Rpcs;
};

class Rm : public L4::Kobject_t<Rm, L4::Kobject, 0x4005, L4::Type_info::Demand_t<1> >
{
public:
  typedef L4Re::Dataspace::Offset Offset;

  struct F
  {
    struct Flags
    {
      l4_uint32_t raw;
    };
  };
  using Flags = F::Flags;

  L4_RPC_NF(l4_ret_t, attach, (L4::Ipc::In_out<l4_addr_t *> start,
                               unsigned long size, Flags flags,
                               L4::Ipc::Opt<L4::Ipc::Cap<Dataspace>> mem,
                               Offset offs, unsigned char align,
                               L4::Ipc::Opt<l4_cap_idx_t> client_cap,
                               L4::Ipc::String<> name, Offset backing_offset));
  L4_RPC_NF(l4_ret_t, detach, (l4_addr_t addr, unsigned long size, unsigned flags,
                               l4_addr_t &start, l4_addr_t &rsize,
                               l4_cap_idx_t &mem_cap));

  typedef L4::Typeid::Rpcs<attach_t, detach_t> Rpcs;
};

}
