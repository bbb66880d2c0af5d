// The C++ benchmark peer: client or server of one block (see bench_proto.h).
// The Swift peer (Sources/bench-peer-swift) implements the same protocol step
// for step; the two are kept alike so that a difference in time is a
// difference of language, not of algorithm.
#include "bench_proto.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

struct Peer {
    bench_ctl *ctl;
    bench_shm *ipc;
    int sock;

    [[noreturn]] void fail(bench_error err, int eno, const char *what) {
        bench_set_error(ctl, err, eno);
        std::fprintf(stderr, "bench-peer-cpp: %s: %s\n", what, eno ? std::strerror(eno) : "failed");
        std::exit(3);
    }

    void check(long r, const char *what) {
        if (r < 0) fail(BENCH_ERR_SYSCALL, int(-r), what);
    }

    /// Waits until *word == want (futex on the previous value).
    void await(uint32_t *word, uint32_t want) {
        for (;;) {
            uint32_t v = bench_load_u32(word);
            if (v == want) return;
            int r = bench_futex_wait(word, v, 0);
            if (r < 0 && r != -EAGAIN && r != -EINTR) fail(BENCH_ERR_SYSCALL, -r, "futex wait");
        }
    }

    // ---------------------------------------------------------------- server
    void serveFutex(uint32_t job) {
        if (ctl->fault == BENCH_FAULT_SERVER_HANG && ctl->fault_job == job) for (;;) bench_sleep_us(1000000);
        uint32_t seq = bench_load_u32(bench_rep_seq(ipc));
        uint64_t *payload = bench_payload(ipc);
        const uint64_t corrupt = ctl->fault == BENCH_FAULT_SERVER_CORRUPT && ctl->fault_job == job;
        for (;;) {
            ++seq;
            await(bench_req_seq(ipc), seq);
            uint64_t n = ipc->req_words;
            uint64_t sum = seq;
            for (uint64_t i = 0; i < n; i++) sum += payload[i];
            ipc->reply_sum = sum + corrupt;
            bool stop = ipc->stop != 0;
            bench_store_release(bench_rep_seq(ipc), seq);
            bench_futex_wake(bench_rep_seq(ipc));
            if (stop) return;
        }
    }

    void serve() {
        bench_msg msg;
        bench_reply reply;
        uint64_t corrupt = 0;  // fault injection: set by the command that opens the faulty job
        for (;;) {
            int fd = -1;
            long n = bench_recv_fd(sock, &fd, &msg, sizeof msg);
            if (n == 0) std::exit(0);  // client gone: nothing more to serve
            check(n, "recv");
            if (n < BENCH_MSG_HEADER) fail(BENCH_ERR_PROTOCOL, 0, "short message");
            std::memset(&reply, 0, sizeof reply);
            switch (msg.op) {
            case BENCH_OP_FUTEX: {
                uint32_t job = uint32_t(msg.arg);
                if (ctl->fault == BENCH_FAULT_SERVER_CRASH && ctl->fault_job == job) std::abort();
                serveFutex(job);
                continue;
            }
            case BENCH_OP_ECHO: {
                uint64_t sum = msg.arg;
                for (uint32_t i = 0; i < msg.words; i++) sum += msg.payload[i];
                reply.value = sum + corrupt;
                break;
            }
            case BENCH_OP_FD: {
                if (fd < 0) fail(BENCH_ERR_PROTOCOL, 0, "no fd attached");
                check(bench_pread_word(fd, &reply.value), "read passed fd");
                reply.value += corrupt;
                bench_close(fd);
                break;
            }
            case BENCH_OP_SHARE: {
                if (fd < 0) fail(BENCH_ERR_PROTOCOL, 0, "no memfd attached");
                size_t size = size_t(msg.arg);
                uint64_t t0 = bench_tsc_begin();
                void *p = bench_map_shared(fd, size);
                uint64_t t1 = bench_tsc_end();
                if (!p) fail(BENCH_ERR_SYSCALL, bench_errno(), "mmap");
                reply.value = bench_touch_pages(p, size) + corrupt;
                uint64_t t2 = bench_tsc_end();
                check(bench_unmap(p, size), "munmap");
                uint64_t t3 = bench_tsc_end();
                bench_close(fd);
                reply.cycles[0] = t1 - t0;
                reply.cycles[1] = t2 - t1;
                reply.cycles[2] = t3 - t2;
                break;
            }
            case BENCH_OP_QUIT:
                std::exit(0);
            case BENCH_OP_JOB:
                if (ctl->fault == BENCH_FAULT_SERVER_CRASH && ctl->fault_job == uint32_t(msg.arg)) std::abort();
                if (ctl->fault == BENCH_FAULT_SERVER_HANG && ctl->fault_job == uint32_t(msg.arg)) for (;;) bench_sleep_us(1000000);
                corrupt = ctl->fault == BENCH_FAULT_SERVER_CORRUPT && ctl->fault_job == uint32_t(msg.arg);
                continue;
            default:
                fail(BENCH_ERR_PROTOCOL, 0, "unknown op");
            }
            if (fd >= 0 && msg.op != BENCH_OP_FD && msg.op != BENCH_OP_SHARE) bench_close(fd);
            check(bench_send(sock, &reply, sizeof reply), "send reply");
        }
    }

