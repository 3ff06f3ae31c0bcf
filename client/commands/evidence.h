// Evidence files (证明材料) attached to a progress report: read from disk before the call.
#ifndef RECTIFY_CLIENT_COMMANDS_EVIDENCE_H_
#define RECTIFY_CLIENT_COMMANDS_EVIDENCE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/ledger.pb.h"

namespace rectify::client {

// The media type for a file name's extension (case-insensitive): pdf, doc(x), xls(x), ppt(x),
// wps, ofd, txt, csv, md, jpg/jpeg, png, gif, webp, zip, rar, 7z; application/octet-stream
// otherwise.
std::string GuessMediaType(absl::string_view file_name);

// The file at `path` as evidence: its base name, guessed media type and content. A missing,
// unreadable or non-regular file is INVALID_ARGUMENT naming the path.
absl::StatusOr<rectify::v1::Evidence> ReadEvidence(const std::string& path);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_EVIDENCE_H_
