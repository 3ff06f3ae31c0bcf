// Actor: who is making a call, as far as the domain is concerned.
//
// The API layer builds it from the caller's API token; roles and the subtree the caller may
// act in hang off this struct so that the domain can check them without knowing about gRPC.
#ifndef RECTIFY_SERVICES_MODEL_ACTOR_H_
#define RECTIFY_SERVICES_MODEL_ACTOR_H_

#include <cstdint>
#include <string>

namespace rectify {

// What a principal may do (docs/design.md, "Who uses it"). The numbers are stored in the tokens
// table and travel in auth.proto: never renumber.
enum class Role {
  kCommittee = 1,   // 党委/党组: manages its subtree
  kBranch = 2,      // 支部/总支: owns the tasks of its unit
  kSupervisor = 3,  // 督查/纪检: reads its subtree, reports, urges
};

struct Actor {
  // Display name recorded in events, reports and decisions ("张三", "system").
  std::string name;
  // The API token the call was made with (its id, never its secret); 0 for the server itself.
  int64_t token_id = 0;
  Role role = Role::kCommittee;
  // The unit the token is bound to and its path ("/0000000001/0000000005/"). The caller reaches
  // exactly the units whose path starts with unit_path; an empty path (the server itself) reaches
  // everything.
  int64_t unit_id = 0;
  std::string unit_path = "";

  // True when the caller is bound to the root unit (or is the server itself).
  bool AtRoot() const { return unit_path.empty() || unit_path.size() == 12; }
  // True when `path` (a unit's path) lies in the caller's subtree.
  bool Reaches(const std::string& path) const {
    return unit_path.empty() || path.compare(0, unit_path.size(), unit_path) == 0;
  }

  static Actor System() { return Actor{"system"}; }
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_MODEL_ACTOR_H_
