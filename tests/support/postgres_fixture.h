// A PostgreSQL server for tests, and scratch databases on it, one per test.
//
//   const std::string server = TestPostgresConninfo();   // started on first use
//   absl::StatusOr<std::string> db = CreateScratchDatabase();
//   ASSERT_TRUE(db.ok()) << db.status();
//   PGconn* conn = PQconnectdb(db->c_str());              // an empty UTF8 database, locale C
//   ...
//   EXPECT_TRUE(DropScratchDatabase(*db).ok());
//
// The server: when the environment variable RECTIFY_TEST_PG holds a libpq conninfo (key=value
// or a postgresql:// URI), that server is used and nothing is started; a run of many test
// processes can share one server that way (start it with tests/support/pg_server.sh). So can
// RECTIFY_TEST_PG_FILE, naming a file whose first line is the conninfo (pg_server.sh's
// DIR/conninfo; CTest's postgres fixture sets it) when the file exists. Otherwise
// the first call starts a private server for this process with tests/support/pg_server.sh in a
// fresh directory under /tmp, on 127.0.0.1 and a free port, and the process stops it and removes
// the directory when it exits (std::atexit; a watchdog process does the same when the test
// process dies without exiting, e.g. when killed at a timeout). Starting takes a second or two
// (initdb); each scratch database a fraction of a second. The script is found through the
// compile definition RECTIFY_SOURCE_DIR (the source tree), or the environment variable of that
// name when the definition is missing.
//
// initdb and postgres refuse to run as root, and tests and CI run as root: then the script runs
// the server as the `postgres` system user (Debian's postgresql package makes it), owning the
// server's directory. Nothing of that shows here: the server is reached over TCP with user
// postgres and trust authentication.
//
// Link with libpq (`pq`). Thread-safe: any thread may call any of these at any time.
#ifndef RECTIFY_TESTS_SUPPORT_POSTGRES_FIXTURE_H_
#define RECTIFY_TESTS_SUPPORT_POSTGRES_FIXTURE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rectify::testing_support {

// The libpq conninfo of the test server, e.g. "host=127.0.0.1 port=21489 user=postgres
// dbname=postgres": $RECTIFY_TEST_PG when set, else that of this process's private server,
// started on the first call. Aborts the program with the script's messages when the server
// cannot be started (no test against it could run).
std::string TestPostgresConninfo();

// Creates an empty database named rt_<pid>_<counter>_<random> on the test server (from
// template0, UTF8, collation and ctype C) and returns a conninfo for it: the server's with the
// dbname replaced.
absl::StatusOr<std::string> CreateScratchDatabase();

// Drops the database of a conninfo CreateScratchDatabase returned, closing its open connections
// (DROP DATABASE ... WITH (FORCE)). Refuses a database whose name does not start with "rt_";
// NotFoundError when it does not exist.
absl::Status DropScratchDatabase(const std::string& conninfo);

}  // namespace rectify::testing_support

#endif  // RECTIFY_TESTS_SUPPORT_POSTGRES_FIXTURE_H_
