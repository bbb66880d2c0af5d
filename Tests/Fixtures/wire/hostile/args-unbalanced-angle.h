struct A : L4::Kobject_t<A, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, f, ( ( > ), x));
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
