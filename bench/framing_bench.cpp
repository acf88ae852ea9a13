// Framing: CRC32 alone, the splitter + Framer over a MariaDB-like event mix, and
// the whole `twinlog stats` pipeline (framing, CRC32, decoding, every value) over
// the same bytes in memory.
#include <benchmark/benchmark.h>

#include "bench/bench_data.h"
#include "protocol/crc32.h"
#include "protocol/framer.h"
#include "src/print/binlog_stats.h"
#include "src/source/memory_source.h"
#include "src/stream/event_stream.h"

namespace twinlog::bench {
namespace {

constexpr std::size_t kBinlogBytes = 16u << 20;

const ByteVec& binlog() {
  static const ByteVec bytes = sample_binlog(kBinlogBytes);
  return bytes;
}

void BM_Crc32(benchmark::State& state) {
  const ByteVec data(static_cast<std::size_t>(state.range(0)), std::byte{0x5a});
  for (auto _ : state) benchmark::DoNotOptimize(protocol::crc32_of({data.data(), data.size()}));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
// 64 MiB: out of the CPU caches, as a binlog read from the page cache is.
BENCHMARK(BM_Crc32)->Arg(32)->Arg(256)->Arg(8192)->Arg(65536)->Arg(64 << 20);

// zlib's crc32 alone, for comparison with crc32_of (which folds with PCLMULQDQ
// where the CPU has it).
void BM_Crc32Zlib(benchmark::State& state) {
  const ByteVec data(static_cast<std::size_t>(state.range(0)), std::byte{0x5a});
  for (auto _ : state)
    benchmark::DoNotOptimize(protocol::crc32_update_zlib(0, {data.data(), data.size()}));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Crc32Zlib)->Arg(32)->Arg(256)->Arg(8192)->Arg(65536)->Arg(64 << 20);

// Splitter + Framer::frame (header checks, CRC32 of every event).
void BM_FrameBinlog(benchmark::State& state) {
  const ByteVec& file = binlog();
  uint64_t events = 0;
  for (auto _ : state) {
    protocol::BinlogSplitter splitter({file.data(), file.size()});
    if (!splitter.check_magic()) state.SkipWithError("bad magic");
    protocol::Framer framer;
    for (;;) {
      const uint64_t at = splitter.offset();
      auto event = splitter.next();
      if (!event || event->empty()) break;
      auto views = framer.frame(*event, at);
      if (!views) {
        state.SkipWithError(views.error().message.c_str());
        break;
      }
      benchmark::DoNotOptimize(views->data());
      ++events;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * file.size()));
  state.counters["events"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FrameBinlog)->Unit(benchmark::kMillisecond);

// What `twinlog stats` does per file, minus the file I/O: EventStream (framing,
// CRC32, event decoding, table maps) and BinlogStats (rows walked, every value
// decoded).
void BM_StatsPipeline(benchmark::State& state) {
  const ByteVec& file = binlog();
  uint64_t values = 0;
  for (auto _ : state) {
    bool opened = false;
    EventStream stream(
        [&]() -> std::unique_ptr<EventSource> {
          if (opened) return nullptr;
          opened = true;
          return std::make_unique<MemoryEventSource>("bench", ByteSpan(file.data(), file.size()));
        },
        StreamOptions{});
    BinlogStats stats;
    StreamEvent se;
    while (stream.next(se)) stats.add(se);
    stats.finish();
    values += stats.values_decoded();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * file.size()));
  state.counters["values"] =
      benchmark::Counter(static_cast<double>(values), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_StatsPipeline)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace twinlog::bench
