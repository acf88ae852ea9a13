// One benchmark per column type and step: cell_length (the walk), decode_value
// (building the Value), append_json and to_sql_text (rendering it), and binary
// JSON to text. Names are "step/TYPE".
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

#include "bench/bench_data.h"
#include "protocol/json_binary.h"
#include "protocol/row_image.h"
#include "protocol/value.h"
#include "protocol/value_text.h"

namespace twinlog::bench {
namespace {

using protocol::Cell;

Cell cell_of(const SampleColumn& c) {
  Cell cell;
  cell.bytes = {c.cell.data(), c.cell.size()};
  return cell;
}

protocol::Value value_of(const SampleColumn& c) {
  auto value = protocol::decode_value(c.def, cell_of(c));
  if (!value) throw std::runtime_error(c.name + " does not decode: " + value.error().message);
  return std::move(*value);
}

void register_value_benchmarks() {
  static const std::vector<SampleColumn> columns = sample_columns();
  for (const SampleColumn& c : columns) {
    value_of(c);  // a bad sample stops the run here rather than timing an error
    benchmark::RegisterBenchmark(("cell_length/" + c.name).c_str(), [&c](benchmark::State& state) {
      const protocol::Bytes at{c.cell.data(), c.cell.size()};
      for (auto _ : state) benchmark::DoNotOptimize(protocol::cell_length(c.def, at, 0));
    });
    benchmark::RegisterBenchmark(("decode_value/" + c.name).c_str(), [&c](benchmark::State& state) {
      const Cell cell = cell_of(c);
      for (auto _ : state) benchmark::DoNotOptimize(protocol::decode_value(c.def, cell));
    });
    benchmark::RegisterBenchmark(("append_json/" + c.name).c_str(), [&c](benchmark::State& state) {
      const protocol::Value value = value_of(c);
      std::string out;
      for (auto _ : state) {
        out.clear();
        protocol::append_json(out, value);
        benchmark::DoNotOptimize(out.data());
      }
    });
    benchmark::RegisterBenchmark(("to_sql_text/" + c.name).c_str(), [&c](benchmark::State& state) {
      const protocol::Value value = value_of(c);
      for (auto _ : state) benchmark::DoNotOptimize(protocol::to_sql_text(value));
    });
  }
}

[[maybe_unused]] const bool registered = (register_value_benchmarks(), true);

void BM_JsonBinaryToText(benchmark::State& state) {
  const ByteVec doc = json_document(static_cast<int>(state.range(0)));
  std::string out;
  for (auto _ : state) {
    out.clear();
    auto ok = protocol::append_json_binary(out, {doc.data(), doc.size()}, 0);
    if (!ok) state.SkipWithError(ok.error().message.c_str());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * doc.size()));
}
BENCHMARK(BM_JsonBinaryToText)->Arg(6)->Arg(60);

}  // namespace
}  // namespace twinlog::bench
