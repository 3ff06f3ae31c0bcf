#include "client/commands/cli_errors.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace rectify::client {
namespace {

// A message in both languages.
struct Text {
  std::string zh;
  std::string en;
};

std::string Render(const Text& t, Lang lang) {
  if (lang == Lang::kEn || t.zh.empty()) return t.en;
  if (t.en.empty() || t.en == t.zh) return t.zh;
  return absl::StrCat(t.zh, " / ", t.en);
}

// UTF-8 -> code points (bytes that are not UTF-8 count one each; they only make a word longer).
std::u32string CodePoints(absl::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    char32_t cp = len == 1 ? c : c & (0xFF >> (len + 1));
    for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<size_t>(len);
  }
  return out;
}

// Where parsing got to: the commands recognised, and the first word that is neither a known
// command nor a known flag there.
struct Scan {
  std::vector<const CLI::App*> chain;  // root first
  std::string unknown_command;
  std::string unknown_flag;
  std::string suggestion;  // what to type instead, e.g. "task list" or "--unit"
};

const CLI::App* Subcommand(const CLI::App* app, const std::string& name) {
  auto found = app->get_subcommands(
      [&](const CLI::App* sub) { return sub->check_name(name) && !sub->get_name().empty(); });
  return found.empty() ? nullptr : found.front();
}

std::vector<std::string> SubcommandNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (const CLI::App* sub :
       app->get_subcommands([](const CLI::App* s) { return !s->get_name().empty(); })) {
    names.push_back(sub->get_name());
  }
  return names;
}

bool HasPositionals(const CLI::App* app) {
  return !app->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
}

const CLI::Option* FindOption(const std::vector<const CLI::App*>& chain, const std::string& name) {
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const CLI::Option* opt = (*it)->get_option_no_throw(name);
    if (opt != nullptr) return opt;
  }
  return nullptr;
}

// The flags a user may type at this point (hidden aliases are not suggested).
std::vector<std::string> VisibleFlags(const std::vector<const CLI::App*>& chain) {
  std::vector<std::string> flags = {"--help"};
  for (const CLI::App* app : chain) {
    for (const CLI::Option* opt : app->get_options()) {
      if (opt->get_group().empty()) continue;
      for (const std::string& name : opt->get_lnames()) flags.push_back("--" + name);
    }
  }
  return flags;
}

std::string CommandPath(const std::vector<const CLI::App*>& chain) {
  std::vector<std::string> names;
  for (size_t i = 1; i < chain.size(); ++i) names.push_back(chain[i]->get_name());
  return absl::StrJoin(names, " ");
}

Scan ScanArgs(const CLI::App& root, const std::vector<std::string>& args) {
  Scan scan;
  scan.chain.push_back(&root);
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    const CLI::App* here = scan.chain.back();
    if (word == "--") break;
    if (word.size() > 1 && word[0] == '-' &&
        !absl::ascii_isdigit(static_cast<unsigned char>(word[1]))) {
      const std::string name = word.substr(0, word.find('='));
      if (name == "--help" || name == "-h" || name == "--version") continue;
      const CLI::Option* opt = FindOption(scan.chain, name);
      if (opt == nullptr) {
        scan.unknown_flag = name;
        scan.suggestion = Nearest(name, VisibleFlags(scan.chain));
        return scan;
      }
      if (opt->get_type_size_max() > 0 && word.find('=') == std::string::npos) ++i;
      continue;
    }
    if (const CLI::App* sub = Subcommand(here, word)) {
      scan.chain.push_back(sub);
      continue;
    }
    if (HasPositionals(here) || SubcommandNames(here).empty()) continue;
    scan.unknown_command = word;
    const std::string nearest = Nearest(word, SubcommandNames(here));
    if (nearest.empty()) return scan;
    std::vector<std::string> words;
    const std::string path = CommandPath(scan.chain);
    if (!path.empty()) words.push_back(path);
    words.push_back(nearest);
    // "tsak list": the next word names the verb of the command meant.
    const CLI::App* meant = Subcommand(here, nearest);
    if (i + 1 < args.size() && meant != nullptr && Subcommand(meant, args[i + 1]) != nullptr) {
      words.push_back(args[i + 1]);
    }
    scan.suggestion = absl::StrJoin(words, " ");
    return scan;
  }
  return scan;
}

