// The Linux seam (futex, memfd, sched_setaffinity, prctl...): compiled on
// Linux only; elsewhere this target is empty and the Linux backend is not built.
#ifdef __linux__
#define _GNU_SOURCE
#include "bench_sys.h"
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <spawn.h>
#include <sys/wait.h>

uint64_t bench_tsc_hz_cpuid(void) {
    unsigned a, b, c, d;
    if (__get_cpuid_max(0, 0) < 0x15) return 0;
    __cpuid(0x15, a, b, c, d);
    if (a == 0 || b == 0 || c == 0) return 0;
    return (uint64_t)c * b / a;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t bench_tsc_hz_calibrate(unsigned ms) {
    uint64_t t0 = now_ns(), c0 = bench_tsc_begin();
    uint64_t t1;
    do { t1 = now_ns(); } while (t1 - t0 < (uint64_t)ms * 1000000ull);
    uint64_t c1 = bench_tsc_end();
    return (uint64_t)((double)(c1 - c0) * 1e9 / (double)(t1 - t0));
}

void bench_cpu_model(char *out) {
    unsigned regs[12];
    if (__get_cpuid_max(0x80000000, 0) < 0x80000004) { strcpy(out, "unknown"); return; }
    for (unsigned i = 0; i < 3; i++)
        __cpuid(0x80000002 + i, regs[i * 4], regs[i * 4 + 1], regs[i * 4 + 2], regs[i * 4 + 3]);
    memcpy(out, regs, 48);
    out[48] = 0;
    char *s = out;
    while (*s == ' ') s++;
    memmove(out, s, strlen(s) + 1);
}

int bench_futex_wait(uint32_t *addr, uint32_t expected, unsigned timeout_ms) {
    struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };
    long r = syscall(SYS_futex, addr, FUTEX_WAIT, expected, timeout_ms ? &ts : NULL, NULL, 0);
    return r == 0 ? 0 : -errno;
}

int bench_futex_wake(uint32_t *addr) {
    long r = syscall(SYS_futex, addr, FUTEX_WAKE, 1, NULL, NULL, 0);
    return r >= 0 ? (int)r : -errno;
}

int bench_pin_cpu(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : -errno;
}

int bench_online_cpus(void) { return (int)sysconf(_SC_NPROCESSORS_ONLN); }

void bench_die_with_parent(void) { prctl(PR_SET_PDEATHSIG, SIGKILL); }

int bench_memfd(const char *name, size_t size) {
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0) return -errno;
    if (ftruncate(fd, (off_t)size) != 0) { int e = errno; close(fd); return -e; }
    return fd;
}

void *bench_map_shared(int fd, size_t size) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

int bench_unmap(void *p, size_t size) { return munmap(p, size) == 0 ? 0 : -errno; }

int bench_send_fd(int sock, int fd, const void *data, size_t len) {
    struct iovec iov = { (void *)data, len };
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = { 0 };
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = u.buf;
    msg.msg_controllen = sizeof u.buf;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    ssize_t r = sendmsg(sock, &msg, MSG_NOSIGNAL);
    return r >= 0 ? (int)r : -errno;
}

long bench_recv_fd(int sock, int *fd, void *data, size_t len) {
    struct iovec iov = { data, len };
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
    struct msghdr msg = { 0 };
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = u.buf;
    msg.msg_controllen = sizeof u.buf;
    *fd = -1;
    ssize_t r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    if (r < 0) return -errno;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) memcpy(fd, CMSG_DATA(c), sizeof(int));
    return r;
}

long bench_send(int sock, const void *data, size_t len) {
    ssize_t r = send(sock, data, len, MSG_NOSIGNAL);
    return r >= 0 ? r : -errno;
}

long bench_recv(int sock, void *data, size_t len) {
    ssize_t r = recv(sock, data, len, 0);
    return r >= 0 ? r : -errno;
}

int bench_recv_timeout(int sock, unsigned timeout_ms) {
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    return setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0 ? 0 : -errno;
}

