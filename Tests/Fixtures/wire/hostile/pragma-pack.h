#pragma pack(push, 1)
struct Pk { l4_uint8_t a; l4_uint64_t b; };
#pragma pack(pop)
struct St : L4::Kobject_t<St, L4::Kobject, 0x6c01>
{
  L4_INLINE_RPC(long, p, (Pk x));
  typedef L4::Typeid::Rpcs<p_t> Rpcs;
};