// "NAME: message" -> {NAME, message}.
std::pair<std::string, std::string> SplitName(const std::string& what) {
  const size_t colon = what.find(": ");
  if (colon == std::string::npos) return {"", what};
  return {what.substr(0, colon), what.substr(colon + 2)};
}

// The English part of a CLI11 message after a fixed prefix.
std::string After(const std::string& what, const std::string& marker) {
  const size_t at = what.find(marker);
  return at == std::string::npos ? what : what.substr(at + marker.size());
}

Text TellError(const CLI::ParseError& error, const Scan& scan) {
  const std::string what = error.what();
  const std::string name = error.get_name();
  const std::string path = CommandPath(scan.chain);
  if (name == "RequiredError") {
    if (absl::StartsWith(what, "A subcommand") || absl::StartsWith(what, "Requires at least")) {
      const std::string verbs = absl::StrJoin(SubcommandNames(scan.chain.back()), ", ");
      if (path.empty()) {
        return {absl::StrCat("缺少命令，可用：", verbs),
                absl::StrCat("a command is required: ", verbs)};
      }
      return {absl::StrCat(path, " 后面须跟子命令：", verbs),
              absl::StrCat(path, " needs one of: ", verbs)};
    }
    if (absl::StartsWith(what, "Exactly 1 option from") || absl::StartsWith(what, "At least 1")) {
      const std::string list = After(what, "from ");
      return {absl::StrCat("须给出其中之一：", list), absl::StrCat("give one of ", list)};
    }
    if (absl::EndsWith(what, " is required")) {
      const std::string item = what.substr(0, what.size() - std::string(" is required").size());
      return {absl::StrCat("缺少必填项 ", item), absl::StrCat(item, " is required")};
    }
  }
  if (name == "ExtrasError" || absl::StrContains(what, "not expected: ")) {
    const std::string extras = After(what, "expected: ");
    return {absl::StrCat("多余的参数：", extras), absl::StrCat("unexpected arguments: ", extras)};
  }
  if (name == "ValidationError") {
    auto [option, message] = SplitName(what);
    const size_t slash = message.find(" / ");
    const std::string zh = slash == std::string::npos ? message : message.substr(0, slash);
    const std::string en = slash == std::string::npos ? message : message.substr(slash + 3);
    if (option.empty()) return {zh, en};
    return {absl::StrCat(option, " 的值无效：", zh), absl::StrCat("invalid ", option, ": ", en)};
  }
  if (name == "ConversionError") {
    if (absl::StartsWith(what, "Could not convert: ")) {
      const std::string rest = After(what, "Could not convert: ");
      const size_t eq = rest.find(" = ");
      const std::string option = rest.substr(0, eq);
      const std::string value = eq == std::string::npos ? "" : rest.substr(eq + 3);
      return {absl::StrCat(option, " 的值“", value, "”无法识别"),
              absl::StrCat("cannot read \"", value, "\" for ", option)};
    }
    return {absl::StrCat("值无法识别：", what), what};
  }
  if (name == "ArgumentMismatch") {
    const std::string option = SplitName(what).first;
    if (!option.empty()) {
      return {absl::StrCat(option, " 缺少值"), absl::StrCat(option, " needs a value")};
    }
  }
  if (name == "ExcludesError") {
    std::vector<std::string> parts = absl::StrSplit(what, " excludes ");
    if (parts.size() == 2) {
      return {absl::StrCat(parts[0], " 与 ", parts[1], " 不能同时使用"),
              absl::StrCat(parts[0], " cannot be used with ", parts[1])};
    }
  }
  if (name == "RequiresError") {
    std::vector<std::string> parts = absl::StrSplit(what, " requires ");
    if (parts.size() == 2) {
      return {absl::StrCat(parts[0], " 须与 ", parts[1], " 一起使用"),
              absl::StrCat(parts[0], " needs ", parts[1])};
    }
  }
  return {absl::StrCat("命令行无法解析：", what),
          absl::StrCat("cannot parse the command line: ", what)};
}

}  // namespace

