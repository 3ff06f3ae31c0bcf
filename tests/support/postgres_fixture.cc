// The test PostgreSQL server and its scratch databases (see postgres_fixture.h).
//
// Without RECTIFY_TEST_PG the first TestPostgresConninfo() runs
//   bash <source>/tests/support/pg_server.sh start /tmp/rectify-pg-XXXXXX
// which initdbs and starts a server there (as the `postgres` system user when this process runs
// as root: initdb and postgres refuse root), and registers an atexit handler that runs
// `pg_server.sh stop` on that directory. A watchdog child, which waits for the end of a pipe this
// process holds, runs the same stop when the process dies without exiting (a crash, a kill at a
// timeout); a normal exit stops the server itself and ends the watchdog.
//
// Children are started with fork and exec, with every descriptor above stderr closed first, so
// that neither the script nor the server it leaves running holds sockets or pipes of the tests.
#include "tests/support/postgres_fixture.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace rectify::testing_support {
namespace {

constexpr char kConninfoEnv[] = "RECTIFY_TEST_PG";
constexpr char kConninfoFileEnv[] = "RECTIFY_TEST_PG_FILE";
constexpr char kScratchPrefix[] = "rt_";

// Where pg_server.sh is, or "" when the source tree is unknown.
std::string ScriptPath() {
#ifdef RECTIFY_SOURCE_DIR
  return std::string(RECTIFY_SOURCE_DIR) + "/tests/support/pg_server.sh";
#else
  const char* dir = std::getenv("RECTIFY_SOURCE_DIR");
  if (dir == nullptr || *dir == '\0') return "";
  return std::string(dir) + "/tests/support/pg_server.sh";
#endif
}

// After fork: closes every descriptor from `first` up. Async-signal-safe.
void CloseFrom(int first, long max_fd) {
  if (::close_range(static_cast<unsigned>(first), ~0U, 0) == 0) return;
  for (long fd = first; fd < max_fd; ++fd) ::close(static_cast<int>(fd));
}

long MaxFd() {
  const long n = ::sysconf(_SC_OPEN_MAX);
  return n > 0 ? n : 65536;
}

// argv for execv, pointing into `args` (which must outlive it).
std::vector<char*> Argv(std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return argv;
}

// Runs `bash script args...` with stdin from /dev/null and stdout and stderr into `output`;
// returns its exit status, or -1 when it could not be run.
int RunScript(std::vector<std::string> args, std::string* output) {
  args.insert(args.begin(), "bash");
  std::vector<char*> argv = Argv(args);
  const long max_fd = MaxFd();
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    *output = absl::StrCat("pipe: ", std::strerror(errno));
    return -1;
  }
  const int devnull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid < 0) {
    *output = absl::StrCat("fork: ", std::strerror(errno));
    ::close(out[0]);
    ::close(out[1]);
    if (devnull >= 0) ::close(devnull);
    return -1;
  }
  if (pid == 0) {
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(out[1], 1);
    ::dup2(out[1], 2);
    CloseFrom(3, max_fd);
    ::execv("/bin/bash", argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  if (devnull >= 0) ::close(devnull);
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n > 0) {
      output->append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

struct PrivateServer {
  std::string script;
  std::string dir;
  pid_t owner = 0;      // the process that started it; its forked children leave it alone
  pid_t watchdog = -1;  // stops the server when `owner` dies without exiting
  int watchdog_pipe = -1;
};

PrivateServer* g_server = nullptr;  // set once, before the atexit handler is registered

// Forks the watchdog: it waits until every copy of the pipe's write end is closed (the owner
// died), then runs `pg_server.sh stop`. It sits in its own session so that a Ctrl-C to the test
// does not end it before it has cleaned up.
void StartWatchdog(PrivateServer* s) {
  std::vector<std::string> args = {"bash", s->script, "stop", s->dir};
  std::vector<char*> argv = Argv(args);
  const long max_fd = MaxFd();
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;  // then only the atexit handler stops the server
  const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    ::dup2(fds[0], 0);
    if (devnull >= 0) {
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
    }
    CloseFrom(3, max_fd);  // including the write end
    char c;
    for (;;) {
      const ssize_t n = ::read(0, &c, 1);
      if (n == 0 || (n < 0 && errno != EINTR)) break;
    }
    ::execv("/bin/bash", argv.data());
    ::_exit(127);
  }
  ::close(fds[0]);
  if (devnull >= 0) ::close(devnull);
  if (pid < 0) {
    ::close(fds[1]);
    return;
  }
  s->watchdog = pid;
  s->watchdog_pipe = fds[1];  // close-on-exec: programs the tests run do not keep it open
}

void StopPrivateServer() {
  PrivateServer* s = g_server;
  if (s == nullptr || ::getpid() != s->owner) return;
  std::string output;
  const int rc = RunScript({s->script, "stop", s->dir}, &output);
  if (rc != 0) std::fprintf(stderr, "postgres_fixture: pg_server.sh stop: %s\n", output.c_str());
  if (s->watchdog > 0) {
    ::kill(s->watchdog, SIGKILL);
    while (::waitpid(s->watchdog, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  if (s->watchdog_pipe >= 0) ::close(s->watchdog_pipe);
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr,
               "postgres_fixture: 无法启动测试用 PostgreSQL / could not start the test PostgreSQL "
               "server: %s\n(或设置 RECTIFY_TEST_PG 为已有服务器的 conninfo / or set "
               "RECTIFY_TEST_PG to the conninfo of a running server)\n",
               what.c_str());
  std::fflush(stderr);
  std::abort();
}

std::string StartPrivateServer() {
  auto s = std::make_unique<PrivateServer>();
  s->script = ScriptPath();
  if (s->script.empty()) {
    Die("不知道源码目录 / the source tree is unknown (compile with "
        "-DRECTIFY_SOURCE_DIR=\"...\" or set the environment variable RECTIFY_SOURCE_DIR)");
  }
  if (::access(s->script.c_str(), R_OK) != 0) {
    Die(absl::StrCat(s->script, ": ", std::strerror(errno)));
  }
  char dir[] = "/tmp/rectify-pg-XXXXXX";
  if (::mkdtemp(dir) == nullptr) Die(absl::StrCat("mkdtemp /tmp: ", std::strerror(errno)));
  s->dir = dir;
  s->owner = ::getpid();

  std::string output;
  const int rc = RunScript({s->script, "start", s->dir}, &output);
  if (rc != 0) {
    std::string ignored;
    RunScript({s->script, "stop", s->dir}, &ignored);
    if (::access(s->dir.c_str(), F_OK) == 0) ::rmdir(s->dir.c_str());  // when the script refused
    Die(absl::StrCat("pg_server.sh start ", s->dir, " exited with ", rc, ":\n", output));
  }
  // Of the script's output only its own report: "pg_server: 已启动 / started: ..."
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::StartsWith(line, "pg_server:")) {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    }
  }

  std::ifstream in(s->dir + "/conninfo");
  std::stringstream text;
  text << in.rdbuf();
  std::string conninfo(absl::StripAsciiWhitespace(text.str()));
  if (conninfo.empty()) {
    std::string ignored;
    RunScript({s->script, "stop", s->dir}, &ignored);
    Die(absl::StrCat(s->dir, "/conninfo is missing or empty"));
  }

  g_server = s.release();
  StartWatchdog(g_server);
  std::atexit(StopPrivateServer);
  return conninfo;
}

// A libpq conninfo value, quoted when it has to be.
std::string QuoteValue(const std::string& value) {
  if (!value.empty() && value.find_first_of(" \t\n\r\f\v'\\") == std::string::npos) return value;
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

// `conninfo` (key=value or a URI) as key=value with dbname set to `dbname`, and connect_timeout
// to `default_timeout` when it has none and `default_timeout` is not empty. `old_dbname`, when
// given, receives the dbname it had ("" for none).
absl::StatusOr<std::string> WithDatabase(const std::string& conninfo, const std::string& dbname,
                                         const std::string& default_timeout = "",
                                         std::string* old_dbname = nullptr) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? error : "out of memory";
    if (error != nullptr) PQfreemem(error);
    return absl::InvalidArgumentError(
        absl::StrCat("invalid PostgreSQL conninfo: ", absl::StripTrailingAsciiWhitespace(message)));
  }
  std::string out;
  bool has_timeout = false;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string keyword = o->keyword;
    if (keyword == "dbname") {
      if (old_dbname != nullptr) *old_dbname = o->val;
      continue;
    }
    if (keyword == "connect_timeout") has_timeout = true;
    absl::StrAppend(&out, keyword, "=", QuoteValue(o->val), " ");
  }
  PQconninfoFree(options);
  if (!has_timeout && !default_timeout.empty()) {
    absl::StrAppend(&out, "connect_timeout=", default_timeout, " ");
  }
  absl::StrAppend(&out, "dbname=", QuoteValue(dbname));
  return out;
}

