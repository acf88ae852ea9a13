// NEWDECIMAL: MySQL's binary DECIMAL encoding, decoded to exact decimal text.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "protocol/byte_reader.h"
#include "protocol/result.h"

namespace twinlog::protocol {

// Bytes a DECIMAL(precision, scale) value takes in a row image; 0 when
// precision / scale are out of range (precision 1..65, scale 0..30, scale <= precision).
std::size_t decimal_binary_size(unsigned precision, unsigned scale);

// Decodes a binary DECIMAL(precision, scale) at the start of `bytes` into text as
// the server prints it: "-1234.5600", "0.05", "7". `offset` is the absolute offset
// of bytes[0], for errors (short input, a digit group out of range).
Result<std::string> decode_decimal(Bytes bytes, unsigned precision, unsigned scale,
                                   uint64_t offset);

// Room for the text of any DECIMAL: two places in front (a sign, a lone "0"), 65
// digits and a point.
using DecimalBuffer = std::array<char, 72>;
// decode_decimal without an allocation: the text is written into `text` and the
// view returned lies in it.
Result<std::string_view> decode_decimal_into(Bytes bytes, unsigned precision, unsigned scale,
                                             uint64_t offset, DecimalBuffer& text);

}  // namespace twinlog::protocol
