#include "client/rpc/token_source.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rectify::client {
namespace {

// The error for something that is not one token: a file of several lines, or bytes that are not
// visible ASCII. `where_zh` / `where_en` name the source ("令牌文件 x" / "token file x").
absl::Status NotAToken(absl::string_view where_zh, absl::string_view where_en) {
  return absl::InvalidArgumentError(absl::StrCat(
      where_zh,
      " 的内容不是令牌（应为一行 rfy_ 开头、不含空格的字符串，即 rectify token create "
      "的标准输出）/ ",
      where_en,
      " does not hold a token (one line starting with rfy_, no spaces: what rectify token create "
      "prints on stdout)"));
}

// A token travels as an HTTP/2 header value: visible ASCII only. gRPC would abort the client on
// anything else, and a pasted line of `token list` output is no token anyway.
bool LooksLikeToken(absl::string_view token) {
  for (const char c : token) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace

std::string DefaultTokenFile() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return "";
  return absl::StrCat(home, "/.config/rectify/token");
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("令牌文件 ", path, " 不存在 / token file ", path, " does not exist"));
  }
  if ((st.st_mode & 077) != 0) {
    const std::string mode = absl::StrFormat("%04o", st.st_mode & 07777);
    return absl::FailedPreconditionError(absl::StrCat(
        "令牌文件 ", path, " 的权限为 ", mode,
        "，同组或其他用户可读，已拒绝使用；请执行 chmod 600 ", path, " / token file ", path,
        " has mode ", mode, " and is readable by group or others; refused. Run: chmod 600 ", path));
  }
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) line.clear();
  std::string token(absl::StripAsciiWhitespace(line));
  if (token.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("令牌文件 ", path, " 为空 / token file ", path, " is empty"));
  }
  bool one_line = true;
  for (std::string rest; std::getline(in, rest);) {
    if (!absl::StripAsciiWhitespace(rest).empty()) one_line = false;
  }
  if (!one_line || !LooksLikeToken(token)) {
    return NotAToken(absl::StrCat("令牌文件 ", path), absl::StrCat("token file ", path));
  }
  return token;
}

absl::StatusOr<std::string> FindToken(const std::string& token_file_flag) {
  const char* env = std::getenv(kTokenEnv);
  if (env != nullptr && *env != '\0') {
    std::string token(absl::StripAsciiWhitespace(env));
    if (!LooksLikeToken(token)) return NotAToken(kTokenEnv, kTokenEnv);
    return token;
  }
  if (!token_file_flag.empty()) return ReadTokenFile(token_file_flag);
  const std::string fallback = DefaultTokenFile();
  struct stat st;
  if (fallback.empty() || ::stat(fallback.c_str(), &st) != 0) return std::string();
  return ReadTokenFile(fallback);
}

}  // namespace rectify::client
