#include "services/importer/internal/input_check.h"

#include <algorithm>
#include <cstddef>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/errors.h"
#include "services/common/text.h"
#include "services/importer/internal/utf8_scan.h"
#include "services/importer/review_document.h"

namespace rectify {
namespace importer_internal {
namespace {

constexpr absl::string_view kField = "document";
constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";

int LineAt(absl::string_view s, size_t offset) {
  return 1 + static_cast<int>(std::count(s.begin(), s.begin() + offset, '\n'));
}

// Control characters that have no place in a report. Tab, CR and LF are layout; VT and FF are
// what Word writes for a manual line break and a page break.
bool IsStrayControl(unsigned char c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
}

absl::Status NotText(absl::string_view zh_what, absl::string_view en_what) {
  return InvalidField(
      kField,
      absl::StrCat(zh_what,
                   "，请另存为 Word（.docx）、纯文本（.txt，UTF-8 编码）或 Markdown 后再导入"),
      absl::StrCat(en_what,
                   "; save it as Word (.docx), plain text (.txt, UTF-8) or Markdown and import "
                   "that"));
}

// Recognises files that are clearly not text by their first bytes.
absl::Status CheckSignature(absl::string_view bytes) {
  if (absl::StartsWith(bytes, "\xFF\xFE") || absl::StartsWith(bytes, "\xFE\xFF")) {
    return NotText("文件是 UTF-16 编码", "the file is UTF-16");
  }
  if (absl::StartsWith(bytes, "PK\x03\x04")) {
    return NotText("文件是 Word（.docx）、WPS 或其他压缩格式",
                   "the file is a Word (.docx) or ZIP file");
  }
  if (absl::StartsWith(bytes, "\xD0\xCF\x11\xE0")) {
    return NotText("文件是旧版 Word（.doc）或 WPS 格式",
                   "the file is an old Word (.doc) or WPS file");
  }
  if (absl::StartsWith(bytes, "%PDF")) return NotText("文件是 PDF", "the file is a PDF");
  if (absl::StartsWith(bytes, "{\\rtf")) return NotText("文件是 RTF 格式", "the file is RTF");
  return absl::OkStatus();
}

bool IsBlank(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const CodePoint c = DecodeAt(s, i);
    if (!IsSpace(c.cp) && c.cp != '\n' && c.cp != '\r') return false;
    i += c.length;
  }
  return true;
}

}  // namespace

absl::StatusOr<CheckedText> CheckDocumentBytes(absl::string_view bytes) {
  if (bytes.size() > kMaxReviewDocumentBytes) {
    return InvalidField(
        kField,
        absl::StrFormat("文档过大（%.1f MiB），上限为 %d MiB", bytes.size() / 1048576.0,
                        static_cast<int>(kMaxReviewDocumentBytes >> 20)),
        absl::StrFormat("the document is too large (%.1f MiB); the limit is %d MiB",
                        bytes.size() / 1048576.0, static_cast<int>(kMaxReviewDocumentBytes >> 20)));
  }
  if (absl::Status s = CheckSignature(bytes); !s.ok()) return s;
  if (absl::StartsWith(bytes, kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  if (bytes.find('\0') != absl::string_view::npos) {
    return NotText("文件含有空字节，不是文本文件（可能是二进制文件或 UTF-16 编码）",
                   "the file contains NUL bytes: it is binary or UTF-16, not UTF-8 text");
  }
  if (const size_t bad = FirstInvalidUtf8(bytes); bad != absl::string_view::npos) {
    const int line = LineAt(bytes, bad);
    return InvalidField(
        kField,
        absl::StrCat("第 ", line,
                     " 行起不是有效的 UTF-8 编码；若文件是 GBK/GB18030 编码，请在记事本或 WPS "
                     "中另存为 UTF-8 后再导入"),
        absl::StrCat("not valid UTF-8 from line ", line, " (byte ", bad + 1,
                     "); if the file is GBK/GB18030, save it as UTF-8 and import that"));
  }
  if (IsBlank(bytes)) {
    return InvalidField(kField, "文档为空", "the document is empty");
  }

  CheckedText out;
  out.text = std::string(bytes);
  size_t controls = 0;
  size_t first_control = 0;
  for (size_t i = 0; i < out.text.size(); ++i) {
    if (!IsStrayControl(static_cast<unsigned char>(out.text[i]))) continue;
    if (controls++ == 0) first_control = i;
    out.text[i] = ' ';
  }
  if (controls > 0) {
    // A handful is debris from a word processor; a large share means this is not a report.
    if (controls > 16 && controls * 100 > CountChars(out.text)) {
      return NotText("文件含有大量控制字符，不是文本文件",
                     "the file is full of control characters: it is not text");
    }
    const int line = LineAt(out.text, first_control);
    out.warnings.push_back(absl::StrCat("第 ", line, " 行起有 ", controls,
                                        " 个控制字符，已按空格处理 / line ", line, ": ", controls,
                                        " control character(s) read as spaces"));
  }
  return out;
}

}  // namespace importer_internal
}  // namespace rectify
