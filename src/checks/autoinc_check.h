// `twinlog autoinc`: whether the two masters hand out auto-increment ids from
// classes of their own, and whether the binlogs show that they did.
//
// Each master gives an AUTO_INCREMENT column the ids of its class: id mod
// auto_increment_increment == auto_increment_offset mod auto_increment_increment
// (handler.cc compute_next_insert_id). With an increment of at least 2 and
// distinct offsets the classes are disjoint and no insert on one master can take
// an id the other also takes; anything else lets both insert the same key, and
// the peer's replica stops with error 1062 (or drops the row under
// slave-skip-errors).
//
// What the binlogs tell, event by event of one master's binlog:
//   - a QUERY event carries the session's auto_increment_increment / offset in
//     its Q_AUTO_INCREMENT status variable, written only when either is not 1
//     (log_event_server.cc): its absence means 1 / 1. A value other than the
//     origin master's configured one is a session override (autoinc.session_override);
//   - statement format: an INTVAR INSERT_ID before a QUERY is the first id that
//     statement generated; the rows of an INSERT / REPLACE ... VALUES after it
//     that give the column no value take INSERT_ID + k * increment, and a row
//     naming its id inserts that id (insert_values.h); each is checked against the
//     class of the session values. INSERT ... SELECT, LOAD DATA, IGNORE, ON
//     DUPLICATE KEY UPDATE or an id the server computes leave the ids after the
//     first unknown (counted as statements_partly);
//   - row format: the AUTO_INCREMENT column of each WRITE_ROWS image, the column
//     found from the CREATE / ALTER TABLE statements read (create_table_columns.h)
//     or a schema dump; a table whose column is not known is named
//     (autoinc.column_unknown) and its ids go unchecked;
//   - the origin is the event's server_id: A's or B's configuration decides the
//     class; an id from another server is not checked.
// Gaps (autoinc.gap, info): ids of a master's class, between the least and the
// greatest it logged for a table, that no binlog read holds: an insert made with
// sql_log_bin=0, rolled back, or a failed multi-row insert consumed them. Counted
// only where every id of that master is known (row images, statements read to
// their last row). A skip over a key of the other class just below the next id is
// no gap: the table's counter is its largest id + 1, so the peer's row applied in
// between moves it.
// Live (the configurations read from the masters): a replica channel stopped with
// Last_SQL_Errno 1062 is autoinc.replica_stopped_1062, tied, when the binlogs read
// hold it, to the transaction of the other master's binlog it stopped on
// (Relay_Master_Log_File at Exec_Master_Log_Pos, where the failing transaction
// starts) and to the keys of it that the replica's own master inserted too.
// An id outside its origin's class is autoinc.wrong_class; a key (table, id) that
// both origins inserted, within the binlogs read, is autoinc.collision, with both
// transactions. A's binlog holds both masters' transactions with
// log-slave-updates, but a replica that stopped on the duplicate key never logs
// the peer's row: read both masters' binlogs to see both sides.
//
// Memory: the keys seen are kept, one entry per distinct (table, id) holding the
// first transaction of each origin that inserted it, plus one record per
// transaction that inserted a key (its file, positions and GTID): bounded by the
// distinct keys and inserting transactions, not by the size of the binlogs. An id
// inserted again by the same origin (after a DELETE) reuses its entry.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "src/checks/create_table_columns.h"
#include "src/checks/insert_values.h"
#include "src/checks/statement_tables.h"
#include "src/config/server_config.h"
#include "src/report/finding.h"
#include "src/stream/event_stream.h"
#include "src/stream/transaction.h"

namespace twinlog::checks {

class AutoIncrementCheck {
 public:
  AutoIncrementCheck(const config::ServerConfig& a, const config::ServerConfig& b);

  // Table definitions from a `mariadb-dump --no-data` file, read before the
  // binlogs (their own DDL then changes them).
  void add_schema(std::string_view dump);

  // Reads one master's binlog: begin(), every event in order, then end().
  // `reader` ("A" or "B") is whose binlog it is.
  void begin(std::string reader);
  void add(const StreamEvent& se);
  void end();

  // For a binlog read at the same time as another (the audit reads both masters
  // at once, each through a check of its own): the keys this check sees first
  // are kept, in binlog order, for merge() instead of being judged here. Call
  // before reading.
  void keep_for_merge();
  // Folds in `later`, a check kept for merge that read the binlog a single check
  // would read after this one's: the findings are then those of one check that
  // read this one's binlogs and then later's (the same keys judged in the same
  // order). Table definitions stay each reader's own: a table whose CREATE TABLE
  // only this check read is not known to `later`.
  void merge(AutoIncrementCheck&& later);

  // The findings about the binlogs read, one per code and place, with the first
  // and last occurrence as evidence.
  std::vector<report::Finding> findings() const;

