// The interface of the L4Re benchmark suite. `ipc.roundtrip` uses raw IPC
// with the label Bench_raw_label (L4B_RAW_LABEL of l4bench_proto.h, the suite's
// one table of the peer protocol); the rest goes through L4Re's RPC framework
// (the Swift side is generated from this header by l4swift-gen).
#pragma once

#include <l4/sys/capability>
#include <l4/sys/cxx/ipc_iface>
#include <l4/sys/cxx/ipc_array>
#include <l4/re/dataspace>
#include <l4/sys/cxx/ipc_string>
#include "l4bench_proto.h"

namespace L4swift {

enum
{
  Bench_protocol  = 0x5310,
  /// Label of raw `ipc.roundtrip` messages: N words in, their sum back (one word when N > 0).
  Bench_raw_label = L4B_RAW_LABEL,
};

struct Bench : L4::Kobject_t<Bench, L4::Kobject, Bench_protocol,
                              L4::Type_info::Demand_t<1> >
{
  /// ipc.rpc: an array of words in, their sum back (opcode 0)
  L4_INLINE_RPC(long, ping, (L4::Ipc::Array<l4_uint64_t const, l4_umword_t> data, l4_uint64_t *sum));
  /// cap.map: a capability mapped in; the server unmaps it again (opcode 1)
  L4_INLINE_RPC(long, map_cap, (L4::Ipc::Cap<void> cap));
  /// ds.share: the server attaches the dataspace, reads one word per page,
  /// detaches it and reports the sum and the TSC ticks of each phase (opcode 2)
  L4_INLINE_RPC(long, share, (L4::Ipc::Cap<L4Re::Dataspace> ds, l4_uint64_t size, l4_uint64_t *sum,
                              l4_uint64_t *attach_ticks, l4_uint64_t *touch_ticks, l4_uint64_t *detach_ticks));

  /// ipc.str: a string in, its length back (opcode 3)
  L4_INLINE_RPC(long, str, (L4::Ipc::String<> s, l4_uint64_t *length));

  typedef L4::Typeid::Rpcs<ping_t, map_cap_t, share_t, str_t> Rpcs;
};

}
