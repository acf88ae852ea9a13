#include "protocol/decimal.h"

#include <array>

namespace twinlog::protocol {
namespace {

// Digits are stored in groups of nine per 4 bytes; a leading or trailing partial
// group of n digits takes kGroupBytes[n] bytes.
constexpr std::array<unsigned, 10> kGroupBytes = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
constexpr std::array<uint32_t, 10> kPow10 = {1,      10,      100,      1000,      10000,
                                             100000, 1000000, 10000000, 100000000, 1000000000};
constexpr unsigned kDigitsPerGroup = 9;

}  // namespace

std::size_t decimal_binary_size(unsigned precision, unsigned scale) {
  if (precision < 1 || precision > 65 || scale > 30 || scale > precision) return 0;
  const unsigned intg = precision - scale;
  return (intg / kDigitsPerGroup) * 4 + kGroupBytes[intg % kDigitsPerGroup] +
         (scale / kDigitsPerGroup) * 4 + kGroupBytes[scale % kDigitsPerGroup];
}

//   [leading partial int group][full int groups, 4 bytes each]
//   [full frac groups, 4 bytes each][trailing partial frac group]
// Each group is big-endian. The first byte's top bit is flipped (1 = positive);
// a negative number has every byte inverted.
Result<std::string> decode_decimal(Bytes bytes, unsigned precision, unsigned scale,
                                   uint64_t offset) {
  const std::size_t size = decimal_binary_size(precision, scale);
  if (size == 0) {
    return DecodeError{offset, "bad DECIMAL(" + std::to_string(precision) + "," +
                                   std::to_string(scale) + ") metadata"};
  }
  if (bytes.size() < size) {
    return DecodeError{offset, "truncated DECIMAL(" + std::to_string(precision) + "," +
                                   std::to_string(scale) + ") value: needs " +
                                   std::to_string(size) + " bytes, " +
                                   std::to_string(bytes.size()) + " left"};
  }
  const bool negative = (std::to_integer<uint8_t>(bytes[0]) & 0x80) == 0;
  const uint8_t mask = negative ? 0xFF : 0x00;
  std::array<std::byte, 32> buf{};
  for (std::size_t i = 0; i < size; ++i) buf[i] = bytes[i] ^ std::byte{mask};
  buf[0] ^= std::byte{0x80};

  std::size_t pos = 0;
  bool bad = false;
  auto group = [&](unsigned digits) -> uint32_t {
    const unsigned n = kGroupBytes[digits];
    const auto v = static_cast<uint32_t>(load_be_n(buf.data() + pos, n));
    pos += n;
    if (v < kPow10[digits]) return v;
    bad = true;
    return 0;
  };
  auto append_padded = [](std::string& out, uint32_t v, unsigned digits) {
    std::string s = std::to_string(v);
    out.append(digits - s.size(), '0');
    out += s;
  };

  const unsigned intg = precision - scale;
  std::string int_part;  // with leading zeros, stripped below
  if (intg % kDigitsPerGroup)
    append_padded(int_part, group(intg % kDigitsPerGroup), intg % kDigitsPerGroup);
  for (unsigned i = 0; i < intg / kDigitsPerGroup; ++i)
    append_padded(int_part, group(kDigitsPerGroup), kDigitsPerGroup);
  std::string frac_part;
  for (unsigned i = 0; i < scale / kDigitsPerGroup; ++i)
    append_padded(frac_part, group(kDigitsPerGroup), kDigitsPerGroup);
  if (scale % kDigitsPerGroup)
    append_padded(frac_part, group(scale % kDigitsPerGroup), scale % kDigitsPerGroup);
  if (bad) return DecodeError{offset, "bad DECIMAL value: digit group out of range"};

  const std::size_t first = int_part.find_first_not_of('0');
  std::string out;
  if (negative) out += '-';
  out += first == std::string::npos ? std::string("0") : int_part.substr(first);
  if (scale) {
    out += '.';
    out += frac_part;
  }
  return out;
}

}  // namespace twinlog::protocol
