#include "protocol/decimal.h"

#include <array>
#include <cstring>

#include "protocol/digits.h"

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
  DecimalBuffer buffer;
  auto text = decode_decimal_into(bytes, precision, scale, offset, buffer);
  if (!text) return text.error();
  return std::string(*text);
}

Result<std::string_view> decode_decimal_into(Bytes bytes, unsigned precision, unsigned scale,
                                             uint64_t offset, DecimalBuffer& text) {
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

  // The digits go straight into `text`, each group right to left at its fixed
  // width, after two free places for a sign and a lone "0".
  std::size_t length = 2, pos = 0;
  bool bad = false;
  auto group = [&](unsigned digits) {
    const unsigned n = kGroupBytes[digits];
    auto v = static_cast<uint32_t>(load_be_n(buf.data() + pos, n));
    pos += n;
    if (v >= kPow10[digits]) bad = true;
    std::size_t i = length + digits;
    for (; i >= length + 2; v /= 100) {
      i -= 2;
      put_two_digits(&text[i], v % 100);
    }
    if (i > length) text[--i] = static_cast<char>('0' + v % 10);
    length += digits;
  };

  const unsigned intg = precision - scale;
  if (intg % kDigitsPerGroup) group(intg % kDigitsPerGroup);
  for (unsigned i = 0; i < intg / kDigitsPerGroup; ++i) group(kDigitsPerGroup);
  const std::size_t int_end = length;
  if (scale) text[length++] = '.';
  for (unsigned i = 0; i < scale / kDigitsPerGroup; ++i) group(kDigitsPerGroup);
  if (scale % kDigitsPerGroup) group(scale % kDigitsPerGroup);
  if (bad) return DecodeError{offset, "bad DECIMAL value: digit group out of range"};

  // Leading zeros of the integer part go, all but one before a point or the end.
  std::size_t first = 2;
  while (first < int_end && text[first] == '0') ++first;
  if (first == int_end) text[--first] = '0';  // no integer digits left
  if (negative) text[--first] = '-';
  return std::string_view(text.data() + first, length - first);
}

}  // namespace twinlog::protocol
