struct H : L4::Kobject_t<H, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, f, (int _));
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
