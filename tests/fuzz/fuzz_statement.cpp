// Statement text into the analyzer that the filter check runs over every
// statement-format QUERY event, and into the INSERT row reader of the
// auto-increment check: any bytes, under a version taken from the first two bytes
// (0: every executable comment is code). Neither may read past the text and every
// result must be well formed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "src/checks/insert_values.h"
#include "src/checks/statement_tables.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const uint32_t version = (uint32_t{data[0]} << 8 | data[1]) * 10;
  const std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  twinlog::checks::StatementAnalyzer analyzer(version);
  const twinlog::checks::StatementTables& r = analyzer.analyze(text);
  const bool cannot_tell = r.kind == twinlog::checks::StatementKind::kCannotTell;
  // A reason exactly when it cannot tell; no table then.
  if (cannot_tell == r.reason.empty() || (cannot_tell && !r.updated.empty())) std::abort();
  // Analysing again with the reused buffers gives the same answer.
  const auto kind = r.kind;
  const std::size_t tables = r.updated.size();
  const auto& again = analyzer.analyze(text);
  if (again.kind != kind || again.updated.size() != tables) std::abort();

  twinlog::checks::TableColumns t;
  t.columns = {{"v", false, false}, {"id", true, true}};
  twinlog::checks::InsertValues values;
  twinlog::checks::read_insert_values(text, t, 1, data[0] % 2 == 0, version, values);
  // Rows are read up to where the reading stops; an INSERT it read whole has rows.
  if (values.stopped.empty() && values.rows.empty()) std::abort();
  return 0;
}
