// Where transactions begin and end, written once: the role each event plays
// (event_role), decided from the decoded event, and the small state machine that
// turns roles into boundaries (TransactionBoundaryParser, after MySQL's
// trx_boundary_parser). The assembler over decoded events, and the live reader's
// resume and capture's fsync over raw event bytes (TransactionBoundaryTracker),
// all go through them.
//
// What the servers write:
//   MariaDB: GTID (no FL_STANDALONE: it stands for BEGIN) ... XID | QUERY COMMIT | QUERY ROLLBACK
//            GTID (FL_PREPARED_XA) ... QUERY XA END | XA_PREPARE   (XA START is the GTID)
//            GTID (FL_STANDALONE) [INTVAR | RAND | USER_VAR | ANNOTATE_ROWS ...] QUERY <ddl or
//            statement> GTID (FL_STANDALONE or FL_COMPLETED_XA) QUERY XA COMMIT | XA ROLLBACK
//   MySQL:   GTID QUERY BEGIN ... XID | QUERY COMMIT | QUERY ROLLBACK
//            GTID QUERY XA START ... QUERY XA END | XA_PREPARE, later GTID QUERY XA COMMIT | XA
//            ROLLBACK GTID QUERY <ddl>      GTID TRANSACTION_PAYLOAD (BEGIN ... XID inside) GTID
//            QUERY CREATE TABLE ... START TRANSACTION  TABLE_MAP rows XID  (atomic CREATE ...
//            SELECT, 8.0.21+)
//   either, without GTIDs: QUERY BEGIN ... XID | COMMIT | ROLLBACK, QUERY <statement> alone.
// Rows, table maps, LOAD DATA blocks, SAVEPOINT, ROLLBACK TO and XA END occur only
// inside a transaction: met outside one, the stream began in the middle of it, and
// its end (XID, COMMIT, ROLLBACK, XA_PREPARE) is the next boundary, never the rows
// event (a resume there would replay half a transaction). Control events
// (FORMAT_DESCRIPTION, ROTATE, GTID_LIST, PREVIOUS_GTIDS, BINLOG_CHECKPOINT,
// HEARTBEAT, STOP, INCIDENT, ...) belong to no transaction and change nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "protocol/events.h"
#include "protocol/format_description.h"
#include "protocol/framer.h"
#include "protocol/gtid_set.h"

namespace twinlog::protocol {

// Which transaction statement a QUERY's text is, compared as the servers write
// them: leading blanks skipped, any letter case, a keyword ends at a non-word
// character ("COMMIT", " commit ;", "XA COMMIT X'31'").
enum class TransactionStatement : uint8_t {
  kNone,  // any other statement
  kBegin,
  kCommit,
  kRollback,
  kSavepoint,
  kRollbackToSavepoint,
  kXaStart,  // also XA BEGIN
  kXaEnd,
  kXaPrepare,
  kXaCommit,
  kXaRollback,
  kCreateStartTransaction,  // MySQL 8.0.21+ atomic CREATE TABLE ... SELECT
};
TransactionStatement transaction_statement(std::string_view sql);

// The part an event plays, by itself, in the transaction around it.
enum class BoundaryRole : uint8_t {
  kNone,             // belongs to no transaction: control events
  kGroupHead,        // a GTID that heads the next statement or BEGIN: MySQL GTID /
                     // ANONYMOUS_GTID / GTID_TAGGED, MariaDB GTID with FL_STANDALONE
  kGtidBegin,        // a GTID that stands for BEGIN: MariaDB GTID without FL_STANDALONE
  kBegin,            // BEGIN, XA START, CREATE ... START TRANSACTION
  kStatement,        // a statement: part of the open transaction, else one by itself
  kStatementPrefix,  // INTVAR, RAND, USER_VAR, ANNOTATE_ROWS, ROWS_QUERY: belongs
                     // to the statement after it
  kInside,           // only ever inside a transaction: rows, table maps, LOAD blocks,
                     // SAVEPOINT, ROLLBACK TO, XA END, TRANSACTION_PAYLOAD (its
                     // events follow it, decoded)
  kCommit,           // ends it: XID, COMMIT, XA_PREPARE, XA PREPARE, XA COMMIT
  kRollback,         // ends it, undone: ROLLBACK, XA ROLLBACK
};

// The role of a decoded event (its view gives the type code).
BoundaryRole event_role(const EventView& view, const Event& event);

// What an event does to the transactions around it, once its role meets the state.
enum class Boundary : uint8_t {
  kNone,    // the event belongs to no transaction
  kBegin,   // opens a transaction (one still open never ended: it is abandoned)
  kInside,  // inside the open transaction
  kEnd,     // closes the open transaction
  kSingle,  // a transaction by itself
};

class TransactionBoundaryParser {
 public:
  Boundary feed(BoundaryRole role);
  bool at_boundary() const { return state_ == State::kOutside; }
  bool in_transaction() const { return state_ != State::kOutside; }
  // The open transaction began with an explicit BEGIN or a GTID standing for it.
  bool explicit_begin() const { return state_ == State::kTransaction; }

 private:
  enum class State : uint8_t {
    kOutside,         // between transactions: a safe place to resume
    kGroup,           // after a group-heading GTID or a statement prefix: the next
                      // statement ends the group, a BEGIN makes it a transaction
    kTransaction,     // after BEGIN or a GTID standing for it: until its end
    kMidTransaction,  // rows or the like met outside: the stream began inside a
                      // transaction; until its end
  };
  State state_ = State::kOutside;
};

// Over raw events, as the live reader holds them: each event's bytes and the
// format it was read with. Only QUERY and GTID events are decoded (through the
// Framer, which inflates MariaDB's compressed QUERY); every other event's role
// follows from its type code.
class TransactionBoundaryTracker {
 public:
  // Feeds the next event (whole, header to checksum). Returns true when the stream
  // is between transactions after it. An event that does not decode changes nothing.
  bool feed(std::span<const std::byte> event, const FormatDescription& format);
  Boundary last_boundary() const { return last_; }
  bool at_boundary() const { return parser_.at_boundary(); }
  // The GTID of the last transaction completed, if it had one.
  const std::optional<Gtid>& last_completed_gtid() const { return completed_; }
  // Forget everything: a new stream begins.
  void reset();

 private:
  TransactionBoundaryParser parser_;
  Framer framer_{FramerOptions{.verify_checksum = false}};
  Boundary last_ = Boundary::kNone;
  std::optional<Gtid> open_gtid_;
  std::optional<Gtid> completed_;
};

}  // namespace twinlog::protocol