    // ---------------------------------------------------------------- client
    void command(uint32_t op, uint64_t arg) {
        bench_msg msg;
        msg.op = op;
        msg.words = 0;
        msg.arg = arg;
        check(bench_send(sock, &msg, BENCH_MSG_HEADER), "send command");
    }

    void receiveReply(bench_reply &reply) {
        long n = bench_recv(sock, &reply, sizeof reply);
        if (n == 0) fail(BENCH_ERR_PROTOCOL, 0, "server closed the socket");
        check(n, "recv reply");
        if (size_t(n) != sizeof reply) fail(BENCH_ERR_PROTOCOL, 0, "short reply");
    }

    void futexJob(uint32_t j, const bench_job &job, uint64_t *out) {
        uint32_t seq = bench_load_u32(bench_rep_seq(ipc));
        command(BENCH_OP_FUTEX, j);
        uint64_t *payload = bench_payload(ipc);
        const uint32_t words = job.words;
        const uint32_t total = job.warmup + job.samples;
        uint32_t *done = bench_done(ctl) + j;
        for (uint32_t it = 0; it < total; it++) {
            ++seq;
            uint64_t t0 = bench_tsc_begin();
            for (uint32_t w = 0; w < words; w++) payload[w] = it + w;
            ipc->req_words = words;
            bench_store_release(bench_req_seq(ipc), seq);
            bench_futex_wake(bench_req_seq(ipc));
            await(bench_rep_seq(ipc), seq);
            uint64_t sum = ipc->reply_sum;
            uint64_t t1 = bench_tsc_end();
            uint64_t expect = seq + uint64_t(words) * it + uint64_t(words) * (words - 1) / 2;
            if (sum != expect) fail(BENCH_ERR_CHECKSUM, 0, "futex reply checksum");
            if (it >= job.warmup) {
                out[it - job.warmup] = t1 - t0;
                bench_store_u32(done, it - job.warmup + 1);
            }
            if (ctl->fault == BENCH_FAULT_CLIENT_CRASH && ctl->fault_job == j && it == total / 2) std::abort();
        }
        // Stop the server's futex loop: one more exchange with `stop` set.
        ipc->stop = 1;
        ++seq;
        ipc->req_words = 0;
        bench_store_release(bench_req_seq(ipc), seq);
        bench_futex_wake(bench_req_seq(ipc));
        await(bench_rep_seq(ipc), seq);
        ipc->stop = 0;
    }

    void seqpacketJob(uint32_t j, const bench_job &job, uint64_t *out) {
        bench_msg msg;
        bench_reply reply;
        const uint32_t words = job.words;
        const uint32_t total = job.warmup + job.samples;
        const size_t len = BENCH_MSG_HEADER + size_t(words) * sizeof(uint64_t);
        uint32_t *done = bench_done(ctl) + j;
        msg.op = BENCH_OP_ECHO;
        msg.words = words;
        for (uint32_t it = 0; it < total; it++) {
            uint64_t t0 = bench_tsc_begin();
            msg.arg = it;
            for (uint32_t w = 0; w < words; w++) msg.payload[w] = it + w;
            check(bench_send(sock, &msg, len), "send");
            receiveReply(reply);
            uint64_t t1 = bench_tsc_end();
            uint64_t expect = it + uint64_t(words) * it + uint64_t(words) * (words - 1) / 2;
            if (reply.value != expect) fail(BENCH_ERR_CHECKSUM, 0, "seqpacket reply checksum");
            if (it >= job.warmup) {
                out[it - job.warmup] = t1 - t0;
                bench_store_u32(done, it - job.warmup + 1);
            }
        }
    }

    void scmJob(uint32_t j, const bench_job &job, uint64_t *out) {
        // The descriptor passed each time: a memfd holding a known word.
        int fd = bench_memfd("bench-scm", 4096);
        check(fd, "memfd");
        const uint64_t magic = 0x5343'4d5f'4f4b'0000ull + j;
        check(bench_pwrite_word(fd, magic), "write memfd");
        bench_msg msg;
        msg.op = BENCH_OP_FD;
        msg.words = 0;
        bench_reply reply;
        const uint32_t total = job.warmup + job.samples;
        uint32_t *done = bench_done(ctl) + j;
        for (uint32_t it = 0; it < total; it++) {
            msg.arg = it;
            uint64_t t0 = bench_tsc_begin();
            check(bench_send_fd(sock, fd, &msg, BENCH_MSG_HEADER), "sendmsg SCM_RIGHTS");
            receiveReply(reply);
            uint64_t t1 = bench_tsc_end();
            if (reply.value != magic) fail(BENCH_ERR_CHECKSUM, 0, "passed fd read back wrong");
            if (it >= job.warmup) {
                out[it - job.warmup] = t1 - t0;
                bench_store_u32(done, it - job.warmup + 1);
            }
        }
        bench_close(fd);
    }

