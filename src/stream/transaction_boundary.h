// Where transactions begin and end in a stream of raw events, decided from header
// type codes and, for QUERY events, the statement text (BEGIN / COMMIT / ROLLBACK /
// XA START). After the style of MySQL's trx_boundary_parser, and as small: the live
// source resumes only at the boundaries it reports, and capture fsyncs there.
//
//   MariaDB: GTID (FL_STANDALONE clear) ... XID | QUERY COMMIT | QUERY ROLLBACK | XA_PREPARE
//            GTID (FL_STANDALONE set)   [INTVAR|RAND|USER_VAR|ANNOTATE...] QUERY
//   MySQL:   GTID QUERY BEGIN ... XID | COMMIT      GTID QUERY <ddl>     GTID TRANSACTION_PAYLOAD
//   either:  QUERY BEGIN ... XID | COMMIT           QUERY <statement>    (no GTIDs)
// Any other event met outside a transaction (FORMAT_DESCRIPTION, ROTATE, GTID_LIST,
// BINLOG_CHECKPOINT, PREVIOUS_GTIDS, STOP, INCIDENT, ...) is a unit of its own.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "protocol/format_description.h"

namespace twinlog {

struct MariaGtid {
  uint32_t domain_id = 0;
  uint32_t server_id = 0;
  uint64_t seq_no = 0;
  bool operator==(const MariaGtid&) const = default;
};

class TransactionBoundaryTracker {
 public:
  enum class State : uint8_t {
    kOutside,         // between transactions: a safe place to resume
    kInTransaction,   // after GTID (MariaDB) or BEGIN: until XID / COMMIT / ROLLBACK
    kStatementNext,   // the next statement ends the group (MariaDB standalone GTID, or
                      // INTVAR / RAND / USER_VAR before an autocommitted statement)
    kAfterMysqlGtid,  // MySQL GTID: BEGIN opens a transaction, anything else ends it
  };

  // Feeds the next event (whole, header to checksum) read with `format`. Returns
  // true when the stream is between transactions after it.
  bool feed(std::span<const std::byte> event, const protocol::FormatDescription& format);

  bool at_boundary() const { return state_ == State::kOutside; }
  State state() const { return state_; }
  // The MariaDB GTID of the last transaction completed, if it had one.
  const std::optional<MariaGtid>& last_completed_gtid() const { return completed_; }
  // Forget everything: a new stream begins.
  void reset() { *this = TransactionBoundaryTracker(); }

 private:
  State state_ = State::kOutside;
  std::optional<MariaGtid> open_gtid_;
  std::optional<MariaGtid> completed_;

  void end_group();
};

}  // namespace twinlog
