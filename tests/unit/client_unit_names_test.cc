// A unit named the way people name it: by its name or path wherever the command line asks for
// a unit, and in the drafts spreadsheet; an ambiguous name is refused with the candidates, a
// missing one with a hint; lists show unit names where they showed ids.
#include <stdlib.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "client/commands/draft_csv.h"
#include "client/commands/root.h"
#include "client/commands/unit_ref.h"
#include "client/output/views.h"
#include "gtest/gtest.h"
#include "rectify/v1/ledger.grpc.pb.h"
#include "rectify/v1/org.grpc.pb.h"
#include "rectify/v1/reports.grpc.pb.h"
#include "tests/support/fake_server_fixture.h"

namespace rectify::client {
namespace {

namespace v1 = rectify::v1;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

v1::OrgUnit Unit(int64_t id, const std::string& name, std::vector<int64_t> path) {
  v1::OrgUnit u;
  u.set_id(id);
  u.set_name(name);
  u.set_parent_id(path.size() > 1 ? path[path.size() - 2] : 0);
  u.set_depth(static_cast<int>(path.size()) - 1);
  for (int64_t step : path) u.add_path(step);
  return u;
}

// 机关党委(1) / 第一支部(2) / 第一党小组(4); 机关党委(1) / 机关二总支(3) / 第一支部(5).
std::vector<v1::OrgUnit> Tree() {
  return {Unit(1, "机关党委", {1}), Unit(2, "第一支部", {1, 2}), Unit(4, "第一党小组", {1, 2, 4}),
          Unit(3, "机关二总支", {1, 3}), Unit(5, "第一支部", {1, 3, 5})};
}

class FakeOrg final : public v1::OrgService::Service {
 public:
  grpc::Status ListUnits(grpc::ServerContext*, const v1::ListUnitsRequest* request,
                         v1::ListUnitsResponse* response) override {
    for (const v1::OrgUnit& u : Tree()) {
      const bool in =
          request->subtree_of() == 0 ||
          std::find(u.path().begin(), u.path().end(), request->subtree_of()) != u.path().end();
      if (in) *response->add_units() = u;
    }
    return grpc::Status::OK;
  }
  grpc::Status GetUnit(grpc::ServerContext*, const v1::GetUnitRequest* request,
                       v1::OrgUnit* response) override {
    for (const v1::OrgUnit& u : Tree()) {
      if (u.id() == request->id()) {
        *response = u;
        return grpc::Status::OK;
      }
    }
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "单位不存在 / unit not found");
  }
};

// A ledger of no rows: enough for the export's title.
class FakeReports final : public v1::ReportService::Service {
 public:
  grpc::Status ExportLedger(grpc::ServerContext*, const v1::ExportLedgerRequest*,
                            grpc::ServerWriter<v1::LedgerRow>*) override {
    return grpc::Status::OK;
  }
};

class FakeLedger final : public v1::LedgerService::Service {
 public:
  grpc::Status ListTasks(grpc::ServerContext*, const v1::ListTasksRequest* request,
                         v1::ListTasksResponse*) override {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(*request);
    return grpc::Status::OK;
  }
  grpc::Status ListReviews(grpc::ServerContext*, const v1::ListReviewsRequest*,
                           v1::ListReviewsResponse* response) override {
    v1::Review* review = response->add_reviews();
    review->set_id(1);
    review->set_title("2021年专题组织生活会");
    review->set_held_on("2021-12-20");
    review->set_unit_id(3);
    return grpc::Status::OK;
  }
  std::vector<v1::ListTasksRequest> tasks() {
    std::lock_guard<std::mutex> lock(mu_);
    return tasks_;
  }

 private:
  std::mutex mu_;
  std::vector<v1::ListTasksRequest> tasks_;
};

class UnitNamesCliTest : public testing_support::FakeServerTest {
 protected:
  void SetUp() override {
    FakeServerTest::SetUp();
    Serve({&org_, &ledger_, &reports_});
  }

