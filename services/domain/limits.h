// Limits on user input, in characters (code points) unless said otherwise. The API documents the
// same numbers; a breach is INVALID_ARGUMENT naming the field and the limit.
#ifndef RECTIFY_SERVICES_DOMAIN_LIMITS_H_
#define RECTIFY_SERVICES_DOMAIN_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace rectify::limits {

inline constexpr size_t kUnitName = 100;
inline constexpr size_t kReviewTitle = 200;
inline constexpr size_t kSourceDocument = 200;
inline constexpr size_t kArea = 100;
inline constexpr size_t kLongText = 2000;  // problem, cause, measure, progress, summary
inline constexpr size_t kReason = 1000;    // reasons and notes
inline constexpr size_t kPersonName = 50;  // owner person, leader
inline constexpr size_t kFileName = 200;
inline constexpr size_t kMediaType = 100;
inline constexpr size_t kRequestId = 64;
inline constexpr int kMaxEvidenceFiles = 10;
inline constexpr int kMaxCadenceDays = 366;
inline constexpr int kMaxRootCauseLinks = 50;
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 1000;

}  // namespace rectify::limits

#endif  // RECTIFY_SERVICES_DOMAIN_LIMITS_H_
