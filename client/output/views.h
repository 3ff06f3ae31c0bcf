// How units, reviews, problems and extension requests look to people.
//
// All functions are pure and thread-safe; they return text ending in '\n'.
#ifndef RECTIFY_CLIENT_OUTPUT_VIEWS_H_
#define RECTIFY_CLIENT_OUTPUT_VIEWS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "rectify/v1/ledger.pb.h"
#include "rectify/v1/org.pb.h"
#include "services/common/labels.h"

namespace rectify::client {

// Unit names by id, for lists that would otherwise show a bare unit id.
using UnitNames = std::map<int64_t, std::string>;

// The org tree as a table, names indented by depth, each with its parent's name: from the list,
// else from `parents` (the parent of a subtree's top unit is not in the list), else "#id".
std::string UnitListText(const google::protobuf::RepeatedPtrField<rectify::v1::OrgUnit>& units,
                         Lang lang, const UnitNames& parents = {});

// One unit; `path_names` are the names from the root down to it ("党委 / 机关总支 / 第一支部"),
// or empty when they could not be looked up (the ids are shown instead).
std::string UnitDetailText(const rectify::v1::OrgUnit& unit,
                           const std::vector<std::string>& path_names, Lang lang,
                           absl::TimeZone zone);

// After create or rename: "单位 7「机关第一支部」，版本 1".
std::string UnitLine(const rectify::v1::OrgUnit& unit, Lang lang);

// Reviews with the name of the unit that held each ("#3" when the name is not in `units`).
std::string ReviewListText(const google::protobuf::RepeatedPtrField<rectify::v1::Review>& reviews,
                           Lang lang, const UnitNames& units = {});
std::string ReviewDetailText(const rectify::v1::Review& review, Lang lang, absl::TimeZone zone,
                             const UnitNames& units = {});

// The problems of a review, then its root causes.
std::string ProblemListText(const rectify::v1::ListProblemsResponse& problems, Lang lang);

// After request or decision: "延期申请 3：2021-12-31 → 2022-03-31，待审批".
std::string ExtensionLine(const rectify::v1::ExtensionRequest& ext, Lang lang);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTPUT_VIEWS_H_
