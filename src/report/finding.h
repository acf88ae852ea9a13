// One finding model for every check: what is wrong (a stable code, a severity, one
// line), the evidence that shows it, and what to do. Checks emit findings and never
// print; src/report/render.* turns them into text, JSON lines or one JSON document.
// The JSON form is described by src/report/finding.schema.json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace twinlog::report {

enum class Severity : uint8_t { kInfo, kWarning, kError };

std::string_view severity_name(Severity s);  // "info", "warning", "error"
std::optional<Severity> parse_severity(std::string_view text);

// One piece of evidence. Every field is optional: a finding about an option file
// has an option and its source; one about a transaction has a file, positions,
// a GTID and the origin server_id.
struct Evidence {
  std::string server;                  // "A" or "B"
  std::string file;                    // binlog file
  std::optional<uint64_t> start, end;  // positions in `file`
  std::string gtid;
  std::optional<uint32_t> origin_server_id;
  std::optional<uint32_t> time;  // event timestamp (UTC seconds)
  std::string table;             // database.table
  std::string statement;         // statement text, or a row
  std::string option;            // "replicate-ignore-db=mysql,information_schema"
  std::string option_source;     // "master-a.cnf:11", "SHOW VARIABLES server_id"
  bool empty() const;
};

// Why a divergence happened, as `twinlog audit`'s explanation (src/audit/explain.h)
// found it from the other findings of the same run. Only a divergence (a diff.* or
// checksum.* finding) gets one, and every divergence does: kUnexplained says that
// no evidence read explains it, which is an answer too.
enum class CauseKind : uint8_t {
  kFilteredStatement,  // a replication filter skipped or applied a statement by its USE
  kSkippedError,       // slave_skip_errors let a replica drop a whole rows event
  kCollision,          // both masters took the same auto-increment key
  kLoop,               // a transaction came back round, or a third server wrote
  kUnloggedWrite,      // the binlogs agree: the change never reached a binlog
  kUnexplained,        // the binlogs read show nothing that accounts for it
};
std::string_view cause_kind_name(CauseKind k);  // "filtered_statement", ..., "unexplained"

struct Cause {
  CauseKind kind = CauseKind::kUnexplained;
  std::vector<std::string> codes;  // the findings that show the cause, the most direct first
  std::string explanation;         // one line
  std::vector<Evidence> evidence;  // the transactions and settings involved
};

struct Finding {
  Severity severity = Severity::kInfo;
  std::string code;     // stable, dotted: "config.filter_comma_list"
  std::string message;  // one line
  std::vector<Evidence> evidence;
  std::string action;  // what to do about it
  std::optional<Cause> cause;
};

// Appends a finding with its severity, code, message and action to `out` and
// returns it, for the caller to add the evidence.
Finding& add_finding(std::vector<Finding>& out, Severity severity, std::string code,
                     std::string message, std::string action);

struct Summary {
  uint64_t info = 0, warning = 0, error = 0;
};
Summary summarize(const std::vector<Finding>& findings);

// Exit codes every check command shares.
constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitError = 2;
// 1 when a finding is at or above `fail_on`, else 0.
int exit_code_for(const std::vector<Finding>& findings, Severity fail_on);

}  // namespace twinlog::report
