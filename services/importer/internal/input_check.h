// Internal to the importer: decides whether uploaded bytes are a text document it can read,
// before any parsing, so that a Word file, a GBK file or random bytes get a clear error instead
// of an odd preview.
//
// Thread safety: pure function.
#ifndef RECTIFY_SERVICES_IMPORTER_INTERNAL_INPUT_CHECK_H_
#define RECTIFY_SERVICES_IMPORTER_INTERNAL_INPUT_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify {
namespace importer_internal {

// A document ready to parse: valid UTF-8 without a BOM, without control characters other than
// tab, CR and LF (a few stray ones, as Word leaves behind, become spaces: same byte count, so
// lines and columns still match the file).
struct CheckedText {
  std::string text;
  std::vector<std::string> warnings;
};

// INVALID_ARGUMENT (field "document", "中文 / English") when `bytes` is empty or blank, larger
// than kMaxReviewDocumentBytes, UTF-16, a Word/PDF/ZIP/RTF file, binary (NUL bytes or many
// control characters) or not valid UTF-8 (naming the line, and suggesting that a GBK file be
// saved as UTF-8).
absl::StatusOr<CheckedText> CheckDocumentBytes(absl::string_view bytes);

}  // namespace importer_internal
}  // namespace rectify

#endif  // RECTIFY_SERVICES_IMPORTER_INTERNAL_INPUT_CHECK_H_
