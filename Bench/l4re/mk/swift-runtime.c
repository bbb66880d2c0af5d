/*
 * The few symbols Embedded Swift needs that L4Re's libc does not provide.
 * Linked into every program that has Swift sources (see swift.mk).
 *
 * posix_memalign, free, memset and putchar come from L4Re's libc as they are.
 * arc4random_buf is missing there; Swift's Hasher uses it only for its
 * per-process seed, so a TSC-seeded generator is enough (not for secrets).
 */
#include <stddef.h>
#include <stdint.h>

void arc4random_buf(void *buf, size_t n);

static uint64_t l4swift_rng_state;

static uint64_t l4swift_next(void) {
    if (l4swift_rng_state == 0) {
        uint32_t lo, hi;
        __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
        l4swift_rng_state = (((uint64_t)hi << 32) | lo) | 1;
    }
    /* splitmix64 */
    uint64_t z = (l4swift_rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void arc4random_buf(void *buf, size_t n) {
    unsigned char *p = buf;
    while (n > 0) {
        uint64_t r = l4swift_next();
        for (int i = 0; i < 8 && n > 0; i++, n--) { *p++ = (unsigned char)r; r >>= 8; }
    }
}
