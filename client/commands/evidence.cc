#include "client/commands/evidence.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace rectify::client {

std::string GuessMediaType(absl::string_view file_name) {
  static const auto* const kTypes = new std::map<std::string, std::string>{
      {"pdf", "application/pdf"},
      {"doc", "application/msword"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"xls", "application/vnd.ms-excel"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"ppt", "application/vnd.ms-powerpoint"},
      {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"wps", "application/vnd.ms-works"},
      {"ofd", "application/ofd"},  // the Chinese national e-document format
      {"txt", "text/plain"},
      {"csv", "text/csv"},
      {"md", "text/markdown"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"png", "image/png"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"zip", "application/zip"},
      {"rar", "application/vnd.rar"},
      {"7z", "application/x-7z-compressed"},
  };
  const size_t dot = file_name.rfind('.');
  if (dot == absl::string_view::npos) return "application/octet-stream";
  const auto it = kTypes->find(absl::AsciiStrToLower(file_name.substr(dot + 1)));
  return it == kTypes->end() ? "application/octet-stream" : it->second;
}

absl::StatusOr<rectify::v1::Evidence> ReadEvidence(const std::string& path) {
  auto fail = [&](absl::string_view zh, absl::string_view en) {
    return absl::InvalidArgumentError(
        absl::StrCat("证明材料“", path, "”", zh, " / evidence file \"", path, "\" ", en));
  };
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail("不存在或不是普通文件", "does not exist or is not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("无法打开", absl::StrCat("cannot be opened: ", std::strerror(errno)));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail("读取失败", "cannot be read");

  rectify::v1::Evidence evidence;
  const std::string name = std::filesystem::path(path).filename().string();
  evidence.set_file_name(name);
  evidence.set_media_type(GuessMediaType(name));
  evidence.set_content(std::move(content));
  return evidence;
}

}  // namespace rectify::client
