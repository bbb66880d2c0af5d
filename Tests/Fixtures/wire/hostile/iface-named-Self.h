struct Self : L4::Kobject_t<Self, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, f, (int a));
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
