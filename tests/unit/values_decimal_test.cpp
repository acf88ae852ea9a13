#include <gtest/gtest.h>

#include <random>

#include "protocol/column_type.h"
#include "protocol/decimal.h"
#include "protocol/value.h"
#include "protocol/value_text.h"
#include "tests/support/event_builder.h"

namespace twinlog::protocol {
namespace {

using testing::BodyBuilder;
using testing::ByteVec;
using testing::span;

// An independent encoder, written from the format description (strings/decimal.cc
// decimal2bin): digits in groups of nine, big-endian, partial groups at both ends,
// negative numbers inverted, then the first byte's top bit flipped.
ByteVec encode(bool negative, const std::string& int_digits, const std::string& frac_digits) {
  static constexpr int kBytes[] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  BodyBuilder b;
  auto put = [&](const std::string& digits) {
    if (!digits.empty()) b.be(std::stoull(digits), kBytes[digits.size()]);
  };
  const std::size_t lead = int_digits.size() % 9;
  put(int_digits.substr(0, lead));
  for (std::size_t i = lead; i < int_digits.size(); i += 9) put(int_digits.substr(i, 9));
  const std::size_t full = frac_digits.size() / 9 * 9;
  for (std::size_t i = 0; i < full; i += 9) put(frac_digits.substr(i, 9));
  put(frac_digits.substr(full));
  ByteVec out = b.data();
  if (negative) {
    for (auto& x : out) x = ~x;
  }
  out[0] ^= std::byte{0x80};
  return out;
}

std::string canonical(bool negative, const std::string& int_digits,
                      const std::string& frac_digits) {
  const auto first = int_digits.find_first_not_of('0');
  std::string s = negative ? "-" : "";
  s += first == std::string::npos ? "0" : int_digits.substr(first);
  if (!frac_digits.empty()) s += "." + frac_digits;
  return s;
}

TEST(Decimal, KnownEncodingFromTheServerSource) {
  // DECIMAL(14,4) 1234567890.1234 and its negation.
  auto pos = BodyBuilder().raw({0x81, 0x0D, 0xFB, 0x38, 0xD2, 0x04, 0xD2});
  auto neg = BodyBuilder().raw({0x7E, 0xF2, 0x04, 0xC7, 0x2D, 0xFB, 0x2D});
  EXPECT_EQ(decimal_binary_size(14, 4), 7u);
  EXPECT_EQ(*decode_decimal(span(pos), 14, 4, 0), "1234567890.1234");
  EXPECT_EQ(*decode_decimal(span(neg), 14, 4, 0), "-1234567890.1234");
  EXPECT_EQ(encode(false, "1234567890", "1234"), pos.data());
}

TEST(Decimal, EveryPrecisionAndScaleRoundTrips) {
  std::mt19937 rng(42);
  for (unsigned p = 1; p <= 65; ++p) {
    for (unsigned s = 0; s <= p && s <= 30; ++s) {
      const unsigned intg = p - s;
      std::vector<std::pair<std::string, std::string>> cases = {
          {std::string(intg, '9'), std::string(s, '9')},                     // max and min
          {std::string(intg, '0'), std::string(s, '0')},                     // zero
          {std::string(intg, '0'), s ? std::string(s - 1, '0') + "1" : ""},  // smallest step
      };
      std::string ri, rf;
      for (unsigned i = 0; i < intg; ++i) ri += static_cast<char>('0' + rng() % 10);
      for (unsigned i = 0; i < s; ++i) rf += static_cast<char>('0' + rng() % 10);
      cases.emplace_back(ri, rf);
      for (const auto& [i, f] : cases) {
        for (bool negative : {false, true}) {
          if (negative && canonical(false, i, f).find_first_not_of("0.") == std::string::npos)
            continue;
          const ByteVec bytes = encode(negative, i, f);
          ASSERT_EQ(bytes.size(), decimal_binary_size(p, s)) << p << "," << s;
          auto text = decode_decimal(span(bytes), p, s, 0);
          ASSERT_TRUE(text) << p << "," << s << ": " << text.error().message;
          EXPECT_EQ(*text, canonical(negative, i, f)) << "DECIMAL(" << p << "," << s << ")";
        }
      }
    }
  }
}

TEST(Decimal, ExamplesAsTheServerPrintsThem) {
  EXPECT_EQ(*decode_decimal(span(encode(true, "0000000000", "0000000123")), 20, 10, 0),
            "-0.0000000123");
  EXPECT_EQ(*decode_decimal(span(encode(false, "0000000000", "")), 10, 0, 0), "0");
  EXPECT_EQ(*decode_decimal(span(encode(true, "9999999999", "")), 10, 0, 0), "-9999999999");
  EXPECT_EQ(*decode_decimal(span(encode(false, "00124", "45000")), 10, 5, 0), "124.45000");
  EXPECT_EQ(*decode_decimal(span(encode(false, "", "05")), 2, 2, 0), "0.05");
}

TEST(Decimal, EveryTruncationIsAnError) {
  const ByteVec bytes = encode(false, std::string(35, '7'), std::string(30, '3'));
  ASSERT_EQ(bytes.size(), decimal_binary_size(65, 30));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto r = decode_decimal(span(bytes).first(n), 65, 30, 500);
    ASSERT_FALSE(r) << n;
    EXPECT_EQ(r.error().offset, 500u);
    EXPECT_NE(r.error().message.find("DECIMAL(65,30)"), std::string::npos);
  }
}

TEST(Decimal, BadMetadataAndDigitsAreErrors) {
  EXPECT_EQ(decimal_binary_size(0, 0), 0u);
  EXPECT_EQ(decimal_binary_size(66, 0), 0u);
  EXPECT_EQ(decimal_binary_size(40, 31), 0u);
  EXPECT_EQ(decimal_binary_size(5, 6), 0u);
  auto bytes = BodyBuilder().raw({0x80, 0, 0, 0});
  EXPECT_FALSE(decode_decimal(span(bytes), 66, 0, 0));
  // A 9-digit group holding 4294967295 is not nine decimal digits.
  auto bad = BodyBuilder().raw({0xFF, 0xFF, 0xFF, 0xFF});
  auto r = decode_decimal(span(bad), 9, 0, 7);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().offset, 7u);
}

TEST(Decimal, ThroughDecodeValue) {
  ColumnDef c;
  c.type = c.real_type = ColumnType::kNewDecimal;
  c.meta = (10 << 8) | 2;
  const ByteVec bytes = encode(true, "00000010", "55");
  Cell cell{0, false, false, span(bytes), 10};
  auto v = decode_value(c, cell);
  ASSERT_TRUE(v);
  EXPECT_EQ(to_sql_text(*v), "-10.55");
  std::string json;
  append_json(json, *v);
  EXPECT_EQ(json, "\"-10.55\"");
  EXPECT_EQ(column_type_text(c), "DECIMAL(10,2)");
  // A cell one byte short of the type's size.
  Cell short_cell{0, false, false, span(bytes).first(bytes.size() - 1), 10};
  EXPECT_FALSE(decode_value(c, short_cell));
}

}  // namespace
}  // namespace twinlog::protocol
