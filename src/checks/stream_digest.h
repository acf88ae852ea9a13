// `twinlog diff`, first half: the row changes of each transaction of one master's
// binlog, digested per table so that two masters' copies of a transaction can be
// compared without decoding a value.
//
// A row change's hash is XXH3-64 over a canonical encoding: the table's
// "db.table", the change type (write, update, delete; not the event version, which
// differs between servers that log the same change), the columns-present bitmaps
// and the raw row images. A table's digest in a transaction is the sum (mod 2^64)
// of its rows' hashes with the row count: order-independent (a replica may log a
// multi-row change in another order only by splitting it differently into events,
// which a sum does not see), and, XXH3 being non-linear, the same edit made to two
// rows does not cancel out as it does under a XOR of CRC32s.
//
// A statement (STATEMENT or MIXED format) is digested by its text and default
// database under the table it updates, "db.table", or "db (statements)" when the
// statement analyzer cannot tell (statement_digest_key.h): such an entry is
// compared by statement, not by rows, and the findings say so.
//
// Each transaction also gets the hash of each of its rows events (to name a rows
// event that a copy lacks: slave_skip_errors skips a whole event, not a row), the
// content fingerprint of loop_check.h (to align copies without a GTID), and what
// the peer does with it as FilterCheck decides (applies and logs again, or not).
// The row images themselves are kept, as copies of their events, only up to
// kKeptBytes per transaction, for showing differing rows.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "protocol/events.h"
#include "protocol/format_description.h"
#include "protocol/row_image.h"
#include "src/checks/filter_check.h"
#include "src/checks/loop_check.h"
#include "src/checks/statement_digest_key.h"
#include "src/config/server_config.h"
#include "src/stream/event_stream.h"
#include "src/stream/transaction.h"

namespace twinlog::checks {

// The changes of one table (or one default database's statements) in a transaction.
struct TableDigest {
  std::string table;          // "db.table", or "db (statements)" (statement_digest_key.h)
  bool by_statement = false;  // statements: compared by text, not by rows
  uint64_t sum = 0;           // of the rows' (statements') hashes, mod 2^64
  uint64_t rows = 0;          // rows (statements)
  // Whether the peer is expected to log this table's changes again (its filters
  // apply them and it logs what it applies; or the changes are the peer's own).
  bool expected_in_peer = true;
  bool operator==(const TableDigest& o) const {
    return table == o.table && sum == o.sum && rows == o.rows;
  }
};

// One rows event of a transaction (or one statement).
struct ChangeEvent {
  uint32_t table = 0;  // index into DigestedTransaction::tables
  uint64_t hash = 0;   // of all its rows, in order
  uint64_t rows = 0;
  uint64_t position = 0;       // of the event in its file
  uint32_t kept = UINT32_MAX;  // index into `kept` of its copy, if kept
};

// A row's hash and where it is, for narrowing a differing table down to rows.
struct RowHash {
  uint32_t event = 0;  // index into DigestedTransaction::events
  uint32_t row = 0;    // its index in that event
  uint64_t hash = 0;
};

// A copy of an event (a table map and its rows event) decoded again on demand.
struct KeptEvent {
  protocol::EventHeader header;
  std::size_t body_at = 0, body_size = 0;  // in DigestedTransaction::kept_bytes
  // Not copied: the event is read again from the transaction's file at `offset`
  // (a binlog file given by path, a top-level event not compressed).
  bool in_file = false;
  uint64_t offset = 0;
  uint8_t header_length = protocol::kHeaderLength;
  uint32_t table_map = UINT32_MAX;  // a rows event: the kept index of its table map
};

struct DigestedTransaction {
  TransactionSummary summary;  // file, positions, GTID, origin server_id
  // loop_check.h's fingerprint; only for a transaction without a GTID.
  uint64_t fingerprint_low = 0, fingerprint_high = 0;
  std::vector<TableDigest> tables;
  std::vector<ChangeEvent> events;
  std::vector<RowHash> rows;
  std::vector<KeptEvent> kept;
  std::vector<std::byte> kept_bytes;  // the kept events' bodies, one after the other
  std::shared_ptr<const protocol::FormatDescription> format;  // for decoding `kept`
  bool all_kept = true;  // false when the transaction outgrew kKeptBytes
  // What the peer does with it: expected (all or some tables) in the peer's binlog;
  // else the rule that filters it out or why it is not logged again.
  Outcome peer_logs = Outcome::kYes;
  std::string peer_rule;
  bool has_changes() const { return !events.empty(); }
};

// How a digested transaction travels from its reader to the aligner and back (its
// buffers are reused): by pointer, not moved member by member at every hand-over
// (the moves, with their deque blocks and map nodes, were a fifth of the aligner's
// instructions under callgrind).
using TransactionPtr = std::unique_ptr<DigestedTransaction>;

class StreamDigest {
 public:
  static constexpr std::size_t kKeptBytes = 4u << 20;