int EditDistance(absl::string_view a_text, absl::string_view b_text) {
  const std::u32string a = CodePoints(a_text);
  const std::u32string b = CodePoints(b_text);
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = 0; i <= n; ++i) d[i][0] = static_cast<int>(i);
  for (size_t j = 0; j <= m; ++j) d[0][j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string Nearest(absl::string_view typed, const std::vector<std::string>& candidates) {
  const std::string lower = absl::AsciiStrToLower(typed);
  absl::string_view bare = lower;
  while (absl::ConsumePrefix(&bare, "-")) {
  }
  if (bare.empty()) return "";
  std::string best;
  int best_distance = 1 << 20;
  for (const std::string& candidate : candidates) {
    absl::string_view c = candidate;
    while (absl::ConsumePrefix(&c, "-")) {
    }
    int distance = EditDistance(bare, c);
    // "rep" for "report": a clear beginning is as good as one typo.
    if (bare.size() >= 2 && absl::StartsWith(c, bare)) distance = std::min(distance, 1);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  const int allowed = std::min(2, std::max(1, static_cast<int>(CodePoints(bare).size()) / 3));
  return best_distance <= allowed ? best : "";
}

std::string PickLang(absl::string_view bilingual, Lang lang) {
  if (lang == Lang::kZh) return std::string(bilingual);
  const size_t slash = bilingual.find(" / ");
  return std::string(slash == absl::string_view::npos ? bilingual : bilingual.substr(slash + 3));
}

Lang LangBeforeParse(const std::vector<std::string>& args) {
  std::string lang;
  const char* env = std::getenv("RECTIFY_LANG");
  if (env != nullptr) lang = env;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--lang" && i + 1 < args.size()) lang = args[i + 1];
    if (absl::StartsWith(args[i], "--lang=")) lang = args[i].substr(7);
  }
  return absl::StartsWith(lang, "en") ? Lang::kEn : Lang::kZh;
}

std::string DescribeParseError(const CLI::App& root, const CLI::ParseError& error,
                               const std::vector<std::string>& args, Lang lang) {
  const Scan scan = ScanArgs(root, args);
  Text problem;
  if (!scan.unknown_flag.empty()) {
    problem = {absl::StrCat("没有选项“", scan.unknown_flag, "”"),
               absl::StrCat("unknown option \"", scan.unknown_flag, "\"")};
  } else if (!scan.unknown_command.empty()) {
    problem = {absl::StrCat("没有命令“", scan.unknown_command, "”"),
               absl::StrCat("unknown command \"", scan.unknown_command, "\"")};
  } else {
    problem = TellError(error, scan);
  }
  const std::string prefix = lang == Lang::kEn ? "error: " : "错误: ";
  std::string out = absl::StrCat(prefix, Render(problem, lang), "\n");
  if (!scan.suggestion.empty()) {
    absl::StrAppend(&out,
                    Render({absl::StrCat("您是不是要输入 ", scan.suggestion, "？"),
                            absl::StrCat("did you mean ", scan.suggestion, "?")},
                           lang),
                    "\n");
  }
  const std::string help = absl::StrCat("rectify ", CommandPath(scan.chain),
                                        CommandPath(scan.chain).empty() ? "" : " ", "--help");
  absl::StrAppend(&out, Render({absl::StrCat("用法见 ", help), absl::StrCat("see ", help)}, lang),
                  "\n");
  return out;
}

}  // namespace rectify::client
