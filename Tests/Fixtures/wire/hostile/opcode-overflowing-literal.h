struct Op5 : L4::Kobject_t<Op5, L4::Kobject, 0x10>
{
  L4_INLINE_RPC_OP(0xffffffffffffffffffff, long, f, (int a));
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