struct ConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using Conn = std::unique_ptr<PGconn, ConnCloser>;

std::string LibpqError(const PGconn* conn) {
  return std::string(absl::StripTrailingAsciiWhitespace(PQerrorMessage(conn)));
}

// A connection to the `postgres` database of the server of `conninfo`.
absl::StatusOr<Conn> ConnectAdmin(const std::string& conninfo) {
  absl::StatusOr<std::string> admin = WithDatabase(conninfo, "postgres", "10");
  if (!admin.ok()) return admin.status();
  Conn conn(PQconnectdb(admin->c_str()));
  if (conn == nullptr) return absl::ResourceExhaustedError("PQconnectdb: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    const char* host = PQhost(conn.get());
    const char* port = PQport(conn.get());
    return absl::UnavailableError(absl::StrCat(
        "connecting to PostgreSQL at ", host != nullptr ? host : "?", ":",
        port != nullptr ? port : "?", " (database postgres) failed: ", LibpqError(conn.get())));
  }
  return conn;
}

// Runs one command; `what` names it in the error.
absl::Status Exec(PGconn* conn, const std::string& sql, const std::string& what) {
  PGresult* result = PQexec(conn, sql.c_str());
  if (result == nullptr) {
    return absl::InternalError(absl::StrCat(what, " failed: ", LibpqError(conn)));
  }
  absl::Status status;
  if (PQresultStatus(result) != PGRES_COMMAND_OK) {
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const std::string message = absl::StrCat(
        what, " failed", state != nullptr ? absl::StrCat(" (SQLSTATE ", state, ")") : "", ": ",
        absl::StripTrailingAsciiWhitespace(PQresultErrorMessage(result)));
    if (state != nullptr && std::strcmp(state, "3D000") == 0) {  // invalid_catalog_name
      status = absl::NotFoundError(message);
    } else {
      status = absl::InternalError(message);
    }
  }
  PQclear(result);
  return status;
}

