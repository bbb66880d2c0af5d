// The one seam between the Linux benchmark peers and the kernel: TSC reads,
// futexes, atomics on shared memory, CPU affinity, memfd and fd passing.
// Everything is static inline so that it inlines into Swift and C++ loops alike.
#ifndef BENCH_SYS_H
#define BENCH_SYS_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- shared-memory layout both languages use (one page) ----
#define BENCH_MAX_WORDS 64
// Fields each side writes live on cache lines of their own; the padding is
// explicit because Swift does not import over-aligned C structs.
struct bench_shm {
    uint32_t req_seq;                   // client -> server futex word (line 0)
    uint32_t pad_a[15];
    uint32_t rep_seq;                   // server -> client futex word (line 1)
    uint32_t pad_b[15];
    uint64_t req_words;                 // request (lines 2..10)
    uint64_t payload[BENCH_MAX_WORDS];
    uint64_t pad_c[7];
    uint64_t reply_sum;                 // reply (line 11)
    uint64_t reply_cycles[4];           // server-side phase timings
    uint32_t stop;
    uint32_t pad_d;
};

// Everything below is the Linux (x86-64) seam; elsewhere (macOS) only the
// layout above is declared and the Linux backend is not built.
#ifdef __linux__

// ---- TSC ----
static inline __attribute__((always_inline)) uint64_t bench_tsc_begin(void) {
    uint32_t lo, hi;
    __asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
static inline __attribute__((always_inline)) uint64_t bench_tsc_end(void) {
    uint32_t lo, hi, aux;
    __asm__ __volatile__("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) :: "memory");
    return ((uint64_t)hi << 32) | lo;
}
/// TSC frequency from CPUID leaf 0x15 (0 when the CPU does not say).
uint64_t bench_tsc_hz_cpuid(void);
/// Calibrates the TSC against CLOCK_MONOTONIC over `ms` milliseconds.
uint64_t bench_tsc_hz_calibrate(unsigned ms);
/// CPU model string from CPUID (buffer of at least 49 bytes).
void bench_cpu_model(char *out);

// ---- atomics on shared memory ----
static inline __attribute__((always_inline)) uint32_t bench_load_acquire(const uint32_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline __attribute__((always_inline)) void bench_store_release(uint32_t *p, uint32_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

// ---- futex ----
/// Waits while *addr == expected, at most timeout_ms (0: forever). Returns 0,
/// or -errno (-ETIMEDOUT, -EAGAIN when the value already changed, -EINTR).
int bench_futex_wait(uint32_t *addr, uint32_t expected, unsigned timeout_ms);
/// Wakes one waiter; returns the number woken or -errno.
int bench_futex_wake(uint32_t *addr);

// ---- processes and placement ----
/// Pins the calling thread to one CPU; returns 0 or -errno.
int bench_pin_cpu(int cpu);
int bench_online_cpus(void);
/// Kills the calling process when its parent dies (no orphans).
void bench_die_with_parent(void);

// ---- shared memory and fd passing ----
/// memfd of `size` bytes; returns the fd or -errno.
int bench_memfd(const char *name, size_t size);
void *bench_map_shared(int fd, size_t size);   // NULL on failure
int bench_unmap(void *p, size_t size);
/// Sends `fd` with SCM_RIGHTS plus `len` bytes of data over a socket.
int bench_send_fd(int sock, int fd, const void *data, size_t len);
/// Receives data and at most one fd (*fd = -1 if none). Returns bytes or -errno (0 at EOF).
long bench_recv_fd(int sock, int *fd, void *data, size_t len);
/// send/recv on a SOCK_SEQPACKET socket; return bytes or -errno.
long bench_send(int sock, const void *data, size_t len);
long bench_recv(int sock, void *data, size_t len);
/// Sets a receive time limit on a socket.
int bench_recv_timeout(int sock, unsigned timeout_ms);
/// Touches every page of [p, p+size) (reads one word per page); returns their sum.
uint64_t bench_touch_pages(const void *p, size_t size);
/// Is `fd` an open descriptor? 1 yes, 0 no.
int bench_fd_valid(int fd);
/// Reads 8 bytes at offset 0 of `fd` into *out; returns 0 or -errno.
int bench_pread_word(int fd, uint64_t *out);
/// Writes 8 bytes at offset 0 of `fd`; returns 0 or -errno.
int bench_pwrite_word(int fd, uint64_t value);
int bench_close(int fd);
/// A SOCK_SEQPACKET socket pair (close-on-exec); returns 0 or -errno.
int bench_socketpair(int fds[2]);
/// Last errno of the calling thread, for callers of functions returning NULL.
int bench_errno(void);

// ---- child processes (the runner) ----
/// Spawns `path` with `argv` (NULL-terminated); `fds[i]` becomes fd 3+i in the
/// child, `errfd` (if >= 0) its stdout and stderr, every other descriptor of
/// the runner is closed on exec. Returns the pid or -errno.
int bench_spawn(const char *path, char *const argv[], const int *fds, int nfds, int errfd);
/// Reads up to `len` bytes at `offset` of `fd`; returns bytes or -errno.
long bench_pread(int fd, void *buf, size_t len, uint64_t offset);
/// Version of the C compiler that built this seam (and the C++ peer).
const char *bench_cc_version(void);
/// Without blocking: 0 while `pid` runs; `pid` once it ended, with its wait
/// status in *status; -errno on error.
int bench_try_wait(int pid, int *status);
/// Blocks until `pid` ends; returns its wait status, or -errno.
int bench_wait(int pid);
/// SIGKILL to `pid`; returns 0 or -errno.
int bench_kill(int pid);
/// Decoded wait status: exit code (>= 0) or -signal.
int bench_status_code(int status);
/// From now on SIGINT and SIGTERM only set a flag (the runner then stops at
/// the next safe point and closes its results file).
void bench_catch_interrupt(void);
/// Has SIGINT or SIGTERM arrived since bench_catch_interrupt? 0 or the signal.
int bench_interrupted(void);
/// What the signal handler does: records `sig` as the interrupt.
void bench_request_interrupt(int sig);
/// Forgets an interrupt (for tests) and restores the default handlers.
void bench_reset_interrupt(void);
/// Sleeps `us` microseconds.
void bench_sleep_us(unsigned us);
/// Monotonic clock in nanoseconds.
uint64_t bench_now_ns(void);

#endif  // __linux__

#ifdef __cplusplus
}
#endif
#endif
