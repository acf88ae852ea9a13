/* The bare connector read: what libmariadb's binlog API alone costs, as the floor
 * `twinlog capture` and `twinlog stats --host` are measured against
 * (bench/compare_live.sh). It connects, starts a non-blocking dump at FILE:4 with
 * mariadb_rpl_open and calls mariadb_rpl_fetch until the server says it has sent
 * everything. No decoding of its own, no output but one summary line on stderr.
 *
 *   connector_probe HOST PORT USER FILE [SERVER_ID]
 *
 * The password, if any, comes from MYSQL_PWD. */
/* mysql.h first: mariadb_rpl.h uses its types without including it. */
/* clang-format off */
#include <mysql.h>
#include <mariadb_rpl.h>
/* clang-format on */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: connector_probe HOST PORT USER FILE [SERVER_ID]\n");
    return 2;
  }
  const char* file = argv[4];
  unsigned int server_id = argc > 5 ? (unsigned int)strtoul(argv[5], NULL, 10) : 0x7ffffff0u;
  MYSQL* mysql = mysql_init(NULL);
  if (!mysql_real_connect(mysql, argv[1], argv[3], getenv("MYSQL_PWD"), NULL,
                          (unsigned int)strtoul(argv[2], NULL, 10), NULL, 0)) {
    fprintf(stderr, "connector_probe: %s\n", mysql_error(mysql));
    return 1;
  }
  /* A replica announces it understands checksums, or the server refuses the dump. */
  if (mysql_query(mysql, "SET @master_binlog_checksum = @@global.binlog_checksum") ||
      mysql_query(mysql, "SET @mariadb_slave_capability = 4")) {
    fprintf(stderr, "connector_probe: %s\n", mysql_error(mysql));
    return 1;
  }
  MARIADB_RPL* rpl = mariadb_rpl_init(mysql);
  unsigned long start = 4;
  unsigned int flags = MARIADB_RPL_BINLOG_DUMP_NON_BLOCK | MARIADB_RPL_BINLOG_SEND_ANNOTATE_ROWS;
  mariadb_rpl_optionsv(rpl, MARIADB_RPL_FILENAME, file, strlen(file));
  mariadb_rpl_optionsv(rpl, MARIADB_RPL_START, start);
  mariadb_rpl_optionsv(rpl, MARIADB_RPL_SERVER_ID, server_id);
  mariadb_rpl_optionsv(rpl, MARIADB_RPL_FLAGS, flags);
  if (mariadb_rpl_open(rpl)) {
    fprintf(stderr, "connector_probe: %s\n", mysql_error(mysql));
    return 1;
  }
  unsigned long long events = 0, bytes = 0;
  MARIADB_RPL_EVENT* event = NULL;
  while ((event = mariadb_rpl_fetch(rpl, event)) != NULL) {
    ++events;
    bytes += event->event_length;
  }
  if (mysql_errno(mysql)) {
    fprintf(stderr, "connector_probe: %s\n", mysql_error(mysql));
    return 1;
  }
  fprintf(stderr, "connector_probe: %llu events, %llu bytes\n", events, bytes);
  mariadb_free_rpl_event(event);
  mariadb_rpl_close(rpl);
  mysql_close(mysql);
  return 0;
}
