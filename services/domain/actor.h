// Actor: who is making a call, as far as the domain is concerned.
//
// Until tokens arrive (issue 4) the API layer builds the actor from the caller's declared name;
// roles and subtree checks hang off this struct so that they can be added without touching every
// operation.
#ifndef RECTIFY_SERVICES_DOMAIN_ACTOR_H_
#define RECTIFY_SERVICES_DOMAIN_ACTOR_H_

#include <string>

namespace rectify {

struct Actor {
  // Display name recorded in events, reports and decisions ("张三", "system").
  std::string name;

  static Actor System() { return Actor{"system"}; }
};

}  // namespace rectify

#endif  // RECTIFY_SERVICES_DOMAIN_ACTOR_H_
