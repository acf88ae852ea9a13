// The rows of statement-format INSERTs as the auto-increment check reads them:
// which rows take the next generated id, which name their own, and where the
// reading stops because the server computes a value.
#include "src/checks/insert_values.h"

#include <gtest/gtest.h>

namespace twinlog::checks {
namespace {

// test.t (id AUTO_INCREMENT, v, w): the column is the first one.
TableColumns table_t() {
  TableColumns t;
  t.columns = {{"id", true, true}, {"v", false, false}, {"w", false, false}};
  return t;
}

// "g" for a generated row, the id for a named one; then "|" and why it stopped.
std::string rows_of(std::string_view sql, bool zero_generates = true, uint32_t column = 0) {
  InsertValues out;
  read_insert_values(sql, table_t(), column, zero_generates, 0, out);
  std::string text;
  for (const InsertRow& r : out.rows) {
    if (!text.empty()) text += ",";
    text += r.generated ? "g" : std::to_string(r.value);
  }
  if (!out.stopped.empty()) text += "|" + out.stopped;
  return text;
}

TEST(InsertValues, RowsWithoutAColumnListFollowTheTable) {
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (NULL, 'a,b', 1), (7, '(', 2), (0, ')', 3)"), "g,7,g");
  EXPECT_EQ(rows_of("insert into `test`.`t` values (default, 1, 2)"), "g");
  EXPECT_EQ(rows_of("REPLACE LOW_PRIORITY t VALUE (5, 1, 2)"), "5");
}

TEST(InsertValues, AColumnListWithoutTheColumnGeneratesEveryRow) {
  EXPECT_EQ(rows_of("INSERT INTO t (v, w) VALUES (1, 2), (3, CONCAT('x', ')')), (5, 6)"), "g,g,g");
  EXPECT_EQ(rows_of("INSERT INTO t () VALUES (), ()"), "g,g");
}

TEST(InsertValues, TheColumnFoundInTheListByNameInAnyCase) {
  EXPECT_EQ(rows_of("INSERT INTO t (v, `ID`) VALUES (1, 11), (2, NULL), (3, 13)"), "11,g,13");
  EXPECT_EQ(rows_of("INSERT INTO t (t.v, test.t.id) VALUES (1, 21)"), "21");
}

TEST(InsertValues, ZeroIsAValueUnderNoAutoValueOnZero) {
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (0, 1, 2)", /*zero_generates=*/false), "0");
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (0, 1, 2)"), "g");
}

TEST(InsertValues, SetForm) {
  EXPECT_EQ(rows_of("INSERT INTO t SET v = 1, w = (2)"), "g");
  EXPECT_EQ(rows_of("INSERT INTO t SET v = 1, id = 41"), "41");
}

TEST(InsertValues, AValueTheServerComputesStopsTheReadingThere) {
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (NULL, 1, 2), (1 + 2, 3, 4), (NULL, 5, 6)"),
            "g|an auto-increment value the server computes at byte 36");
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (@id, 1, 2)"),
            "|an auto-increment value the server computes at byte 22");
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (NULL, (SELECT 1), 2)"), "|a subquery in a row");
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (99999999999999999999, 1, 2)"),
            "|an id out of range: 99999999999999999999");
}

TEST(InsertValues, RowsNotInTheStatement) {
  EXPECT_EQ(rows_of("INSERT INTO t (v, w) SELECT v, w FROM u"),
            "|INSERT ... SELECT: the rows are not in the statement");
  EXPECT_EQ(rows_of("INSERT INTO t (SELECT * FROM u)"),
            "|INSERT ... (SELECT ...): the rows are not in the statement");
  EXPECT_EQ(rows_of("UPDATE t SET v = 1"), "|not an INSERT or REPLACE");
}

TEST(InsertValues, IgnoreAndOnDuplicateKeyKeepOnlyTheFirstRow) {
  EXPECT_EQ(rows_of("INSERT IGNORE INTO t VALUES (NULL, 1, 2), (NULL, 3, 4)"),
            "g|INSERT IGNORE: a row it does not insert still consumes its id");
  EXPECT_EQ(rows_of("INSERT INTO t (v) VALUES (1), (2) ON DUPLICATE KEY UPDATE v = v + 1"),
            "g|ON DUPLICATE KEY UPDATE: a row it updates still consumes its id");
}

TEST(InsertValues, PartitionsAndExecutableComments) {
  EXPECT_EQ(rows_of("INSERT /*!50000 IGNORE */ INTO t PARTITION (p0, p1) VALUES (3, 1, 2)"),
            "3|INSERT IGNORE: a row it does not insert still consumes its id");
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (NULL, 'it''s', \"x\\\")\"), (NULL, 1, 2)"), "g,g");
}

TEST(InsertValues, AnUnknownColumnOrMalformedTextStopsAtOnce) {
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (1, 2, 3)", true, 9),
            "|the table's auto-increment column is not known");
  EXPECT_EQ(rows_of("INSERT INTO t VALUES (NULL, 'unterminated"), "|unterminated string");
  EXPECT_EQ(rows_of("INSERT INTO t (v VALUES (1)"), "|expected , or ) in the column list");
}

}  // namespace
}  // namespace twinlog::checks
