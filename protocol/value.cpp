// PLACEHOLDER: replaced by the real value decoders.
#include "protocol/value.h"
namespace twinlog::protocol {
Result<Value> decode_value(const ColumnDef&, const Cell& cell) { return DecodeError{cell.offset, "not implemented"}; }
std::string to_sql_text(const Value&) { return {}; }
void append_json(std::string&, const Value&) {}
std::string column_type_text(const ColumnDef&) { return {}; }
}  // namespace twinlog::protocol
