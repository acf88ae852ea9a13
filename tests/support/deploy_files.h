// The files of samples/deploy/ read the way systemd, Kubernetes and promtool read
// them, so that the tests run what the files say rather than a copy of it: a
// systemd unit's keys and its ExecStart split into words, the CronJob's
// manifests as JSON, a metrics file's samples as promtool input series.
#pragma once

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/cli_run.h"

namespace twinlog::testing {

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A unit file's settings as "Section.Key" -> values in file order (a key may
// repeat), with backslash-continued lines joined by a space as systemd does.
using UnitSettings = std::multimap<std::string, std::string>;

inline UnitSettings read_unit_file(const std::string& path) {
  std::istringstream in(read_text_file(path));
  UnitSettings settings;
  std::string section, line, pending;
  while (std::getline(in, line)) {
    if (pending.empty() && (line.empty() || line[0] == '#' || line[0] == ';')) continue;
    if (!line.empty() && line.back() == '\\') {
      line.pop_back();
      pending.append(line).append(" ");
      continue;
    }
    line = pending + line;
    pending.clear();
    if (line.front() == '[') {
      section = line.substr(1, line.find(']') - 1);
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) throw std::runtime_error(path + ": no '=' in: " + line);
    settings.emplace(section + "." + line.substr(0, eq), line.substr(eq + 1));
  }
  return settings;
}

inline std::string unit_setting(const UnitSettings& settings, const std::string& key) {
  auto it = settings.find(key);
  if (it == settings.end()) throw std::runtime_error("no " + key);
  return it->second;
}

// A command line split into words as systemd splits ExecStart (white space,
// double or single quotes around a word).
inline std::vector<std::string> split_command_line(const std::string& line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size()) {
    if (std::isspace(static_cast<unsigned char>(line[i]))) {
      ++i;
      continue;
    }
    std::string word;
    if (line[i] == '"' || line[i] == '\'') {
      const auto close = line.find(line[i], i + 1);
      if (close == std::string::npos) throw std::runtime_error("unclosed quote in: " + line);
      word = line.substr(i + 1, close - i - 1);
      i = close + 1;
    } else {
      while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i])))
        word += line[i++];
    }
    words.push_back(word);
  }
  return words;
}

// `word` with systemd's %X specifiers and ${NAME} variables replaced from the
// maps; one the maps lack throws, so a specifier a test does not know fails it.
inline std::string expand_unit_word(const std::string& word,
                                    const std::map<char, std::string>& spec,
                                    const std::map<std::string, std::string>& env) {
  std::string out;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (word[i] == '%' && i + 1 < word.size()) {
      const char c = word[++i];
      if (c == '%') {
        out += '%';
      } else if (auto it = spec.find(c); it != spec.end()) {
        out += it->second;
      } else {
        throw std::runtime_error(std::string("unexpected specifier %") + c + " in " + word);
      }
    } else if (word.compare(i, 2, "${") == 0) {
      const auto close = word.find('}', i);
      const std::string name = word.substr(i + 2, close - i - 2);
      auto it = env.find(name);
      if (close == std::string::npos || it == env.end())
        throw std::runtime_error("unexpected variable in " + word);
      out += it->second;
      i = close;
    } else {
      out += word[i];
    }
  }
  return out;
}

// `path` with its leading `from` directory replaced by `to` (unchanged when it is
// not under `from`).
inline std::string moved_path(const std::string& path, const std::string& from,
                              const std::string& to) {
  if (path == from) return to;
  if (path.compare(0, from.size() + 1, from + "/") == 0) return to + path.substr(from.size());
  return path;
}

inline std::string shell_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    std::string quoted = "'";
    for (char c : w) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out.append(out.empty() ? "" : " ").append(quoted).append("'");
  }
  return out;
}

// Every document of a YAML file as JSON (Debian's python3-yaml reads it).
inline nlohmann::json yaml_documents(const std::string& path) {
  auto r = run_shell(
      "python3 -c 'import json, sys, yaml; "
      "print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))' " +
      shell_words({path}));
  if (r.code != 0) throw std::runtime_error("python3 yaml on " + path + ": " + r.err);
  return nlohmann::json::parse(r.out);
}

// One sample line of a metrics file: `series` as written ("name{labels}"), its value.
struct PromSample {
  std::string series;
  std::string value;
};

inline std::vector<PromSample> prom_samples(const std::string& text) {
  std::vector<PromSample> samples;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    samples.push_back({line.substr(0, space), line.substr(space + 1)});
  }
  return samples;
}

// `sample`'s series with the labels the node exporter's scrape adds to it.
inline std::string scraped_series(const PromSample& sample, const std::string& scrape_labels) {
  std::string s = sample.series;
  if (s.back() == '}') {
    s.insert(s.size() - 1, "," + scrape_labels);
  } else {
    s += "{" + scrape_labels + "}";
  }
  return s;
}

// A promtool rule test group: `samples` as input series held for a day and a
// half at one-hour steps, then `alert_tests` (YAML, the items of alert_rule_test,
// indented by 6).
inline std::string promtool_test_group(const std::vector<PromSample>& samples,
                                       const std::string& alert_tests) {
  std::string out = "  - interval: 1h\n    input_series:\n";
  for (const auto& s : samples) {
    std::string series = scraped_series(s, "instance=\"db-host:9100\",job=\"node\"");
    std::string quoted;
    for (char c : series) quoted += c == '\'' ? std::string("''") : std::string(1, c);
    out.append("      - series: '").append(quoted).append("'\n");
    out.append("        values: '").append(s.value).append("x36'\n");
  }
  return out + "    alert_rule_test:\n" + alert_tests;
}

// `promtool test rules` over `rule_file` with the test groups `groups`.
inline CliRun promtool_test_rules(const std::string& rule_file, const std::string& groups,
                                  const std::string& name) {
  const std::string test = write_temp_file(
      std::to_string(::getpid()) + "-" + name,
      "rule_files:\n  - " + rule_file + "\nevaluation_interval: 1m\ntests:\n" + groups);
  auto r = run_shell("promtool test rules " + shell_words({test}) + " 2>&1");
  std::filesystem::remove(test);
  return r;
}

}  // namespace twinlog::testing