uint64_t bench_touch_pages(const void *p, size_t size) {
    const volatile uint64_t *w = (const volatile uint64_t *)p;
    uint64_t sum = 0;
    size_t step = 4096 / sizeof(uint64_t);
    for (size_t i = 0; i < size / sizeof(uint64_t); i += step) sum += w[i];
    return sum;
}

int bench_fd_valid(int fd) {
    struct stat st;
    return fstat(fd, &st) == 0;
}

int bench_pread_word(int fd, uint64_t *out) {
    ssize_t r = pread(fd, out, sizeof *out, 0);
    if (r == (ssize_t)sizeof *out) return 0;
    return r < 0 ? -errno : -EIO;
}

int bench_pwrite_word(int fd, uint64_t value) {
    ssize_t r = pwrite(fd, &value, sizeof value, 0);
    if (r == (ssize_t)sizeof value) return 0;
    return r < 0 ? -errno : -EIO;
}

int bench_close(int fd) { return close(fd) == 0 ? 0 : -errno; }

int bench_socketpair(int fds[2]) {
    return socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) == 0 ? 0 : -errno;
}

int bench_errno(void) { return errno; }

extern char **environ;

int bench_spawn(const char *path, char *const argv[], const int *fds, int nfds, int errfd) {
    // Park the sources above the targets first, so that a source that happens
    // to be 3, 4 or 5 is not overwritten by an earlier dup2.
    int parked[16];
    if (nfds > 16) return -EINVAL;
    for (int i = 0; i < nfds; i++) {
        parked[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3 + nfds);
        if (parked[i] < 0) { int e = errno; while (i-- > 0) close(parked[i]); return -e; }
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    for (int i = 0; i < nfds; i++) posix_spawn_file_actions_adddup2(&fa, parked[i], 3 + i);
    if (errfd >= 0) {
        posix_spawn_file_actions_adddup2(&fa, errfd, 1);
        posix_spawn_file_actions_adddup2(&fa, errfd, 2);
    }
    pid_t pid;
    int r = posix_spawn(&pid, path, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    for (int i = 0; i < nfds; i++) close(parked[i]);
    return r == 0 ? (int)pid : -r;
}

int bench_try_wait(int pid, int *status) {
    pid_t r = waitpid(pid, status, WNOHANG);
    return r >= 0 ? (int)r : -errno;
}

int bench_wait(int pid) {
    int status;
    pid_t r;
    do { r = waitpid(pid, &status, 0); } while (r < 0 && errno == EINTR);
    return r >= 0 ? status : -errno;
}

int bench_kill(int pid) { return kill(pid, SIGKILL) == 0 ? 0 : -errno; }

int bench_status_code(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    return 0;
}

static volatile sig_atomic_t bench_interrupt_signal;

static void bench_on_interrupt(int sig) { bench_interrupt_signal = sig; }

void bench_request_interrupt(int sig) { bench_interrupt_signal = sig; }

void bench_catch_interrupt(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = bench_on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int bench_interrupted(void) { return bench_interrupt_signal; }

void bench_reset_interrupt(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    bench_interrupt_signal = 0;
}

void bench_sleep_us(unsigned us) {
    struct timespec ts = { us / 1000000, (long)(us % 1000000) * 1000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

uint64_t bench_now_ns(void) { return now_ns(); }

// The layout both languages rely on: written-by-one-side fields on their own lines.
#include "bench_proto.h"
#include <stddef.h>
_Static_assert(offsetof(struct bench_shm, rep_seq) == 64, "rep_seq on line 1");
_Static_assert(offsetof(struct bench_shm, req_words) == 128, "request on line 2");
_Static_assert(offsetof(struct bench_shm, reply_sum) % 64 == 0, "reply on its own line");
_Static_assert(offsetof(struct bench_ctl, current) % 64 == 0, "progress on its own line");
_Static_assert(offsetof(struct bench_ctl, ipc) % 64 == 0, "ipc cache-line aligned");

long bench_pread(int fd, void *buf, size_t len, uint64_t offset) {
    ssize_t r = pread(fd, buf, len, (off_t)offset);
    return r >= 0 ? r : -errno;
}

const char *bench_cc_version(void) { return __VERSION__; }

#endif  // __linux__
