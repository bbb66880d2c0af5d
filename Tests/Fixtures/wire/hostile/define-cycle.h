#define P Q
#define Q P
struct H : L4::Kobject_t<H, L4::Kobject, P>
{
  L4_INLINE_RPC(long, f, (int a));
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
