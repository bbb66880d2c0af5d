/* CL4BenchProto is a header (include/l4bench_proto.h); SwiftPM wants a source. */
#include "l4bench_proto.h"
