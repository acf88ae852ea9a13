// PLACEHOLDER: replaced by the real row walker.
#include "protocol/row_image.h"
namespace twinlog::protocol {
Result<std::size_t> cell_length(const ColumnDef&, Bytes, uint64_t offset) {
  return DecodeError{offset, "not implemented"};
}
RowReader::RowReader(const RowsEvent& rows, const TableMapEvent& table, uint64_t rows_offset)
    : rows_(rows), table_(table), reader_(rows.rows, rows_offset) {}
bool RowReader::next(RowChange&) { return false; }
bool RowReader::read_image(Bytes, bool, RowImage&) { return false; }
}  // namespace twinlog::protocol
