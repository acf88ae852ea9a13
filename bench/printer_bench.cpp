// Rendering: one WRITE_ROWS event of 20 workload-like rows printed as JSON lines
// and as mysqlbinlog-like text by the EventPrinter `twinlog decode` uses.
#include <benchmark/benchmark.h>

#include "bench/bench_data.h"
#include "src/print/event_printer.h"
#include "src/source/memory_source.h"
#include "src/stream/event_stream.h"

namespace twinlog::bench {
namespace {

// Streams a small sample binlog up to its first rows event and prints that event
// over and over (the StreamEvent stays valid until the stream moves on).
void print_rows_event(benchmark::State& state, OutputFormat format) {
  const ByteVec file = sample_binlog(64u << 10);
  bool opened = false;
  EventStream stream(
      [&]() -> std::unique_ptr<EventSource> {
        if (opened) return nullptr;
        opened = true;
        return std::make_unique<MemoryEventSource>("bench", ByteSpan(file.data(), file.size()));
      },
      StreamOptions{});
  StreamEvent se;
  bool found = false;
  while (!found && stream.next(se)) found = std::holds_alternative<protocol::RowsEvent>(*se.event);
  if (!found || !se.table) {
    state.SkipWithError("no rows event in the sample");
    return;
  }
  EventPrinter printer(format);
  std::string out;
  for (auto _ : state) {
    out.clear();
    printer.print(se, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * se.view->raw.size()));
  state.counters["output_bytes"] = static_cast<double>(out.size());
}

void BM_PrintRowsJsonLines(benchmark::State& state) {
  print_rows_event(state, OutputFormat::kJsonLines);
}
BENCHMARK(BM_PrintRowsJsonLines);

void BM_PrintRowsText(benchmark::State& state) {
  print_rows_event(state, OutputFormat::kText);
}
BENCHMARK(BM_PrintRowsText);

}  // namespace
}  // namespace twinlog::bench
