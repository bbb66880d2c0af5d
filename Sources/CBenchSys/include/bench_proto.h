// The protocol between the Linux runner (`l4bench run`) and the benchmark
// peers (Swift, C++ and the raw C reference). One layout, shared by all three
// languages through this header, so that every pair speaks the same protocol.
//
// Each block (one pair, one placement, one round; or, in a persistent session,
// one pair and placement for the whole run, fed batches) gets from the runner:
//   fd 3  a SOCK_SEQPACKET socket to the other peer (commands, seqpacket, fd passing)
//   fd 4  a memfd with `struct bench_ctl` (job table, progress, futex rendezvous)
//   fd 5  a memfd of uint64_t samples (client only), job j at jobs[j].offset
// and argv: `client|server CPU`.
#ifndef BENCH_PROTO_H
#define BENCH_PROTO_H

#include <stdint.h>
#include "bench_sys.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BENCH_MAGIC 0x4c344231u   /* "L4B1" */
#define BENCH_MAX_JOBS 64
#define BENCH_FD_SOCK 3
#define BENCH_FD_CTL 4
#define BENCH_FD_SAMPLES 5

/// What a job measures. Values per iteration in parentheses.
enum bench_kind {
    BENCH_FUTEX = 1,       ///< futex rendezvous round trip with `words` payload (1)
    BENCH_SEQPACKET = 2,   ///< SOCK_SEQPACKET round trip with `words` payload (1)
    BENCH_SCM = 3,         ///< one fd passed with SCM_RIGHTS, server reads it and closes it (1)
    BENCH_MEMFD = 4,       ///< memfd of `bytes` shared: alloc, map, touch, unmap, total (5)
    BENCH_RAW = 5,         ///< futex ping-pong of the raw C reference (1)
};
#define BENCH_MEMFD_VALUES 5

/// Commands and requests on the socket (`struct bench_msg.op`).
enum bench_op {
    BENCH_OP_FUTEX = 1,    ///< server: serve the futex rendezvous until `ipc.stop`
    BENCH_OP_ECHO = 2,     ///< reply with seq + sum of the payload words
    BENCH_OP_FD = 3,       ///< an fd is attached: read its first word, close it, reply with the word
    BENCH_OP_SHARE = 4,    ///< a memfd of `arg` bytes is attached: map, touch, unmap, reply sum and times
    BENCH_OP_QUIT = 5,     ///< server exits 0
    BENCH_OP_JOB = 6,      ///< the client starts job `arg` (no reply; socket jobs only)
};

/// Fault injection, for the runner's own tests (`bench_ctl.fault`).
enum bench_fault {
    BENCH_FAULT_NONE = 0,
    BENCH_FAULT_SERVER_CRASH = 1,  ///< server aborts at the start of job `fault_job`
    BENCH_FAULT_SERVER_HANG = 2,   ///< server stops answering at the start of job `fault_job`
    BENCH_FAULT_CLIENT_CRASH = 3,  ///< client aborts halfway through job `fault_job`
    BENCH_FAULT_SERVER_CORRUPT = 4,///< server answers job `fault_job` with a wrong checksum
};

struct bench_job {
    uint32_t kind;       ///< enum bench_kind
    uint32_t words;      ///< payload words (futex, seqpacket)
    uint64_t bytes;      ///< dataspace size (memfd)
    uint32_t samples;    ///< timed iterations
    uint32_t warmup;     ///< untimed iterations before them
    uint64_t offset;     ///< first sample slot in the samples memfd
};

/// Client and server errors a peer leaves for the runner (`bench_ctl.error`).
enum bench_error {
    BENCH_ERR_NONE = 0,
    BENCH_ERR_CHECKSUM = 1,  ///< the reply did not match the request
    BENCH_ERR_SYSCALL = 2,   ///< a system call failed (errno in `error_errno`)
    BENCH_ERR_PROTOCOL = 3,  ///< an unexpected message
};

