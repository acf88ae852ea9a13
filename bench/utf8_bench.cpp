// The UTF-8 check on the workload's strings, one string per call as the JSON
// renderer calls it: valid_utf8 (the scalar check below 64 bytes, simdjson from
// there), each of the two alone, simdjson's kernel called without its per-call
// look-up, and append_json_string_if_utf8, the whole per-string step of a JSON line.
// Names are "utf8/CHECK/TEXT/BYTES" and "json_string/TEXT/BYTES".
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json_text.h"

namespace twinlog::bench {
namespace {

// tools/workload's text pieces: its utf8mb4 columns pick among all of them (one
// third of the bytes non-ASCII), its latin1 and plain columns only the ASCII ones.
constexpr std::array<std::string_view, 11> kMixedPieces = {"a",
                                                           "Z",
                                                           "0",
                                                           " ",
                                                           "\xc3\xa9",
                                                           "\xc3\x9f",
                                                           "\xe4\xb8\xad",
                                                           "\xe6\x96\x87",
                                                           "\xf0\x9f\x98\x80",
                                                           "'",
                                                           "\xd0\xb6"};
constexpr std::array<std::string_view, 5> kAsciiPieces = {"a", "Z", "0", " ", "'"};

// Strings cycled through so that the branch predictor does not learn one string.
constexpr std::size_t kStrings = 64;

template <std::size_t N>
std::vector<std::string> strings_of(const std::array<std::string_view, N>& pieces,
                                    std::size_t bytes) {
  uint64_t state = 0x9e3779b97f4a7c15ULL ^ bytes;
  auto next = [&] {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state;
  };
  std::vector<std::string> out(kStrings);
  for (std::string& s : out) {
    while (true) {
      const std::string_view piece = pieces[next() % N];
      if (s.size() + piece.size() > bytes) break;
      s += piece;
    }
    s.resize(bytes, 'a');  // a piece that did not fit: whole characters only
    if (!protocol::valid_utf8_scalar(s)) throw std::logic_error("a sample string is not UTF-8");
  }
  return out;
}

template <typename Check>
void run_check(benchmark::State& state, const std::vector<std::string>& strings, Check check) {
  std::size_t i = 0;
  for (auto _ : state) {
    const bool ok = check(strings[i]);
    if (!ok) state.SkipWithError("valid text reported invalid");
    benchmark::DoNotOptimize(ok);
    i = (i + 1) % kStrings;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * strings[0].size()));
}

void register_utf8_benchmarks() {
  static constexpr std::size_t kBytes[] = {8, 30, 64, 200, 1000, 16384};
  static std::vector<std::pair<std::string, std::vector<std::string>>> sets;
  for (std::size_t bytes : kBytes) {
    sets.emplace_back("ascii/" + std::to_string(bytes), strings_of(kAsciiPieces, bytes));
    sets.emplace_back("mixed/" + std::to_string(bytes), strings_of(kMixedPieces, bytes));
  }
  for (const auto& [name, strings] : sets) {
    const auto* set = &strings;
    benchmark::RegisterBenchmark(("utf8/twinlog/" + name).c_str(), [set](benchmark::State& s) {
      run_check(s, *set, [](const std::string& t) { return protocol::valid_utf8(t); });
    });
    benchmark::RegisterBenchmark(("utf8/scalar/" + name).c_str(), [set](benchmark::State& s) {
      run_check(s, *set, [](const std::string& t) { return protocol::valid_utf8_scalar(t); });
    });
    benchmark::RegisterBenchmark(("utf8/simdjson/" + name).c_str(), [set](benchmark::State& s) {
      run_check(s, *set, [](const std::string& t) { return simdjson::validate_utf8(t); });
    });
    // The same implementation without the per-call look-up of the active one.
    benchmark::RegisterBenchmark(
        ("utf8/simdjson_direct/" + name).c_str(), [set](benchmark::State& s) {
          const simdjson::implementation* chosen = simdjson::get_active_implementation();
          run_check(s, *set, [chosen](const std::string& t) {
            return chosen->validate_utf8(t.data(), t.size());
          });
        });
    benchmark::RegisterBenchmark(("json_string/" + name).c_str(), [set](benchmark::State& s) {
      std::string out;
      run_check(s, *set, [&out](const std::string& t) {
        out.clear();
        return protocol::append_json_string_if_utf8(out, t);
      });
    });
  }
}

[[maybe_unused]] const bool registered = (register_utf8_benchmarks(), true);
// Which of simdjson's kernels its run-time dispatch picked on this CPU.
[[maybe_unused]] const bool named =
    (benchmark::AddCustomContext("simdjson_implementation",
                                 std::string(simdjson::get_active_implementation()->name())),
     true);

}  // namespace
}  // namespace twinlog::bench
