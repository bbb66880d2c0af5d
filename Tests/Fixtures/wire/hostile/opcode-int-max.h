struct OpMax : L4::Kobject_t<OpMax, L4::Kobject, 0x10>
{
  L4_INLINE_RPC_OP(0x7fffffffffffffff, long, f, (int a));
  L4_INLINE_RPC(long, g, (int a));
  typedef L4::Typeid::Rpcs<f_t, g_t> Rpcs;
};
