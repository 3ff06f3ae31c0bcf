#include "tests/support/cli_runner.h"

#include "client/commands/root.h"

namespace rectify {
namespace testing_support {

int CliRunner::Run(std::vector<std::string> args) {
  std::vector<std::string> prefix = {"rectify", "--server", cli_server_};
  if (!cli_token_file_.empty()) {
    prefix.push_back("--token_file");
    prefix.push_back(cli_token_file_);
  }
  args.insert(args.begin(), prefix.begin(), prefix.end());
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  out_.str("");
  err_.str("");
  return client::RunCli(static_cast<int>(argv.size()), argv.data(), out_, err_);
}

}  // namespace testing_support
}  // namespace rectify
