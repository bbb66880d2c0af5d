struct S : L4::Kobject_t<S, L4::Kobject, 0x10> {
  L4_INLINE_RPC_OP(0x7fffffffffffffff, l4_msgtag_t, f, (l4_umword_t a));
  typedef L4::Typeid::Rpcs_sys<f_t> Rpcs;
};