    void memfdJob(uint32_t j, const bench_job &job, uint64_t *out) {
        bench_msg msg;
        msg.op = BENCH_OP_SHARE;
        msg.words = 0;
        msg.arg = job.bytes;
        bench_reply reply;
        const size_t size = size_t(job.bytes);
        const size_t pages = size / 4096;
        const uint32_t total = job.warmup + job.samples;
        uint32_t *done = bench_done(ctl) + j;
        for (uint32_t it = 0; it < total; it++) {
            uint64_t t0 = bench_tsc_begin();
            int fd = bench_memfd("bench-ds", size);
            uint64_t t1 = bench_tsc_end();
            check(fd, "memfd");
            // Fill (untimed): one distinct word per page, for the server to sum.
            uint64_t *p = static_cast<uint64_t *>(bench_map_shared(fd, size));
            if (!p) fail(BENCH_ERR_SYSCALL, bench_errno(), "mmap (client)");
            uint64_t expect = 0;
            for (size_t pg = 0; pg < pages; pg++) {
                uint64_t v = (uint64_t(it) << 32) + pg + 1;
                p[pg * (4096 / sizeof(uint64_t))] = v;
                expect += v;
            }
            check(bench_unmap(p, size), "munmap (client)");
            uint64_t t2 = bench_tsc_begin();
            check(bench_send_fd(sock, fd, &msg, BENCH_MSG_HEADER), "sendmsg memfd");
            receiveReply(reply);
            uint64_t t3 = bench_tsc_end();
            bench_close(fd);
            if (reply.value != expect) fail(BENCH_ERR_CHECKSUM, 0, "memfd pages read back wrong");
            if (it >= job.warmup) {
                uint64_t *o = out + size_t(it - job.warmup) * BENCH_MEMFD_VALUES;
                o[0] = t1 - t0;
                o[1] = reply.cycles[0];
                o[2] = reply.cycles[1];
                o[3] = reply.cycles[2];
                o[4] = t3 - t2;
                bench_store_u32(done, it - job.warmup + 1);
            }
        }
    }

    /// One-shot: the jobs once, then QUIT. Persistent: a batch each time the
    /// runner advances batch_go, until it sets quit (see bench_proto.h).
    void runClient(uint64_t *samples) {
        const bool persistent = ctl->persistent != 0;
        for (uint32_t batch = 1;; batch++) {
            if (persistent) {
                await(bench_batch_go(ctl), batch);
                if (bench_load_u32(&ctl->quit)) break;
            }
            runJobs(samples);
            if (!persistent) break;
            bench_store_u32(bench_batch_done(ctl), batch);
            bench_futex_wake(bench_batch_done(ctl));
        }
        command(BENCH_OP_QUIT, 0);
    }

    void runJobs(uint64_t *samples) {
        for (uint32_t j = ctl->first_job; j < ctl->njobs; j++) {
            bench_store_u32(bench_current(ctl), j);
            const bench_job &job = bench_jobs(ctl)[j];
            uint64_t *out = samples + job.offset;
            if (job.kind != BENCH_FUTEX) command(BENCH_OP_JOB, j);
            switch (job.kind) {
            case BENCH_FUTEX: futexJob(j, job, out); break;
            case BENCH_SEQPACKET: seqpacketJob(j, job, out); break;
            case BENCH_SCM: scmJob(j, job, out); break;
            case BENCH_MEMFD: memfdJob(j, job, out); break;
            default: fail(BENCH_ERR_PROTOCOL, 0, "job kind not served by this peer");
            }
        }
    }
};

}  // namespace

int main(int argc, char **argv) {
    if (argc != 3 || (std::strcmp(argv[1], "client") != 0 && std::strcmp(argv[1], "server") != 0)) {
        std::fprintf(stderr, "usage: bench-peer-cpp client|server CPU  (started by `l4bench run`)\n");
        return 64;
    }
    bench_die_with_parent();
    const bool client = argv[1][0] == 'c';
    int cpu = std::atoi(argv[2]);
    if (cpu >= 0 && bench_pin_cpu(cpu) != 0) {
        std::fprintf(stderr, "bench-peer-cpp: cannot pin to CPU %d\n", cpu);
        return 3;
    }
    auto *ctl = static_cast<bench_ctl *>(bench_map_shared(BENCH_FD_CTL, sizeof(bench_ctl)));
    if (!ctl || ctl->magic != BENCH_MAGIC) {
        std::fprintf(stderr, "bench-peer-cpp: no control page on fd %d\n", BENCH_FD_CTL);
        return 3;
    }
    Peer peer{ctl, bench_ipc(ctl), BENCH_FD_SOCK};
    if (!client) {
        peer.serve();
        return 0;
    }
    auto *samples = static_cast<uint64_t *>(bench_map_shared(BENCH_FD_SAMPLES, size_t(ctl->slots) * sizeof(uint64_t)));
    if (!samples) peer.fail(BENCH_ERR_SYSCALL, bench_errno(), "map samples");
    peer.runClient(samples);
    return 0;
}
