struct Dup : L4::Kobject_t<Dup, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, get_x, (int a));
  L4_INLINE_RPC(long, getX, (int a));
  typedef L4::Typeid::Rpcs<get_x_t, getX_t> Rpcs;
};
