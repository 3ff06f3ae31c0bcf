// What a person who mistypes a command line reads: CLI11's English parse errors retold Chinese
// first (English only with --lang en), the nearest command or flag suggested, validator messages
// that say what is expected instead of a double's range, and one spelling for every flag with
// the old underscore spellings kept as hidden aliases.
#include <stdlib.h>

#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "client/commands/cli_errors.h"
#include "client/commands/root.h"
#include "gtest/gtest.h"
#include "tests/support/fake_server_fixture.h"

namespace rectify::client {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Any byte above 0x7F: Chinese (or other non-ASCII) text.
bool HasNonAscii(const std::string& text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) > 0x7F) return true;
  }
  return false;
}

// Every case here fails before anything is sent: nothing serves, the command line goes to a
// port nobody listens on.
class CliErrorsTest : public testing_support::FakeServerTest {};

TEST_F(CliErrorsTest, MistypedCommandSuggestsTheNearestCommandWithItsVerb) {
  EXPECT_EQ(Run({"tsak", "list"}), 2);
  EXPECT_TRUE(Has(err_.str(), "错误: 没有命令“tsak”")) << err_.str();
  EXPECT_TRUE(Has(err_.str(), "您是不是要输入 task list？")) << err_.str();
  EXPECT_FALSE(Has(err_.str(), "A subcommand is required")) << err_.str();
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliErrorsTest, MistypedVerbSuggestsTheWholeCommand) {
  EXPECT_EQ(Run({"task", "lsit"}), 2);
  EXPECT_TRUE(Has(err_.str(), "您是不是要输入 task list？")) << err_.str();
  EXPECT_EQ(Run({"report", "overdeu"}), 2);
  EXPECT_TRUE(Has(err_.str(), "您是不是要输入 report overdue？")) << err_.str();
}

TEST_F(CliErrorsTest, MissingVerbListsTheVerbsInChinese) {
  EXPECT_EQ(Run({"task"}), 2);
  EXPECT_TRUE(Has(err_.str(), "task 后面须跟子命令")) << err_.str();
  EXPECT_TRUE(Has(err_.str(), "list")) << err_.str();
  EXPECT_FALSE(Has(err_.str(), "A subcommand is required")) << err_.str();
}

TEST_F(CliErrorsTest, MistypedFlagSuggestsTheNearestFlag) {
  EXPECT_EQ(Run({"task", "list", "--unti", "2"}), 2);
  EXPECT_TRUE(Has(err_.str(), "没有选项“--unti”")) << err_.str();
  EXPECT_TRUE(Has(err_.str(), "您是不是要输入 --unit？")) << err_.str();
  EXPECT_FALSE(Has(err_.str(), "were not expected")) << err_.str();
  EXPECT_FALSE(Has(err_.str(), "was not expected")) << err_.str();
}

TEST_F(CliErrorsTest, OutOfRangePercentSaysTheRangeInChinese) {
  EXPECT_EQ(Run({"task", "progress", "1", "--text", "x", "--percent", "150"}), 2);
  EXPECT_TRUE(Has(err_.str(), "--percent 的值无效：须为 0 到 100 之间的整数，收到“150”"))
      << err_.str();
  EXPECT_FALSE(Has(err_.str(), "not in range")) << err_.str();
}

TEST_F(CliErrorsTest, ANameWhereATaskIdGoesIsOneShortLine) {
  EXPECT_EQ(Run({"task", "show", "第一支部"}), 2);
  EXPECT_TRUE(Has(err_.str(), "须为编号（正整数），收到“第一支部”")) << err_.str();
  EXPECT_FALSE(Has(err_.str(), "not in range")) << err_.str();
  EXPECT_FALSE(Has(err_.str(), "17976931348623157")) << err_.str();  // DBL_MAX's digits
  EXPECT_LT(err_.str().size(), 400u) << err_.str();
}

TEST_F(CliErrorsTest, WrongChoiceSuggestsTheNearestValue) {
  EXPECT_EQ(
      Run({"review", "create", "t", "--kind", "orglife", "--held-on", "2021-12-20", "--unit", "1"}),
      2);
  EXPECT_TRUE(Has(err_.str(), "您是不是要输入 org-life？")) << err_.str();
  EXPECT_FALSE(Has(err_.str(), "not in {")) << err_.str();
}

TEST_F(CliErrorsTest, MissingRequiredOptionAndUnexpectedArgumentsAreChinese) {
  EXPECT_EQ(Run({"task", "cancel", "1"}), 2);
  EXPECT_TRUE(Has(err_.str(), "缺少必填项 --reason")) << err_.str();
  EXPECT_EQ(Run({"task", "show", "1", "2"}), 2);
  EXPECT_TRUE(Has(err_.str(), "多余的参数：2")) << err_.str();
  EXPECT_EQ(Run({"task", "list", "--unit"}), 2);
  EXPECT_TRUE(Has(err_.str(), "--unit 缺少值")) << err_.str();
}

