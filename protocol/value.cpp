#include "protocol/value.h"

#include <cstring>

#include "protocol/cell_decoder.h"

namespace twinlog::protocol {

namespace cell_decoding {

Result<Value> decode_geometry(Bytes v, uint64_t offset) {
  if (v.empty()) return GeometryValue{};
  if (v.size() < 4) return DecodeError{offset, "GEOMETRY value shorter than its 4-byte SRID"};
  return GeometryValue{load_le32(v.data()), v.subspan(4)};
}

Result<Value> decode_vector(Bytes v, uint64_t offset) {
  if (v.size() % 4) {
    return DecodeError{
        offset, "VECTOR value of " + std::to_string(v.size()) + " bytes, not a multiple of 4"};
  }
  VectorValue out;
  out.values.reserve(v.size() / 4);
  for (std::size_t i = 0; i < v.size(); i += 4) {
    const uint32_t bits = load_le32(v.data() + i);
    float f;
    std::memcpy(&f, &bits, 4);
    out.values.push_back(f);
  }
  return out;
}

}  // namespace cell_decoding

namespace {

using cell_decoding::DecimalText;

// Hands a value out of decode_cell as a Result.
constexpr auto kToResult = [](auto&& value) -> Result<Value> {
  if constexpr (std::is_same_v<std::remove_cvref_t<decltype(value)>, DecimalText>) {
    return DecimalValue{std::string(value.text)};
  } else {
    return Result<Value>(std::forward<decltype(value)>(value));
  }
};

}  // namespace

Result<Value> decode_value(const ColumnDef& column, const Cell& cell) {
  return cell_decoding::decode_cell(column, cell_layout(column), cell, kToResult);
}

Result<Value> decode_value(const RowReader& reader, const Cell& cell) {
  return cell_decoding::decode_walked(reader, cell, kToResult);
}

DecodeStatus decode_value_and_drop(const RowReader& reader, const Cell& cell) {
  return cell_decoding::decode_walked(reader, cell, [](auto&&) { return DecodeStatus{}; });
}

}  // namespace twinlog::protocol
