// The renderings of a column value: SQL-ish text as mysqlbinlog -vv prints it after
// "###   @N=", and JSON. They sit on decode's hot path: the RowReader overloads
// decode and render a cell in one step, without building a Value.
#pragma once

#include <string>

#include "protocol/row_image.h"
#include "protocol/value.h"

namespace twinlog::protocol {

// As mariadb-binlog / mysqlbinlog -vv prints a value after "###   @N=":
//   integers       123; of known sign the one right reading; of unknown sign
//                  "-1 (255)" (signed, then unsigned when negative)
//   FLOAT, DOUBLE  printf %g and %.20g ("1.1", "2.2219999999999999751"), without
//                  the padding mysqlbinlog adds after a FLOAT
//   DECIMAL        exact: -0.0000000123
//   DATE           '2001:02:03' (mysqlbinlog's colons)
//   TIME, DATETIME '-01:02:03.045', '2001-02-03 10:20:30.5' (fsp digits)
//   TIMESTAMP      seconds since the epoch, unquoted: 1341813496.123
//   YEAR           2001; 0 is 0000 (the server's zero year; mysqlbinlog says 1900)
//   strings        'text', bytes below 0x20 as \xNN, everything else as is
//                  (MariaDB COMPRESSED columns: their compressed bytes, as mariadb-binlog)
//   ENUM           the index; SET and BIT b'0101' (all bits of the pack length)
//   JSON           'json text'; partial JSON diffs as mysqlbinlog prints them:
//                  JSON_INSERT(JSON_REPLACE(@2, '$.a', 1, '$.b', "x"), '$.c', [1])
//                  (JSON_ARRAY_INSERT for an insert at an array position)
//   GEOMETRY       the quoted bytes (SRID + WKB); VECTOR '[1,2.5]'; NULL
std::string to_sql_text(const Value& value);
// The same, appended to `out`.
void append_sql_text(std::string& out, const Value& value);
// Decodes a cell `reader` walked and appends its text, as append_sql_text and
// append_json below do with its Value, without building one; appends nothing
// and says why when the value does not decode.
DecodeStatus append_sql_text(std::string& out, const RowReader& reader, const Cell& cell);
DecodeStatus append_json(std::string& out, const RowReader& reader, const Cell& cell);
// Appends a JSON rendering: integers as numbers (as strings beyond +-2^53),
// FLOAT/DOUBLE as shortest round-trip numbers (null if not finite), DECIMAL as a
// string, temporals as strings ("2001-02-03", "-01:02:03.5", TIMESTAMP as a UTC
// "YYYY-MM-DD hh:mm:ss"), YEAR as a number, strings as JSON strings (binary
// charset 63 or invalid UTF-8 as {"hex": "..."}), ENUM as its name or index, SET as
// an array of names or its bits, BIT as a number, JSON embedded, JSON diffs as
// [{"op": "replace", "path": "$.a", "value": ...}], GEOMETRY as
// {"srid": N, "wkb": "hex"}, VECTOR as an array.
void append_json(std::string& out, const Value& value);

}  // namespace twinlog::protocol
