// decode --database keeps the statements that frame a transaction, as mysqlbinlog
// does; which statement a query is comes from protocol's classifier.
#include "src/print/event_selection.h"

#include <gtest/gtest.h>

namespace twinlog {
namespace {

TEST(EventSelection, KeepsTheStatementsServersWriteAroundTransactions) {
  for (const char* q : {"BEGIN", "COMMIT", "ROLLBACK", "rollback", "SAVEPOINT `s1`",
                        "ROLLBACK TO `s1`", "ROLLBACK TO SAVEPOINT `s1`", "XA START X'31',X'',1",
                        "XA END X'31',X'',1", "XA PREPARE X'31',X'',1", "XA COMMIT X'31',X'',1",
                        "XA ROLLBACK X'31',X'',1", "XA COMMIT X'31',X'',1 ONE PHASE"}) {
    EXPECT_TRUE(is_transaction_keyword(q)) << q;
  }
  // mysqlbinlog compares only the query's length: a prefix of BEGIN or COMMIT counts.
  for (const char* q : {"", "BEG", "COMM"}) EXPECT_TRUE(is_transaction_keyword(q)) << q;
}

TEST(EventSelection, OtherStatementsFollowTheirDatabase) {
  for (const char* q : {"INSERT INTO t VALUES (1)", "COMMITTED", "BEGINNING", " BEGIN",
                        "CREATE TABLE t2 (id INT) START TRANSACTION", "UPDATE savepoints SET x = 1",
                        "XA RECOVER"}) {
    EXPECT_FALSE(is_transaction_keyword(q)) << q;
  }
}

}  // namespace
}  // namespace twinlog
