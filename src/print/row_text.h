// The `###` pseudo-SQL of a rows event as mariadb-binlog -v / -vv prints it: one
// line per column of each row image, with its type, metadata word and nullability
// in a comment under -vv.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/stream/event_stream.h"

namespace twinlog {

class RowText {
 public:
  // Appends the rows of `se` (a rows event) at `verbosity` 1 or 2 (0: nothing) and
  // returns how many rows it holds, as mariadb-binlog counts them. Row values that
  // fail to decode throw SourceError.
  uint64_t append(const StreamEvent& se, int verbosity, std::string& out);

  // The parts of a `###` row line that depend only on the column:
  //   ###   @N=<value> /* name TYPE meta=M nullable=1 is_null=0 */
  struct Column {
    std::string prefix;   // "###   @N="
    std::string comment;  // " /* name TYPE meta=M nullable=1 is_null="
    bool is_float = false;
  };
  // What a column's texts are made from.
  struct ColumnKey {
    protocol::ColumnType type, real_type;
    uint16_t meta;
    bool nullable;
    std::optional<uint32_t> vector_dimensions;
    std::string name;
  };

 private:
  // What the column texts of one table were made from, and the texts. Kept between
  // rows events: most transactions of a file write the tables the previous ones
  // wrote, each behind a table map of its own, and building the texts anew for
  // every rows event cost 4% of decode's text CPU.
  struct Table {
    uint64_t table_id = 0;
    std::string database, table;
    std::vector<ColumnKey> keys;
    std::string quoted_name;  // `db`.`table`
    std::vector<Column> columns;
  };
  const Table& table_text(const protocol::TableMapEvent& table);

  static constexpr std::size_t kTablesKept = 8;
  std::vector<Table> tables_;
  std::size_t next_replaced_ = 0;
};

}  // namespace twinlog
