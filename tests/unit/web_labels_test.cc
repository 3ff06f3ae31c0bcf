// The labels the web console shows for the API's enums (services/web/i18n.js): every value of
// every enum a page labels has a label, Chinese first and English second (a missing one shows
// "—" in the browser), and where the command line labels the same enum
// (services/common/labels.cc) the two say the same.
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <utility>

#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "rectify/v1/auth.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/notify.pb.h"
#include "rectify/v1/reports.pb.h"
#include "services/common/labels.h"

#ifndef RECTIFY_SOURCE_DIR
#error "RECTIFY_SOURCE_DIR must name the source tree (tests/CMakeLists.txt sets it)"
#endif

namespace rectify {
namespace {

using Labels = std::map<std::string, std::pair<std::string, std::string>>;

std::string I18nJs() {
  std::ifstream in(std::string(RECTIFY_SOURCE_DIR) + "/services/web/i18n.js");
  EXPECT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The entries of `const NAME = {...};` in i18n.js: KEY: ['中文', 'English'].
Labels Table(const std::string& js, const std::string& name) {
  const std::string opening = "const " + name + " = {";
  const size_t begin = js.find(opening);
  EXPECT_NE(begin, std::string::npos) << name;
  if (begin == std::string::npos) return {};
  const size_t end = js.find("};", begin);
  const std::string body = js.substr(begin + opening.size(), end - begin - opening.size());
  Labels labels;
  const std::regex entry(R"((\w+): \['([^']*)', '([^']*)'\])");
  for (auto m = std::sregex_iterator(body.begin(), body.end(), entry); m != std::sregex_iterator();
       ++m) {
    labels[(*m)[1]] = {(*m)[2], (*m)[3]};
  }
  return labels;
}

bool HasNonAscii(const std::string& text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) > 0x7F) return true;
  }
  return false;
}

TEST(BrowserLabelsTest, EveryValueOfEveryLabelledEnumHasAChineseAndAnEnglishLabel) {
  const std::string js = I18nJs();
  const std::pair<const char*, const google::protobuf::EnumDescriptor*> tables[] = {
      {"STATUS", v1::TaskStatus_descriptor()},
      {"LIGHT", v1::WarningLight_descriptor()},
      {"ROLE", v1::Role_descriptor()},
      {"EXTENSION", v1::ExtensionState_descriptor()},
      {"EVENT", v1::EventKind_descriptor()},
      {"AGING", v1::AgingBucket_descriptor()},
      {"CHANNEL_KIND", v1::ChannelKind_descriptor()},
      {"DELIVERY", v1::DeliveryState_descriptor()},
  };
  for (const auto& [name, type] : tables) {
    const Labels labels = Table(js, name);
    for (int i = 0; i < type->value_count(); ++i) {
      const google::protobuf::EnumValueDescriptor* value = type->value(i);
      if (value->number() == 0) continue;  // *_UNSPECIFIED: never shown
      SCOPED_TRACE(std::string(name) + "." + value->name());
      const auto it = labels.find(value->name());
      ASSERT_NE(it, labels.end()) << "no label: the console would show —";
      EXPECT_TRUE(HasNonAscii(it->second.first)) << it->second.first;
      EXPECT_FALSE(it->second.second.empty());
      EXPECT_FALSE(HasNonAscii(it->second.second)) << it->second.second;
    }
  }
}

TEST(BrowserLabelsTest, TheConsoleAndTheCommandLineNameEveryStateAlike) {
  const std::string js = I18nJs();
  const struct {
    const char* table;
    const google::protobuf::EnumDescriptor* type;
    const char* (*label)(int, Lang);
  } shared[] = {
      {"STATUS", v1::TaskStatus_descriptor(), TaskStatusLabel},
      {"LIGHT", v1::WarningLight_descriptor(), LightLabel},
      {"EXTENSION", v1::ExtensionState_descriptor(), ExtensionStateLabel},
      {"EVENT", v1::EventKind_descriptor(), EventKindLabel},
  };
  for (const auto& s : shared) {
    const Labels labels = Table(js, s.table);
    for (int i = 0; i < s.type->value_count(); ++i) {
      const google::protobuf::EnumValueDescriptor* value = s.type->value(i);
      if (value->number() == 0) continue;
      SCOPED_TRACE(std::string(s.table) + "." + value->name());
      const auto it = labels.find(value->name());
      ASSERT_NE(it, labels.end());
      EXPECT_EQ(it->second.first, s.label(value->number(), Lang::kZh));
      EXPECT_EQ(it->second.second, s.label(value->number(), Lang::kEn));
    }
  }
}

}  // namespace
}  // namespace rectify
