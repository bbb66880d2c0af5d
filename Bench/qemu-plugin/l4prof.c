/*
 * l4prof: a QEMU TCG plugin that counts executed guest instructions per
 * translated block, split at the benchmark programs' TSC reads, for
 * `l4bench explain` (docs/explain.md).
 *
 * Written against the plugin API of the QEMU in use (API version 1, QEMU 7.2):
 * compile with Bench/qemu-plugin/Makefile, which takes the directory of that
 * QEMU's qemu-plugin.h (QEMU_PLUGIN_INCLUDE); the header is not part of this
 * project.
 *
 *   qemu-system-x86_64 ... -plugin l4prof.so,out=trace.txt[,limit=MiB]
 *
 * Markers: a user-mode `rdtsc` (0f 31) opens, a user-mode `rdtscp` (0f 01 f9)
 * closes a window (the benchmark programs read the TSC as `lfence; rdtsc`
 * before and `rdtscp; lfence` after a timed region). The kernel's TSC reads
 * (addresses in the upper half) are not markers. The plugin does not decide
 * which markers belong together: it writes every executed marker as an event
 * and, before each event, the instructions every block executed since the
 * previous one. `l4bench explain` pairs the events of one program.
 *
 * Output (text, one record a line; numbers decimal unless 0x):
 *   L4PT1 <api version> <vcpus>                  header
 *   T <id> 0x<vaddr> <insns> <bytes> 0x<fnv1a64> 0x<haddr>
 *                                                a block, when first translated; haddr is where
 *                                                QEMU holds its first instruction's guest page
 *                                                (one per physical page: it tells apart programs
 *                                                with the same code at the same address)
 *   C <id> <vcpu> <insns>                        instructions executed since the last event
 *   E <b|e> <vcpu> <id>                          a marker executed (block id holding it)
 *   X <events> <blocks> <dropped>                end (written at QEMU's exit)
 * A block's instructions are credited when it starts; a marker moves the
 * instructions after it in its block to the next segment, so a segment holds
 * the marker that ends it and not those after. Under -icount QEMU runs the
 * vCPUs in turn on one thread, so the order of events is the guest's order.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

enum { MAX_VCPUS = 16 };

/* One translated block, shared by every translation of the same code. */
struct block {
    uint64_t vaddr, hash, haddr;
    uint32_t id, insns, bytes;
    int32_t marker_index;  /* index of the marker instruction, -1 for none */
    char marker;           /* 'b', 'e' or 0 */
    bool listed[MAX_VCPUS];
    uint64_t count[MAX_VCPUS];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *out;
static uint64_t limit_bytes, written, dropped, events;
static unsigned vcpus;

/* Blocks by (vaddr, hash, haddr, insns): open addressing, grown at 1/2 load. */
static struct block **table;
static size_t table_size, table_used;
static uint32_t next_id;

/* Blocks with a count in the current segment. */
static struct { struct block *b; unsigned vcpu; } *touched;
static size_t touched_used, touched_cap;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
    if (!out) return;
    if (limit_bytes && written >= limit_bytes) { ++dropped; return; }
    va_list ap;
    va_start(ap, fmt);
    int n = vfprintf(out, fmt, ap);
    va_end(ap);
    if (n > 0) written += (uint64_t)n;
}

static uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; ++i) { h ^= p[i]; h *= 0x100000001b3ull; }
    return h;
}

static size_t slot_of(uint64_t vaddr, uint64_t hash, uint64_t haddr, uint32_t insns, size_t size)
{
    uint64_t k = vaddr * 0x9e3779b97f4a7c15ull ^ hash ^ insns ^ haddr * 0xff51afd7ed558ccdull;
    return (size_t)(k ^ (k >> 29)) & (size - 1);
}

static void grow(void)
{
    size_t size = table_size ? table_size * 2 : 1 << 14;
    struct block **t = calloc(size, sizeof *t);
    if (!t) { fprintf(stderr, "l4prof: out of memory\n"); abort(); }
    for (size_t i = 0; i < table_size; ++i) {
        struct block *b = table[i];
        if (!b) continue;
        size_t s = slot_of(b->vaddr, b->hash, b->haddr, b->insns, size);
        while (t[s]) s = (s + 1) & (size - 1);
        t[s] = b;
    }
    free(table);
    table = t;
    table_size = size;
}

static void flush_segment(void)
{
    for (size_t i = 0; i < touched_used; ++i) {
        struct block *b = touched[i].b;
        unsigned v = touched[i].vcpu;
        if (b->count[v]) emit("C %" PRIu32 " %u %" PRIu64 "\n", b->id, v, b->count[v]);
        b->count[v] = 0;
        b->listed[v] = false;
    }
    touched_used = 0;
}

static void add(struct block *b, unsigned v, uint64_t n)
{
    if (!b->listed[v]) {
        if (touched_used == touched_cap) {
            size_t cap = touched_cap ? touched_cap * 2 : 4096;
            void *t = realloc(touched, cap * sizeof *touched);
            if (!t) { fprintf(stderr, "l4prof: out of memory\n"); abort(); }
            touched = t;
            touched_cap = cap;
        }
        touched[touched_used].b = b;
        touched[touched_used].vcpu = v;
        ++touched_used;
        b->listed[v] = true;
    }
    b->count[v] += n;
}

