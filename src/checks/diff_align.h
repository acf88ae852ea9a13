// `twinlog diff`, second half: the transactions of A's and B's binlogs
// (stream_digest.h) aligned and compared.
//
// A transaction from origin X is in X's binlog and, logged again by the peer
// (log-slave-updates), in the peer's. Copies are paired by GTID where there is one
// (a MariaDB GTID keeps its domain-server-seq when logged again, a MySQL GTID its
// uuid:number), else by origin server_id, first timestamp and loop_check.h's
// content fingerprint. A pair whose table digests agree is counted and dropped at
// once; so memory holds only the transactions not yet paired (in flight between
// the two binlogs, or missing), plus one total per table and origin. An unpaired
// transaction is given up once the other binlog has reached `max_lag` seconds past
// it (a copy keeps its original's timestamp), or at the end.
//
// Findings:
//   diff.transaction_missing (error)  in one binlog, expected in the other and not there
//   diff.rows_event_missing (error)   a copy lacks whole rows events of its original
//                                     (slave_skip_errors skips a whole event)
//   diff.rows_differ (error)          the copies' rows differ: the rows side by side
//   diff.filtered (info)              not in the peer's binlog, as its filters or
//                                     logging say (FilterCheck's verdict), per rule
//   diff.in_flight (info)             not in the peer's binlog yet: past where the
//                                     peer's replica SQL thread has executed (live
//                                     masters only), so not missing
//   diff.table_digest (info/warning)  per table and origin, each side's digest
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "src/checks/stream_digest.h"
#include "src/report/finding.h"
#include "src/source/live_source.h"

namespace twinlog::checks {

class DiffAligner {
 public:
  static constexpr uint32_t kDefaultMaxLag = 3600;
  static constexpr std::size_t kRowsShown = 10;
  static constexpr std::size_t kMissingShown = 50;

  // Side 0 is A, side 1 is B.
  DiffAligner(const config::ServerConfig& a, const config::ServerConfig& b,
              uint32_t max_lag = kDefaultMaxLag);
  // Moved, not copied: it keeps pointers into its own maps' nodes.
  DiffAligner(DiffAligner&&) = default;
  DiffAligner& operator=(DiffAligner&&) = default;
  DiffAligner(const DiffAligner&) = delete;
  DiffAligner& operator=(const DiffAligner&) = delete;

  // How far the peer of side `side` has executed side's binlog (its replica
  // connection to it: Relay_Master_Log_File, Exec_Master_Log_Pos), read before the
  // binlogs were: a transaction of side's binlog at or past it that the peer's
  // binlog lacks is in flight (diff.in_flight), not missing. `source` says where the
  // position was read ("B's SHOW ALL SLAVES STATUS, connection ''"). Live only: a
  // capture's binlogs are not where the live replica is now.
  void set_applied_by_peer(int side, BinlogPosition applied, std::string source);

  // One transaction of side `side`'s binlog, in the order of that binlog.
  void add(int side, TransactionPtr t);
  void add(int side, DigestedTransaction&& t) {
    add(side, std::make_unique<DigestedTransaction>(std::move(t)));
  }
  // Called with each transaction of a pair once compared (side, transaction), so
  // that its buffers can be used again: run_diff hands them back to the reader
  // that built them. Without it they are freed.
  using SpentCallback = std::function<void(int, TransactionPtr)>;
  void on_spent(SpentCallback callback) { on_spent_ = std::move(callback); }
  const SpentCallback& on_spent() const { return on_spent_; }
  // Both binlogs are done: what is still unpaired is missing (or filtered).
  void finish();

  std::vector<report::Finding> findings() const;

  struct Totals {
    std::array<uint64_t, 2> transactions{}, missing{}, filtered{}, in_flight{};
    uint64_t paired = 0, differing = 0, statements = 0;
  };
  const Totals& totals() const { return totals_; }
  // Transactions held unpaired right now, and the most ever (the memory bound).
  std::size_t held() const { return unmatched_[0].size() + unmatched_[1].size(); }
  // Arrival records kept (one per transaction not yet paired or given up, and
  // paired ones behind an older unpaired one): bounded as held() is.
  std::size_t arrivals() const { return arrival_[0].size() + arrival_[1].size(); }
  std::size_t peak_held() const { return peak_held_; }

 private:
  struct Key {
    uint8_t kind = 0;  // 0 MariaDB GTID, 1 MySQL GTID, 2 fingerprint
    uint64_t a = 0, b = 0, c = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  struct TableTotal {
    std::array<uint64_t, 2> sum{}, rows{}, transactions{};
    bool by_statement = false;
  };
  struct Filtered {
    uint64_t count = 0;
    report::Evidence first, last;
    std::vector<std::string> tables;
  };

  struct InFlight {
    BinlogPosition applied;
    std::string source;
    uint64_t count = 0;
    report::Evidence first, last;
  };

  static Key key_of(const DigestedTransaction& t);
  bool not_yet_applied(int side, const DigestedTransaction& t) const;
  void pair(DigestedTransaction& a, DigestedTransaction& b);
  void give_up(int side, DigestedTransaction& t);
  void expire(int side);
  void drop_paired_arrivals(int side);
  void count_tables(int side, const DigestedTransaction& t, bool only_expected);
  report::Evidence evidence(int side, const DigestedTransaction& t) const;
  void report_rows(DigestedTransaction& a, DigestedTransaction& b);

  std::array<std::string, 2> names_{"A", "B"};
  std::array<uint64_t, 2> server_ids_{};
  std::array<config::Setting<std::string>, 2> skip_errors_;  // slave_skip_errors of each
  uint32_t max_lag_;
  std::array<std::unordered_map<Key, TransactionPtr, KeyHash>, 2> unmatched_;
  SpentCallback on_spent_;
  std::array<std::deque<std::pair<uint32_t, Key>>, 2> arrival_;  // first timestamp, key
  std::array<uint32_t, 2> newest_{};  // the newest first timestamp read on each side
  std::size_t peak_held_ = 0;
  std::map<std::pair<std::string, uint32_t>, TableTotal> tables_;  // by table, origin
  // tables_'s entries last found, by a slot from a few bytes of the table name and
  // the origin (two on one slot only cost a lookup in the tree): each paired
  // transaction adds to its tables' totals, and the tree's string compares were
  // half of the aligner's instructions. Its entries are never erased.
  struct TotalFound {
    const std::pair<std::string, uint32_t>* key = nullptr;
    TableTotal* total = nullptr;
  };
  std::array<TotalFound, 32> totals_found_{};
  TableTotal& total_of(const std::string& table, uint32_t origin);
  std::map<std::pair<int, std::string>, Filtered> filtered_;  // by side, rule
  std::array<std::optional<InFlight>, 2> in_flight_;          // by side
  std::vector<report::Finding> differences_;
  uint64_t missing_not_shown_ = 0;
  Totals totals_;
};

}  // namespace twinlog::checks
