// Token secrets and where the client finds its token.
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <set>
#include <string>

#include "client/rpc/token_source.h"
#include "gtest/gtest.h"
#include "services/auth/token_secret.h"

namespace rectify {
namespace {

TEST(TokenSecret, SecretsAreLongRandomAndWellFormed) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto secret = auth::NewSecret();
    ASSERT_TRUE(secret.ok());
    EXPECT_EQ(secret->size(), 4u + 43u);  // "rfy_" + base64url of 32 bytes
    EXPECT_TRUE(auth::WellFormedSecret(*secret)) << *secret;
    EXPECT_TRUE(seen.insert(*secret).second);
  }
  EXPECT_FALSE(auth::WellFormedSecret("rfy_short"));
  EXPECT_FALSE(auth::WellFormedSecret(""));
}

TEST(TokenSecret, OnlyTheHashIsKeptAndItIsSha256Hex) {
  const std::string hash = auth::HashSecret("rfy_x");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find("rfy_x"), std::string::npos);
}

TEST(TokenSecret, BearerSchemeIsParsedCaseInsensitively) {
  EXPECT_EQ(auth::SecretFromAuthorization("Bearer rfy_abc"), "rfy_abc");
  EXPECT_EQ(auth::SecretFromAuthorization("bearer  rfy_abc "), "rfy_abc");
  EXPECT_EQ(auth::SecretFromAuthorization("Basic abc"), "");
  EXPECT_EQ(auth::SecretFromAuthorization("rfy_abc"), "");
}

class TokenSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "rectify_token_XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    ::unsetenv(client::kTokenEnv);
  }
  std::string Write(const std::string& name, const std::string& text, mode_t mode) {
    const std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    ::chmod(path.c_str(), mode);
    return path;
  }
  std::string dir_;
};

TEST_F(TokenSourceTest, OwnerOnlyFileIsRead) {
  auto token = client::FindToken(Write("token", "rfy_secret\n", 0600));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(*token, "rfy_secret");
}

TEST_F(TokenSourceTest, GroupOrOtherReadableFileIsRefusedWithTheFix) {
  const std::string path = Write("token", "rfy_secret\n", 0644);
  auto token = client::FindToken(path);
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.status().message().find("chmod 600"), std::string::npos);
  EXPECT_EQ(token.status().message().find("rfy_secret"), std::string::npos);
}

TEST_F(TokenSourceTest, EnvironmentWinsOverTheFile) {
  ::setenv(client::kTokenEnv, "rfy_from_env", 1);
  auto token = client::FindToken(Write("token", "rfy_file\n", 0600));
  ::unsetenv(client::kTokenEnv);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, "rfy_from_env");
}

TEST_F(TokenSourceTest, AFileThatIsNotOneTokenIsRefusedNotSent) {
  // What `token create > file` wrote before the secret went to stdout alone: a listing line and
  // the secret. Sent as a header, the Chinese bytes made gRPC abort the client.
  const std::string two_lines =
      Write("two", "#2  第一支部书记  支部  第一支部 (2)\nrfy_secret\n", 0600);
  auto token = client::FindToken(two_lines);
  ASSERT_FALSE(token.ok());
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(token.status().message().find("rfy_"), std::string::npos);
  EXPECT_EQ(token.status().message().find("rfy_secret"), std::string::npos);
  EXPECT_FALSE(client::FindToken(Write("space", "rfy_a b\n", 0600)).ok());
  // A trailing blank line is fine.
  auto ok = client::FindToken(Write("blank", "rfy_secret\n\n", 0600));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(*ok, "rfy_secret");
}

TEST_F(TokenSourceTest, AnEnvironmentValueThatIsNotATokenIsRefused) {
  ::setenv(client::kTokenEnv, "令牌", 1);
  auto token = client::FindToken("");
  ::unsetenv(client::kTokenEnv);
  ASSERT_FALSE(token.ok());
  EXPECT_NE(token.status().message().find("RECTIFY_TOKEN"), std::string::npos);
}

TEST_F(TokenSourceTest, MissingGivenFileIsAnErrorButNoDefaultFileMeansNoToken) {
  EXPECT_FALSE(client::FindToken(dir_ + "/absent").ok());
  const char* home = std::getenv("HOME");
  const std::string saved = home != nullptr ? home : "";
  ::setenv("HOME", dir_.c_str(), 1);
  auto token = client::FindToken("");
  ::setenv("HOME", saved.c_str(), 1);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, "");
}

}  // namespace
}  // namespace rectify
