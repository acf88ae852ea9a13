// Integers, reals, strings, ENUM / SET / BIT, GEOMETRY, VECTOR: decode_value,
// to_sql_text (mysqlbinlog -vv), append_json and column_type_text.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <vector>

#include "protocol/column_type.h"
#include "protocol/row_image.h"
#include "protocol/value.h"
#include "protocol/value_text.h"
#include "tests/support/event_builder.h"

namespace twinlog::protocol {
namespace {

using testing::BodyBuilder;
using testing::ByteVec;
using testing::span;

ColumnDef column(ColumnType type, uint16_t meta = 0, ColumnType real = ColumnType::kNull) {
  ColumnDef c;
  c.type = type;
  c.real_type = real == ColumnType::kNull ? type : real;
  c.meta = meta;
  return c;
}

Value decode(const ColumnDef& c, const ByteVec& bytes) {
  Cell cell{0, false, false, span(bytes), 0};
  auto v = decode_value(c, cell);
  EXPECT_TRUE(v) << (v ? "" : v.error().message);
  return v ? *v : Value{NullValue{}};
}
std::string sql(const ColumnDef& c, const ByteVec& bytes) {
  return to_sql_text(decode(c, bytes));
}
std::string json(const ColumnDef& c, const ByteVec& bytes) {
  std::string out;
  append_json(out, decode(c, bytes));
  return out;
}

TEST(IntegerValues, UnknownSignShowsBothReadingsAsMysqlbinlog) {
  const ColumnDef tiny = column(ColumnType::kTiny);
  EXPECT_EQ(sql(tiny, BodyBuilder().u8(0xff)), "-1 (255)");
  EXPECT_EQ(sql(tiny, BodyBuilder().u8(0x80)), "-128 (128)");
  EXPECT_EQ(sql(tiny, BodyBuilder().u8(0x7f)), "127");
  EXPECT_EQ(sql(column(ColumnType::kShort), BodyBuilder().u16(0x8000)), "-32768 (32768)");
  EXPECT_EQ(sql(column(ColumnType::kInt24), BodyBuilder().u24(0xffffff)), "-1 (16777215)");
  EXPECT_EQ(sql(column(ColumnType::kInt24), BodyBuilder().u24(0x7fffff)), "8388607");
  EXPECT_EQ(sql(column(ColumnType::kLong), BodyBuilder().u32(0xfffffffd)), "-3 (4294967293)");
  EXPECT_EQ(sql(column(ColumnType::kLong), BodyBuilder().u32(0x80000000)),
            "-2147483648 (2147483648)");
  EXPECT_EQ(sql(column(ColumnType::kLongLong), BodyBuilder().u64(0xffffffffffffffffULL)),
            "-1 (18446744073709551615)");
  EXPECT_EQ(sql(column(ColumnType::kLongLong), BodyBuilder().u64(0x8000000000000000ULL)),
            "-9223372036854775808 (9223372036854775808)");
  EXPECT_EQ(sql(column(ColumnType::kLongLong), BodyBuilder().u64(0x7fffffffffffffffULL)),
            "9223372036854775807");
  EXPECT_EQ(column_type_text(tiny), "TINYINT");
  EXPECT_EQ(column_type_text(column(ColumnType::kShort)), "SHORTINT");
  EXPECT_EQ(column_type_text(column(ColumnType::kInt24)), "MEDIUMINT");
  EXPECT_EQ(column_type_text(column(ColumnType::kLong)), "INT");
  EXPECT_EQ(column_type_text(column(ColumnType::kLongLong)), "LONGINT");
}

TEST(IntegerValues, KnownSignShowsOneReading) {
  ColumnDef u = column(ColumnType::kLongLong);
  u.is_unsigned = true;
  ColumnDef s = column(ColumnType::kLongLong);
  s.is_unsigned = false;
  const auto max = BodyBuilder().u64(0xffffffffffffffffULL);
  EXPECT_EQ(sql(u, max), "18446744073709551615");
  EXPECT_EQ(sql(s, max), "-1");
  EXPECT_EQ(json(u, max), "\"18446744073709551615\"");  // beyond 2^53: a string
  EXPECT_EQ(json(s, max), "-1");
  EXPECT_EQ(json(s, BodyBuilder().u64(0x8000000000000000ULL)), "\"-9223372036854775808\"");
  EXPECT_EQ(json(u, BodyBuilder().u64(uint64_t{1} << 53)), "9007199254740992");
  ColumnDef u8 = column(ColumnType::kTiny);
  u8.is_unsigned = true;
  EXPECT_EQ(sql(u8, BodyBuilder().u8(255)), "255");
  EXPECT_EQ(json(u8, BodyBuilder().u8(255)), "255");
  EXPECT_EQ(json(column(ColumnType::kTiny), BodyBuilder().u8(255)), "-1");
}

ByteVec f32(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return BodyBuilder().u32(b).data();
}
ByteVec f64(double d) {
  uint64_t b;
  std::memcpy(&b, &d, 8);
  return BodyBuilder().u64(b).data();
}

TEST(RealValues, MysqlbinlogTextAndShortestJson) {
  const ColumnDef f = column(ColumnType::kFloat, 4);
  const ColumnDef d = column(ColumnType::kDouble, 8);
  EXPECT_EQ(sql(f, f32(1.1f)), "1.1");
  EXPECT_EQ(sql(f, f32(1.0f)), "1");
  EXPECT_EQ(sql(f, f32(123.2234f)), "123.223");  // %g: six significant digits
  EXPECT_EQ(json(f, f32(123.2234f)), "123.2234");
  EXPECT_EQ(json(f, f32(1.1f)), "1.1");
  EXPECT_EQ(sql(f, f32(std::numeric_limits<float>::max())), "3.40282e+38");
  EXPECT_EQ(sql(d, f64(2.222)), "2.2219999999999999751");  // %.20g
  EXPECT_EQ(json(d, f64(2.222)), "2.222");
  EXPECT_EQ(sql(d, f64(127613)), "127613");
  EXPECT_EQ(sql(d, f64(-1.7976931348623157e308)), "-1.7976931348623157081e+308");
  EXPECT_EQ(json(d, f64(std::nan(""))), "null");
  EXPECT_EQ(column_type_text(f), "FLOAT");
  EXPECT_EQ(column_type_text(d), "DOUBLE");
  // A pack length other than 4 or 8 is impossible metadata.
  EXPECT_FALSE(cell_length(column(ColumnType::kFloat, 3), span(f32(1)), 0));
}

// The text of FLOAT and DOUBLE is printf's %g and %.20g (as mysqlbinlog prints
// them), whatever makes it: checked against snprintf over special values and many
// bit patterns (normal, subnormal, huge, negative, NaN, infinities).
TEST(RealValues, TextEqualsPrintfForEveryKindOfDouble) {
  const ColumnDef f = column(ColumnType::kFloat, 4);
  const ColumnDef d = column(ColumnType::kDouble, 8);
  auto printf_g = [](const char* format, double v) {
    char buf[400];
    std::snprintf(buf, sizeof buf, format, v);
    return std::string(buf);
  };
  std::vector<double> doubles = {0.0,
                                 -0.0,
                                 1.0,
                                 0.1,
                                 1e-300,
                                 5e-324,
                                 1e21,
                                 123456789012345678.0,
                                 std::numeric_limits<double>::infinity(),
                                 -std::numeric_limits<double>::infinity(),
                                 std::nan("")};
  uint64_t bits = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < 20000; ++i) {
    bits ^= bits << 13, bits ^= bits >> 7, bits ^= bits << 17;  // xorshift
    double v;
    std::memcpy(&v, &bits, 8);
    doubles.push_back(v);
  }
  for (double v : doubles) {
    EXPECT_EQ(sql(d, f64(v)), printf_g("%.20g", v)) << v;
    const auto fv = static_cast<float>(v);
    EXPECT_EQ(sql(f, f32(fv)), printf_g("%g", fv)) << fv;
  }
}

TEST(StringValues, QuotedLikeMysqlbinlog) {
  const ColumnDef v = column(ColumnType::kVarchar, 150);
  EXPECT_EQ(sql(v, BodyBuilder().lstr("/tmp/images/1.jpg")), "'/tmp/images/1.jpg'");
  EXPECT_EQ(sql(v, BodyBuilder().lstr("")), "''");
  // Bytes below 0x20 as \xNN; quote and backslash as they are (mariadb-binlog).
  EXPECT_EQ(sql(v, BodyBuilder().lstr(std::string("a\nb\0c'd\\e", 9))), "'a\\x0ab\\x00c'd\\e'");
  EXPECT_EQ(json(v, BodyBuilder().lstr("a\"b\n")), "\"a\\\"b\\n\"");
  EXPECT_EQ(json(v, BodyBuilder().lstr("h\xc3\xa9")), "\"h\xc3\xa9\"");
  EXPECT_EQ(json(v, BodyBuilder().lstr("\xff\x01")), "{\"hex\": \"ff01\"}");  // not UTF-8
  ColumnDef binary = v;
  binary.charset = 63;
  EXPECT_EQ(json(binary, BodyBuilder().lstr("ab")), "{\"hex\": \"6162\"}");
  EXPECT_EQ(column_type_text(v), "VARSTRING(150)");
  // 2-byte length prefix from 256 on.
  const ColumnDef wide = column(ColumnType::kVarchar, 300);
  EXPECT_EQ(sql(wide, BodyBuilder().u16(3).str("xyz")), "'xyz'");
  // CHAR: STRING with its real type and max length resolved.
  const ColumnDef chr = column(ColumnType::kString, 180, ColumnType::kString);
  EXPECT_EQ(sql(chr, BodyBuilder().lstr("127.0.0.1")), "'127.0.0.1'");
  EXPECT_EQ(column_type_text(chr), "STRING(180)");
  const ColumnDef chr_long = column(ColumnType::kString, 512, ColumnType::kString);
  EXPECT_EQ(sql(chr_long, BodyBuilder().u16(2).str("ab")), "'ab'");
  // BLOB / TEXT of every length-byte count.
  const char* names[] = {"TINYBLOB/TINYTEXT", "BLOB/TEXT", "MEDIUMBLOB/MEDIUMTEXT",
                         "LONGBLOB/LONGTEXT"};
  for (int n = 1; n <= 4; ++n) {
    const ColumnDef b = column(ColumnType::kBlob, static_cast<uint16_t>(n));
    EXPECT_EQ(sql(b, BodyBuilder().le(4, n).str("0123")), "'0123'");
    EXPECT_EQ(column_type_text(b), names[n - 1]);
  }
}

TEST(StringValues, EveryTruncationIsAnErrorNamingTheType) {
  struct Case {
    ColumnDef c;
    ByteVec bytes;
    const char* name;
  };
  const std::vector<Case> cases = {
      {column(ColumnType::kVarchar, 10), BodyBuilder().lstr("hello"), "VARCHAR"},
      {column(ColumnType::kVarchar, 1000), BodyBuilder().u16(5).str("hello"), "VARCHAR"},
      {column(ColumnType::kString, 30, ColumnType::kString), BodyBuilder().lstr("hello"), "STRING"},
      {column(ColumnType::kBlob, 2), BodyBuilder().u16(5).str("hello"), "BLOB"},
      {column(ColumnType::kBlob, 4), BodyBuilder().u32(5).str("hello"), "BLOB"},
      {column(ColumnType::kGeometry, 4), BodyBuilder().u32(5).str("hello"), "GEOMETRY"},
      {column(ColumnType::kJson, 4), BodyBuilder().u32(2).raw({0x04, 0x00}), "JSON"},
      {column(ColumnType::kLong), BodyBuilder().u32(7), "INT"},
      {column(ColumnType::kLongLong), BodyBuilder().u64(7), "BIGINT"},
      {column(ColumnType::kNewDecimal, (10 << 8) | 2), BodyBuilder().raw({0x80, 0, 0, 1, 2}),
       "NEWDECIMAL"},
      {column(ColumnType::kBit, (2 << 8) | 3), BodyBuilder().raw({1, 2, 3}), "BIT"},
      {column(ColumnType::kString, 2, ColumnType::kSet), BodyBuilder().u16(3), "SET"},
  };
  for (const Case& k : cases) {
    ASSERT_EQ(*cell_length(k.c, span(k.bytes), 0), k.bytes.size()) << k.name;
    for (std::size_t n = 0; n < k.bytes.size(); ++n) {
      auto r = cell_length(k.c, span(k.bytes).first(n), 4242);
      ASSERT_FALSE(r) << k.name << " " << n;
      EXPECT_EQ(r.error().offset, 4242u);
      EXPECT_NE(r.error().message.find(k.name), std::string::npos) << r.error().message;
      Cell cell{0, false, false, span(k.bytes).first(n), 4242};
      EXPECT_FALSE(decode_value(k.c, cell)) << k.name << " " << n;
    }
  }
  // A length prefix claiming 4 GiB.
  EXPECT_FALSE(
      cell_length(column(ColumnType::kBlob, 4), span(BodyBuilder().u32(0xffffffff).str("x")), 0));
  // Impossible metadata.
  EXPECT_FALSE(cell_length(column(ColumnType::kBlob, 5), span(BodyBuilder().u32(0)), 0));
  EXPECT_FALSE(cell_length(column(ColumnType::kBlob, 0), span(BodyBuilder().u32(0)), 0));
  EXPECT_FALSE(cell_length(column(ColumnType::kBool), span(BodyBuilder().u32(0)), 0));
}

TEST(EnumSetBitValues, NumbersNamesAndBits) {
  ColumnDef e = column(ColumnType::kString, 1, ColumnType::kEnum);
  EXPECT_EQ(sql(e, BodyBuilder().u8(2)), "2");
  EXPECT_EQ(json(e, BodyBuilder().u8(2)), "2");
  EXPECT_EQ(column_type_text(e), "ENUM(1 byte)");
  e.enum_values = {"small", "medium", "large"};
  EXPECT_EQ(sql(e, BodyBuilder().u8(2)), "2");
  EXPECT_EQ(json(e, BodyBuilder().u8(2)), "\"medium\"");
  EXPECT_EQ(json(e, BodyBuilder().u8(0)), "\"\"");  // the empty error value
  const ColumnDef e2 = column(ColumnType::kString, 2, ColumnType::kEnum);
  EXPECT_EQ(sql(e2, BodyBuilder().u16(300)), "300");
  EXPECT_EQ(column_type_text(e2), "ENUM(2 bytes)");

  ColumnDef s = column(ColumnType::kString, 1, ColumnType::kSet);
  EXPECT_EQ(sql(s, BodyBuilder().u8(5)), "b'00000101'");
  EXPECT_EQ(json(s, BodyBuilder().u8(5)), "5");
  EXPECT_EQ(column_type_text(s), "SET(1 bytes)");
  s.enum_values = {"a", "b", "c"};
  EXPECT_EQ(json(s, BodyBuilder().u8(5)), "[\"a\", \"c\"]");
  EXPECT_EQ(json(s, BodyBuilder().u8(0)), "[]");
  const ColumnDef s8 = column(ColumnType::kString, 8, ColumnType::kSet);
  EXPECT_EQ(sql(s8, BodyBuilder().u64(1ULL << 63)), "b'1" + std::string(63, '0') + "'");

  // BIT(3): meta bits=3, bytes=0; BIT(8): bytes=1; BIT(64): bytes=8. Big-endian.
  EXPECT_EQ(sql(column(ColumnType::kBit, 3), BodyBuilder().u8(4)), "b'100'");
  EXPECT_EQ(sql(column(ColumnType::kBit, 1 << 8), BodyBuilder().u8(0x20)), "b'00100000'");
  EXPECT_EQ(sql(column(ColumnType::kBit, (3 << 8) | 4), BodyBuilder().be(0x07B55787, 4)),
            "b'0111101101010101011110000111'");
  EXPECT_EQ(sql(column(ColumnType::kBit, 8 << 8), BodyBuilder().be(1, 8)),
            "b'" + std::string(63, '0') + "1'");
  EXPECT_EQ(json(column(ColumnType::kBit, 8 << 8), BodyBuilder().be(~0ULL, 8)),
            "\"18446744073709551615\"");
  EXPECT_EQ(json(column(ColumnType::kBit, 1), BodyBuilder().u8(1)), "1");
  EXPECT_EQ(column_type_text(column(ColumnType::kBit, (3 << 8) | 4)), "BIT(28)");
}

TEST(OtherValues, GeometryVectorNull) {
  const ColumnDef g = column(ColumnType::kGeometry, 4);
  auto point = BodyBuilder().u32(25).u32(0).raw({0x01, 0x01, 0x00, 0x00, 0x00}).u64(0).u64(0);
  const Value gv = decode(g, point);
  ASSERT_TRUE(std::holds_alternative<GeometryValue>(gv));
  EXPECT_EQ(std::get<GeometryValue>(gv).srid, 0u);
  EXPECT_EQ(std::get<GeometryValue>(gv).wkb.size(), 21u);
  std::string zeros;
  for (int i = 0; i < 16; ++i) zeros += "\\x00";
  EXPECT_EQ(to_sql_text(gv), "'\\x00\\x00\\x00\\x00\\x01\\x01\\x00\\x00\\x00" + zeros + "'");
  std::string gj;
  append_json(gj, gv);
  EXPECT_EQ(gj, "{\"srid\": 0, \"wkb\": \"0101000000" + std::string(32, '0') + "\"}");
  EXPECT_EQ(column_type_text(g), "GEOMETRY");
  EXPECT_FALSE(
      decode_value(g, Cell{0, false, false, span(BodyBuilder().u32(3).raw({1, 2, 3})), 0}));

  ColumnDef vec = column(ColumnType::kVector, 4);
  auto floats = BodyBuilder().u32(12).bytes(f32(1.5f)).bytes(f32(-2.0f)).bytes(f32(0.1f));
  EXPECT_EQ(sql(vec, floats), "'[1.5,-2,0.1]'");
  EXPECT_EQ(json(vec, floats), "[1.5, -2, 0.1]");
  vec.vector_dimensions = 3;
  EXPECT_EQ(column_type_text(vec), "VECTOR(3)");
  EXPECT_FALSE(
      decode_value(vec, Cell{0, false, false, span(BodyBuilder().u32(3).raw({1, 2, 3})), 0}));

  Cell null_cell{0, true, false, {}, 0};
  auto n = decode_value(column(ColumnType::kLong), null_cell);
  ASSERT_TRUE(n);
  EXPECT_EQ(to_sql_text(*n), "NULL");
  std::string nj;
  append_json(nj, *n);
  EXPECT_EQ(nj, "null");
}

TEST(OtherValues, CellOfTheWrongSizeIsAnError) {
  // decode_value checks a hand-made cell against the column, never reading past it.
  auto v =
      decode_value(column(ColumnType::kLong), Cell{0, false, false, span(BodyBuilder().u64(1)), 0});
  EXPECT_FALSE(v);
  auto p = decode_value(column(ColumnType::kJson, 4),
                        Cell{0, false, true, span(BodyBuilder().u32(9).u8(0)), 0});
  EXPECT_FALSE(p);
}

}  // namespace
}  // namespace twinlog::protocol
