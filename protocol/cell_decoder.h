// How one cell becomes a value, written once as a template over what is done with
// the value (the sink): decode_value keeps it in a Value, decode_value_and_drop
// drops it, and the SQL-text and JSON appenders (value_text.cpp) render it straight
// from the stack, without building a Value, on decode's hot path. Both files
// instantiate the template, so each sink is inlined into the decoder. Internal to
// protocol/: value.cpp and value_text.cpp include it, nothing else does.
#pragma once

#include <cstring>
#include <string>
#include <string_view>

#include "protocol/column_type.h"
#include "protocol/decimal.h"
#include "protocol/json_binary.h"
#include "protocol/row_image.h"
#include "protocol/temporal.h"
#include "protocol/value.h"

namespace twinlog::protocol::cell_decoding {

// The text of a DECIMAL as decode_cell hands it out: a view of its stack buffer,
// turned into a DecimalValue only by a sink that keeps values.
struct DecimalText {
  std::string_view text;
};

// The value part of a length-prefixed cell.
inline Bytes after_prefix(Bytes cell, std::size_t prefix) {
  return cell.subspan(prefix);
}

inline std::size_t string_prefix(unsigned max_length) {
  return max_length < 256 ? 1 : 2;
}

Result<Value> decode_geometry(Bytes v, uint64_t offset);
Result<Value> decode_vector(Bytes v, uint64_t offset);

// The value of `cell`, handed to `sink` (which returns what decode_cell returns);
// errors go back as DecodeError, which that return type must take.
template <class Sink>
auto decode_cell(const ColumnDef& column, const CellLayout& layout, const Cell& cell, Sink&& sink)
    -> decltype(sink(NullValue{})) {
  if (cell.is_null) return sink(NullValue{});
  const Bytes b = cell.bytes;
  const uint64_t offset = cell.offset;
  // Re-check the length, so that a Cell built by hand cannot make us read past it.
  if (cell.partial_json) {
    if (b.size() < 4 || load_le32(b.data()) != b.size() - 4) {
      return DecodeError{offset, "partial JSON value length does not match its cell"};
    }
    auto diffs = decode_json_diffs(b.subspan(4), offset + 4);
    if (!diffs) return diffs.error();
    diffs->column = cell.column + 1;
    return sink(std::move(*diffs));
  }
  const std::size_t length = layout.length(b);
  if (length == CellLayout::kNoLength) return cell_length(column, b, offset).error();
  if (length != b.size()) {
    return DecodeError{offset, "cell of " + std::to_string(b.size()) + " bytes for a value of " +
                                   std::to_string(length)};
  }

  const auto raw_code = static_cast<uint8_t>(column.type);
  if (raw_code == kMariaBlobCompressed) {
    return sink(StringValue{after_prefix(b, column.meta), column.charset});
  }
  if (raw_code == kMariaVarcharCompressed) {
    return sink(StringValue{after_prefix(b, string_prefix(column.meta)), column.charset});
  }
  const unsigned meta = column.meta;
  switch (effective_type(column)) {
    // Each width its own load (a load of b.size() bytes would switch on it again).
    case ColumnType::kTiny:
      return sink(IntValue{std::to_integer<uint64_t>(b[0]), 1, column.is_unsigned});
    case ColumnType::kShort:
      return sink(IntValue{load_le16(b.data()), 2, column.is_unsigned});
    case ColumnType::kInt24:
      return sink(IntValue{load_le24(b.data()), 3, column.is_unsigned});
    case ColumnType::kLong:
      return sink(IntValue{load_le32(b.data()), 4, column.is_unsigned});
    case ColumnType::kLongLong:
      return sink(IntValue{load_le64(b.data()), 8, column.is_unsigned});
    case ColumnType::kYear: {
      const uint32_t v = std::to_integer<uint8_t>(b[0]);
      return sink(YearValue{v == 0 ? 0 : 1900 + v});
    }
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      if (meta == 4) {
        const uint32_t bits = load_le32(b.data());
        float f;
        std::memcpy(&f, &bits, 4);
        return sink(RealValue{f, true});
      } else {
        const uint64_t bits = load_le64(b.data());
        double d;
        std::memcpy(&d, &bits, 8);
        return sink(RealValue{d, false});
      }
    case ColumnType::kNull:
      return sink(NullValue{});
    case ColumnType::kDecimal:
      return sink(DecimalValue{std::string(as_chars(b))});
    case ColumnType::kNewDecimal: {
      DecimalBuffer buffer;
      auto text = decode_decimal_into(b, meta >> 8, meta & 0xff, offset, buffer);
      if (!text) return text.error();
      return sink(DecimalText{*text});
    }
    case ColumnType::kDate:
    case ColumnType::kNewDate:
      return sink(decode_date(b));
    case ColumnType::kTime:
      return sink(decode_time(b));
    case ColumnType::kDateTime:
      return sink(decode_datetime(b));
    case ColumnType::kTimestamp:
      return sink(decode_timestamp(b));
    case ColumnType::kTimestamp2:
      return sink(decode_timestamp2(b, meta));
    case ColumnType::kDateTime2:
      return sink(decode_datetime2(b, meta));
    case ColumnType::kTime2:
      return sink(decode_time2(b, meta));
    case ColumnType::kBit: {
      const uint32_t width = (meta >> 8) * 8 + (meta & 0xff);
      return sink(BitValue{load_be_n(b.data(), b.size()), width});
    }
    case ColumnType::kEnum: {
      EnumValue e;
      e.index = static_cast<uint32_t>(load_le_n(b.data(), b.size()));
      if (!column.enum_values.empty()) {
        e.name_known = true;
        if (e.index >= 1 && e.index <= column.enum_values.size())
          e.name = column.enum_values[e.index - 1];
      }
      return sink(e);
    }
    case ColumnType::kSet: {
      SetValue s;
      s.bits = load_le_n(b.data(), b.size());
      s.width = static_cast<uint8_t>(b.size());
      if (!column.enum_values.empty()) {
        s.names_known = true;
        for (std::size_t i = 0; i < column.enum_values.size() && i < 64; ++i) {
          if ((s.bits >> i) & 1) s.names.push_back(column.enum_values[i]);
        }
      }
      return sink(std::move(s));
    }
    case ColumnType::kVarchar:
    case ColumnType::kVarString:
    case ColumnType::kString:
      return sink(StringValue{after_prefix(b, string_prefix(meta)), column.charset});
    case ColumnType::kTinyBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob:
    case ColumnType::kBlob:
      return sink(StringValue{after_prefix(b, meta), column.charset});
    case ColumnType::kGeometry: {
      auto r = decode_geometry(after_prefix(b, meta), offset + meta);
      if (!r) return r.error();
      return sink(std::move(*r));
    }
    case ColumnType::kVector: {
      auto r = decode_vector(after_prefix(b, meta), offset + meta);
      if (!r) return r.error();
      return sink(std::move(*r));
    }
    case ColumnType::kJson: {
      JsonValue j;
      auto ok = append_json_binary(j.text, after_prefix(b, meta), offset + meta);
      if (!ok) return ok.error();
      return sink(std::move(j));
    }
    case ColumnType::kTypedArray:
    case ColumnType::kInvalid:
    case ColumnType::kBool:
      break;
  }
  return DecodeError{offset, "column type " + std::to_string(raw_code) + " has no value decoder"};
}

// decode_cell for a cell `reader` walked, with the layout the reader worked out.
template <class Sink>
auto decode_walked(const RowReader& reader, const Cell& cell, Sink&& sink)
    -> decltype(sink(NullValue{})) {
  if (cell.column >= reader.layouts().size()) {
    return DecodeError{cell.offset, "column " + std::to_string(cell.column + 1) +
                                        " is not one of the rows event's " +
                                        std::to_string(reader.layouts().size())};
  }
  return decode_cell(reader.table().columns[cell.column], reader.layouts()[cell.column], cell,
                     sink);
}

}  // namespace twinlog::protocol::cell_decoding
