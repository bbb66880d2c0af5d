// The interface of the example pairs: integers, a string, a capability and a
// dataspace, through L4Re's normal C++ RPC framework. The Swift side speaks
// it through Sources/L4Wire/DemoInterface.swift.
#pragma once

#include <l4/sys/capability>
#include <l4/sys/cxx/ipc_iface>
#include <l4/sys/cxx/ipc_string>
#include <l4/sys/irq>
#include <l4/re/dataspace>

namespace L4swift {

enum { Demo_protocol = 0x5301 };

struct Demo : L4::Kobject_t<Demo, L4::Kobject, Demo_protocol,
                             L4::Type_info::Demand_t<1> >  // servers receive one capability
{
  /// result = a * b + c (opcode 0)
  L4_INLINE_RPC(long, mix, (l4_int32_t a, l4_uint64_t b, l4_int8_t c, l4_int64_t *result));
  /// length and 32-bit FNV-1a hash of a string (opcode 1)
  L4_INLINE_RPC(long, measure, (L4::Ipc::String<> s, l4_uint32_t *length, l4_uint32_t *hash));
  /// the server triggers the IRQ it is given, then drops it (opcode 2)
  L4_INLINE_RPC(long, trigger, (L4::Ipc::Cap<L4::Irq> irq));
  /// the server attaches the dataspace and sums its 64-bit words (opcode 3)
  L4_INLINE_RPC(long, sum_ds, (L4::Ipc::Cap<L4Re::Dataspace> ds, l4_uint64_t size, l4_uint64_t *sum));

  typedef L4::Typeid::Rpcs<mix_t, measure_t, trigger_t, sum_ds_t> Rpcs;
};

inline l4_uint32_t fnv1a(char const *s, unsigned long n)
{
  l4_uint32_t h = 2166136261u;
  for (unsigned long i = 0; i < n; ++i)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

}
