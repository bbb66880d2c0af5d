struct H : L4::Kobject_t<H, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, _1x, (int a));
  typedef L4::Typeid::Rpcs<_1x_t> Rpcs;
};
