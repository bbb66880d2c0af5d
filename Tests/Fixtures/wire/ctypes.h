// vi:set ft=cpp: -*- Mode: C++ -*-
// C types passed as C lays them out: libc's structs, as L4Re::Itas passes them.
// l4swift-gen reads this with --c-type 'struct sigaction' --c-type sigset_t
// --c-type 'struct itimerval' --c-type stack_t (and --import of the C module
// Swift takes them from: Glibc on the host, CL4 on L4Re); marshal.cc records
// L4Re's C++ marshalling of it, compiled against the same libc.
#pragma once
#include <l4/sys/cxx/ipc_iface>
#include <signal.h>
#include <sys/time.h>

namespace Wire_test {

struct C_types : L4::Kobject_t<C_types, L4::Kobject, 0x7e10>
{
  L4_INLINE_RPC(long, action, (int sig, struct sigaction const *act, struct sigaction *old));
  // a byte before the set: the set is aligned to its own alignment
  L4_INLINE_RPC(long, mask, (l4_uint8_t how, sigset_t const *set, L4::Ipc::In_out<sigset_t *> io));
  L4_INLINE_RPC(long, itimer, (l4_uint16_t which, struct itimerval const *v, struct itimerval *old));
  L4_INLINE_RPC(long, altstack, (stack_t const *ss));
  // optional (the last arguments, as L4Re's Opt<> must be): sent or not, returned or not
  L4_INLINE_RPC(long, maybe, (l4_uint32_t x, L4::Ipc::Opt<struct itimerval> v, L4::Ipc::Opt<struct itimerval &> back));
  typedef L4::Typeid::Rpcs<action_t, mask_t, itimer_t, altstack_t, maybe_t> Rpcs;
};

}
