struct Kw3 : L4::Kobject_t<Kw3, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, associatedtype, (int a));
  L4_INLINE_RPC(long, typealias, (int a));
  L4_INLINE_RPC(long, super, (int a));
  L4_INLINE_RPC(long, default, (int *a));
  typedef L4::Typeid::Rpcs<associatedtype_t, typealias_t, super_t, default_t> Rpcs;
};
