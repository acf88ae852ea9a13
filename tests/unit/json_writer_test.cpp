#include "src/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

TEST(JsonWriter, ObjectsKeepKeyOrder) {
  std::string out;
  JsonObject o(out);
  o.str("b", "x").num("a", 1).snum("c", -2).boolean("d", true);
  o.close();
  EXPECT_EQ(out, R"({"b":"x","a":1,"c":-2,"d":true})");
}

}  // namespace
}  // namespace twinlog
