// Test helper: issues an API token straight in the store (as rectifyd's first start does) and
// returns its secret, for fixtures that talk to a real server.
#ifndef RECTIFY_TESTS_SUPPORT_TOKEN_SUPPORT_H_
#define RECTIFY_TESTS_SUPPORT_TOKEN_SUPPORT_H_

#include <string>

#include "gtest/gtest.h"
#include "services/auth/tokens.h"
#include "services/store/store.h"

namespace rectify {
namespace testing_support {

inline std::string IssueTestToken(Store& store, absl::Time now, const std::string& name, Role role,
                                  Id unit_id, absl::optional<absl::Time> expire = absl::nullopt) {
  std::string secret;
  absl::Status s = store.Write([&](WriteTxn& tx) -> absl::Status {
    auth::TokenSpec spec;
    spec.name = name;
    spec.role = role;
    spec.unit_id = unit_id;
    spec.expire_time = expire;
    auto issued = auth::MintToken(tx, spec, Actor::System().name, now);
    if (!issued.ok()) return issued.status();
    secret = issued->secret;
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return secret;
}

}  // namespace testing_support
}  // namespace rectify

#endif  // RECTIFY_TESTS_SUPPORT_TOKEN_SUPPORT_H_
