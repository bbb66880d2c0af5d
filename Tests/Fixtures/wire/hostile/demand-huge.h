struct D : L4::Kobject_t<D, L4::Kobject, 1, L4::Type_info::Demand_t<1000000> > {
  L4_INLINE_RPC(long, f, (int a));
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
