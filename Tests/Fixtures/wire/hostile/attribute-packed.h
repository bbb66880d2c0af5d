struct Pk2 { l4_uint8_t a; l4_uint64_t b; } __attribute__((packed));
struct St : L4::Kobject_t<St, L4::Kobject, 0x6c01>
{
  L4_INLINE_RPC(long, p2, (Pk2 x));
  typedef L4::Typeid::Rpcs<p2_t> Rpcs;
};
