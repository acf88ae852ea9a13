// `twinlog filters`: for every transaction of one master's binlog, whether the
// other master applies it and whether it then logs it again, decided as the
// servers decide (filter_rules.h for the rules, statement_tables.h for what a
// statement updates); and the findings that follow from those decisions.
//
// What the other master does with one event of the source's binlog:
//   - an event carrying its own server_id: skipped (unless replicate-same-server-id);
//   - a statement (QUERY): replicate-rewrite-db renames the default database,
//     replicate-do/ignore-db test it, then the table rules test the tables the
//     statement updates (a qualified name keeps its database: the rewrite touches
//     the default database only); CREATE / ALTER / DROP DATABASE test the name;
//   - rows: each table map's database (rewritten), then its table;
//   - applied and log-slave-updates (and log-bin): logged again when its own
//     binlog-do/ignore-db pass: a statement by its (rewritten) default database
//     unless the other master writes ROW, rows by their table's database.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "src/checks/filter_rules.h"
#include "src/checks/statement_tables.h"
#include "src/config/server_config.h"
#include "src/report/finding.h"
#include "src/stream/event_stream.h"
#include "src/stream/transaction.h"

namespace twinlog::checks {

enum class Outcome : uint8_t { kNo, kYes, kPartly, kCannotTell };
std::string_view outcome_name(Outcome o);  // "false", "true", "partly", "cannot tell"

// One statement (QUERY event), or one table's rows (a table map and its rows
// events), of a transaction, and what the other master does with it.
struct StatementDecision {
  uint64_t position = 0;    // offset of the QUERY / TABLE_MAP event
  bool row_format = false;  // rows of `table`, else a statement
  std::string database;     // the default database (statement) or the table map's
  std::string table;        // rows: the table; statements: the first updated one, if any
  std::string text;  // the statement, or the ANNOTATE_ROWS / ROWS_QUERY text (first 200 bytes)
  Outcome applied = Outcome::kYes, relogged = Outcome::kNo;
  std::string rule;        // what decided `applied`, with the option's source
  std::string relog_rule;  // what decided `relogged`
};

struct TransactionDecision {
  TransactionSummary transaction;  // file, start, end, gtid, server_id
  Outcome applied = Outcome::kYes, relogged = Outcome::kNo;
  std::string rule;  // the deciding rule when one rule decided every statement
  std::vector<StatementDecision> statements;
};

class FilterCheck {
 public:
  // `source` wrote the binlog that is read; `other` replicates from it.
  // `source_name` / `other_name` are "A" / "B" (or "B" / "A").
  FilterCheck(const config::ServerConfig& source, const config::ServerConfig& other,
              std::string source_name, std::string other_name);

  // Feed every event of the source's binlog in order. Returns the decision for
  // the transaction this event ends, if it ends one (valid until the next call).
  const TransactionDecision* add(const StreamEvent& se);
  // At the end of the input: the open transaction (incomplete), if any.
  const TransactionDecision* finish();
  // What the last add() made of its event, and the transaction it closed, if any:
  // a reader that needs the transactions as well takes them from here rather than
  // assembling them a second time.
  Boundary boundary() const { return boundary_; }
  const std::optional<TransactionSummary>& completed() const { return assembler_.completed(); }

  // The findings so far, one per code and place (default database and table),
  // with a count and the first and last occurrence as evidence.
  std::vector<report::Finding> findings() const;

  struct Totals {
    uint64_t transactions = 0, applied = 0, skipped = 0, partly = 0, cannot_tell = 0;
    uint64_t own = 0;  // of the skipped: the other master's own, back from the source
    uint64_t relogged = 0;
  };
  const Totals& totals() const { return totals_; }
  const std::string& source_name() const { return source_name_; }
  const std::string& other_name() const { return other_name_; }

 private:
  // A finding met inside the open transaction, recorded when it ends (its
  // evidence needs the transaction's end and GTID).
  struct Pending {
    std::string code;
    report::Severity severity;
    std::size_t statement;  // index into the transaction's statements
    std::string table;      // database.table
    FilterVerdict verdict;  // the rule the finding quotes
    std::string detail;
  };
  struct Aggregate {
    report::Finding finding;
    uint64_t count = 0;
    report::Evidence first, last;
  };

  void on_statement(const StreamEvent& se, std::string_view database, std::string_view query);
  void on_load(const StreamEvent& se, const protocol::LoadEvent& load);
  void decide_statement(const StreamEvent& se, std::string_view database, std::string_view query,
                        const StatementTables& st);
  void on_rows(const StreamEvent& se);
  void decide_transaction(const TransactionSummary& summary);
  void record(const Pending& p);
  report::Finding describe(const Pending& p, const StatementDecision& d) const;
  report::Evidence evidence_of(const StatementDecision& d, const std::string& table,
                               const FilterVerdict& verdict) const;
  FilterVerdict other_relogs(const std::string& database) const;

  // What the other master does with a statement whose default database is this
  // (empty: none): its rewritten name, replicate-do/ignore-db, and logging again.
  struct DatabaseVerdicts {
    bool has_database = false;
    std::string rewritten;
    FilterVerdict applies, relogs;
  };
  // What happens to rows of one table: does the source log its database, does the
  // other master apply them (rewrite, database and table rules), log them again.
  struct TableVerdicts {
    FilterVerdict source_logs, other_applies, other_relogs;
  };
  const DatabaseVerdicts& database_verdicts(std::string_view database);
  const TableVerdicts& table_verdicts(std::string_view database, std::string_view table);
  StatementDecision& next_slot();

  config::ServerConfig source_config_, other_config_;
  FilterRules source_, other_;
  std::string source_name_, other_name_;
  bool other_logs_rows_;  // the other master writes ROW: statements it applies are logged as rows
  bool other_relogs_;     // log-bin and log-slave-updates
  StatementAnalyzer analyzer_;  // reads executable comments as the other master would
  StatementTables load_;        // what an old LOAD event updates
  TransactionAssembler assembler_;
  Boundary boundary_ = Boundary::kNone;

  std::string own_rule_;  // why the other master skips its own events
  std::map<std::string, DatabaseVerdicts, std::less<>> databases_;
  std::map<std::string, TableVerdicts, std::less<>> tables_;
  std::string key_;  // "db.table" for tables_, reused

  // The open transaction: its first open_count_ statements (the slots after them
  // are kept for their buffers).
  std::vector<StatementDecision> open_;
  std::size_t open_count_ = 0;
  uint64_t last_table_id_ = UINT64_MAX;
  std::string annotation_;  // the ANNOTATE_ROWS / ROWS_QUERY text before the rows
  TransactionDecision decision_;

  // Tables the source created in a statement the other master skipped: it lacks
  // them, and applying a later change to one stops its replication (error 1146).
  std::set<std::string> missing_;
  std::vector<Pending> pending_;
  std::map<std::string, Aggregate> aggregates_;  // by code and place
  Totals totals_;
};

}  // namespace twinlog::checks
