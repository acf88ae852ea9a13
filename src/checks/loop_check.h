// `twinlog loops`: the transactions of one master's binlog that show a replication
// loop, and the pair's settings that make one.
//
// In one binlog:
//   - a transaction logged more than once: the same GTID (a MariaDB GTID keeps its
//     domain-server-seq round the ring, a MySQL GTID its uuid:number), else, for a
//     transaction without one, the same origin server_id, first timestamp and
//     content fingerprint. The fingerprint (XXH3-128) covers what a copy keeps:
//     statements' default database and text, table maps' names, rows events' row
//     images; not the thread id, exec time, table id or XID number, which the
//     server that applies a copy sets anew. The timestamp is kept by every copy (a
//     replica logs what it applies under the original's timestamp: the 465 copies
//     of samples/scenarios/loop carry one timestamp), which is also why the
//     copies' own timestamps rarely give a rate; the finding says so when they do not.
//     Two identical statements from one server within one second, without GTIDs,
//     look like a copy: the finding says "the same content", not "the same GTID";
//   - transactions whose origin server_id is neither master's (a third source, a
//     removed ring member): how many, which tables, and whether any circulates;
// Both findings name the tables the transactions change in their evidence
// ("db.table"; a statement's as the stream digests name it, statement_digest_key.h),
// so that the audit ties a table's difference to the loop that changed it.
//   - transactions carrying the other master's own server_id when that master has
//     replicate-same-server-id: it applies them again instead of skipping them.
//
// Memory: one entry (about 150 bytes) per distinct GTID or fingerprint read, so
// bounded by the distinct transactions of the input, not its size; plus a few
// table names (kTablesKept) per foreign server id and per repeated transaction.
// A transaction's tables are noted only when they can be needed: it comes from a
// third server, it has no GTID (a copy is known only at its end), or its GTID was
// seen before (the common case, a new GTID from A or B, costs nothing more).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "src/checks/statement_digest_key.h"
#include "src/config/server_config.h"
#include "src/report/finding.h"
#include "src/stream/event_stream.h"
#include "src/stream/transaction.h"

struct XXH3_state_s;

namespace twinlog::checks {

// A transaction's content fingerprint (an XXH3-128 state, reset at the
// transaction's start), fed what a copy of the transaction keeps of each of its
// events: the rule described above, shared by every check that recognises a copy
// by content. The state is the library's, kept out of the callers' sight (the
// stream digest compiles xxHash's code in for its own hashes, whose state type is
// then not the library's).
class ContentFingerprint {
 public:
  ContentFingerprint();
  ~ContentFingerprint();
  ContentFingerprint(const ContentFingerprint&) = delete;
  ContentFingerprint& operator=(const ContentFingerprint&) = delete;

  void add(const StreamEvent& se);
  void reset();
  std::pair<uint64_t, uint64_t> value() const;  // low, high

 private:
  XXH3_state_s* state_;
};

class LoopCheck {
 public:
  // `source` wrote the binlog read; `other` is its peer. Names are "A" / "B".
  LoopCheck(const config::ServerConfig& source, const config::ServerConfig& other,
            std::string source_name, std::string other_name);
  ~LoopCheck();
  LoopCheck(const LoopCheck&) = delete;
  LoopCheck& operator=(const LoopCheck&) = delete;

  // Feed every event of the source's binlog in order; then finish() once.
  void add(const StreamEvent& se);
  void finish();

  std::vector<report::Finding> findings() const;

  struct Totals {
    uint64_t transactions = 0;
    uint64_t repeated = 0;  // distinct transactions seen more than once
    uint64_t copies = 0;    // the extra copies of those
    uint64_t foreign = 0;   // transactions from a server id neither master's
  };
  const Totals& totals() const { return totals_; }
  const std::string& source_name() const { return source_name_; }
  bool saw_foreign() const { return totals_.foreign > 0; }

  static constexpr std::size_t kTablesKept = 5;
  static constexpr std::size_t kDuplicatesShown = 10;

 private:
  // Where one copy is: the file as an index into files_.
  struct Place {
    uint32_t file = 0;
    uint32_t time = 0;
    uint64_t start = 0, end = 0;
  };
  // A GTID (kind 0 MariaDB: domain, server in `id`; kind 1 MySQL: uuid, tag hash in
  // `extra`) or a fingerprint (kind 2: the hash in `id`, origin and time in `extra`).
  struct Key {
    uint8_t kind = 0;
    std::array<uint8_t, 16> id{};
    uint64_t number = 0, extra = 0;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  struct Seen {
    uint64_t count = 0;
    uint64_t bytes = 0;  // of one copy
    uint32_t origin = 0;
    Place first, last;
  };
  struct Foreign {
    uint64_t count = 0;
    bool circulates = false;
    std::vector<std::string> tables;  // at most kTablesKept
    uint64_t more_tables = 0;
    Place first, last;
    std::string first_gtid, last_gtid;
  };
  struct Aggregate {
    uint64_t count = 0;
    Place first, last;
    std::string first_gtid, last_gtid;
  };

  // A transaction seen more than once: its GTID text and the tables of a copy.
  struct Repeated {
    Key key;
    std::string gtid;
    std::vector<std::string> tables;
  };
  static Key key_of(const protocol::Gtid& gtid);

  void close(const TransactionSummary& t);
  void on_content(const StreamEvent& se);
  void note_table(std::string name);
  Place place_of(const TransactionSummary& t);
  report::Evidence evidence(const Place& p, const std::string& gtid, uint32_t origin) const;

  config::ServerConfig source_config_, other_config_;
  std::string source_name_, other_name_;
  TransactionAssembler assembler_;
  ContentFingerprint content_;
  // What the open transaction needs: a fingerprint only without a GTID to key it
  // by, its tables only when it comes from a server id neither master's (the
  // common case, a GTID from A or B, costs neither).
  bool fingerprint_ = true, note_tables_ = true;
  std::vector<std::string> tables_;  // of the open transaction (db.table or db (statements))
  StatementDigestKey statement_key_;
  std::vector<std::string> files_;

  std::unordered_map<Key, Seen, KeyHash> seen_;
  std::vector<Repeated> repeated_;  // the keys seen twice
  std::map<uint32_t, Foreign> foreign_;
  Aggregate same_id_;  // the other master's own id, applied again
  Totals totals_;
};

// Settings of the pair that loop or will: equal server ids, server_id 0,
// replicate-same-server-id with log-slave-updates and log-bin (which the servers
// refuse at start: an option file that would loop). `third_source` (a server id
// neither master's was seen in a binlog) adds gtid_ignore_duplicates off on a
// MariaDB master: a transaction that reaches it by two paths is applied twice.
// A live master's replica channels add: a channel fed by a server id neither
// master's (loop.third_source, which counts as `third_source` too), and
// IGNORE_SERVER_IDS naming the peer or the channel's own master
// (loop.ignore_server_ids: that server's changes are dropped).
std::vector<report::Finding> loop_config_findings(const config::ServerConfig& a,
                                                  const config::ServerConfig& b, bool third_source);

}  // namespace twinlog::checks
