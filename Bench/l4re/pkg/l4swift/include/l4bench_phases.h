// Phase timestamps of the C++ benchmark client: the TSC at the call and at
// the return of an RPC whose marshalling L4Re's inline stub does. Include it
// FIRST in a client (before any L4Re C++ header), so that the stub's template,
// parsed later, sees the hook.
//
// How: an RPC called with the flags L4b_stamped_call (instead of L4::Ipc::Call)
// passes a timeout of the type L4b_stamped_timeout; `l4_ipc_call` is routed to
// l4b_ipc_call_hook, whose overload for that type reads the TSC right before
// and right after the system call. Every other call (the plain benchmarks, the
// L4Re library) passes an l4_timeout_t and gets the plain l4_ipc_call, inlined:
// the same instructions as without this header.
#pragma once

#include <l4/sys/ipc.h>
#include "l4bench_rt.h"

/// The timestamps of the last stamped call.
struct L4b_call_stamps
{
  unsigned long long call, ret;
};
extern L4b_call_stamps l4b_call_stamps;

/// The timeout type of a stamped call (a tag: the call waits forever). It
/// converts to a timeout for the stub's send-only branch, which a call never takes.
struct L4b_stamped_timeout
{
  operator l4_timeout_t() const { return L4_IPC_NEVER; }
};

inline __attribute__((always_inline)) l4_msgtag_t
l4b_ipc_call_hook(l4_cap_idx_t dest, l4_utcb_t *utcb, l4_msgtag_t tag, l4_timeout_t timeout)
{
  return l4_ipc_call(dest, utcb, tag, timeout);
}

inline __attribute__((always_inline)) l4_msgtag_t
l4b_ipc_call_hook(l4_cap_idx_t dest, l4_utcb_t *utcb, l4_msgtag_t tag, L4b_stamped_timeout)
{
  l4b_call_stamps.call = l4b_tsc_begin();
  tag = l4_ipc_call(dest, utcb, tag, L4_IPC_NEVER);
  l4b_call_stamps.ret = l4b_tsc_end();
  return tag;
}

#define l4_ipc_call(dest, utcb, tag, timeout) l4b_ipc_call_hook(dest, utcb, tag, timeout)

#include <l4/sys/cxx/ipc_iface>

/// RPC flags: a call (as L4::Ipc::Call) whose system call is stamped.
struct L4b_stamped_call : L4::Ipc::Call
{
  static L4b_stamped_timeout timeout() { return {}; }
};

/// Calls the RPC `OP` (e.g. `L4swift::Bench::ping_t`) through L4Re's own inline
/// stub, with the flags L4b_stamped_call: the same marshalling and message as
/// `cap->op(args...)`, with l4b_call_stamps set.
template<typename OP, typename... ARGS>
inline __attribute__((always_inline)) auto
l4b_stamped(L4::Cap<typename OP::class_type> cap, ARGS &&...a)
{
  return L4::Ipc::Msg::Rpc_inline_call<OP, typename OP::class_type, typename OP::ipc_type,
                                       L4b_stamped_call>::call(cap, static_cast<ARGS &&>(a)..., l4_utcb());
}
