#include <gtest/gtest.h>

#include "protocol/column_type.h"
#include "protocol/temporal.h"
#include "protocol/value.h"
#include "protocol/value_text.h"
#include "tests/support/event_builder.h"

namespace twinlog::protocol {
namespace {

using testing::BodyBuilder;
using testing::ByteVec;
using testing::span;

constexpr uint32_t kDiv[] = {1000000, 100000, 10000, 1000, 100, 10, 1};

// Encoders written from the server's my_*_packed_to_binary: the packed value is
// (integer part << 24) + microseconds, negated for negative times.
int64_t time_packed(bool negative, uint32_t h, uint32_t m, uint32_t s, uint32_t us) {
  const int64_t hms = (int64_t{h} << 12) | (m << 6) | s;
  const int64_t v = (hms << 24) + us;
  return negative ? -v : v;
}
ByteVec time2(int64_t packed, unsigned fsp) {
  BodyBuilder b;
  const int64_t int_part = packed >> 24;             // floor, as the server's shift
  const int64_t frac = packed % (int64_t{1} << 24);  // sign of packed
  switch ((fsp + 1) / 2) {
    case 0:
      b.be(static_cast<uint64_t>(0x800000 + int_part), 3);
      break;
    case 1:
      b.be(static_cast<uint64_t>(0x800000 + int_part), 3).u8(static_cast<uint8_t>(frac / 10000));
      break;
    case 2:
      b.be(static_cast<uint64_t>(0x800000 + int_part), 3).be(static_cast<uint16_t>(frac / 100), 2);
      break;
    default:
      b.be(static_cast<uint64_t>(packed + 0x800000000000LL), 6);
      break;
  }
  return b.data();
}
ByteVec datetime2(uint32_t y, uint32_t mo, uint32_t d, uint32_t h, uint32_t mi, uint32_t s,
                  uint32_t us, unsigned fsp) {
  const uint64_t ym = y * 13 + mo;
  const uint64_t ymd = (ym << 5) | d;
  const uint64_t hms = (h << 12) | (mi << 6) | s;
  const uint64_t int_part = (ymd << 17) | hms;
  BodyBuilder b;
  b.be(int_part + 0x8000000000ULL, 5);
  switch ((fsp + 1) / 2) {
    case 1:
      b.u8(us / 10000);
      break;
    case 2:
      b.be(us / 100, 2);
      break;
    case 3:
      b.be(us, 3);
      break;
    default:
      break;
  }
  return b.data();
}

Value decode(ColumnType type, uint16_t meta, const ByteVec& bytes) {
  ColumnDef c;
  c.type = c.real_type = type;
  c.meta = meta;
  Cell cell{0, false, false, span(bytes), 0};
  auto v = decode_value(c, cell);
  EXPECT_TRUE(v) << (v ? "" : v.error().message);
  return v ? *v : Value{NullValue{}};
}

TEST(Temporal, Time2EveryFspPositiveAndNegative) {
  for (unsigned fsp = 0; fsp <= 6; ++fsp) {
    for (bool negative : {false, true}) {
      for (uint32_t us : {0u, 1u, 45067u, 500000u, 999999u}) {
        const uint32_t kept = us / kDiv[fsp] * kDiv[fsp];  // the server stores fsp digits
        for (uint32_t h : {0u, 1u, 23u, 838u}) {
          const ByteVec bytes = time2(time_packed(negative, h, 2, 3, kept), fsp);
          ASSERT_EQ(bytes.size(), 3 + fraction_bytes(fsp));
          const TimeValue t = decode_time2(span(bytes), fsp);
          EXPECT_EQ(t.negative, negative) << h << " " << us << " fsp " << fsp;
          EXPECT_EQ(t.hours, h);
          EXPECT_EQ(t.minutes, 2u);
          EXPECT_EQ(t.seconds, 3u);
          EXPECT_EQ(t.micros, kept) << h << " " << us << " fsp " << fsp << " neg " << negative;
        }
      }
    }
  }
}

TEST(Temporal, Time2KnownBytes) {
  // -00:00:01.5 as TIME(1): integer part -2, fraction 0xCE counted down from -1.
  auto neg = BodyBuilder().raw({0x7F, 0xFF, 0xFE, 0xCE});
  EXPECT_EQ(to_sql_text(decode(ColumnType::kTime2, 1, neg.data())), "'-00:00:01.5'");
  // 838:59:59 as TIME(0).
  auto max = BodyBuilder().be(0x800000 + ((838 << 12) | (59 << 6) | 59), 3);
  EXPECT_EQ(to_sql_text(decode(ColumnType::kTime2, 0, max.data())), "'838:59:59'");
  EXPECT_EQ(to_sql_text(decode(ColumnType::kTime2, 6, time2(time_packed(true, 1, 2, 3, 45067), 6))),
            "'-01:02:03.045067'");
  EXPECT_EQ(
      to_sql_text(decode(ColumnType::kTime2, 3, time2(time_packed(false, 1, 2, 3, 45000), 3))),
      "'01:02:03.045'");
}

TEST(Temporal, DateTime2EveryFsp) {
  for (unsigned fsp = 0; fsp <= 6; ++fsp) {
    const uint32_t us = 123456 / kDiv[fsp] * kDiv[fsp];
    const ByteVec bytes = datetime2(2024, 2, 29, 23, 59, 58, us, fsp);
    ASSERT_EQ(bytes.size(), 5 + fraction_bytes(fsp));
    const DateTimeValue t = decode_datetime2(span(bytes), fsp);
    EXPECT_EQ(format_datetime(t, fsp), std::string("2024-02-29 23:59:58") +
                                           std::string(".123456").substr(0, fsp ? fsp + 1 : 0));
  }
  EXPECT_EQ(to_sql_text(decode(ColumnType::kDateTime2, 0, datetime2(0, 0, 0, 0, 0, 0, 0, 0))),
            "'0000-00-00 00:00:00'");
  EXPECT_EQ(
      to_sql_text(decode(ColumnType::kDateTime2, 0, datetime2(9999, 12, 31, 23, 59, 59, 0, 0))),
      "'9999-12-31 23:59:59'");
  EXPECT_EQ(
      to_sql_text(decode(ColumnType::kDateTime2, 2, datetime2(1000, 1, 1, 0, 0, 0, 990000, 2))),
      "'1000-01-01 00:00:00.99'");
}

TEST(Temporal, Timestamp2EveryFsp) {
  for (unsigned fsp = 0; fsp <= 6; ++fsp) {
    BodyBuilder b;
    b.be(1341813496, 4);
    const uint32_t us = 654321 / kDiv[fsp] * kDiv[fsp];
    if (fsp == 1 || fsp == 2) b.u8(us / 10000);
    if (fsp == 3 || fsp == 4) b.be(us / 100, 2);
    if (fsp >= 5) b.be(us, 3);
    const Value v = decode(ColumnType::kTimestamp2, fsp, b.data());
    EXPECT_EQ(to_sql_text(v), "1341813496" + std::string(".654321").substr(0, fsp ? fsp + 1 : 0));
    std::string json;
    append_json(json, v);
    EXPECT_EQ(json,
              "\"2012-07-09 05:58:16" + std::string(".654321").substr(0, fsp ? fsp + 1 : 0) + "\"");
  }
  std::string json;
  append_json(json, decode(ColumnType::kTimestamp2, 0, BodyBuilder().be(0, 4).data()));
  EXPECT_EQ(json, "\"0000-00-00 00:00:00\"");  // the zero timestamp
}

TEST(Temporal, OldFormats) {
  // DATE: day | month << 5 | year << 9, 3 bytes LE; mysqlbinlog prints colons.
  const Value date =
      decode(ColumnType::kDate, 0, BodyBuilder().u24(3 | (2 << 5) | (2001 << 9)).data());
  EXPECT_EQ(to_sql_text(date), "'2001:02:03'");
  std::string json;
  append_json(json, date);
  EXPECT_EQ(json, "\"2001-02-03\"");
  EXPECT_EQ(to_sql_text(decode(ColumnType::kDate, 0, BodyBuilder().u24(0).data())), "'0000:00:00'");
  // TIME: [-]HHMMSS as a signed 3-byte number.
  EXPECT_EQ(
      to_sql_text(decode(ColumnType::kTime, 0,
                         BodyBuilder().u24(static_cast<uint32_t>(-5074827) & 0xffffff).data())),
      "'-507:48:27'");
  EXPECT_EQ(to_sql_text(decode(ColumnType::kTime, 0, BodyBuilder().u24(8385959).data())),
            "'838:59:59'");
  // DATETIME: YYYYMMDDhhmmss as an 8-byte number.
  EXPECT_EQ(
      to_sql_text(decode(ColumnType::kDateTime, 0, BodyBuilder().u64(20111215125253ULL).data())),
      "'2011-12-15 12:52:53'");
  EXPECT_EQ(to_sql_text(decode(ColumnType::kDateTime, 0, BodyBuilder().u64(0).data())),
            "'0000-00-00 00:00:00'");
  // TIMESTAMP: seconds, 4 bytes LE.
  EXPECT_EQ(to_sql_text(decode(ColumnType::kTimestamp, 0, BodyBuilder().u32(1341813496).data())),
            "1341813496");
}

TEST(Temporal, Year) {
  EXPECT_EQ(to_sql_text(decode(ColumnType::kYear, 0, BodyBuilder().u8(0).data())), "0000");
  EXPECT_EQ(to_sql_text(decode(ColumnType::kYear, 0, BodyBuilder().u8(1).data())), "1901");
  EXPECT_EQ(to_sql_text(decode(ColumnType::kYear, 0, BodyBuilder().u8(255).data())), "2155");
  std::string json;
  append_json(json, decode(ColumnType::kYear, 0, BodyBuilder().u8(124).data()));
  EXPECT_EQ(json, "2024");
}

TEST(Temporal, PackedFormsInsideJson) {
  const TimeValue t = time_from_packed(time_packed(true, 87, 31, 46, 654321));
  EXPECT_EQ(format_time(t, 6), "-87:31:46.654321");
  const uint64_t ymd = ((2012ull * 13 + 3) << 5) | 18;
  const int64_t packed = static_cast<int64_t>((((ymd << 17) | (11 << 12) | (30 << 6) | 45)) << 24);
  EXPECT_EQ(format_datetime(datetime_from_packed(packed), 6), "2012-03-18 11:30:45.000000");
}

TEST(Temporal, TypeTexts) {
  ColumnDef c;
  c.type = c.real_type = ColumnType::kTimestamp2;
  c.meta = 3;
  EXPECT_EQ(column_type_text(c), "TIMESTAMP(3)");
  c.type = c.real_type = ColumnType::kDateTime2;
  EXPECT_EQ(column_type_text(c), "DATETIME(3)");
  c.type = c.real_type = ColumnType::kTime2;
  EXPECT_EQ(column_type_text(c), "TIME(3)");
  c.type = c.real_type = ColumnType::kDate;
  c.meta = 0;
  EXPECT_EQ(column_type_text(c), "DATE");
}

TEST(Temporal, BadFspAndTruncationAreErrors) {
  ColumnDef c;
  c.type = c.real_type = ColumnType::kDateTime2;
  c.meta = 7;
  const ByteVec bytes = datetime2(2024, 1, 1, 0, 0, 0, 0, 6);
  EXPECT_FALSE(cell_length(c, span(bytes), 0));
  for (ColumnType type : {ColumnType::kTime2, ColumnType::kDateTime2, ColumnType::kTimestamp2}) {
    c.type = c.real_type = type;
    for (unsigned fsp = 0; fsp <= 6; ++fsp) {
      c.meta = static_cast<uint16_t>(fsp);
      const std::size_t need = (type == ColumnType::kTimestamp2  ? 4
                                : type == ColumnType::kDateTime2 ? 5
                                                                 : 3) +
                               fraction_bytes(fsp);
      const ByteVec full(need, std::byte{0x80});
      EXPECT_EQ(*cell_length(c, span(full), 0), need);
      for (std::size_t n = 0; n < need; ++n) {
        auto r = cell_length(c, span(full).first(n), 99);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().offset, 99u);
      }
    }
  }
}

}  // namespace
}  // namespace twinlog::protocol
