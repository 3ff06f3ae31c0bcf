#include "services/model/principal.h"

namespace rectify {

const char* RoleCode(Role role) {
  switch (role) {
    case Role::kCommittee:
      return "committee";
    case Role::kBranch:
      return "branch";
    case Role::kSupervisor:
      return "supervisor";
  }
  return "unknown";
}

const char* RoleLabelZh(Role role) {
  switch (role) {
    case Role::kCommittee:
      return "党委";
    case Role::kBranch:
      return "支部";
    case Role::kSupervisor:
      return "督查";
  }
  return "未知";
}

absl::optional<Role> ParseRole(absl::string_view code) {
  if (code == "committee") return Role::kCommittee;
  if (code == "branch") return Role::kBranch;
  if (code == "supervisor") return Role::kSupervisor;
  return absl::nullopt;
}

}  // namespace rectify