  struct Totals {
    uint64_t transactions = 0;
    uint64_t statement_ids = 0;      // statements' ids checked (INSERT_ID and the rows after it)
    uint64_t statements_partly = 0;  // statements whose ids after the first are not known
    uint64_t row_ids = 0;            // row images' ids checked
    uint64_t unchecked_rows = 0;     // written rows of tables whose column is unknown
    uint64_t keys = 0;               // distinct (table, id) kept
  };
  const Totals& totals() const { return totals_; }

 private:
  struct Origin {
    std::string name;  // "A" or "B"
    uint32_t server_id;
    uint64_t increment, offset;
    config::SettingOrigin increment_origin, offset_origin;
  };
  struct Session {
    uint64_t increment = 1, offset = 1;
  };
  enum class IdSource : uint8_t {
    kRowImage,
    kInsertId,       // a statement's first generated id
    kNextInsertId,   // a later row of the statement: INSERT_ID + k * increment
    kStatementText,  // an id the statement's row names
  };
  // An id inserted in the open transaction.
  struct Insert {
    uint32_t table;  // index into table_names_
    uint64_t id;
    uint8_t origin;  // 0 A, 1 B
    Session session;
    IdSource source;
    // False for a statement whose later rows' ids are not known (INSERT ...
    // SELECT, an id the server computes): the gaps after it are not known either.
    bool all_known;
    uint64_t position;
  };
  // A transaction that inserted a key, as evidence.
  struct Transaction {
    std::string reader, file, gtid;
    uint64_t start, end;
    uint32_t server_id, time;
  };
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Key {
    uint32_t transaction[2] = {kNone, kNone};  // first inserting transaction per origin
  };
  struct Aggregate {
    report::Finding finding;
    uint64_t count = 0;
    std::vector<report::Evidence> first, last;
  };

  const Origin* origin_of(uint32_t server_id, uint8_t& index) const;
  uint32_t table_index(std::string_view database, std::string_view table);
  void on_query(const StreamEvent& se, std::string_view database, std::string_view query,
                const protocol::QueryStatusVars& status);
  void statement_ids(uint32_t table, uint8_t origin, Session session, uint64_t insert_id,
                     std::string_view query, const protocol::QueryStatusVars& status,
                     uint64_t position, const TableColumns* columns);
  static std::string_view id_source_text(IdSource source);
  void on_rows(const StreamEvent& se);
  void close(const TransactionSummary& summary);
  void first_insert(const Insert& in, uint32_t txn, const Key& key);
  report::Evidence evidence_of(const Transaction& t, uint32_t table) const;
  void record(const std::string& key, report::Finding finding, std::vector<report::Evidence> e);
  void gaps(std::vector<report::Finding>& out) const;
  // The transaction of `reader`'s binlog starting at `file` (a name, no folder) `start`.
  std::optional<uint32_t> transaction_at(const std::string& reader, const std::string& file,
                                         uint64_t start) const;
  void replica_stops(std::vector<report::Finding>& out) const;
  static constexpr std::size_t kShownKeys = 3;  // colliding keys shown per stopped replica

  Origin origins_[2];
  std::vector<config::ReplicaChannel> channels_[2];  // A's, B's (live only)
  TableSchemas schemas_;
  StatementAnalyzer analyzer_;
  TransactionAssembler assembler_;
  std::string reader_;

  std::optional<uint64_t> insert_id_;  // the INTVAR INSERT_ID before the next QUERY
  std::optional<Session> session_;     // of the open transaction's last QUERY
  std::vector<Insert> open_;

  std::vector<std::string> table_names_;  // "db.table"
  std::map<std::string, uint32_t, std::less<>> table_index_;
  std::string name_;                                     // reused
  std::vector<std::unordered_map<uint64_t, Key>> keys_;  // by table index
  // Per table and origin: ids of statements whose later ids are not known,
  // which leave the gaps between them unknown.
  std::vector<std::array<uint64_t, 2>> statement_keys_;
  InsertValues values_;  // reused
  std::vector<Transaction> transactions_;
  std::map<std::string, std::pair<uint64_t, report::Evidence>> unknown_columns_;  // by table

  std::map<std::string, Aggregate> aggregates_;  // by code and place
  Totals totals_;
  // keep_for_merge(): each key's first insert per origin, with its transaction,
  // in binlog order, judged by merge().
  bool keep_for_merge_ = false;
  std::vector<std::pair<Insert, uint32_t>> firsts_;
};

// Findings about the two configurations' auto-increment settings: an increment
// below 2 (the pair's masters), offsets in one class, an offset above the
// increment, values outside 1..65535.
std::vector<report::Finding> autoinc_config_findings(const config::ServerConfig& a,
                                                     const config::ServerConfig& b);

}  // namespace twinlog::checks
