// The truth side of the filter proof (tests/live/filters_proof_test.cpp): what a
// server's binlog shows of the workload's markers, and the statement-by-statement
// comparison of what the servers did with what twinlog predicted.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/live/filter_workload.h"

namespace twinlog::live {

// What one server's binlog holds of one marker, from events of one server id.
struct LoggedMarker {
  bool statement = false;            // a QUERY event with the marker
  std::set<std::string> row_tables;  // "db.table" of the table maps under its ANNOTATE_ROWS
};

// Reads `mariadb-binlog --base64-output=decode-rows -vv` output: markers (or a
// statement's binlog_token) in QUERY text and in "#Q>" annotate lines, table maps
// after an annotate, each event's "server id". Only events written with
// `server_id` count.
std::map<int, LoggedMarker> logged_markers(const std::string& binlog_text, uint32_t server_id,
                                           const std::vector<WorkloadStatement>& statements);

// One comparison unit: a statement-format statement, or the rows of one table of a
// row-format statement (`table` "db.table" as the master named it).
struct UnitTruth {
  bool logged_a = false, applied_b = false, relogged_b = false;
};

struct UnitPrediction {
  bool logged_a = false;
  std::string logged_rule;  // what decided logged_a (A's binlog filter)
  bool decided = false;     // twinlog gave a decision for the unit (A logged it)
  // As twinlog's Outcome names them: "true", "false", "partly", "cannot tell".
  std::string applied = "false", relogged = "false";
  std::string rule, relog_rule;
};

struct ProofRow {
  std::string rule_set, format;
  int marker = 0;
  std::string table;  // empty: the statement as a whole
  std::string statement;
  UnitTruth truth;
  UnitPrediction prediction;
};

// The ways `row` disagrees (empty when server and twinlog agree), one line each.
std::vector<std::string> disagreements(const ProofRow& row);

// What a transaction made of `units` (A logged each) amounts to on B, as twinlog's
// TransactionDecision states it: applied "true", "false" or "partly"; relogged of
// the applied units, "partly" too when only some were applied.
struct TransactionOutcome {
  std::string applied, relogged;
};
TransactionOutcome transaction_outcome(const std::vector<UnitTruth>& units);

// "rule set, format, marker, statement, truth, prediction, rules" for a report.
std::string describe(const ProofRow& row);

}  // namespace twinlog::live
