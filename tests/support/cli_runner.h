// Runs the rectify command line in-process (client::RunCli, what the rectify binary's main calls)
// against one server address, the way a user's shell would, and keeps what the last command
// printed on stdout and stderr. Test fixtures inherit it next to their gtest base and say
// `using CliRunner::Run;` (gtest's Test has a private Run() of its own that would make the name
// ambiguous). Tests that call Run() link rectify_test_cli (tests/CMakeLists.txt), which brings
// the client library; fixtures that only offer it do not. Not thread-safe: one command at a
// time, from the test's thread.
#ifndef RECTIFY_TESTS_SUPPORT_CLI_RUNNER_H_
#define RECTIFY_TESTS_SUPPORT_CLI_RUNNER_H_

#include <sstream>
#include <string>
#include <vector>

namespace rectify {
namespace testing_support {

class CliRunner {
 protected:
  // Runs `rectify --server <cli_server_> [--token_file <cli_token_file_>] ARGS...`; stdout and
  // stderr land in out_ and err_ (emptied first). Returns the exit code.
  int Run(std::vector<std::string> args);

  // Where commands go; by default a port nothing listens on, for commands that must fail before
  // anything is sent.
  std::string cli_server_ = "127.0.0.1:1";
  // The token file passed with --token_file; empty: the client finds its token as a user's
  // would (RECTIFY_TOKEN first).
  std::string cli_token_file_;
  std::ostringstream out_;
  std::ostringstream err_;
};

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_CLI_RUNNER_H_
