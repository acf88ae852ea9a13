// The SQL that would make one master's row like the other's, for a finding's
// action: printed for the operator, never run by twinlog.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/checks/checksum_tables.h"
#include "src/checks/checksum_values.h"

namespace twinlog::checks {

// The row's columns as "`c` = literal" joined by `separator`; only those at
// `indexes` when given.
std::string column_values(const std::vector<ValueColumn>& columns, std::string_view row,
                          const std::vector<std::size_t>& indexes, std::string_view separator);

// INSERT INTO `db`.`t` (...) VALUES (...);
std::string insert_statement(const ChecksumTable& table, const std::vector<ValueColumn>& columns,
                             std::string_view row);
// DELETE the row, found by its key (`key` column indexes), or, without a key, by
// every column (<=>, so NULLs match) with LIMIT `copies`.
std::string delete_statement(const ChecksumTable& table, const std::vector<ValueColumn>& columns,
                             const std::vector<std::size_t>& key, std::string_view row,
                             uint64_t copies = 1);
// UPDATE the row `from` (found by its key) to `to`, setting only what differs.
std::string update_statement(const ChecksumTable& table, const std::vector<ValueColumn>& columns,
                             const std::vector<std::size_t>& key, std::string_view from,
                             std::string_view to);

}  // namespace twinlog::checks
