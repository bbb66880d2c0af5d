// Packed, but only bytes (as L4Re's Color_component): packing changes nothing, the struct generates
struct Comp { unsigned char bits, shift; } __attribute__((packed));
#pragma pack(push, 4)
struct Four { l4_uint8_t a; l4_uint32_t b; };
#pragma pack(pop)
struct St : L4::Kobject_t<St, L4::Kobject, 0x6c01>
{
  L4_INLINE_RPC(long, p, (Comp c, Four f, Comp *out));
  typedef L4::Typeid::Rpcs<p_t> Rpcs;
};
