struct Same : L4::Kobject_t<Same, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, f, (int a));
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
namespace Other { struct Same : L4::Kobject_t<Same, L4::Kobject, 0x10>
{
  L4_INLINE_RPC(long, g, (int a));
  typedef L4::Typeid::Rpcs<g_t> Rpcs;
};
}