struct bench_ctl {
    uint32_t magic;
    uint32_t njobs;
    uint32_t first_job;                  ///< where the client starts (after a failed job)
    uint32_t fault;                      ///< enum bench_fault
    uint32_t fault_job;
    uint32_t pad0;
    uint64_t slots;                      ///< size of the samples memfd in uint64_t
    struct bench_job jobs[BENCH_MAX_JOBS];
    uint32_t pad1[8];
    uint32_t current;                    ///< job the client is in (client writes), own cache line
    uint32_t error;                      ///< enum bench_error, first one wins
    int32_t error_errno;
    uint32_t error_job;
    uint32_t done[BENCH_MAX_JOBS];       ///< iterations stored per job (client writes after each)
    uint32_t pad2[12];
    struct bench_shm ipc;                ///< the futex rendezvous, cache-line aligned
    // Persistent sessions (`persistent` != 0): the client stays alive for the
    // run and runs one batch (jobs first_job..njobs-1, as the job table says at
    // that moment) each time the runner advances `batch_go`, then publishes the
    // batch's number in `batch_done`. When `batch_go` advances with `quit`
    // set, the client tells the server to quit and exits. One-shot blocks
    // (`persistent` == 0) run the jobs once and quit.
    uint32_t persistent;
    uint32_t quit;
    uint32_t pad3[14];
    uint32_t batch_go;                   ///< runner -> client futex word, own cache line
    uint32_t pad4[15];
    uint32_t batch_done;                 ///< client -> runner futex word, own cache line
    uint32_t pad5[15];
};

/// A request on the socket: a header and `words` payload words.
struct bench_msg {
    uint32_t op;
    uint32_t words;
    uint64_t arg;
    uint64_t payload[BENCH_MAX_WORDS];
};
#define BENCH_MSG_HEADER 16

/// A reply on the socket.
struct bench_reply {
    uint64_t value;      ///< checksum or word read
    uint64_t cycles[3];  ///< server phases (memfd: map, touch, unmap)
};

// ---- field access that inlines (Swift imports these as plain functions) ----
static inline __attribute__((always_inline)) uint32_t *bench_req_seq(struct bench_shm *s) { return &s->req_seq; }
static inline __attribute__((always_inline)) uint32_t *bench_rep_seq(struct bench_shm *s) { return &s->rep_seq; }
static inline __attribute__((always_inline)) uint64_t *bench_payload(struct bench_shm *s) { return s->payload; }
static inline __attribute__((always_inline)) struct bench_shm *bench_ipc(struct bench_ctl *c) { return &c->ipc; }
static inline __attribute__((always_inline)) struct bench_job *bench_jobs(struct bench_ctl *c) { return c->jobs; }
static inline __attribute__((always_inline)) uint32_t *bench_done(struct bench_ctl *c) { return c->done; }
static inline __attribute__((always_inline)) uint32_t *bench_current(struct bench_ctl *c) { return &c->current; }
static inline __attribute__((always_inline)) uint32_t *bench_batch_go(struct bench_ctl *c) { return &c->batch_go; }
static inline __attribute__((always_inline)) uint32_t *bench_batch_done(struct bench_ctl *c) { return &c->batch_done; }
static inline __attribute__((always_inline)) void bench_store_u32(uint32_t *p, uint32_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline __attribute__((always_inline)) uint32_t bench_load_u32(const uint32_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/// Records the first error of a run (later ones are consequences).
static inline void bench_set_error(struct bench_ctl *c, uint32_t err, int32_t eno) {
    uint32_t none = BENCH_ERR_NONE;
    if (__atomic_compare_exchange_n(&c->error, &none, err, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
        c->error_errno = eno;
        c->error_job = __atomic_load_n(&c->current, __ATOMIC_ACQUIRE);
    }
}

#ifdef __cplusplus
}
#endif
#endif
