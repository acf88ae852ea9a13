// Decimal digits two at a time, for the renderers of DECIMAL and temporal values.
#pragma once

#include <cstring>

namespace twinlog::protocol {

// Writes v (< 100) as two digits at p ("07") and returns the end.
inline char* put_two_digits(char* p, unsigned v) {
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  std::memcpy(p, &kPairs[2 * v], 2);
  return p + 2;
}

}  // namespace twinlog::protocol
