// What `twinlog stats` counts: events and bytes per type, row changes per table and
// kind, transactions per origin server_id, the largest and longest transactions,
// first and last event time, checksum status. Every row value is decoded on the
// way, so a stats run also proves the rows decode.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "protocol/row_image.h"
#include "src/stream/event_stream.h"
#include "src/stream/transaction.h"

namespace twinlog {

struct TypeCount {
  uint64_t events = 0;
  uint64_t bytes = 0;
};
struct TableRowCount {
  uint64_t inserts = 0, updates = 0, deletes = 0;
};
struct OriginCount {
  uint64_t transactions = 0;
  uint64_t events = 0;
  uint64_t bytes = 0;
};

class BinlogStats {
 public:
  // `decode_values`: build every row value (what the command does); off, only
  // row boundaries are walked.
  explicit BinlogStats(bool decode_values = true) : decode_values_(decode_values) {}
  // Not copyable: type_slots_ points into types_ (a move keeps the map's nodes).
  BinlogStats(const BinlogStats&) = delete;
  BinlogStats& operator=(const BinlogStats&) = delete;
  BinlogStats(BinlogStats&&) = default;
  BinlogStats& operator=(BinlogStats&&) = default;
  void add(const StreamEvent& se);
  void finish();

  std::string text() const;
  std::string json() const;
  // What the counts cannot show: files of two servers mixed (by their
  // FORMAT_DESCRIPTION's server_id), unknown event types read without checksums.
  std::vector<std::string> warnings() const;

  uint64_t events() const { return events_; }
  uint64_t row_changes() const { return row_changes_; }
  uint64_t values_decoded() const { return values_; }
  const std::map<std::string, TypeCount>& types() const { return types_; }
  const std::map<std::string, TableRowCount>& tables() const { return tables_; }
  const std::map<uint32_t, OriginCount>& origins() const { return origins_; }
  uint64_t transactions() const { return transactions_; }
  uint64_t checksums_verified() const { return crc_ok_; }

 private:
  void add_transaction(const TransactionSummary& t);
  void count_rows(const StreamEvent& se);
  void decode_image(const StreamEvent& se, const protocol::RowReader& reader,
                    const protocol::RowImage& image);

  bool decode_values_;
  TransactionAssembler assembler_;
  uint64_t events_ = 0, bytes_ = 0, row_changes_ = 0, values_ = 0, transactions_ = 0;
  uint64_t incomplete_transactions_ = 0, crc_ok_ = 0, crc_none_ = 0, inner_events_ = 0;
  uint32_t first_time_ = 0, last_time_ = 0;
  bool any_time_ = false;
  std::map<std::string, TypeCount> types_;
  // types_'s entry per (type code as named, inside a payload or not), found once:
  // building the key string for every event cost more than the counting.
  std::array<TypeCount*, 512> type_slots_{};
  std::map<std::string, TableRowCount> tables_;
  std::map<uint32_t, OriginCount> origins_;
  std::vector<TransactionSummary> largest_, longest_;  // top 5 each
  std::vector<std::string> files_;
  // Each file's writer, from its FORMAT_DESCRIPTION: files of two servers mixed.
  std::vector<std::pair<std::string, uint32_t>> file_servers_;
  uint64_t unknown_unverified_ = 0;  // unknown event types whose CRC32 was not checked
};

}  // namespace twinlog
