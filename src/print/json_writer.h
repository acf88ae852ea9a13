// A small JSON object writer for JSON-lines output: keys in insertion order,
// strings escaped (text that is not valid UTF-8 is read as Latin-1, so no output
// line is ever invalid JSON and no byte is lost).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace twinlog {

void append_json_string(std::string& out, std::string_view text);

class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_.push_back('{'); }
  JsonObject& key(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    append_json_string(out_, k);
    out_.push_back(':');
    return *this;
  }
  JsonObject& str(std::string_view k, std::string_view v) {
    key(k);
    append_json_string(out_, v);
    return *this;
  }
  JsonObject& num(std::string_view k, uint64_t v) {
    key(k);
    out_ += std::to_string(v);
    return *this;
  }
  JsonObject& snum(std::string_view k, int64_t v) {
    key(k);
    out_ += std::to_string(v);
    return *this;
  }
  JsonObject& boolean(std::string_view k, bool v) {
    key(k);
    out_ += v ? "true" : "false";
    return *this;
  }
  // The value is written by the caller right after this (raw JSON).
  std::string& raw(std::string_view k) {
    key(k);
    return out_;
  }
  void close() { out_.push_back('}'); }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace twinlog
