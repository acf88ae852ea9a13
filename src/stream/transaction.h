// Groups events into transactions, as the servers delimit them:
//   - a GTID event (MySQL GTID / ANONYMOUS_GTID / GTID_TAGGED, MariaDB GTID) opens one;
//     a MariaDB standalone GTID (FL_STANDALONE) covers the single event after it, any
//     other MariaDB GTID stands for BEGIN (no BEGIN query follows it);
//   - QUERY "BEGIN" opens one when no GTID did; XID, QUERY "COMMIT" / "ROLLBACK",
//     XA_PREPARE and QUERY "XA PREPARE" / "XA COMMIT" / "XA ROLLBACK" close it;
//   - any other QUERY outside a transaction (DDL, autocommit non-transactional
//     statements) is a transaction of its own, with the INTVAR / RAND / USER_VAR
//     events before it;
//   - rows events outside BEGIN (old non-transactional engines) end at STMT_END_F.
// Control events (FDE, ROTATE, PREVIOUS_GTIDS, GTID_LIST, checkpoints, heartbeats,
// STOP) belong to no transaction. The TRANSACTION_PAYLOAD event is part of the
// transaction whose events it carries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "src/stream/event_stream.h"

namespace twinlog {

struct TransactionSummary {
  std::string gtid;         // "3E11FA47-...:23", "0-1-24", or empty (anonymous)
  uint32_t server_id = 0;   // originating server (of the first event)
  std::string file;
  uint64_t start = 0;       // offset of the first event
  uint64_t end = 0;         // offset just past the last event
  uint32_t first_timestamp = 0, last_timestamp = 0;
  uint64_t bytes = 0;       // event bytes (top-level; compressed size for payloads)
  uint64_t events = 0;
  bool committed = true;    // false for ROLLBACK
  bool complete = true;     // false when the input ended inside it
};

enum class Boundary : uint8_t {
  kNone,         // the event belongs to no transaction
  kBegin,        // opens a transaction
  kInside,       // inside an open transaction
  kEnd,          // closes the open transaction
  kSingle,       // a transaction by itself
};

class TransactionAssembler {
 public:
  // Feeds one event; returns the boundary it forms. When a transaction ends,
  // completed() holds it until the next call.
  Boundary add(const StreamEvent& event);
  // The transaction that the last add() closed.
  const std::optional<TransactionSummary>& completed() const { return completed_; }
  // At the end of the input: the open transaction, if any, marked incomplete.
  std::optional<TransactionSummary> finish();
  bool in_transaction() const { return open_.has_value(); }

 private:
  void open(const StreamEvent& event, std::string gtid);
  void account(const StreamEvent& event);
  void close(bool committed);
  void abandon_open();

  std::optional<TransactionSummary> open_;
  std::optional<TransactionSummary> completed_;
  bool standalone_pending_ = false;  // MariaDB FL_STANDALONE: the next event ends it
  bool saw_begin_ = false;           // the open transaction had an explicit BEGIN
  bool implicit_ = false;            // opened by a statement prefix or rows without BEGIN
};

std::string format_gtid(const protocol::GtidEvent& gtid);
std::string format_gtid(const protocol::MariaGtidEvent& gtid, uint32_t server_id);
std::string format_uuid(const protocol::Uuid& uuid);

}  // namespace twinlog
