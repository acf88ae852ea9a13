// MySQL binary JSON (JSON columns, type 245) to JSON text, as MySQL prints it
// ({"a": 1, "b": [true, null]}), and the diffs of PARTIAL_UPDATE_ROWS.
//
//   document  type u8 | value
//   object    count | size | key entries | value entries | keys | values
//   array     count | size | value entries | values
//             small: count, size and offsets are 2 bytes; large: 4 bytes
//   key entry offset | length u16        value entry type u8 | offset or inlined value
//   inlined   literals, int16, uint16; int32 and uint32 in large containers
//   string    variable length (7 bits a byte, high bit = more) | bytes
//   opaque    field type u8 | variable length | bytes
// Offsets count from the start of the enclosing object or array (after its type byte).
#pragma once

#include <cstdint>
#include <string>

#include "protocol/byte_reader.h"
#include "protocol/result.h"
#include "protocol/value.h"

namespace twinlog::protocol {

// Appends the JSON text of one binary JSON document. An empty document is JSON
// null (how the server reads a zero-length JSON value). `offset` is the absolute
// offset of doc[0], for errors.
Result<bool> append_json_binary(std::string& out, Bytes doc, uint64_t offset);
inline Result<std::string> json_binary_to_text(Bytes doc, uint64_t offset) {
  std::string out;
  auto r = append_json_binary(out, doc, offset);
  if (!r) return r.error();
  return out;
}

// PARTIAL_UPDATE_ROWS JSON diffs (the cell without its 4-byte length):
//   per diff: operation u8 (0 replace, 1 insert, 2 remove) | path (packed length + bytes) |
//             value (packed length + binary JSON), absent for remove
Result<JsonDiffValue> decode_json_diffs(Bytes diffs, uint64_t offset);

// A double as MySQL prints it in JSON: shortest round-trip digits, 'e' notation
// outside 1e-15..1e15, ".0" appended to integral values ("1.0", "1e20").
std::string json_double_text(double d);

}  // namespace twinlog::protocol
