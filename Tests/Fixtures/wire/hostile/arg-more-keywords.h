struct Kw2 : L4::Kobject_t<Kw2, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, g, (int fallthrough, int rethrows, int some, int any, int await, int nonisolated, int *inout, int *repeat));
  typedef L4::Typeid::Rpcs<g_t> Rpcs;
};
