// An RPC declared only when CONFIG_X is defined: its opcode depends on an #ifdef the generator does not evaluate
struct Calc : L4::Kobject_t<Calc, L4::Kobject, 0x6c01>
{
#ifdef CONFIG_X
  L4_INLINE_RPC(long, old, (l4_int64_t a));
#endif
  L4_INLINE_RPC(long, add, (l4_int64_t a, l4_int64_t b, l4_int64_t *sum));
  typedef L4::Typeid::Rpcs<old_t, add_t> Rpcs;
};
