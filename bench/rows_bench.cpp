// RowReader over a WRITE_ROWS event of the workload's kind of row (16 columns:
// ints, DECIMALs, temporals, strings, ENUM, SET, BIT): the walk alone, and the
// walk with every value decoded (what `twinlog stats` does per rows event).
#include <benchmark/benchmark.h>

#include "bench/bench_data.h"
#include "protocol/row_image.h"
#include "protocol/value.h"

namespace twinlog::bench {
namespace {

using protocol::RowChange;
using protocol::RowReader;

constexpr int kRows = 20;  // about 8 KiB, one server-sized rows event

void BM_RowReaderWalk(benchmark::State& state) {
  const SampleTable table = sample_table();
  const SampleRows rows = sample_rows(table, kRows);
  for (auto _ : state) {
    RowReader reader(rows.event, table.map, 0);
    RowChange row;
    while (reader.next(row)) benchmark::DoNotOptimize(row.after.cells.data());
    if (reader.failed()) state.SkipWithError(reader.error().message.c_str());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kRows);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * rows.rows.size()));
}
BENCHMARK(BM_RowReaderWalk);

void BM_RowReaderDecodeAll(benchmark::State& state) {
  const SampleTable table = sample_table();
  const SampleRows rows = sample_rows(table, kRows);
  for (auto _ : state) {
    RowReader reader(rows.event, table.map, 0);
    RowChange row;
    while (reader.next(row)) {
      for (const protocol::Cell& cell : row.after.cells) {
        auto value = protocol::decode_value(reader, cell);
        if (!value) state.SkipWithError(value.error().message.c_str());
        benchmark::DoNotOptimize(value);
      }
    }
    if (reader.failed()) state.SkipWithError(reader.error().message.c_str());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kRows);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * rows.rows.size()));
}
BENCHMARK(BM_RowReaderDecodeAll);

}  // namespace
}  // namespace twinlog::bench
