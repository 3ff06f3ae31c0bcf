#include "services/notify/dispatch/render.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/civil.h"
#include "services/common/text.h"

namespace rectify::notify {
namespace {

// A measure in a digest line is cut to this many columns (a CJK character takes two).
constexpr int kItemMeasureWidth = 48;

struct Words {
  bool en;
  const char* Pick(const char* zh, const char* english) const { return en ? english : zh; }
};

std::string Deadline(const Notice& n, const Words& w) {
  if (!n.deadline.has_value()) return w.Pick("无", "none");
  return FormatDay(*n.deadline);
}

std::string Title(const Notice& n, const Words& w) {
  const std::string id = absl::StrCat(n.task_id);
  switch (n.topic) {
    case NoticeTopic::kReminder:
      return w.en ? absl::StrCat("[Reminder] Task #", id, " is due in ", n.days, " day(s)")
                  : absl::StrCat("【到期提醒】整改任务 #", id, " 还有 ", n.days, " 天到期");
    case NoticeTopic::kDueSoon:
      return w.en ? absl::StrCat("[Due soon] Task #", id, " is due on ", Deadline(n, w))
                  : absl::StrCat("【临期预警】整改任务 #", id, " 将于 ", Deadline(n, w), " 到期");
    case NoticeTopic::kBehindSchedule:
      return w.en ? absl::StrCat("[Behind schedule] Task #", id, " trails its planned progress")
                  : absl::StrCat("【进度滞后】整改任务 #", id, " 滞后于序时进度");
    case NoticeTopic::kOverdue:
      return w.en ? absl::StrCat("[Overdue] Task #", id, " is overdue")
                  : absl::StrCat("【逾期督办】整改任务 #", id, " 已逾期");
    case NoticeTopic::kEscalated:
      return w.en ? absl::StrCat("[Escalated] Task #", id, " is ", n.days,
                                 " day(s) overdue, beyond the grace period")
                  : absl::StrCat("【超期督办】整改任务 #", id, " 已逾期 ", n.days,
                                 " 天，超过宽限期");
    case NoticeTopic::kCheckpointMissed:
      return w.en ? absl::StrCat("[Report missed] Long-term task #", id,
                                 " missed its progress report")
                  : absl::StrCat("【未按期报告】长期坚持任务 #", id, " 未按期报告进展");
    case NoticeTopic::kUrged:
      return w.en ? absl::StrCat("[Urged] Task #", id, " urged by ", n.actor)
                  : absl::StrCat("【催办】", n.actor, " 催办整改任务 #", id);
    case NoticeTopic::kReturned:
      return w.en ? absl::StrCat("[Returned] Task #", id, " was not accepted and is returned")
                  : absl::StrCat("【退回】整改任务 #", id, " 验收未通过，已退回整改");
    case NoticeTopic::kClosed:
      return w.en ? absl::StrCat("[Closed out] Task #", id, " was accepted and closed out")
                  : absl::StrCat("【销号】整改任务 #", id, " 已验收销号");
    case NoticeTopic::kExtensionDecided:
      if (n.days != 0) {
        return w.en ? absl::StrCat("[Extension] Task #", id, ": extension approved, new deadline ",
                                   Deadline(n, w))
                    : absl::StrCat("【延期审批】整改任务 #", id, " 延期申请已批准，新时限 ",
                                   Deadline(n, w));
      }
      return w.en ? absl::StrCat("[Extension] Task #", id, ": extension denied")
                  : absl::StrCat("【延期审批】整改任务 #", id, " 延期申请未获批准");
    case NoticeTopic::kDigest:
      return w.en ? absl::StrCat("[Daily digest] ", n.unit_name, ": ", n.overdue, " overdue, ",
                                 n.due_soon, " due soon, ", n.submitted, " awaiting verification")
                  : absl::StrCat("【每日汇总】", n.unit_name, "：逾期 ", n.overdue, " 项，临期 ",
                                 n.due_soon, " 项，待验收 ", n.submitted, " 项");
  }
  return "";
}

void DigestLines(const Notice& n, const Words& w, std::vector<std::string>& lines) {
  // The digest's day is kept in its note when it is planned.
  lines.push_back(absl::StrCat(w.Pick("截至 ", "As of "), n.note));
  struct Group {
    char category;
    const char* zh;
    const char* en;
    int64_t count;
  };
  const Group groups[] = {{'O', "逾期", "Overdue", n.overdue},
                          {'D', "临期", "Due soon", n.due_soon},
                          {'S', "待验收", "Awaiting verification", n.submitted}};
  for (const Group& g : groups) {
    if (g.count == 0) continue;
    lines.push_back(w.en ? absl::StrCat(g.en, " (", g.count, "):")
                         : absl::StrCat(g.zh, "（", g.count, " 项）："));
    int shown = 0;
    for (const std::string& item : n.items) {
      std::vector<std::string> f = absl::StrSplit(item, absl::MaxSplits('\t', 4));
      if (f.size() != 5 || f[0].size() != 1 || f[0][0] != g.category) continue;
      ++shown;
      const std::string deadline = f[2].empty() ? w.Pick("无时限", "no deadline") : f[2];
      lines.push_back(absl::StrCat("  #", f[1], " ", TruncateToWidth(f[4], kItemMeasureWidth),
                                   w.en ? " (" : "（", f[3], w.en ? ", " : "，", deadline,
                                   w.en ? ")" : "）"));
    }
    if (g.count > shown) {
      lines.push_back(w.en ? absl::StrCat("  … and ", g.count - shown, " more")
                           : absl::StrCat("  … 另有 ", g.count - shown, " 项"));
    }
  }
}

}  // namespace

Message RenderNotice(const Notice& n, const std::string& lang, const std::string& web_url) {
  const Words w{lang == "en"};
  Message m;
  m.title = Title(n, w);
  if (n.topic == NoticeTopic::kDigest) {
    DigestLines(n, w, m.lines);
    if (!web_url.empty()) m.link = absl::StrCat(web_url, "/#/supervise");
    return m;
  }
  m.lines.push_back(absl::StrCat(w.Pick("整改措施：", "Measure: "), n.measure));
  m.lines.push_back(absl::StrCat(w.Pick("责任单位：", "Owner unit: "), n.unit_name));
  if (!n.person.empty()) {
    m.lines.push_back(absl::StrCat(w.Pick("责任人：", "Person: "), n.person));
  }
  m.lines.push_back(absl::StrCat(w.Pick("整改时限：", "Deadline: "), Deadline(n, w)));
  switch (n.topic) {
    case NoticeTopic::kOverdue:
      m.lines.push_back(w.en ? absl::StrCat("Overdue by ", n.days, " day(s); escalation level 1")
                             : absl::StrCat("已逾期 ", n.days, " 天，一级督办"));
      break;
    case NoticeTopic::kEscalated:
      m.lines.push_back(w.Pick("二级督办：请上级单位督促整改",
                               "Escalation level 2: the parent unit is asked to press for it"));
      break;
    case NoticeTopic::kUrged:
      m.lines.push_back(absl::StrCat(w.Pick("催办人：", "Urged by: "), n.actor));
      break;
    case NoticeTopic::kReturned:
    case NoticeTopic::kClosed:
    case NoticeTopic::kExtensionDecided:
      m.lines.push_back(absl::StrCat(w.Pick("审核人：", "Decided by: "), n.actor));
      break;
    default:
      break;
  }
  if (!n.note.empty()) {
    const char* label = n.topic == NoticeTopic::kReturned ? w.Pick("退回原因：", "Reason: ")
                                                          : w.Pick("说明：", "Note: ");
    m.lines.push_back(absl::StrCat(label, n.note));
  }
  if (!web_url.empty()) m.link = absl::StrCat(web_url, "/#/task/", n.task_id);
  return m;
}

ChannelConfig ConfigOf(const NotifyChannel& c) {
  ChannelConfig config;
  config.kind = static_cast<ChannelKind>(static_cast<int>(c.kind));
  config.url = c.url;
  config.secret = c.secret;
  config.user = c.user;
  config.from = c.from;
  config.to = c.to;
  return config;
}

Message RenderTestMessage(const std::string& lang, const std::string& channel_name,
                          const std::string& unit_name) {
  const Words w{lang == "en"};
  Message m;
  m.title = w.en ? absl::StrCat("[Test] Rectify notifications reach \"", channel_name, "\"")
                 : absl::StrCat("【测试】整改台账通知已接通“", channel_name, "”");
  m.lines.push_back(absl::StrCat(w.Pick("单位：", "Unit: "), unit_name));
  m.lines.push_back(w.Pick("收到此消息说明通知渠道配置正确。",
                           "If you read this, the channel is set up correctly."));
  return m;
}

}  // namespace rectify::notify
