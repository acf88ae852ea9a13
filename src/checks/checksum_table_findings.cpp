#include "src/checks/checksum_table_findings.h"

#include <string>
#include <utility>

#include "src/report/concat.h"

namespace twinlog::checks {
namespace {

using report::concat;
using report::Evidence;
using report::Finding;
using report::Severity;

std::string describe_columns(const ChecksumTable& t) {
  std::string out;
  for (const auto& c : t.columns) {
    if (!out.empty()) out += ", ";
    out.append(quote_identifier(c.name)).append(" ").append(c.type);
    if (!c.nullable) out += " NOT NULL";
  }
  if (t.key.empty()) return out.append("; no key");
  return out.append("; key ").append(t.key_name);
}

}  // namespace

void point_to_audit_for_cause(std::vector<Finding>& findings) {
  for (Finding& f : findings) {
    if (f.code != "checksum.row_missing" && f.code != "checksum.row_differs" &&
        f.code != "checksum.row_count_differs" && f.code != "checksum.table_only_on")
      continue;
    f.action.append(
        " Why it differs: `twinlog audit --checksum` reads both masters' binlogs as well and "
        "names the cause (a skipped error, a filtered statement, a write made with "
        "sql_log_bin=0, ...).");
  }
}

Finding table_only_on(const QualifiedTable& t, const char* has, const char* lacks) {
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

Finding definition_differs(const ChecksumTable& a, const ChecksumTable& b) {
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

Finding no_key(const ChecksumTable& t) {
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

}  // namespace twinlog::checks
