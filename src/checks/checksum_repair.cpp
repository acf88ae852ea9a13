#include "src/checks/checksum_repair.h"

namespace twinlog::checks {
namespace {

std::string table_name(const ChecksumTable& table) {
  return quote_identifier(table.database) + "." + quote_identifier(table.table);
}

std::vector<std::size_t> all_indexes(std::size_t n) {
  std::vector<std::size_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

std::string where(const std::vector<ValueColumn>& columns, const std::vector<std::size_t>& key,
                  std::string_view row) {
  if (!key.empty()) return column_values(columns, row, key, " AND ");
  const auto values = split_row(row);
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < columns.size(); ++i) {
    if (!out.empty()) out += " AND ";
    out += quote_identifier(columns[i].name) + " <=> " + sql_literal(columns[i], values[i]);
  }
  return out;
}

}  // namespace

std::string column_values(const std::vector<ValueColumn>& columns, std::string_view row,
                          const std::vector<std::size_t>& indexes, std::string_view separator) {
  const auto values = split_row(row);
  const auto which = indexes.empty() ? all_indexes(values.size()) : indexes;
  std::string out;
  for (std::size_t i : which) {
    if (i >= values.size() || i >= columns.size()) continue;
    if (!out.empty()) out += separator;
    out += quote_identifier(columns[i].name) + " = " + sql_literal(columns[i], values[i]);
  }
  return out;
}

std::string insert_statement(const ChecksumTable& table, const std::vector<ValueColumn>& columns,
                             std::string_view row) {
  const auto values = split_row(row);
  std::string names, literals;
  for (std::size_t i = 0; i < values.size() && i < columns.size(); ++i) {
    if (i > 0) {
      names += ", ";
      literals += ", ";
    }
    names += quote_identifier(columns[i].name);
    literals += sql_literal(columns[i], values[i]);
  }
  return "INSERT INTO " + table_name(table) + " (" + names + ") VALUES (" + literals + ");";
}

std::string delete_statement(const ChecksumTable& table, const std::vector<ValueColumn>& columns,
                             const std::vector<std::size_t>& key, std::string_view row,
                             uint64_t copies) {
  std::string sql = "DELETE FROM " + table_name(table) + " WHERE " + where(columns, key, row);
  if (key.empty()) sql += " LIMIT " + std::to_string(copies);
  return sql + ";";
}

std::string update_statement(const ChecksumTable& table, const std::vector<ValueColumn>& columns,
                             const std::vector<std::size_t>& key, std::string_view from,
                             std::string_view to) {
  const auto a = split_row(from), b = split_row(to);
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] != b[i]) changed.push_back(i);
  }
  return "UPDATE " + table_name(table) + " SET " + column_values(columns, to, changed, ", ") +
         " WHERE " + where(columns, key, from) + ";";
}

}  // namespace twinlog::checks
