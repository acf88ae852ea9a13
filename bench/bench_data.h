// Inputs for the micro benchmarks: encoded column values, a table like the
// workload's, rows events and whole binlogs built in memory with the tests' event
// builder (tests/support/event_builder.h). Each value is written in the binlog
// encoding FORMAT-NOTES.md gives for its type; the benchmarks check once that it
// decodes, so a wrong encoding fails loudly instead of timing an error path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/byte_reader.h"
#include "protocol/events.h"

namespace twinlog::bench {

using ByteVec = std::vector<std::byte>;

protocol::ColumnDef column(protocol::ColumnType type, uint16_t meta = 0);

// One column of a benchmark table and one encoded value for it.
struct SampleColumn {
  std::string name;  // the benchmark label, e.g. "DECIMAL(10,4)"
  protocol::ColumnDef def;
  ByteVec cell;  // the value as it sits in a row image
};

// One value of every column type the decoders know, in a fixed order.
std::vector<SampleColumn> sample_columns();

// A MySQL binary JSON document: an object of `members` keys mixing numbers,
// strings, literals and a nested array.
ByteVec json_document(int members);

// The workload's typical row: ints, DECIMALs, temporals, strings, ENUM/SET/BIT.
struct SampleTable {
  protocol::TableMapEvent map;
  std::vector<std::string> names;  // storage for map.columns[i].name
  std::vector<ByteVec> values;     // one encoded value per column
};
SampleTable sample_table();

// The body of a WRITE_ROWS (v2) event after its post-header and extra data:
// column count, present bitmap, then `rows` copies of the row.
struct SampleRows {
  ByteVec bitmap;
  ByteVec rows;
  protocol::RowsEvent event;
};
SampleRows sample_rows(const SampleTable& table, int rows);

// A MariaDB 10.11 binlog (magic, FDE, then transactions of GTID, TABLE_MAP,
// WRITE_ROWS events of about 8 KiB, XID) of at least `bytes` bytes (one
// transaction at the least), CRC32 footers.
ByteVec sample_binlog(std::size_t bytes);

}  // namespace twinlog::bench
