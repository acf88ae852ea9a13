#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "protocol/column_type.h"
#include "protocol/json_binary.h"
#include "protocol/value.h"
#include "protocol/value_text.h"
#include "tests/support/event_builder.h"

namespace twinlog::protocol {
namespace {

using testing::BodyBuilder;
using testing::ByteVec;
using testing::span;

// A small binary JSON writer for the tests, from the format description in
// json_binary.h (sql-common/json_binary.cc).
// An object member is a struct of its own, not a std::pair<std::string, Node>:
// a pair of the still incomplete Node inside Node is rejected by clang.
struct Member;
struct Node {
  uint8_t type = 0x04;
  ByteVec scalar;               // the value bytes of a scalar
  std::vector<Member> members;  // objects
  std::vector<Node> elements;   // arrays
};
struct Member {
  std::string key;
  Node value;
};

Node lit(uint8_t v) {
  return {0x04, BodyBuilder().u8(v).data(), {}, {}};
}
Node i16(int16_t v) {
  return {0x05, BodyBuilder().u16(static_cast<uint16_t>(v)).data(), {}, {}};
}
Node u16(uint16_t v) {
  return {0x06, BodyBuilder().u16(v).data(), {}, {}};
}
Node i32(int32_t v) {
  return {0x07, BodyBuilder().u32(static_cast<uint32_t>(v)).data(), {}, {}};
}
Node u32(uint32_t v) {
  return {0x08, BodyBuilder().u32(v).data(), {}, {}};
}
Node i64(int64_t v) {
  return {0x09, BodyBuilder().u64(static_cast<uint64_t>(v)).data(), {}, {}};
}
Node u64(uint64_t v) {
  return {0x0a, BodyBuilder().u64(v).data(), {}, {}};
}
Node dbl(double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  return {0x0b, BodyBuilder().u64(bits).data(), {}, {}};
}
BodyBuilder& varlen(BodyBuilder& b, std::size_t n) {
  do {
    const uint8_t low = n & 0x7f;
    n >>= 7;
    b.u8(low | (n ? 0x80 : 0));
  } while (n);
  return b;
}
Node str(const std::string& s) {
  BodyBuilder b;
  varlen(b, s.size()).str(s);
  return {0x0c, b.data(), {}, {}};
}
Node opaque(uint8_t field_type, const ByteVec& data) {
  BodyBuilder b;
  b.u8(field_type);
  varlen(b, data.size()).bytes(data);
  return {0x0f, b.data(), {}, {}};
}
Node object(std::vector<Member> members, bool large = false) {
  Node n;
  n.type = large ? 0x01 : 0x00;
  n.members = std::move(members);
  return n;
}
Node array(std::vector<Node> elements, bool large = false) {
  Node n;
  n.type = large ? 0x03 : 0x02;
  n.elements = std::move(elements);
  return n;
}

ByteVec value_bytes(const Node& n);

ByteVec container(const Node& n) {
  const bool large = n.type == 0x01 || n.type == 0x03;
  const bool is_object = n.type <= 0x01;
  const std::size_t w = large ? 4 : 2;
  const std::size_t count = is_object ? n.members.size() : n.elements.size();
  const std::size_t header = 2 * w + count * ((is_object ? w + 2 : 0) + 1 + w);
  ByteVec keys, values;
  BodyBuilder key_entries, value_entries;
  std::size_t keys_at = header;
  std::size_t total_keys = 0;
  if (is_object) {
    for (const auto& m : n.members) total_keys += m.key.size();
  }
  const std::size_t values_at = header + total_keys;
  for (std::size_t i = 0; i < count; ++i) {
    const Node& v = is_object ? n.members[i].value : n.elements[i];
    if (is_object) {
      const std::string& k = n.members[i].key;
      key_entries.le(keys_at, static_cast<int>(w)).u16(k.size());
      keys_at += k.size();
      for (char c : k) keys.push_back(static_cast<std::byte>(c));
    }
    value_entries.u8(v.type);
    const bool inlined = v.type == 0x04 || v.type == 0x05 || v.type == 0x06 ||
                         (large && (v.type == 0x07 || v.type == 0x08));
    if (inlined) {
      value_entries.le(load_le_n(v.scalar.data(), v.scalar.size()), static_cast<int>(w));
    } else {
      value_entries.le(values_at + values.size(), static_cast<int>(w));
      const ByteVec vb = value_bytes(v);
      values.insert(values.end(), vb.begin(), vb.end());
    }
  }
  const std::size_t size = values_at + values.size();
  BodyBuilder out;
  out.le(count, static_cast<int>(w)).le(size, static_cast<int>(w));
  out.bytes(key_entries.data()).bytes(value_entries.data()).bytes(keys).bytes(values);
  return out.data();
}

ByteVec value_bytes(const Node& n) {
  return n.type <= 0x03 ? container(n) : n.scalar;
}

ByteVec doc(const Node& n) {
  ByteVec out{std::byte{n.type}};
  const ByteVec v = value_bytes(n);
  out.insert(out.end(), v.begin(), v.end());
  return out;
}

std::string text(const ByteVec& d) {
  auto r = json_binary_to_text(span(d), 0);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : std::string("<error>");
}

TEST(JsonBinary, Scalars) {
  EXPECT_EQ(text(doc(lit(0))), "null");
  EXPECT_EQ(text(doc(lit(1))), "true");
  EXPECT_EQ(text(doc(lit(2))), "false");
  EXPECT_EQ(text(doc(i16(-32768))), "-32768");
  EXPECT_EQ(text(doc(u16(65535))), "65535");
  EXPECT_EQ(text(doc(i32(-2147483647 - 1))), "-2147483648");
  EXPECT_EQ(text(doc(u32(4294967295u))), "4294967295");
  EXPECT_EQ(text(doc(i64(INT64_MIN))), "-9223372036854775808");
  EXPECT_EQ(text(doc(u64(UINT64_MAX))), "18446744073709551615");
  EXPECT_EQ(text(doc(str("a\"b\\c\n\x01 é"))), "\"a\\\"b\\\\c\\n\\u0001 é\"");
  EXPECT_EQ(text(ByteVec{}), "null");  // an empty JSON value reads as null
}

TEST(JsonBinary, DoublesAsMysqlPrintsThem) {
  EXPECT_EQ(json_double_text(1.0), "1.0");
  EXPECT_EQ(json_double_text(-2.5), "-2.5");
  EXPECT_EQ(json_double_text(0.0), "0.0");
  EXPECT_EQ(json_double_text(3.14), "3.14");
  EXPECT_EQ(json_double_text(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(json_double_text(1e15), "1e15");
  EXPECT_EQ(json_double_text(123456789012345.0), "123456789012345.0");
  EXPECT_EQ(json_double_text(1e20), "1e20");
  EXPECT_EQ(json_double_text(1.5e300), "1.5e300");
  EXPECT_EQ(json_double_text(0.0001), "0.0001");
  EXPECT_EQ(json_double_text(1e-15), "0.000000000000001");
  EXPECT_EQ(json_double_text(1e-16), "1e-16");
  EXPECT_EQ(json_double_text(-1.25e-20), "-1.25e-20");
  EXPECT_EQ(text(doc(dbl(2.5))), "2.5");
}

TEST(JsonBinary, SmallAndLargeContainers) {
  const Node inner = array({i16(1), u16(2), i32(3), u32(4), lit(0), lit(1), lit(2), str("x")});
  const Node small = object({{"a", inner}, {"b", i64(-5)}, {"c", dbl(1.5)}});
  const std::string expected = R"({"a": [1, 2, 3, 4, null, true, false, "x"], "b": -5, "c": 1.5})";
  EXPECT_EQ(text(doc(small)), expected);
  const Node large_inner =
      array({i16(1), u16(2), i32(3), u32(4), lit(0), lit(1), lit(2), str("x")}, true);
  const Node large = object({{"a", large_inner}, {"b", i64(-5)}, {"c", dbl(1.5)}}, true);
  EXPECT_EQ(text(doc(large)), expected);
  EXPECT_EQ(text(doc(object({}))), "{}");
  EXPECT_EQ(text(doc(array({}, true))), "[]");
  // A large object with a key and values past 64 KiB.
  const std::string big(70000, 'z');
  EXPECT_EQ(text(doc(object({{"k", str(big)}, {"n", u32(7)}}, true))),
            "{\"k\": \"" + big + "\", \"n\": 7}");
}

TEST(JsonBinary, OpaqueValues) {
  // DECIMAL(5,2) 123.45: precision, scale, binary decimal.
  EXPECT_EQ(text(doc(opaque(246, BodyBuilder().u8(5).u8(2).raw({0x80, 0x7B, 0x2D}).data()))),
            "123.45");
  const uint64_t ymd = ((2012ull * 13 + 3) << 5) | 18;
  const uint64_t dt = (((ymd << 17) | (11 << 12) | (30 << 6) | 45) << 24) | 5;
  EXPECT_EQ(text(doc(opaque(12, BodyBuilder().u64(dt).data()))), "\"2012-03-18 11:30:45.000005\"");
  EXPECT_EQ(text(doc(opaque(7, BodyBuilder().u64(dt).data()))), "\"2012-03-18 11:30:45.000005\"");
  EXPECT_EQ(text(doc(opaque(10, BodyBuilder().u64(ymd << 41).data()))), "\"2012-03-18\"");
  const int64_t tm = -static_cast<int64_t>(((87ull << 12) | (31 << 6) | 46) << 24 | 654321);
  EXPECT_EQ(text(doc(opaque(11, BodyBuilder().u64(static_cast<uint64_t>(tm)).data()))),
            "\"-87:31:46.654321\"");
  EXPECT_EQ(text(doc(opaque(253, BodyBuilder().str("hi").data()))), "\"hi\"");
  EXPECT_EQ(text(doc(opaque(15, BodyBuilder().u8(0x55).data()))), "\"base64:type15:VQ==\"");
  // Long opaque values: MySQL's base64 breaks lines every 76 characters.
  const ByteVec sixty(60, std::byte{0});
  EXPECT_EQ(text(doc(opaque(252, sixty))),
            "\"base64:type252:" + std::string(76, 'A') + "\\n" + std::string(4, 'A') + "\"");
}

TEST(JsonBinary, EveryTruncationIsAnErrorNotACrash) {
  const Node n =
      object({{"a", array({i16(1), str("xyz"), dbl(2.0), i64(9)})},
              {"b", u32(70000)},
              {"c", opaque(246, BodyBuilder().u8(5).u8(2).raw({0x80, 0x7B, 0x2D}).data())}});
  for (bool large : {false, true}) {
    Node m = n;
    m.type = large ? 0x01 : 0x00;
    const ByteVec d = doc(m);
    ASSERT_TRUE(json_binary_to_text(span(d), 0));
    for (std::size_t len = 1; len < d.size(); ++len) {
      auto r = json_binary_to_text(span(d).first(len), 1000);
      ASSERT_FALSE(r) << "length " << len;
      EXPECT_GE(r.error().offset, 1000u);
      EXPECT_LE(r.error().offset, 1000u + d.size());
    }
  }
}

TEST(JsonBinary, GarbageIsAnError) {
  EXPECT_FALSE(json_binary_to_text(span(BodyBuilder().u8(0x0e).data()), 0));  // unknown type
  EXPECT_FALSE(
      json_binary_to_text(span(BodyBuilder().u8(0x04).u8(9).data()), 0));  // unknown literal
  // A string whose length runs past the document.
  EXPECT_FALSE(
      json_binary_to_text(span(BodyBuilder().u8(0x0c).u8(0x85).u8(0x01).str("x").data()), 0));
  // A length of more than five bytes.
  EXPECT_FALSE(json_binary_to_text(
      span(BodyBuilder().u8(0x0c).raw({0x80, 0x80, 0x80, 0x80, 0x80, 0x01}).data()), 0));
  // Nesting deeper than any server writes: an error, not a stack overflow.
  auto nested = [](int depth) {
    ByteVec v = BodyBuilder().u16(0).u16(4).data();  // the innermost []
    for (int i = 0; i < depth; ++i) {
      ByteVec outer = BodyBuilder().u16(1).u16(7 + v.size()).u8(0x02).u16(7).data();
      outer.insert(outer.end(), v.begin(), v.end());
      v = std::move(outer);
    }
    v.insert(v.begin(), std::byte{0x02});
    return v;
  };
  EXPECT_EQ(text(nested(3)), "[[[[]]]]");
  auto deep = json_binary_to_text(span(nested(5000)), 0);
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message.find("deep"), std::string::npos);
  // An object whose key offset points outside it.
  auto bad_key = BodyBuilder().u8(0x00).u16(1).u16(12).u16(200).u16(1).u8(0x04).u16(0).str("k");
  EXPECT_FALSE(json_binary_to_text(span(bad_key), 0));
}

// PARTIAL_UPDATE_ROWS diffs: op | path (packed) | value (packed + binary JSON).
ByteVec diff(uint8_t op, const std::string& path, const ByteVec& value) {
  BodyBuilder b;
  b.u8(op).packed(path.size()).str(path);
  if (op != 2) b.packed(value.size()).bytes(value);
  return b.data();
}

TEST(JsonDiffs, DecodeAndRender) {
  BodyBuilder all;
  all.bytes(diff(0, "$.age", doc(i16(26))))
      .bytes(diff(1, "$.tags[1]", doc(str("new"))))
      .bytes(diff(2, "$.old", {}));
  BodyBuilder same;  // consecutive diffs of one function share a call
  same.bytes(diff(0, "$.a", doc(i16(1))))
      .bytes(diff(0, "$.b", doc(array({i16(2)}))))
      .bytes(diff(1, "$.c", doc(lit(0))));
  auto r = decode_json_diffs(span(all), 0);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->diffs.size(), 3u);
  EXPECT_EQ(r->diffs[0].op, JsonDiffValue::Diff::kReplace);
  EXPECT_EQ(r->diffs[0].path, "$.age");
  EXPECT_EQ(r->diffs[0].value, "26");
  EXPECT_EQ(r->diffs[1].value, "\"new\"");
  EXPECT_EQ(r->diffs[2].op, JsonDiffValue::Diff::kRemove);
  r->column = 2;
  const Value v = *r;
  // As MySQL's mysqlbinlog prints them; an insert at an array position is JSON_ARRAY_INSERT.
  EXPECT_EQ(to_sql_text(v),
            R"(JSON_REMOVE(JSON_ARRAY_INSERT(JSON_REPLACE(@2, '$.age', 26), '$.tags[1]', "new"), )"
            R"('$.old'))");
  auto s = decode_json_diffs(span(same), 0);
  ASSERT_TRUE(s);
  EXPECT_EQ(to_sql_text(*s), "JSON_INSERT(JSON_REPLACE(@json, '$.a', 1, '$.b', [2]), '$.c', null)");
  EXPECT_EQ(to_sql_text(JsonDiffValue{{}, 3}), "@3");
  std::string json;
  append_json(json, v);
  EXPECT_EQ(
      json,
      R"([{"op": "replace", "path": "$.age", "value": 26}, )"
      R"({"op": "insert", "path": "$.tags[1]", "value": "new"}, {"op": "remove", "path": "$.old"}])");
  for (std::size_t len = 1; len < all.size(); ++len) {
    auto t = decode_json_diffs(span(all).first(len), 50);
    // Cutting exactly after a whole diff leaves a valid shorter list.
    if (t) {
      EXPECT_LT(t->diffs.size(), 3u);
    } else {
      EXPECT_GE(t.error().offset, 50u);
    }
  }
  EXPECT_FALSE(decode_json_diffs(span(diff(3, "$", {})), 0));  // unknown operation
}

TEST(JsonColumn, ThroughDecodeValue) {
  ColumnDef c;
  c.type = c.real_type = ColumnType::kJson;
  c.meta = 4;
  const ByteVec d = doc(object({{"a", i16(1)}}));
  BodyBuilder cell_bytes;
  cell_bytes.u32(d.size()).bytes(d);
  Cell cell{0, false, false, span(cell_bytes), 0};
  auto v = decode_value(c, cell);
  ASSERT_TRUE(v);
  EXPECT_EQ(to_sql_text(*v), R"('{"a": 1}')");
  std::string json;
  append_json(json, *v);
  EXPECT_EQ(json, R"({"a": 1})");
  EXPECT_EQ(column_type_text(c), "JSON");
  // The partial form of the same column.
  const ByteVec diffs = diff(0, "$.a", doc(i16(2)));
  BodyBuilder partial_bytes;
  partial_bytes.u32(diffs.size()).bytes(diffs);
  Cell partial{0, false, true, span(partial_bytes), 0};
  auto p = decode_value(c, partial);
  ASSERT_TRUE(p);
  EXPECT_EQ(to_sql_text(*p), "JSON_REPLACE(@1, '$.a', 2)");
}

}  // namespace
}  // namespace twinlog::protocol
