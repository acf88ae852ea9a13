// One connection of twinlog-workload to a master (libmariadb): UTC session time
// zone, the --binlog-format asked for, and an error that names the master and
// the statement.
#pragma once

#include <mysql.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "tools/workload/workload_options.h"

namespace twinlog::workload {

class Connection {
 public:
  Connection(const Endpoint& ep, const Options& o, std::string name) : name_(std::move(name)) {
    mysql_ = mysql_init(nullptr);
    if (mysql_ == nullptr) {
      throw std::runtime_error("mysql_init failed");
    }
    unsigned timeout = 10;
    mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    const char* socket = ep.socket.empty() ? nullptr : ep.socket.c_str();
    if (mysql_real_connect(mysql_, ep.host.c_str(), o.user.c_str(), o.password.c_str(), nullptr,
                           ep.port, socket, 0) == nullptr) {
      std::string err = mysql_error(mysql_);
      mysql_close(mysql_);
      throw std::runtime_error("cannot connect to master " + name_ + ": " + err);
    }
    exec("SET SESSION time_zone = '+00:00'");
    if (!o.binlog_format.empty()) {
      exec("SET SESSION binlog_format = '" + o.binlog_format + "'");
    }
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { mysql_close(mysql_); }

  void exec(const std::string& sql) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      std::string shown = sql.size() > 300 ? sql.substr(0, 300) + "..." : sql;
      throw std::runtime_error("master " + name_ + ": " + mysql_error(mysql_) + " in: " + shown);
    }
    if (MYSQL_RES* res = mysql_store_result(mysql_)) {
      mysql_free_result(res);
    }
  }

  // First column of every row.
  std::vector<std::string> column(const std::string& sql, int index = 0) {
    if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) {
      throw std::runtime_error("master " + name_ + ": " + mysql_error(mysql_) + " in: " + sql);
    }
    std::vector<std::string> out;
    MYSQL_RES* res = mysql_store_result(mysql_);
    if (res == nullptr) {
      return out;
    }
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
      out.emplace_back(row[index] != nullptr ? row[index] : "");
    }
    mysql_free_result(res);
    return out;
  }

  std::string value(const std::string& sql) {
    auto v = column(sql);
    return v.empty() ? std::string() : v.front();
  }

  const std::string& name() const { return name_; }

 private:
  MYSQL* mysql_ = nullptr;
  std::string name_;
};

}  // namespace twinlog::workload
