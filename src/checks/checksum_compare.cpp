#include "src/checks/checksum_compare.h"

#include <map>
#include <unordered_map>

#include "src/checks/checksum_repair.h"

namespace twinlog::checks {
namespace {

std::string key_bytes(std::string_view row, const std::vector<std::size_t>& key) {
  const auto values = split_row(row);
  std::string out;
  for (std::size_t i : key) append_value(out, i < values.size() ? values[i] : std::nullopt);
  return out;
}

report::Evidence row_evidence(const char* server, const ChecksumTable& table,
                              const std::vector<ValueColumn>& columns, std::string_view row) {
  report::Evidence e;
  e.server = server;
  e.table = table.qualified();
  e.statement = column_values(columns, row, {}, ", ");
  return e;
}

report::Evidence chunk_evidence(const ChecksumTable& table, const std::string& range) {
  report::Evidence e;
  e.table = table.qualified();
  e.statement = "chunk " + range;
  return e;
}

std::string times(uint64_t n) {
  return std::to_string(n) + (n == 1 ? " time" : " times");
}

}  // namespace

std::vector<std::size_t> key_indexes(const ChecksumTable& table,
                                     const std::vector<ValueColumn>& columns) {
  std::vector<std::size_t> out;
  for (const auto& k : table.key) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == k) out.push_back(i);
    }
  }
  return out;
}

std::vector<RowDifference> compare_rows(const std::vector<std::string>& a,
                                        const std::vector<std::string>& b,
                                        const std::vector<std::size_t>& key) {
  std::vector<RowDifference> out;
  if (key.empty()) {
    std::map<std::string_view, std::pair<uint64_t, uint64_t>> counts;
    for (const auto& r : a) ++counts[r].first;
    for (const auto& r : b) ++counts[r].second;
    for (const auto& [row, n] : counts) {
      if (n.first == n.second) continue;
      RowDifference d;
      if (n.first > 0) d.a = std::string(row);
      if (n.second > 0) d.b = std::string(row);
      d.copies_a = n.first;
      d.copies_b = n.second;
      out.push_back(std::move(d));
    }
    return out;
  }
  std::unordered_map<std::string, std::size_t> in_b;
  for (std::size_t i = 0; i < b.size(); ++i) in_b.emplace(key_bytes(b[i], key), i);
  std::vector<bool> matched(b.size(), false);
  for (const auto& row : a) {
    auto it = in_b.find(key_bytes(row, key));
    if (it == in_b.end()) {
      out.push_back({row, std::nullopt, 1, 0});
      continue;
    }
    matched[it->second] = true;
    if (b[it->second] != row) out.push_back({row, b[it->second], 1, 1});
  }
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (!matched[i]) out.push_back({std::nullopt, b[i], 0, 1});
  }
  return out;
}

std::vector<report::Finding> row_findings(const ChecksumTable& table,
                                          const std::vector<ValueColumn>& columns,
                                          const std::string& range,
                                          const std::vector<RowDifference>& differences) {
  const auto key = key_indexes(table, columns);
  std::vector<report::Finding> out;
  for (const auto& d : differences) {
    report::Finding f;
    f.severity = report::Severity::kError;
    const std::string_view any = d.a ? *d.a : *d.b;
    const std::string which = key.empty() ? "(" + column_values(columns, any, {}, ", ") + ")"
                                          : "(" + column_values(columns, any, key, ", ") + ")";
    if (d.a) f.evidence.push_back(row_evidence("A", table, columns, *d.a));
    if (d.b) f.evidence.push_back(row_evidence("B", table, columns, *d.b));
    f.evidence.push_back(chunk_evidence(table, range));
    if (d.a && d.b && !key.empty()) {
      f.code = "checksum.row_differs";
      const auto va = split_row(*d.a), vb = split_row(*d.b);
      std::string what;
      for (std::size_t i = 0; i < va.size() && i < vb.size() && i < columns.size(); ++i) {
        if (va[i] == vb[i]) continue;
        if (!what.empty()) what += "; ";
        what += quote_identifier(columns[i].name) + " " + sql_literal(columns[i], va[i]) +
                " on A, " + sql_literal(columns[i], vb[i]) + " on B";
      }
      f.message = table.qualified() + ": row " + which + " differs: ";
      f.message += what;
      f.action = "To make B like A, on B: ";
      f.action += update_statement(table, columns, key, *d.b, *d.a);
      f.action += " To make A like B, on A: ";
      f.action += update_statement(table, columns, key, *d.a, *d.b);
      f.action += " (twinlog runs neither.)";
    } else if (key.empty()) {
      f.code = "checksum.row_count_differs";
      f.message = table.qualified() + ": row " + which + " is on A " + times(d.copies_a) +
                  ", on B " + times(d.copies_b);
      const bool more_on_a = d.copies_a > d.copies_b;
      const uint64_t extra = more_on_a ? d.copies_a - d.copies_b : d.copies_b - d.copies_a;
      const char* fuller = more_on_a ? "A" : "B";
      const char* emptier = more_on_a ? "B" : "A";
      std::string inserts;
      for (uint64_t i = 0; i < extra && i < 100; ++i)
        inserts += insert_statement(table, columns, any) + " ";
      f.action = std::string("To make ") + emptier + " like " + fuller + ", on " + emptier + ": " +
                 inserts + "To make " + fuller + " like " + emptier + ", on " + fuller + ": " +
                 delete_statement(table, columns, key, any, extra) + " (twinlog runs neither.)";
    } else {
      f.code = "checksum.row_missing";
      const char* has = d.a ? "A" : "B";
      const char* lacks = d.a ? "B" : "A";
      f.message = table.qualified() + ": row " + which + " is on " + has + " only";
      f.action = std::string("To copy it to ") + lacks + ", on " + lacks + ": " +
                 insert_statement(table, columns, any) + " To remove it from " + has + ", on " +
                 has + ": " + delete_statement(table, columns, key, any) +
                 " (twinlog runs neither.)";
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace twinlog::checks
