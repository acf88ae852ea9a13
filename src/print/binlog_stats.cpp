#include "src/print/binlog_stats.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "protocol/row_image.h"
#include "protocol/value.h"
#include "src/print/event_printer.h"
#include "src/print/json_writer.h"

namespace twinlog {

using namespace protocol;

namespace {

constexpr std::size_t kTop = 5;

std::string type_key(const EventView& v) {
  std::string key = event_type_label(v.header.type_code);
  if (v.original_type_code) key = std::string(event_type_constant(v.original_type_code));
  if (v.inner_index) key += " (in payload)";
  return key;
}

template <class Less>
void keep_top(std::vector<TransactionSummary>& top, const TransactionSummary& t, Less less) {
  if (top.size() == kTop && !less(top.back(), t)) return;
  top.push_back(t);
  std::sort(top.begin(), top.end(), [&](const auto& a, const auto& b) { return less(b, a); });
  if (top.size() > kTop) top.pop_back();
}

bool smaller(const TransactionSummary& a, const TransactionSummary& b) {
  return a.bytes < b.bytes;
}
bool shorter(const TransactionSummary& a, const TransactionSummary& b) {
  return a.last_timestamp - a.first_timestamp < b.last_timestamp - b.first_timestamp;
}

}  // namespace

void BinlogStats::add(const StreamEvent& se) {
  const EventView& v = *se.view;
  ++events_;
  if (v.inner_index) ++inner_events_;
  const uint8_t named = v.original_type_code ? v.original_type_code : v.header.type_code;
  TypeCount*& slot = type_slots_[named * 2u + (v.inner_index ? 1u : 0u)];
  if (!slot) slot = &types_[type_key(v)];
  TypeCount& t = *slot;
  ++t.events;
  t.bytes += v.raw.size();
  if (!v.inner_index) {
    bytes_ += v.raw.size();
    if (se.checksum_verified)
      ++crc_ok_;
    else
      ++crc_none_;
    if (files_.empty() || files_.back() != *se.file) files_.push_back(*se.file);
    if (std::holds_alternative<FormatDescriptionEvent>(*se.event) &&
        (file_servers_.empty() || file_servers_.back().first != *se.file))
      file_servers_.emplace_back(*se.file, v.header.server_id);
    if (std::holds_alternative<UnknownEvent>(*se.event) && !se.checksum_verified)
      ++unknown_unverified_;
  }
  if (v.header.timestamp) {
    if (!any_time_ || v.header.timestamp < first_time_) first_time_ = v.header.timestamp;
    last_time_ = std::max(last_time_, v.header.timestamp);
    any_time_ = true;
  }
  if (std::holds_alternative<RowsEvent>(*se.event)) count_rows(se);
  assembler_.add(se);
  if (assembler_.completed()) add_transaction(*assembler_.completed());
}

// Decodes every value of `image` (and drops it): stats vouches that each one decodes.
void BinlogStats::decode_image(const StreamEvent& se, const RowReader& reader,
                               const RowImage& image) {
  for (const Cell& cell : image.cells) {
    if (cell.is_null) continue;
    if (auto error = decode_value_and_drop(reader, cell))
      throw SourceError(*se.file, error->offset, error->message);
    ++values_;
  }
}

void BinlogStats::count_rows(const StreamEvent& se) {
  const auto& rows = std::get<RowsEvent>(*se.event);
  if (!se.table) return;
  const TableMapEvent& table = *se.table;
  RowReader reader(rows, table, rows_offset(*se.view, rows), se.table_layouts);
  RowChange row;
  uint64_t n = 0;
  while (reader.next(row)) {
    ++n;
    if (decode_values_) {
      if (row.has_before) decode_image(se, reader, row.before);
      if (row.has_after) decode_image(se, reader, row.after);
    }
  }
  if (reader.failed()) throw SourceError(*se.file, reader.error().offset, reader.error().message);
  row_changes_ += n;
  std::string key = std::string(table.database) + "." + std::string(table.table);
  auto& counts = tables_[key];
  switch (rows.kind) {
    case RowsKind::kWrite:
      counts.inserts += n;
      break;
    case RowsKind::kDelete:
      counts.deletes += n;
      break;
    default:
      counts.updates += n;
      break;
  }
}

void BinlogStats::add_transaction(const TransactionSummary& t) {
  ++transactions_;
  if (!t.complete) ++incomplete_transactions_;
  auto& o = origins_[t.server_id];
  ++o.transactions;
  o.events += t.events;
  o.bytes += t.bytes;
  keep_top(largest_, t, smaller);
  keep_top(longest_, t, shorter);
}

void BinlogStats::finish() {
  if (auto open = assembler_.finish()) add_transaction(*open);
}

std::string BinlogStats::text() const {
  std::string out;
  char buf[512];
  // Each file named once; the transactions below refer to it by its number.
  out += "Files: " + std::to_string(files_.size()) + "\n";
  for (size_t i = 0; i < files_.size(); ++i)
    out += (files_.size() > 1 ? "  [" + std::to_string(i + 1) + "] " : "  ") + files_[i] + "\n";
  for (const std::string& w : warnings()) out += "Warning: " + w + "\n";
  std::snprintf(buf, sizeof buf,
                "Events: %" PRIu64 " (%" PRIu64 " inside compressed payloads), %" PRIu64 " bytes\n",
                events_, inner_events_, bytes_);
  out += buf;
  if (any_time_)
    out += "Time: " + format_datetime_utc(first_time_) + " .. " + format_datetime_utc(last_time_) +
           " UTC\n";
  std::snprintf(buf, sizeof buf,
                "Checksums: %" PRIu64 " verified CRC32, %" PRIu64 " without checksum\n", crc_ok_,
                crc_none_);
  out += buf;
  out += "\nEvents by type:\n";
  std::snprintf(buf, sizeof buf, "  %-44s %12s %16s\n", "type", "events", "bytes");
  out += buf;
  for (const auto& [name, c] : types_) {
    std::snprintf(buf, sizeof buf, "  %-44s %12" PRIu64 " %16" PRIu64 "\n", name.c_str(), c.events,
                  c.bytes);
    out += buf;
  }
  std::snprintf(buf, sizeof buf, "\nRow changes: %" PRIu64 " (%" PRIu64 " values decoded)\n",
                row_changes_, values_);
  out += buf;
  if (!tables_.empty()) {
    std::snprintf(buf, sizeof buf, "  %-44s %12s %12s %12s\n", "table", "inserts", "updates",
                  "deletes");
    out += buf;
    for (const auto& [name, c] : tables_) {
      std::snprintf(buf, sizeof buf, "  %-44s %12" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n",
                    name.c_str(), c.inserts, c.updates, c.deletes);
      out += buf;
    }
  }
  std::snprintf(buf, sizeof buf, "\nTransactions: %" PRIu64 " (%" PRIu64 " incomplete)\n",
                transactions_, incomplete_transactions_);
  out += buf;
  if (!origins_.empty()) {
    std::snprintf(buf, sizeof buf, "  %-12s %14s %12s %16s\n", "server_id", "transactions",
                  "events", "bytes");
    out += buf;
    for (const auto& [id, o] : origins_) {
      std::snprintf(buf, sizeof buf, "  %-12u %14" PRIu64 " %12" PRIu64 " %16" PRIu64 "\n", id,
                    o.transactions, o.events, o.bytes);
      out += buf;
    }
  }
  auto file_ref = [&](const std::string& file) {
    if (files_.size() < 2) return std::string();
    const auto at = std::find(files_.begin(), files_.end(), file);
    return std::string("[").append(std::to_string(at - files_.begin() + 1)).append("] ");
  };
  auto list = [&](const char* title, const std::vector<TransactionSummary>& v) {
    if (v.empty()) return;
    out.append("\n").append(title).append(":\n");
    for (const auto& t : v) {
      std::snprintf(buf, sizeof buf,
                    "  %s%" PRIu64 "-%" PRIu64 "  %" PRIu64 " bytes, %" PRIu64
                    " events, %us, server_id %u%s%s\n",
                    file_ref(t.file).c_str(), t.start, t.end, t.bytes, t.events,
                    t.last_timestamp - t.first_timestamp, t.server_id, t.gtid ? ", GTID " : "",
                    t.gtid_text().c_str());
      out += buf;
    }
  };
  list("Largest transactions", largest_);
  // Longest only when one took time: a list of 0s ranks nothing.
  if (std::any_of(longest_.begin(), longest_.end(),
                  [](const TransactionSummary& t) { return t.last_timestamp > t.first_timestamp; }))
    list("Longest transactions", longest_);
  return out;
}

std::vector<std::string> BinlogStats::warnings() const {
  std::vector<std::string> out;
  for (const auto& [file, id] : file_servers_) {
    if (id == file_servers_.front().second) continue;
    out.push_back("files of two servers mixed: " + file_servers_.front().first +
                  " was written by server_id " + std::to_string(file_servers_.front().second) +
                  ", " + file + " by server_id " + std::to_string(id));
    break;
  }
  if (unknown_unverified_)
    out.push_back(std::to_string(unknown_unverified_) +
                  " events of unknown type were read without checksums (--no-verify-checksum, or "
                  "a binlog without them): they may be damaged events, not new types");
  return out;
}

std::string BinlogStats::json() const {
  std::string out;
  JsonObject obj(out);
  obj.num("files", files_.size())
      .num("events", events_)
      .num("inner_events", inner_events_)
      .num("bytes", bytes_);
  if (any_time_) obj.num("first_timestamp", first_time_).num("last_timestamp", last_time_);
  obj.num("checksums_verified", crc_ok_).num("checksums_absent", crc_none_);
  {
    std::string& o = obj.raw("types");
    JsonObject types(o);
    for (const auto& [name, c] : types_) {
      JsonObject t(types.raw(name));
      t.num("events", c.events).num("bytes", c.bytes);
      t.close();
    }
    types.close();
  }
  obj.num("row_changes", row_changes_).num("values_decoded", values_);
  {
    JsonObject tables(obj.raw("tables"));
    for (const auto& [name, c] : tables_) {
      JsonObject t(tables.raw(name));
      t.num("inserts", c.inserts).num("updates", c.updates).num("deletes", c.deletes);
      t.close();
    }
    tables.close();
  }
  obj.num("transactions", transactions_).num("incomplete_transactions", incomplete_transactions_);
  {
    JsonObject origins(obj.raw("origins"));
    for (const auto& [id, o] : origins_) {
      JsonObject t(origins.raw(std::to_string(id)));
      t.num("transactions", o.transactions).num("events", o.events).num("bytes", o.bytes);
      t.close();
    }
    origins.close();
  }
  auto list = [&](std::string_view key, const std::vector<TransactionSummary>& v) {
    std::string& o = obj.raw(key);
    o.push_back('[');
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) o.push_back(',');
      JsonObject t(o);
      t.str("file", v[i].file)
          .num("start", v[i].start)
          .num("end", v[i].end)
          .num("bytes", v[i].bytes)
          .num("events", v[i].events)
          .num("seconds", v[i].last_timestamp - v[i].first_timestamp)
          .num("server_id", v[i].server_id)
          .str("gtid", v[i].gtid_text());
      t.close();
    }
    o.push_back(']');
  };
  list("largest_transactions", largest_);
  list("longest_transactions", longest_);
  obj.close();
  out.push_back('\n');
  return out;
}

}  // namespace twinlog
