struct Op4 : L4::Kobject_t<Op4, L4::Kobject, 0x10>
{
  L4_INLINE_RPC_OP(1, long, f, (int a));
  L4_INLINE_RPC_OP(1, long, g, (int a));
  typedef L4::Typeid::Rpcs<f_t, g_t> Rpcs;
};
