#include "protocol/byte_reader.h"

#include <gtest/gtest.h>

#include "tests/support/event_builder.h"

namespace twinlog::protocol {
namespace {

using testing::BodyBuilder;
using testing::span;

TEST(ByteReader, ReadsLittleEndianIntegers) {
  auto b = BodyBuilder()
               .u8(0x12)
               .u16(0x3456)
               .u24(0x789abc)
               .u32(0xdeadbeef)
               .u48(0x123456789abc)
               .u64(0x0102030405060708);
  ByteReader r(span(b.data()));
  EXPECT_EQ(r.u8(), 0x12);
  EXPECT_EQ(r.u16(), 0x3456);
  EXPECT_EQ(r.u24(), 0x789abcu);
  EXPECT_EQ(r.u32(), 0xdeadbeefu);
  EXPECT_EQ(r.u48(), 0x123456789abcull);
  EXPECT_EQ(r.u64(), 0x0102030405060708ull);
  EXPECT_TRUE(r.at_end());
  EXPECT_FALSE(r.failed());
}

TEST(ByteReader, ShortReadIsAStickyErrorWithOffset) {
  auto b = BodyBuilder().u16(7).u8(1);
  ByteReader r(span(b.data()), 1000);
  EXPECT_EQ(r.u16(), 7);
  EXPECT_EQ(r.u32("table id"), 0u);
  ASSERT_TRUE(r.failed());
  EXPECT_EQ(r.error().offset, 1002u);
  EXPECT_NE(r.error().message.find("table id"), std::string::npos);
  EXPECT_EQ(r.u8(), 0);  // still failed, still no read
  EXPECT_EQ(r.error().offset, 1002u);
}

TEST(ByteReader, PackedIntegers) {
  auto b = BodyBuilder().packed(250).packed(251).packed(70000).packed(1ull << 40);
  ByteReader r(span(b.data()));
  EXPECT_EQ(r.packed_int(), 250u);
  EXPECT_EQ(r.packed_int(), 251u);
  EXPECT_EQ(r.packed_int(), 70000u);
  EXPECT_EQ(r.packed_int(), 1ull << 40);
  EXPECT_FALSE(r.failed());
  auto bad = BodyBuilder().u8(251);
  ByteReader r2(span(bad.data()));
  r2.packed_int();
  EXPECT_TRUE(r2.failed());
}

TEST(ByteReader, CStringNeedsTerminator) {
  auto b = BodyBuilder().cstr("abc").str("def");
  ByteReader r(span(b.data()));
  EXPECT_EQ(r.cstring(), "abc");
  EXPECT_EQ(r.cstring(), "");
  EXPECT_TRUE(r.failed());
  EXPECT_EQ(r.error().offset, 4u);
}

}  // namespace
}  // namespace twinlog::protocol