  // `source` wrote the binlog read, `peer` is the other master (for its filters
  // and server id). Names are "A" / "B".
  // An event that can be read again by path (StreamEvent::rereadable: a plain
  // file, as its source says) is kept as its place, not copied (copying every row
  // image cost a third of the reading's CPU on the ROW reference).
  StreamDigest(const config::ServerConfig& source, const config::ServerConfig& peer,
               std::string source_name, std::string peer_name);
  ~StreamDigest();
  StreamDigest(const StreamDigest&) = delete;
  StreamDigest& operator=(const StreamDigest&) = delete;

  // Feed every event in order. When it ends a transaction, that transaction is
  // returned (moved out; valid until the next call).
  DigestedTransaction* add(const StreamEvent& se);
  // At the end of the input: the open transaction (incomplete), if any.
  DigestedTransaction* finish();

  // A transaction returned by add() or finish(), moved out and since done with,
  // handed back: a later transaction is built in its vectors' buffers instead of
  // new ones (diff's aligner frees them in another thread than the reader's,
  // which cost about 5% of diff's CPU). One past kSpareBytes of buffers is freed.
  void reuse(DigestedTransaction&& spent);
  static constexpr std::size_t kSpareBytes = 1u << 20;
  static bool worth_reusing(const DigestedTransaction& spent);

  const std::string& source_name() const { return source_name_; }
  uint64_t transactions() const { return transactions_; }

  // The filter check the digest runs for what the peer does with each
  // transaction; its findings are `twinlog filters`' for this binlog, so that a
  // reader that reports them too (the audit) takes them from here rather than
  // running a second check and a second assembly of the transactions.
  const FilterCheck& filters() const { return filter_; }
  // Called with each transaction as add() or finish() returns it, before it is
  // moved on; `open_at_end`: finish()'s, the transaction the input ended in.
  // For a reader that hands the digest to run_diff (checks::DiffSide::digest) and
  // needs each transaction's summary too.
  using TransactionHook = std::function<void(const DigestedTransaction&, bool open_at_end)>;
  void on_transaction(TransactionHook hook) { hook_ = std::move(hook); }

 private:
  void on_event(const StreamEvent& se);
  void on_rows(const StreamEvent& se, const protocol::RowsEvent& rows);
  void on_statement(const StreamEvent& se, std::string_view database, std::string_view query);
  uint32_t table_index(std::string_view name, bool by_statement);
  uint32_t keep(const StreamEvent& se, uint32_t table_map);
  DigestedTransaction* close(const TransactionSummary& summary,
                             const TransactionDecision* decision);
  DigestedTransaction next_open();

  config::ServerConfig source_config_, peer_config_;
  std::string source_name_, peer_name_;
  FilterCheck filter_;
  StatementDigestKey statement_key_;
  ContentFingerprint fingerprint_;
  bool fingerprint_needed_ = true;  // the open transaction has no GTID
  DigestedTransaction open_, done_;
  std::vector<DigestedTransaction> spare_;  // handed back by reuse(), at most kSpares
  static constexpr std::size_t kSpares = 4;
  std::shared_ptr<const protocol::FormatDescription> format_;
  std::vector<std::pair<uint64_t, uint32_t>> kept_maps_;  // table id, its kept table map
  uint64_t transactions_ = 0;
  TransactionHook hook_;
  std::string name_;            // scratch
  protocol::RowChange change_;  // scratch: its cells' vectors kept from one event to the next
};

}  // namespace twinlog::checks
