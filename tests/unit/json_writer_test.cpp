#include "src/print/json_writer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "protocol/json_text.h"

namespace twinlog {
namespace {

std::string json_quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(JsonWriter, EscapesAndKeepsUtf8) {
  EXPECT_EQ(json_quoted("a\"b\\c\n\t"), R"("a\"b\\c\n\t")");
  EXPECT_EQ(json_quoted("\x01"), R"("\u0001")");
  EXPECT_EQ(json_quoted("h\xc3\xa9"), "\"h\xc3\xa9\"");
}

TEST(JsonWriter, NonUtf8BytesReadAsLatin1) {
  const std::string out = json_quoted(std::string("caf\xe9 \xff\"", 7));
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j.get<std::string>(), "caf\xc3\xa9 \xc3\xbf\"");
}

// The one-pass ASCII scan (16 bytes at a time, then words, then bytes) must find a
// byte that needs attention wherever it sits in a string of any length.
TEST(JsonWriter, PlainScanFindsEverySpecialByteAtEveryPosition) {
  for (std::size_t length = 1; length <= 40; ++length) {
    for (std::size_t at = 0; at < length; ++at) {
      for (const std::string& special : {std::string("\""), std::string("\\"), std::string("\x1f"),
                                         std::string("\xc3\xa9"), std::string("\xff")}) {
        std::string s(length, 'x');
        s.replace(at, 1, special);
        std::string out;
        const bool utf8 = protocol::append_json_string_if_utf8(out, s);
        ASSERT_EQ(utf8, special != "\xff") << length << " " << at;
        if (!utf8) {
          EXPECT_TRUE(out.empty());
          continue;
        }
        std::string expected;
        protocol::append_json_string(expected, s);
        EXPECT_EQ(out, expected) << length << " " << at;
        EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), s);
      }
    }
  }
}

TEST(JsonWriter, ObjectsKeepKeyOrder) {
  std::string out;
  JsonObject o(out);
  o.str("b", "x").num("a", 1).snum("c", -2).boolean("d", true);
  o.close();
  EXPECT_EQ(out, R"({"b":"x","a":1,"c":-2,"d":true})");
}

}  // namespace
}  // namespace twinlog
