// micro_bench: Google Benchmark's main over every bench/*.cpp.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
