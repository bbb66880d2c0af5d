struct U : L4::Kobject_t<U, L4::Kobject, 1> {
  L4_INLINE_RPC(long, f, ((int a);
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