  FakeOrg org_;
  FakeLedger ledger_;
  FakeReports reports_;
};

TEST_F(UnitNamesCliTest, UnitOptionTakesANameAndSendsItsId) {
  ASSERT_EQ(Run({"task", "list", "--unit", "第一党小组"}), 0) << err_.str();
  ASSERT_EQ(Run({"task", "list", "--unit", "机关二总支/第一支部"}), 0) << err_.str();
  ASSERT_EQ(Run({"task", "list", "--unit", "7"}), 0) << err_.str();  // ids are sent as given
  const auto sent = ledger_.tasks();
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_EQ(sent[0].unit_id(), 4);
  EXPECT_EQ(sent[1].unit_id(), 5);
  EXPECT_EQ(sent[2].unit_id(), 7);
}

TEST_F(UnitNamesCliTest, AmbiguousNameIsRefusedListingTheCandidatesAndNothingIsSent) {
  EXPECT_EQ(Run({"task", "list", "--unit", "第一支部"}), 2);
  EXPECT_TRUE(Has(err_.str(), "有 2 个单位名为“第一支部”")) << err_.str();
  EXPECT_TRUE(Has(err_.str(), "机关党委/第一支部（2）")) << err_.str();
  EXPECT_TRUE(Has(err_.str(), "机关党委/机关二总支/第一支部（5）")) << err_.str();
  EXPECT_TRUE(ledger_.tasks().empty());
}

TEST_F(UnitNamesCliTest, UnknownNameIsNotFoundWithTheNearestName) {
  EXPECT_EQ(Run({"task", "list", "--unit", "第一党小祖"}), 4);
  EXPECT_TRUE(Has(err_.str(), "没有名为“第一党小祖”的单位")) << err_.str();
  EXPECT_TRUE(Has(err_.str(), "您是不是要输入 第一党小组？")) << err_.str();
  EXPECT_TRUE(ledger_.tasks().empty());
}

TEST_F(UnitNamesCliTest, ReviewListShowsTheUnitNameNotItsId) {
  ASSERT_EQ(Run({"review", "list"}), 0) << err_.str();
  EXPECT_TRUE(Has(out_.str(), "机关二总支")) << out_.str();
}

TEST_F(UnitNamesCliTest, ASubtreeListNamesTheParentOfItsTopUnit) {
  ASSERT_EQ(Run({"unit", "list", "--subtree", "3"}), 0) << err_.str();
  // 机关二总支's parent is 机关党委, which the subtree does not list.
  const std::string text = out_.str();
  const size_t row = text.find("机关二总支");
  ASSERT_NE(row, std::string::npos) << text;
  EXPECT_TRUE(Has(text.substr(row, text.find('\n', row) - row), "机关党委")) << text;
  EXPECT_FALSE(Has(text, "#1")) << text;
}

TEST_F(UnitNamesCliTest, AnExportOfAUnitNamesItInItsTitle) {
  ASSERT_EQ(Run({"export", "--unit", "3"}), 0) << err_.str();
  EXPECT_TRUE(Has(out_.str(), "整改台账（机关二总支及其下级）")) << out_.str();
  EXPECT_FALSE(Has(out_.str(), "#3")) << out_.str();
  ASSERT_EQ(Run({"--lang", "en", "export", "--unit", "第一党小组"}), 0) << err_.str();
  EXPECT_TRUE(Has(out_.str(), "Rectification ledger (第一党小组 and below)")) << out_.str();
}

TEST(UnitDirectoryTest, AUnitIsNamedByItsNameOrByItsPathWhenTheNameIsShared) {
  const UnitDirectory units(Tree());
  EXPECT_EQ(units.ReferenceTo(4), "第一党小组");
  EXPECT_EQ(units.ReferenceTo(2), "机关党委/第一支部");  // two units are called 第一支部
  EXPECT_EQ(*units.Resolve(units.ReferenceTo(5)), 5);
  EXPECT_EQ(units.ReferenceTo(99), "");
}

TEST(UnitDirectoryTest, ResolvesIdsNamesPathsAndPathTails) {
  const UnitDirectory units(Tree());
  EXPECT_EQ(*units.Resolve("4"), 4);
  EXPECT_EQ(*units.Resolve("第一党小组"), 4);
  EXPECT_EQ(*units.Resolve(" 机关党委 / 第一支部 "), 2);
  EXPECT_EQ(*units.Resolve("第一支部/第一党小组"), 4);
  EXPECT_EQ(*units.Resolve("机关二总支／第一支部"), 5);
  EXPECT_EQ(units.Resolve("第一支部").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(units.Resolve("第三支部").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(units.PathOf(4), "机关党委/第一支部/第一党小组");
}

TEST(UnitDirectoryTest, DraftsSpreadsheetTakesUnitNames) {
  const UnitDirectory units(Tree());
  const std::string csv =
      "任务ID,责任单位,责任人,整改时限\n"
      "11,第一党小组,张三,2030/12/31\n"
      "12,第一支部,李四,2030年12月31日\n";
  const AssignmentSheet sheet =
      ReadAssignmentSheet(csv, [&](const std::string& text) { return units.Resolve(text); });
  ASSERT_EQ(sheet.rows.size(), 1u);
  EXPECT_EQ(sheet.rows[0].owner_unit_id(), 4);
  ASSERT_EQ(sheet.errors.size(), 1u);
  EXPECT_TRUE(Has(sheet.errors[0], "第 3 行")) << sheet.errors[0];
  EXPECT_TRUE(Has(sheet.errors[0], "机关党委/机关二总支/第一支部")) << sheet.errors[0];
}

TEST(UnitListViewTest, ParentColumnShowsTheParentsName) {
  google::protobuf::RepeatedPtrField<v1::OrgUnit> list;
  for (const v1::OrgUnit& u : Tree()) *list.Add() = u;
  const std::string text = UnitListText(list, Lang::kZh);
  // 第一党小组's row names 第一支部 as its parent.
  size_t row = text.find("第一党小组");
  ASSERT_NE(row, std::string::npos);
  const std::string line = text.substr(row, text.find('\n', row) - row);
  EXPECT_TRUE(Has(line, "第一支部")) << text;
}

}  // namespace
}  // namespace rectify::client
