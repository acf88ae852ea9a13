// Temporal encodings in row images and inside binary JSON, and their text forms.
//
//   DATE (10, NEWDATE 14)  3 bytes LE: day 5 bits | month 4 bits | year 15 bits
//   TIME (11)              3 bytes LE signed: [-]HHMMSS as a decimal number
//   DATETIME (12)          8 bytes LE: YYYYMMDDhhmmss as a decimal number
//   TIMESTAMP (7)          4 bytes LE: seconds since the epoch
//   TIMESTAMP2 (17)        4 bytes BE seconds + fraction
//   DATETIME2 (18)         5 bytes BE, offset 0x8000000000: sign 1 | year*13+month 17 |
//                          day 5 | hour 5 | minute 6 | second 6; then fraction
//   TIME2 (19)             3 bytes BE, offset 0x800000: sign 1 | unused 1 | hour 10 |
//                          minute 6 | second 6; then fraction
// The fraction takes (fsp+1)/2 bytes, big-endian: 1 byte = 1/100 s, 2 bytes =
// 1/10000 s, 3 bytes = microseconds. TIME2 stores negative times as a signed
// whole (integer part and fraction together); fsp 5-6 is one 6-byte integer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "protocol/byte_reader.h"
#include "protocol/value.h"

namespace twinlog::protocol {

// Bytes of the fractional part for `fsp` digits (0..6).
constexpr std::size_t fraction_bytes(unsigned fsp) {
  return (fsp + 1) / 2;
}

// Callers pass exactly the value's bytes (lengths as cell_length gives them).
DateValue decode_date(Bytes b);
TimeValue decode_time(Bytes b);
DateTimeValue decode_datetime(Bytes b);
TimestampValue decode_timestamp(Bytes b);
TimestampValue decode_timestamp2(Bytes b, unsigned fsp);
DateTimeValue decode_datetime2(Bytes b, unsigned fsp);
TimeValue decode_time2(Bytes b, unsigned fsp);

// MySQL's in-memory packed forms (8 bytes LE inside JSON opaque values):
// int part << 24 | microseconds, negated for negative values.
TimeValue time_from_packed(int64_t packed);
DateTimeValue datetime_from_packed(int64_t packed);

// append_date / append_time / append_datetime append to `out` what the format_
// functions return, between two `quote` characters when `quote` is not 0.
void append_date(std::string& out, const DateValue& d, char sep = '-', char quote = 0);
void append_time(std::string& out, const TimeValue& t, unsigned digits, char quote = 0);
void append_datetime(std::string& out, const DateTimeValue& t, unsigned digits, char quote = 0);
// "YYYY-MM-DD" (`sep` between the parts).
std::string format_date(const DateValue& d, char sep = '-');
// "[-]HH:MM:SS[.ffffff]" with `digits` fractional digits (0..6).
std::string format_time(const TimeValue& t, unsigned digits);
// "YYYY-MM-DD HH:MM:SS[.ffffff]" with `digits` fractional digits (0..6).
std::string format_datetime(const DateTimeValue& t, unsigned digits);
// Seconds since the epoch as a UTC date and time; 0 is the zero timestamp.
DateTimeValue timestamp_to_datetime(const TimestampValue& t);

}  // namespace twinlog::protocol
