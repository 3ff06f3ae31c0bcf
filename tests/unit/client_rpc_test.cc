#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include "client/commands/evidence.h"
#include "client/rpc/exit_codes.h"
#include "client/rpc/metadata.h"
#include "client/rpc/request_id.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

TEST(ExitCodeTest, EveryDocumentedCodeMapsToItsExitCode) {
  using grpc::StatusCode;
  EXPECT_EQ(ExitCodeFor(StatusCode::OK), 0);
  EXPECT_EQ(ExitCodeFor(StatusCode::INVALID_ARGUMENT), 3);
  EXPECT_EQ(ExitCodeFor(StatusCode::NOT_FOUND), 4);
  EXPECT_EQ(ExitCodeFor(StatusCode::ALREADY_EXISTS), 5);
  EXPECT_EQ(ExitCodeFor(StatusCode::FAILED_PRECONDITION), 6);
  EXPECT_EQ(ExitCodeFor(StatusCode::ABORTED), 7);
  EXPECT_EQ(ExitCodeFor(StatusCode::PERMISSION_DENIED), 8);
  EXPECT_EQ(ExitCodeFor(StatusCode::UNAUTHENTICATED), 8);
  EXPECT_EQ(ExitCodeFor(StatusCode::UNAVAILABLE), 9);
  EXPECT_EQ(ExitCodeFor(StatusCode::DEADLINE_EXCEEDED), 9);
  EXPECT_EQ(ExitCodeFor(StatusCode::RESOURCE_EXHAUSTED), 10);
}

TEST(ExitCodeTest, UndocumentedCodesAreOne) {
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::INTERNAL), 1);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::UNKNOWN), 1);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::UNIMPLEMENTED), 1);
  EXPECT_EQ(ExitCodeFor(grpc::StatusCode::DATA_LOSS), 1);
}

TEST(ExitCodeTest, HelpTableListsEveryCode) {
  const std::string help = ExitCodeHelp();
  for (const char* code :
       {" 0 ", " 1 ", " 2 ", " 3 ", " 4 ", " 5 ", " 6 ", " 7 ", " 8 ", " 9 ", "10 "}) {
    EXPECT_NE(help.find(code), std::string::npos) << code;
  }
}

TEST(ExitCodeTest, UnreachableServerIsNamedByAddress) {
  const std::string text = DescribeCallError(
      grpc::Status(grpc::StatusCode::UNAVAILABLE, "failed to connect"), "10.0.0.5:50051", 30);
  EXPECT_NE(text.find("10.0.0.5:50051"), std::string::npos);
  EXPECT_NE(text.find("不可用"), std::string::npos);
  const std::string slow = DescribeCallError(
      grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "Deadline Exceeded"), "h:1", 2.5);
  EXPECT_NE(slow.find("h:1"), std::string::npos);
  EXPECT_NE(slow.find("2.5"), std::string::npos);
}

TEST(ExitCodeTest, ServerMessagesArePassedThrough) {
  EXPECT_EQ(DescribeCallError(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                           "任务 9 不存在 / task 9 "
                                           "not found"),
                              "h:1", 30),
            "任务 9 不存在 / task 9 not found");
}

TEST(RequestIdTest, IsThirtyTwoLowercaseHexDigits) {
  const std::string id = NewRequestId();
  ASSERT_EQ(id.size(), 32u);
  for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
}

TEST(RequestIdTest, EveryCallGivesANewId) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(NewRequestId());
  EXPECT_EQ(ids.size(), 10000u);
}

TEST(PercentEncodeTest, ChineseNamesBecomeAsciiUtf8Escapes) {
  EXPECT_EQ(PercentEncode("张三"), "%E5%BC%A0%E4%B8%89");
}

TEST(PercentEncodeTest, UnreservedAsciiIsUnchangedAndEverythingElseEscaped) {
  EXPECT_EQ(PercentEncode("alice.B-1_~"), "alice.B-1_~");
  EXPECT_EQ(PercentEncode("a b%c"), "a%20b%25c");
  EXPECT_EQ(PercentEncode(""), "");
}

TEST(EvidenceTest, MediaTypeIsGuessedFromTheExtensionIgnoringCase) {
  EXPECT_EQ(GuessMediaType("走访记录.PDF"), "application/pdf");
  EXPECT_EQ(GuessMediaType("photo.jpeg"), "image/jpeg");
  EXPECT_EQ(GuessMediaType("表格.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(GuessMediaType("公文.ofd"), "application/ofd");
  EXPECT_EQ(GuessMediaType("README"), "application/octet-stream");
  EXPECT_EQ(GuessMediaType("archive.unknown"), "application/octet-stream");
}

TEST(EvidenceTest, FileIsReadWithItsBaseNameAndContent) {
  const std::string path = ::testing::TempDir() + "/走访记录.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string("line\0bytes", 10);
  }
  auto evidence = ReadEvidence(path);
  ASSERT_TRUE(evidence.ok()) << evidence.status();
  EXPECT_EQ(evidence->file_name(), "走访记录.txt");
  EXPECT_EQ(evidence->media_type(), "text/plain");
  EXPECT_EQ(evidence->content(), std::string("line\0bytes", 10));
  std::remove(path.c_str());
}

TEST(EvidenceTest, MissingFilesAndDirectoriesAreRefusedNamingThePath) {
  auto missing = ReadEvidence("/nonexistent/证明.pdf");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("/nonexistent/证明.pdf"), absl::string_view::npos);
  EXPECT_FALSE(ReadEvidence(::testing::TempDir()).ok());
}

}  // namespace
}  // namespace rectify::client
