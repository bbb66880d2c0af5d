struct Calc : L4::Kobject_t<Calc, L4::Kobject, 0x6c01>
{
  L4_INLINE_RPC(long, add, (l4_int64_t a, l4_int64_t b, l4_int64_t *sum));
  L4_INLINE_RPC(long, add, (l4_int64_t a));
  typedef L4::Typeid::Rpcs<add_t> Rpcs;
};
