#include "protocol/temporal.h"

#include <array>
#include <charconv>
#include <string>

#include "protocol/digits.h"

namespace twinlog::protocol {
namespace {

constexpr std::array<uint32_t, 7> kPow10 = {1, 10, 100, 1000, 10000, 100000, 1000000};

uint32_t be(Bytes b, std::size_t at, std::size_t n) {
  return static_cast<uint32_t>(load_be_n(b.data() + at, n));
}

// The fraction of TIMESTAMP2 / DATETIME2 (unsigned on the wire for TIMESTAMP2,
// signed for DATETIME2; both non-negative in practice), as microseconds.
uint32_t fraction_micros(Bytes b, std::size_t at, unsigned fsp) {
  switch (fraction_bytes(fsp)) {
    case 1:
      return be(b, at, 1) * 10000;
    case 2:
      return be(b, at, 2) * 100;
    case 3:
      return be(b, at, 3);
    default:
      return 0;
  }
}

// (int_part << 24) + frac, wrapping like the server's arithmetic on garbage input
// instead of overflowing.
int64_t make_packed(int64_t int_part, int64_t frac) {
  return static_cast<int64_t>((static_cast<uint64_t>(int_part) << 24) +
                              static_cast<uint64_t>(frac));
}

// As printf's %0*u (without its cost, which showed in every rendered temporal):
// v in decimal, zero-padded to at least `width` digits, written at p.
char* put_padded(char* p, uint32_t v, unsigned width) {
  // The common cases (two-digit parts, four-digit years) from a table of pairs.
  if (width == 2 && v < 100) return put_two_digits(p, v);
  if (width == 4 && v < 10000) return put_two_digits(put_two_digits(p, v / 100), v % 100);
  char digits[10];
  const char* end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  const auto n = static_cast<unsigned>(end - digits);
  for (unsigned i = n; i < width; ++i) *p++ = '0';
  for (unsigned i = 0; i < n; ++i) *p++ = digits[i];
  return p;
}

char* put_fraction(char* p, uint32_t micros, unsigned digits) {
  if (digits == 0) return p;
  if (digits > 6) digits = 6;
  *p++ = '.';
  return put_padded(p, micros / kPow10[6 - digits], digits);
}

}  // namespace

DateValue decode_date(Bytes b) {
  const uint32_t v = load_le24(b.data());
  return {v >> 9, (v >> 5) & 15, v & 31};
}

TimeValue decode_time(Bytes b) {
  uint32_t raw = load_le24(b.data());
  int32_t v = static_cast<int32_t>(raw << 8) >> 8;  // sign-extend 24 bits
  TimeValue t;
  t.negative = v < 0;
  const uint32_t a =
      t.negative ? static_cast<uint32_t>(-static_cast<int64_t>(v)) : static_cast<uint32_t>(v);
  t.hours = a / 10000;
  t.minutes = a / 100 % 100;
  t.seconds = a % 100;
  return t;
}

DateTimeValue decode_datetime(Bytes b) {
  const uint64_t v = load_le64(b.data());
  const uint64_t d = v / 1000000, t = v % 1000000;
  DateTimeValue r;
  r.year = static_cast<uint32_t>(d / 10000);
  r.month = static_cast<uint32_t>(d / 100 % 100);
  r.day = static_cast<uint32_t>(d % 100);
  r.hour = static_cast<uint32_t>(t / 10000);
  r.minute = static_cast<uint32_t>(t / 100 % 100);
  r.second = static_cast<uint32_t>(t % 100);
  return r;
}

TimestampValue decode_timestamp(Bytes b) {
  return {load_le32(b.data()), 0, 0};
}

TimestampValue decode_timestamp2(Bytes b, unsigned fsp) {
  return {be(b, 0, 4), fraction_micros(b, 4, fsp), static_cast<uint8_t>(fsp)};
}

DateTimeValue decode_datetime2(Bytes b, unsigned fsp) {
  const int64_t intpart = static_cast<int64_t>(load_be_n(b.data(), 5)) - 0x8000000000LL;
  int64_t frac = 0;
  switch (fraction_bytes(fsp)) {
    case 1:
      frac = static_cast<int8_t>(be(b, 5, 1)) * 10000;
      break;
    case 2:
      frac = static_cast<int16_t>(be(b, 5, 2)) * 100;
      break;
    case 3:
      frac = static_cast<int32_t>(be(b, 5, 3) << 8) >> 8;
      break;
    default:
      break;
  }
  DateTimeValue r = datetime_from_packed(make_packed(intpart, frac));
  r.fsp = static_cast<uint8_t>(fsp);
  return r;
}

TimeValue decode_time2(Bytes b, unsigned fsp) {
  int64_t packed = 0;
  switch (fraction_bytes(fsp)) {
    case 0: {
      const int64_t intpart = static_cast<int64_t>(be(b, 0, 3)) - 0x800000;
      packed = make_packed(intpart, 0);
      break;
    }
    case 1: {
      int64_t intpart = static_cast<int64_t>(be(b, 0, 3)) - 0x800000;
      // Unsigned on the wire: a negative time stores its fraction counted down from
      // the next integer, so that the bytes sort as the values do.
      int64_t frac = be(b, 3, 1);
      if (intpart < 0 && frac) {
        intpart++;
        frac -= 0x100;
      }
      packed = make_packed(intpart, frac * 10000);
      break;
    }
    case 2: {
      int64_t intpart = static_cast<int64_t>(be(b, 0, 3)) - 0x800000;
      int64_t frac = be(b, 3, 2);
      if (intpart < 0 && frac) {
        intpart++;
        frac -= 0x10000;
      }
      packed = make_packed(intpart, frac * 100);
      break;
    }
    default:
      packed = static_cast<int64_t>(load_be_n(b.data(), 6)) - 0x800000000000LL;
      break;
  }
  TimeValue t = time_from_packed(packed);
  t.fsp = static_cast<uint8_t>(fsp);
  return t;
}

TimeValue time_from_packed(int64_t packed) {
  TimeValue t;
  t.negative = packed < 0;
  const uint64_t a = t.negative ? 0 - static_cast<uint64_t>(packed) : static_cast<uint64_t>(packed);
  const uint64_t hms = a >> 24;
  t.hours = static_cast<uint32_t>((hms >> 12) % (1u << 10));
  t.minutes = static_cast<uint32_t>((hms >> 6) % (1u << 6));
  t.seconds = static_cast<uint32_t>(hms % (1u << 6));
  t.micros = static_cast<uint32_t>(a % (1u << 24));
  return t;
}

DateTimeValue datetime_from_packed(int64_t packed) {
  const uint64_t a = packed < 0 ? 0 - static_cast<uint64_t>(packed) : static_cast<uint64_t>(packed);
  DateTimeValue r;
  r.micros = static_cast<uint32_t>(a % (1u << 24));
  const uint64_t ymdhms = a >> 24;
  const uint64_t ymd = ymdhms >> 17, hms = ymdhms % (1u << 17);
  const uint64_t ym = ymd >> 5;
  r.day = static_cast<uint32_t>(ymd % (1u << 5));
  r.month = static_cast<uint32_t>(ym % 13);
  r.year = static_cast<uint32_t>(ym / 13);
  r.second = static_cast<uint32_t>(hms % (1u << 6));
  r.minute = static_cast<uint32_t>((hms >> 6) % (1u << 6));
  r.hour = static_cast<uint32_t>(hms >> 12);
  return r;
}

namespace {

// "YYYY<sep>MM<sep>DD" at p.
char* put_date(char* p, uint32_t year, uint32_t month, uint32_t day, char sep) {
  p = put_padded(p, year, 4);
  *p++ = sep;
  p = put_padded(p, month, 2);
  *p++ = sep;
  return put_padded(p, day, 2);
}

// "HH:MM:SS[.f]" at p.
char* put_time(char* p, uint32_t hours, uint32_t minutes, uint32_t seconds, uint32_t micros,
               unsigned digits) {
  p = put_padded(p, hours, 2);
  *p++ = ':';
  p = put_padded(p, minutes, 2);
  *p++ = ':';
  p = put_padded(p, seconds, 2);
  return put_fraction(p, micros, digits);
}

}  // namespace

// Each writes into a local buffer (80 bytes: every part at its widest, quotes
// included), then appends it in one step.
void append_date(std::string& out, const DateValue& d, char sep, char quote) {
  char buf[80];
  char* p = buf;
  if (quote) *p++ = quote;
  p = put_date(p, d.year, d.month, d.day, sep);
  if (quote) *p++ = quote;
  out.append(buf, p);
}

void append_time(std::string& out, const TimeValue& t, unsigned digits, char quote) {
  char buf[80];
  char* p = buf;
  if (quote) *p++ = quote;
  if (t.negative) *p++ = '-';
  p = put_time(p, t.hours, t.minutes, t.seconds, t.micros, digits);
  if (quote) *p++ = quote;
  out.append(buf, p);
}

void append_datetime(std::string& out, const DateTimeValue& t, unsigned digits, char quote) {
  char buf[80];
  char* p = buf;
  if (quote) *p++ = quote;
  p = put_date(p, t.year, t.month, t.day, '-');
  *p++ = ' ';
  p = put_time(p, t.hour, t.minute, t.second, t.micros, digits);
  if (quote) *p++ = quote;
  out.append(buf, p);
}

std::string format_date(const DateValue& d, char sep) {
  std::string out;
  append_date(out, d, sep);
  return out;
}

std::string format_time(const TimeValue& t, unsigned digits) {
  std::string out;
  append_time(out, t, digits);
  return out;
}

std::string format_datetime(const DateTimeValue& t, unsigned digits) {
  std::string out;
  append_datetime(out, t, digits);
  return out;
}

DateTimeValue timestamp_to_datetime(const TimestampValue& t) {
  DateTimeValue r;
  r.fsp = t.fsp;
  if (t.seconds == 0 && t.micros == 0) return r;  // the zero timestamp
  r.micros = t.micros;
  // Civil date from days since 1970-01-01 (proleptic Gregorian).
  const int64_t days = static_cast<int64_t>(t.seconds / 86400);
  const uint64_t rem = t.seconds % 86400;
  r.hour = static_cast<uint32_t>(rem / 3600);
  r.minute = static_cast<uint32_t>(rem / 60 % 60);
  r.second = static_cast<uint32_t>(rem % 60);
  const int64_t z = days + 719468;
  const int64_t era = z / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  r.year = static_cast<uint32_t>(yoe + era * 400 + (m <= 2 ? 1 : 0));
  r.month = static_cast<uint32_t>(m);
  r.day = static_cast<uint32_t>(d);
  return r;
}

}  // namespace twinlog::protocol
