// The same RPC declared alike in both branches of two #ifs: declared twice
struct Calc : L4::Kobject_t<Calc, L4::Kobject, 0x6c01>
{
#ifdef X
  L4_INLINE_RPC(long, f, (int a));
#else
  L4_INLINE_RPC(long, f, (int a));
#endif
#ifdef Y
  L4_INLINE_RPC(long, f, (int a));
#else
  L4_INLINE_RPC(long, f, (int a));
#endif
  typedef L4::Typeid::Rpcs<f_t> Rpcs;
};
