#include "protocol/json_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace twinlog::protocol {
namespace {

// The UTF-8 rules decoded the slow way: code points, then overlong, surrogate and
// range checks.
bool reference_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      n = 1, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

// valid_utf8 hands strings of 64 bytes or more to simdjson: each short string is
// checked alone (the scalar path) and again after 62 ASCII bytes, where it crosses
// into simdjson's second 64-byte block.
testing::AssertionResult agrees(const std::string& s) {
  static const std::string kLead(62, 'a');
  const bool expected = reference_utf8(s);
  if (valid_utf8(s) != expected) return testing::AssertionFailure() << "alone";
  if (valid_utf8(kLead + s) != expected) return testing::AssertionFailure() << "after 62 bytes";
  return testing::AssertionSuccess();
}

TEST(Utf8, EveryOneTwoAndThreeByteSequenceAgreesWithTheReference) {
  std::string s(3, '\0');
  for (unsigned a = 0; a < 256; ++a) {
    s.assign(1, static_cast<char>(a));
    ASSERT_TRUE(agrees(s)) << a;
    for (unsigned b = 0; b < 256; ++b) {
      s.assign({static_cast<char>(a), static_cast<char>(b)});
      ASSERT_TRUE(agrees(s)) << a << " " << b;
      for (unsigned c = 0; c < 256; ++c) {
        s.assign({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
        ASSERT_TRUE(agrees(s)) << a << " " << b << " " << c;
      }
    }
  }
}

TEST(Utf8, FourByteSequencesAgreeWithTheReference) {
  for (unsigned a = 0xe0; a < 256; ++a) {
    for (unsigned b = 0x70; b < 0xd0; ++b) {
      for (unsigned c : {0x00u, 0x41u, 0x7fu, 0x80u, 0xbfu, 0xc0u, 0xffu}) {
        for (unsigned d : {0x00u, 0x41u, 0x80u, 0x9fu, 0xbfu, 0xc0u}) {
          const std::string s{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                              static_cast<char>(d)};
          ASSERT_TRUE(agrees(s)) << a << " " << b << " " << c << " " << d;
        }
      }
    }
  }
}

// A sequence after ASCII runs of every length (the 16-byte and 8-byte skips) and
// cut at every length.
TEST(Utf8, SequencesAfterAsciiRunsAndTruncated) {
  for (const std::string seq : {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xed\xa0\x80",
                                "\xc0\xaf", "\xf4\x90\x80\x80", "\xff"}) {
    for (std::size_t run = 0; run <= 40; ++run) {
      for (std::size_t cut = 0; cut <= seq.size(); ++cut) {
        const std::string s =
            std::string(run, 'a') + seq.substr(0, cut) + std::string(run % 7, 'b');
        ASSERT_EQ(valid_utf8(s), reference_utf8(s)) << run << " " << cut;
      }
    }
  }
}

// Long strings (simdjson's path) of valid sequences of every length, with
// random bytes, cuts and swaps mixed in, agree with the reference decoder; so does
// the one-sequence-at-a-time check.
TEST(Utf8, LongStringsAgreeWithTheReference) {
  const std::string pieces[] = {"a",
                                "z ",
                                "\xc3\xa9",
                                "\xd0\x96",
                                "\xe2\x82\xac",
                                "\xe4\xb8\xad",
                                "\xef\xbf\xbf",
                                "\xf0\x9f\x98\x80",
                                "\xf4\x8f\xbf\xbf",
                                "\xed\x9f\xbf",
                                "\xee\x80\x80",
                                "\x7f",
                                std::string(1, '\0')};
  uint64_t state = 0x2545f4914f6cdd1dULL;
  auto next = [&] {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return state;
  };
  int invalid = 0;
  for (int round = 0; round < 60000; ++round) {
    std::string s;
    const std::size_t target = next() % 300;
    while (s.size() < target) s += pieces[next() % std::size(pieces)];
    switch (next() % 4) {
      case 0:
        break;  // valid as built
      case 1:
        if (!s.empty()) s[next() % s.size()] = static_cast<char>(next());  // one random byte
        break;
      case 2:
        if (!s.empty()) s.resize(next() % s.size());  // cut, maybe inside a sequence
        break;
      case 3:
        if (s.size() > 1) std::swap(s[next() % s.size()], s[next() % s.size()]);
        break;
    }
    const bool expected = reference_utf8(s);
    invalid += !expected;
    ASSERT_EQ(valid_utf8(s), expected) << round;
    ASSERT_EQ(valid_utf8_scalar(s), expected) << round;
  }
  EXPECT_GT(invalid, 10000);  // both kinds were met
  EXPECT_LT(invalid, 50000);
}

TEST(JsonText, EscapesOnlyWhatJsonNeedsAtEveryPosition) {
  for (std::size_t run = 0; run <= 40; ++run) {
    for (const std::string special : {"\"", "\\", "\n", "\x1f", "\x7f", "\xc3\xa9"}) {
      const std::string s = std::string(run, 'x') + special + "y";
      std::string out;
      append_json_string(out, s);
      // Appended: "\"" + std::string trips GCC 12's false -Wrestrict at -O3.
      std::string expected(1, '"');
      expected.append(run, 'x');
      if (special == "\"")
        expected += "\\\"";
      else if (special == "\\")
        expected += "\\\\";
      else if (special == "\n")
        expected += "\\n";
      else if (special == "\x1f")
        expected += "\\u001f";
      else
        expected += special;
      expected += "y\"";
      EXPECT_EQ(out, expected) << run;
    }
  }
}

}  // namespace
}  // namespace twinlog::protocol
