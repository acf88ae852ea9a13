// The base64 of BINLOG '...' statements, wrapped as mariadb-binlog's
// my_base64_encode wraps it, and the character set names of the session lines.
#include "src/print/base64_output.h"

#include <gtest/gtest.h>

#include <vector>

#include "src/print/charset_names.h"

namespace twinlog {
namespace {

std::string base64_of(const std::string& text) {
  std::string out;
  append_base64_lines(
      out, protocol::Bytes(reinterpret_cast<const std::byte*>(text.data()), text.size()));
  return out;
}

TEST(Base64Output, PadsTheLastGroup) {
  EXPECT_EQ(base64_of("Man"), "TWFu\n");
  EXPECT_EQ(base64_of("Ma"), "TWE=\n");
  EXPECT_EQ(base64_of("M"), "TQ==\n");
  EXPECT_EQ(base64_of(""), "\n");
}

TEST(Base64Output, BreaksLinesAfter76CharactersOnlyBeforeMoreText) {
  // 57 bytes are exactly 76 characters: one line, no break before the newline.
  const std::string one_line = base64_of(std::string(57, '\xff'));
  EXPECT_EQ(one_line, std::string(76, '/') + "\n");
  // One byte more starts a second line.
  const std::string two_lines = base64_of(std::string(58, '\xff'));
  EXPECT_EQ(two_lines, std::string(76, '/') + "\n/w==\n");
}

TEST(CharsetNames, NamesTheCollationsCharacterSet) {
  EXPECT_EQ(charset_name(33), "utf8mb3");
  EXPECT_EQ(charset_name(45), "utf8mb4");
  EXPECT_EQ(charset_name(8), "latin1");
  EXPECT_EQ(charset_name(63), "binary");
  EXPECT_EQ(charset_name(5000), "");
  EXPECT_EQ(collation_name(45), "utf8mb4_general_ci");
  EXPECT_EQ(collation_name(8), "latin1_swedish_ci");
  EXPECT_EQ(collation_name(5000), "");
}

}  // namespace
}  // namespace twinlog
