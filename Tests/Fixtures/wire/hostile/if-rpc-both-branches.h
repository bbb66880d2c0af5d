// An include guard, a __cplusplus test, and an RPC declared alike in both branches of an #ifdef
// (as L4Re's Dataspace declares map_info under #ifdef CONFIG_MMU): all generate
#ifndef IF_RPC_BOTH_BRANCHES_H
#define IF_RPC_BOTH_BRANCHES_H
#if defined(__cplusplus)
struct Calc : L4::Kobject_t<Calc, L4::Kobject, 0x6c01>
{
#ifdef CONFIG_MMU
  L4_RPC_NF(long, info, (l4_addr_t *start, l4_addr_t *end));
#else
  L4_RPC(long, info, (l4_addr_t *start, l4_addr_t *end));
#endif
  L4_INLINE_RPC(long, add, (l4_int64_t a, l4_int64_t b, l4_int64_t *sum));
  typedef L4::Typeid::Rpcs<info_t, add_t> Rpcs;
};
#endif
#endif
