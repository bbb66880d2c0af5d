// Two Rpcs lists in the branches of an #ifndef the generator does not evaluate (review 7)
struct Calc : L4::Kobject_t<Calc, L4::Kobject, 0x6c01>
{
#ifndef CONFIG_NOT_DEFINED
  L4_INLINE_RPC(long, old, (l4_int64_t a));
  typedef L4::Typeid::Rpcs<old_t, add_t> Rpcs;
#else
  typedef L4::Typeid::Rpcs<add_t, sub_t> Rpcs;
#endif
  L4_INLINE_RPC(long, add, (l4_int64_t a, l4_int64_t b, l4_int64_t *sum));
  L4_INLINE_RPC(long, sub, (l4_int64_t a, l4_int64_t b, l4_int64_t *sum));
};
