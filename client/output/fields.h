// FieldList: a "key: value" block for one object (task show, unit show), keys padded to the same
// display width so that the values start in one column:
//
//   任务      12
//   状态      整改中
//   整改措施  第一行
//             第二行
//
// Values are shown in full; a multi-line value continues under the first line. An empty value
// shows as "—" so that a missing field is visibly missing.
//
// Thread safety: none; build and render on one thread.
#ifndef RECTIFY_CLIENT_OUTPUT_FIELDS_H_
#define RECTIFY_CLIENT_OUTPUT_FIELDS_H_

#include <string>
#include <utility>
#include <vector>

namespace rectify::client {

class FieldList {
 public:
  // `indent` spaces before every line (for blocks nested under a heading).
  explicit FieldList(int indent = 0) : indent_(indent) {}

  FieldList& Add(std::string key, std::string value);

  std::string Render() const;

 private:
  int indent_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_OUTPUT_FIELDS_H_
