// Zip archives in memory, for the Office Open XML packages (.docx written, .xlsx read): a thin
// layer over libzip that takes and returns bytes, so callers never handle temporary files.
//
// Functions are pure and thread-safe (each call has its own libzip handles).
#ifndef RECTIFY_SERVICES_PAPERWORK_ZIP_ARCHIVE_H_
#define RECTIFY_SERVICES_PAPERWORK_ZIP_ARCHIVE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rectify::paperwork {

// One member of an archive: its path inside the package and its bytes.
using ZipMember = std::pair<std::string, std::string>;

// A deflated zip holding `members` in the given order (OOXML wants [Content_Types].xml first).
absl::StatusOr<std::string> WriteZip(const std::vector<ZipMember>& members);

// The bytes of member `name` of the zip in `archive`; NOT_FOUND when it has no such member,
// INVALID_ARGUMENT when `archive` is not a zip or the member is larger than `max_bytes`.
absl::StatusOr<std::string> ReadZipMember(absl::string_view archive, const std::string& name,
                                          size_t max_bytes = 64 << 20);

}  // namespace rectify::paperwork

#endif  // RECTIFY_SERVICES_PAPERWORK_ZIP_ARCHIVE_H_