TEST_F(CliErrorsTest, EnglishOnlyWithLangEn) {
  EXPECT_EQ(Run({"--lang", "en", "tsak", "list"}), 2);
  EXPECT_TRUE(Has(err_.str(), "did you mean task list?")) << err_.str();
  EXPECT_FALSE(HasNonAscii(err_.str())) << err_.str();
  EXPECT_EQ(Run({"--lang", "en", "task", "progress", "1", "--text", "x", "--percent", "150"}), 2);
  EXPECT_TRUE(Has(err_.str(), "must be a whole number from 0 to 100")) << err_.str();
  EXPECT_FALSE(HasNonAscii(err_.str())) << err_.str();
}

TEST_F(CliErrorsTest, FlagsAreKebabCaseAndTheOldSpellingsStillWork) {
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_TRUE(Has(out_.str(), "--token-file")) << out_.str();
  EXPECT_TRUE(Has(out_.str(), "--ca-file")) << out_.str();
  EXPECT_FALSE(Has(out_.str(), "--token_file")) << out_.str();
  EXPECT_FALSE(Has(out_.str(), "--ca_file")) << out_.str();
  // The hidden aliases parse: a missing token file is reported as such, not as an unknown flag.
  EXPECT_EQ(Run({"--token_file", "/nonexistent/token", "task", "show", "1"}), 2);
  EXPECT_FALSE(Has(err_.str(), "没有选项")) << err_.str();
  EXPECT_TRUE(Has(err_.str(), "/nonexistent/token")) << err_.str();
  EXPECT_EQ(Run({"--token-file", "/nonexistent/token", "task", "show", "1"}), 2);
  EXPECT_TRUE(Has(err_.str(), "/nonexistent/token")) << err_.str();
}

// Every command's help, walked from the command tree, not only the top level's: flags are
// spelled in kebab case. (rectifyd's own flags, which some texts quote as "rectifyd
// --audit_key_file", are absl flags with underscores and are not the client's.)
TEST_F(CliErrorsTest, EveryCommandsHelpSpellsItsFlagsInKebabCase) {
  GlobalOptions options;
  Action action;
  const std::unique_ptr<CLI::App> app = BuildCli(&options, &action);
  std::vector<std::vector<std::string>> commands = {{}};
  for (size_t i = 0; i < commands.size(); ++i) {
    const CLI::App* at = app.get();
    for (const std::string& name : commands[i]) at = at->get_subcommand(name);
    for (const CLI::App* sub : at->get_subcommands(nullptr)) {
      std::vector<std::string> path = commands[i];
      path.push_back(sub->get_name());
      commands.push_back(path);
    }
  }
  ASSERT_GT(commands.size(), 40u);  // every verb of every command
  const std::regex underscore_flag("--[A-Za-z0-9-]*_[A-Za-z0-9_]*");
  bool saw_key_file = false;
  for (const std::vector<std::string>& command : commands) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    SCOPED_TRACE(absl::StrJoin(args, " "));
    EXPECT_EQ(Run(args), 0) << err_.str();
    const std::string help = out_.str();
    EXPECT_FALSE(help.empty());
    saw_key_file = saw_key_file || Has(help, "--key-file");
    for (auto m = std::sregex_iterator(help.begin(), help.end(), underscore_flag);
         m != std::sregex_iterator(); ++m) {
      const size_t at = static_cast<size_t>(m->position());
      const bool server_flag = at >= 9 && help.compare(at - 9, 9, "rectifyd ") == 0;
      EXPECT_TRUE(server_flag) << m->str() << " in:\n" << help;
    }
  }
  EXPECT_TRUE(saw_key_file);  // audit verify's, once --key_file
}

TEST_F(CliErrorsTest, ANumberFlagAsksForAWholeNumberNotAnId) {
  EXPECT_EQ(Run({"token", "create", "--name", "纪委办", "--role", "supervisor", "--days", "abc"}),
            2);
  EXPECT_TRUE(Has(err_.str(), "--days 的值无效：须为不小于 1 的整数，收到“abc”")) << err_.str();
  EXPECT_FALSE(Has(err_.str(), "编号")) << err_.str();
  EXPECT_EQ(
      Run({"--lang", "en", "token", "create", "--name", "x", "--role", "branch", "--days", "0"}),
      2);
  EXPECT_TRUE(Has(err_.str(), "must be a whole number from 1")) << err_.str();
  EXPECT_FALSE(Has(err_.str(), "an id")) << err_.str();
}

TEST(EditDistanceTest, CountsCodePointsAndSwapsAsOneEdit) {
  EXPECT_EQ(EditDistance("tsak", "task"), 1);
  EXPECT_EQ(EditDistance("第一支部", "第二支部"), 1);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(Nearest("--unti", {"--unit", "--until", "--help"}), "--unit");
  EXPECT_EQ(Nearest("xyz", {"task", "unit"}), "");
  EXPECT_EQ(Nearest("rep", {"report", "review"}), "report");
}

}  // namespace
}  // namespace rectify::client