static void on_block(unsigned int vcpu, void *udata)
{
    struct block *b = udata;
    unsigned v = vcpu < MAX_VCPUS ? vcpu : MAX_VCPUS - 1;
    pthread_mutex_lock(&lock);
    add(b, v, b->insns);
    pthread_mutex_unlock(&lock);
}

static void on_marker(unsigned int vcpu, void *udata)
{
    struct block *b = udata;
    unsigned v = vcpu < MAX_VCPUS ? vcpu : MAX_VCPUS - 1;
    uint32_t after = b->insns - 1 - (uint32_t)b->marker_index;
    pthread_mutex_lock(&lock);
    if (b->count[v] >= after) b->count[v] -= after;
    flush_segment();
    emit("E %c %u %" PRIu32 "\n", b->marker, v, b->id);
    ++events;
    if (after) add(b, v, after);
    pthread_mutex_unlock(&lock);
}

/* rdtsc is 0f 31, rdtscp 0f 01 f9, after any prefixes. */
static char marker_kind(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == 0x66 || p[i] == 0xf2 || p[i] == 0xf3 || (p[i] & 0xf0) == 0x40)) ++i;
    if (n - i == 2 && p[i] == 0x0f && p[i + 1] == 0x31) return 'b';
    if (n - i == 3 && p[i] == 0x0f && p[i + 1] == 0x01 && p[i + 2] == 0xf9) return 'e';
    return 0;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
    uint64_t hash = 0xcbf29ce484222325ull;
    uint32_t bytes = 0;
    int32_t marker_index = -1;
    char marker = 0;
    bool user = vaddr < 0x0000800000000000ull;
    struct qemu_plugin_insn *marker_insn = NULL;
    uint64_t haddr = n ? (uint64_t)(uintptr_t)qemu_plugin_insn_haddr(qemu_plugin_tb_get_insn(tb, 0)) : 0;
    for (size_t i = 0; i < n; ++i) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        const uint8_t *data = qemu_plugin_insn_data(insn);
        size_t size = qemu_plugin_insn_size(insn);
        hash = fnv1a(hash, data, size);
        bytes += (uint32_t)size;
        char k = user ? marker_kind(data, size) : 0;
        if (k && marker_index < 0) { marker = k; marker_index = (int32_t)i; marker_insn = insn; }
    }

    pthread_mutex_lock(&lock);
    if (table_used * 2 >= table_size) grow();
    size_t s = slot_of(vaddr, hash, haddr, (uint32_t)n, table_size);
    struct block *b;
    while ((b = table[s]) && !(b->vaddr == vaddr && b->hash == hash && b->haddr == haddr && b->insns == n))
        s = (s + 1) & (table_size - 1);
    if (!b) {
        b = calloc(1, sizeof *b);
        if (!b) { fprintf(stderr, "l4prof: out of memory\n"); abort(); }
        b->vaddr = vaddr; b->hash = hash; b->haddr = haddr; b->insns = (uint32_t)n; b->bytes = bytes;
        b->id = next_id++; b->marker = marker; b->marker_index = marker_index;
        table[s] = b;
        ++table_used;
        emit("T %" PRIu32 " 0x%" PRIx64 " %" PRIu32 " %" PRIu32 " 0x%016" PRIx64 " 0x%" PRIx64 "\n",
             b->id, vaddr, b->insns, bytes, hash, haddr);
    }
    pthread_mutex_unlock(&lock);

    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_block, QEMU_PLUGIN_CB_NO_REGS, b);
    if (marker_insn)
        qemu_plugin_register_vcpu_insn_exec_cb(marker_insn, on_marker, QEMU_PLUGIN_CB_NO_REGS, b);
}

static void on_qemu_exit(qemu_plugin_id_t id, void *p)
{
    (void)id; (void)p;
    pthread_mutex_lock(&lock);
    flush_segment();
    if (out) {
        if (dropped) fprintf(stderr, "l4prof: output limit reached, %" PRIu64 " records dropped\n", dropped);
        fprintf(out, "X %" PRIu64 " %" PRIu32 " %" PRIu64 "\n", events, next_id, dropped);
        fclose(out);
        out = NULL;
    }
    pthread_mutex_unlock(&lock);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 0; i < argc; ++i) {
        if (strncmp(argv[i], "out=", 4) == 0) path = argv[i] + 4;
        else if (strncmp(argv[i], "limit=", 6) == 0) limit_bytes = strtoull(argv[i] + 6, NULL, 10) << 20;
        else { fprintf(stderr, "l4prof: unknown argument '%s' (out=FILE, limit=MiB)\n", argv[i]); return -1; }
    }
    if (!path) { fprintf(stderr, "l4prof: no out=FILE argument\n"); return -1; }
    if (strcmp(info->target_name, "x86_64") != 0) {
        fprintf(stderr, "l4prof: target %s: only x86_64 markers are known\n", info->target_name);
        return -1;
    }
    out = fopen(path, "wx");  /* never replaces an existing file, device or FIFO */
    if (!out) { perror(path); return -1; }
    setvbuf(out, NULL, _IOFBF, 1 << 20);
    /* User-mode emulation (qemu-x86_64) serves the plugin's own check: one vCPU index per thread. */
    vcpus = info->system_emulation ? (unsigned)info->system.smp_vcpus : 1;
    if (vcpus > MAX_VCPUS) fprintf(stderr, "l4prof: %u vCPUs: counts of vCPUs >= %d are merged\n", vcpus, MAX_VCPUS);
    emit("L4PT1 %d %u\n", QEMU_PLUGIN_VERSION, vcpus);
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
    return 0;
}
