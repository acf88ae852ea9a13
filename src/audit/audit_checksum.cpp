#include "src/audit/audit_checksum.h"

#include <algorithm>

#include "src/checks/checksum_fetch.h"
#include "src/checks/checksum_tables.h"
#include "src/report/concat.h"

namespace twinlog::audit {
namespace {

using report::concat;
using report::Evidence;
using report::Finding;
using report::Severity;

// The findings below are worded as `twinlog checksum` words them
// (tools/twinlog/checksum.cpp), so that both commands report a table alike.
Finding table_only_on(const checks::QualifiedTable& t, const char* has, const char* lacks) {
  Finding f;
  f.severity = Severity::kError;
  f.code = "checksum.table_only_on";
  const std::string name = concat(t.database, ".", t.table);
  f.message = concat(name, " exists on ", has, " only");
  Evidence e;
  e.server = has;
  e.table = name;
  f.evidence.push_back(e);
  f.action = concat("Create it on ", lacks, " (SHOW CREATE TABLE on ", has,
                    ") and copy its rows, or drop it from ", has, " if it should not be there.");
  return f;
}

std::string describe_columns(const checks::ChecksumTable& t) {
  std::string out;
  for (const auto& c : t.columns) {
    if (!out.empty()) out += ", ";
    out.append(checks::quote_identifier(c.name)).append(" ").append(c.type);
    if (!c.nullable) out += " NOT NULL";
  }
  if (t.key.empty()) return out.append("; no key");
  return out.append("; key ").append(t.key_name);
}

Finding definition_differs(const checks::ChecksumTable& a, const checks::ChecksumTable& b) {
  Finding f;
  f.severity = Severity::kError;
  f.code = "checksum.table_definition_differs";
  f.message =
      concat(a.qualified(), " has other columns or another key on A than on B: not compared");
  for (const auto& [server, t] : {std::pair{"A", &a}, {"B", &b}}) {
    Evidence e;
    e.server = server;
    e.table = t->qualified();
    e.statement = describe_columns(*t);
    f.evidence.push_back(e);
  }
  f.action = "Make the definitions equal (SHOW CREATE TABLE on both), then check again.";
  return f;
}

Finding no_key(const checks::ChecksumTable& t) {
  Finding f;
  f.severity = Severity::kWarning;
  f.code = "checksum.no_key";
  f.message = concat(t.qualified(),
                     " has no primary key and no unique key over NOT NULL columns: "
                     "checksummed whole, in one snapshot");
  Evidence e;
  e.table = t.qualified();
  f.evidence.push_back(e);
  f.action =
      "Add a primary key: without one a ROW-format replica scans the table for every "
      "changed row, and the table cannot be chunked.";
  return f;
}

}  // namespace

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