absl::StatusOr<std::string> QuoteIdentifier(PGconn* conn, const std::string& name) {
  char* quoted = PQescapeIdentifier(conn, name.c_str(), name.size());
  if (quoted == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot quote the database name ", name, ": ", LibpqError(conn)));
  }
  std::string out = quoted;
  PQfreemem(quoted);
  return out;
}

}  // namespace

std::string TestPostgresConninfo() {
  static const std::string* const conninfo = [] {
    const char* env = std::getenv(kConninfoEnv);
    if (env != nullptr && *env != '\0') return new std::string(env);
    // CTest's postgres fixture (tests/CMakeLists.txt) starts one server for all test processes
    // and names the file its conninfo is in.
    const char* file = std::getenv(kConninfoFileEnv);
    if (file != nullptr && *file != '\0') {
      std::ifstream in(file);
      std::string line;
      if (in && std::getline(in, line) && !line.empty()) return new std::string(line);
    }
    return new std::string(StartPrivateServer());
  }();
  return *conninfo;
}

absl::StatusOr<std::string> CreateScratchDatabase() {
  static std::atomic<uint64_t> counter{0};
  const std::string server = TestPostgresConninfo();
  std::random_device random;
  const std::string name = absl::StrFormat("%s%d_%d_%08x", kScratchPrefix, ::getpid(),
                                           counter.fetch_add(1) + 1, random());
  absl::StatusOr<std::string> result = WithDatabase(server, name);
  if (!result.ok()) return result.status();
  absl::StatusOr<Conn> conn = ConnectAdmin(server);
  if (!conn.ok()) return conn.status();
  absl::StatusOr<std::string> quoted = QuoteIdentifier(conn->get(), name);
  if (!quoted.ok()) return quoted.status();
  absl::Status created = Exec(conn->get(),
                              absl::StrCat("CREATE DATABASE ", *quoted,
                                           " TEMPLATE template0 ENCODING 'UTF8' "
                                           "LC_COLLATE 'C' LC_CTYPE 'C'"),
                              absl::StrCat("CREATE DATABASE ", name));
  if (!created.ok()) return created;
  return result;
}

absl::Status DropScratchDatabase(const std::string& conninfo) {
  std::string name;
  absl::StatusOr<std::string> parsed = WithDatabase(conninfo, "postgres", "", &name);
  if (!parsed.ok()) return parsed.status();
  if (!absl::StartsWith(name, kScratchPrefix)) {
    return absl::InvalidArgumentError(absl::StrCat("DropScratchDatabase: refusing to drop \"", name,
                                                   "\", not a scratch database (rt_...)"));
  }
  absl::StatusOr<Conn> conn = ConnectAdmin(conninfo);
  if (!conn.ok()) return conn.status();
  absl::StatusOr<std::string> quoted = QuoteIdentifier(conn->get(), name);
  if (!quoted.ok()) return quoted.status();
  return Exec(conn->get(), absl::StrCat("DROP DATABASE ", *quoted, " WITH (FORCE)"),
              absl::StrCat("DROP DATABASE ", name));
}

}  // namespace rectify::testing_support
