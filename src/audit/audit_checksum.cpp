#include "src/audit/audit_checksum.h"

#include <algorithm>

#include "src/checks/checksum_fetch.h"
#include "src/checks/checksum_table_findings.h"
#include "src/checks/checksum_tables.h"

namespace twinlog::audit {

using checks::definition_differs;
using checks::no_key;
using checks::table_only_on;

TableComparison compare_tables(Connection& a, Connection& b, const config::ServerConfig& config_a,
                               const config::ServerConfig& config_b,
                               const checks::ChecksumSettings& settings,
                               const checks::Notice& notice) {
  TableComparison out;
  const checks::TableLists lists =
      checks::settled_table_lists(a, b, config_a, config_b, {}, settings, notice);
  for (const auto& t : lists.only_a) out.findings.push_back(table_only_on(t, "A", "B"));
  for (const auto& t : lists.only_b) out.findings.push_back(table_only_on(t, "B", "A"));
  checks::BinaryChunkReader read_a(a), read_b(b);
  checks::TableChecksum engine(a, b, read_a, read_b, settings, notice);
  for (const checks::QualifiedTable& name : lists.both) {
    const checks::ChecksumTable ta = checks::describe_table(a, name);
    const checks::ChecksumTable tb = checks::describe_table(b, name);
    if (ta.columns != tb.columns || ta.key != tb.key) {
      out.findings.push_back(definition_differs(ta, tb));
      continue;
    }
    if (ta.key.empty()) out.findings.push_back(no_key(ta));
    ++out.tables;
    engine.run(ta, std::nullopt, out.findings, [&out](const checks::ChunkDone& d) {
      ++out.chunks;
      out.rows += std::max(d.a.rows, d.b.rows);
    });
  }
  return out;
}

}  // namespace twinlog::audit
