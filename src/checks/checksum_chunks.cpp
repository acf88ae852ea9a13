#include "src/checks/checksum_chunks.h"

#include <algorithm>

#include "src/report/concat.h"

namespace twinlog::checks {
namespace {

std::string column_list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += quote_identifier(n);
  }
  return out;
}

// (k1 > ?) OR (k1 = ? AND k2 > ?) OR ...: the key after `value`.
void append_after(const std::vector<std::string>& key, const KeyValue& value, BoundStatement& s) {
  s.sql += "(";
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (i > 0) s.sql += " OR ";
    s.sql += "(";
    for (std::size_t j = 0; j < i; ++j) {
      s.sql += quote_identifier(key[j]) + " = ? AND ";
      s.params.push_back(value[j]);
    }
    s.sql += quote_identifier(key[i]) + " > ?)";
    s.params.push_back(value[i]);
  }
  s.sql += ")";
}

std::string from(const ChecksumTable& table) {
  return " FROM " + quote_identifier(table.database) + "." + quote_identifier(table.table);
}

std::string all_columns(const ChecksumTable& table) {
  std::vector<std::string> names;
  for (const auto& c : table.columns) names.push_back(c.name);
  return column_list(names);
}

}  // namespace

BoundStatement chunk_select(const ChecksumTable& table, const ChunkRange& range) {
  BoundStatement s;
  s.integer_params = integer_key(table);
  s.sql = "SELECT " + all_columns(table) + from(table);
  if (range.lower || range.upper) s.sql += " WHERE ";
  if (range.lower) append_after(table.key, *range.lower, s);
  if (range.lower && range.upper) s.sql += " AND ";
  if (range.upper) {
    s.sql += "NOT ";
    append_after(table.key, *range.upper, s);
  }
  return s;
}

BoundStatement upper_bound_select(const ChecksumTable& table, const std::optional<KeyValue>& lower,
                                  uint64_t rows) {
  BoundStatement s;
  s.integer_params = integer_key(table);
  s.sql = "SELECT " + column_list(table.key) + from(table);
  if (lower) {
    s.sql += " WHERE ";
    append_after(table.key, *lower, s);
  }
  s.sql += " ORDER BY " + column_list(table.key) + " LIMIT 1 OFFSET " +
           std::to_string(std::max<uint64_t>(rows, 1) - 1);
  return s;
}

BoundStatement key_range_select(const ChecksumTable& table) {
  const std::string key = quote_identifier(table.key.at(0));
  return {report::concat("SELECT MIN(", key, "), MAX(", key, ")", from(table)), {}};
}

std::string describe_range(const ChecksumTable& table, const ChunkRange& range) {
  if (table.key.empty()) return "whole table";
  auto tuple = [&](const KeyValue& v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ", ";
      if (v[i]) {
        out.append("'").append(*v[i]).append("'");
      } else {
        out += "NULL";
      }
    }
    return table.key.size() > 1 ? report::concat("(", out, ")") : out;
  };
  const std::string key = table.key.size() > 1 ? report::concat("(", column_list(table.key), ")")
                                               : column_list(table.key);
  std::string out;
  if (range.lower) out = key + " > " + tuple(*range.lower);
  if (range.upper)
    out.append(out.empty() ? "" : " AND ").append(key).append(" <= ").append(tuple(*range.upper));
  return out.empty() ? "all rows" : out;
}

uint64_t next_chunk_rows(uint64_t rows, double seconds, double target_seconds) {
  double next = seconds <= 0 ? static_cast<double>(rows) * 2
                             : static_cast<double>(rows) * target_seconds / seconds;
  next = std::clamp(next, static_cast<double>(rows) / 2, static_cast<double>(rows) * 2);
  return std::clamp<uint64_t>(static_cast<uint64_t>(next), 16, 1'000'000);
}

}  // namespace twinlog::checks
