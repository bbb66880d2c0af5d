struct Op2 : L4::Kobject_t<Op2, L4::Kobject, 0x10>
{
  L4_INLINE_RPC_OP(0x80000000, long, f, (int a));
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
