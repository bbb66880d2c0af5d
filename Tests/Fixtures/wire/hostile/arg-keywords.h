struct Kw : L4::Kobject_t<Kw, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, f, (l4_uint32_t associatedtype, l4_uint32_t typealias, l4_uint32_t super, l4_uint32_t Any, l4_uint32_t in, l4_uint32_t *protocol, l4_uint32_t *default));
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
