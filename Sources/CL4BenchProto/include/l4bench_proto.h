/*
 * The L4Re benchmark suite's peer protocol, in one place: what the boot
 * script (Sources/L4ReRunner/NedScript.swift) passes to the benchmark
 * programs and what they print back. The C and C++ programs include this
 * header (Bench/l4re/pkg/l4swift), the Swift programs import it as the module
 * CL4BenchProto (swift.mk passes its directory), the host imports the same
 * module (SwiftPM target CL4BenchProto). Facts, and the phase arithmetic
 * both languages share (host-tested through the same module).
 */
#ifndef L4BENCH_PROTO_H
#define L4BENCH_PROTO_H

/* The results format's record prefix (docs/results-format.md). */
#define L4B_RECORD_PREFIX "L4B1,"

enum
{
  /* Label of raw ipc.roundtrip messages: N words in, their sum back (one word when N > 0). */
  L4B_RAW_LABEL = 0x5311,
  /* Payload words of ipc.roundtrip and ipc.rpc (the most an RPC array carries: 61). */
  L4B_RT_WORDS_0 = 0, L4B_RT_WORDS_1 = 8, L4B_RT_WORDS_2 = 63,
  L4B_RPC_WORDS_0 = 0, L4B_RPC_WORDS_1 = 8, L4B_RPC_WORDS_2 = 61,
  L4B_WORD_SIZES = 3,
  /* ipc.str: characters of the L4::Ipc::String<> argument: empty, 64 and
   * the most that fit in the message registers (504 bytes) after the opcode
   * and the length word, with the terminator L4::Ipc::String<> sends (487). */
  L4B_STR_LEN_0 = 0, L4B_STR_LEN_1 = 64, L4B_STR_LEN_2 = 487,
  /* Values a client keeps per iteration at most (ds.share: 5; a phase block: 6). */
  L4B_MAX_VALUES = 6,
};

/*
 * A client's command line: argv[1] .. argv[L4B_CLIENT_ARGS]
 *   CPU PLACEMENT ROUND SERVER SAMPLES WARMUP BENCHES DS LIMIT
 * BENCHES: a comma list of the keys below; DS: SIZE:SAMPLES,... or "-";
 * LIMIT: seconds before the client's watchdog ends it with L4B_EXIT_TIME_LIMIT.
 */
enum l4b_client_arg
{
  L4B_ARG_CPU = 1, L4B_ARG_PLACEMENT, L4B_ARG_ROUND, L4B_ARG_SERVER, L4B_ARG_SAMPLES,
  L4B_ARG_WARMUP, L4B_ARG_BENCHES, L4B_ARG_DS, L4B_ARG_LIMIT,
  L4B_CLIENT_ARGS = L4B_ARG_LIMIT,
};
#define L4B_CLIENT_USAGE "CPU PLACEMENT ROUND SERVER SAMPLES WARMUP BENCHES DS LIMIT"

/* A server's command line: CPU [hang|crash]. */
#define L4B_SERVER_USAGE "CPU [hang|crash]"

/* The BENCHES keys. */
#define L4B_KEY_RT  "rt"
#define L4B_KEY_RPC "rpc"
#define L4B_KEY_CAP "cap"
#define L4B_KEY_DS  "ds"
#define L4B_KEY_STR "str"

/* Exit codes of a client: all went well, some benchmark failed, bad command line, time limit. */
enum
{
  L4B_EXIT_OK = 0, L4B_EXIT_FAILURES = 2, L4B_EXIT_USAGE = 64, L4B_EXIT_TIME_LIMIT = 124,
};

/*
 * Phase blocks: ned gives both peers a dataspace as the capability named
 * L4B_PHASE_LOG_CAP; the server writes the TSC at receive into word 0 and
 * before its reply into word 1. A client in a phase block prints, for every
 * benchmark B, the groups B.phase.<name> (L4B_PHASE_NAMES, in this order):
 * the durations between its timestamps (before the marshalling, at the call,
 * at the return, after the unmarshalling) and the server's, and the total.
 */
#define L4B_PHASE_LOG_CAP "phaselog"
#define L4B_PHASE_INFIX ".phase."
enum { L4B_PHASES = 6 };
#define L4B_PHASE_NAMES "marshal", "call", "server", "reply", "unmarshal", "total"

/* b - a, or 0 when the clock went backwards between two CPUs (not under icount). */
static inline unsigned long long l4b_since(unsigned long long a, unsigned long long b)
{
  return b >= a ? b - a : 0;
}

/*
 * The phases of one sample from its six timestamps, into o[0..5]: marshal
 * (t0 to the call), call (the call to the server's receive), server (receive
 * to reply), reply (the reply to the client's return), unmarshal (the return
 * to t1), total (t0 to t1).
 */
static inline void l4b_phase_durations(unsigned long long *o, unsigned long long t0,
                                       unsigned long long call, unsigned long long srv_recv,
                                       unsigned long long srv_reply, unsigned long long ret,
                                       unsigned long long t1)
{
  o[0] = l4b_since(t0, call);
  o[1] = l4b_since(call, srv_recv);
  o[2] = l4b_since(srv_recv, srv_reply);
  o[3] = l4b_since(srv_reply, ret);
  o[4] = l4b_since(ret, t1);
  o[5] = l4b_since(t0, t1);
}

#endif
