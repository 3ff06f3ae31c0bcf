#include "services/api/internal/import_convert.h"

#include <utility>

#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/domain/limits.h"
#include "services/importer/deadline_text.h"

namespace rectify::api {
namespace {

void ToProto(const SourceSpan& span, v1::SourceLocation* out) {
  out->set_line(span.line);
  out->set_column(span.column);
}

template <typename Item>
void ItemToProto(const Item& item, int number, v1::PreviewItem* out) {
  out->set_number(number);
  out->set_title(item.title);
  out->set_text(item.text);
  ToProto(item.where, out->mutable_location());
}

void SectionToProto(SectionKind kind, const std::string& heading, const SourceSpan& where,
                    v1::PreviewSection* out) {
  // The API enum mirrors SectionKind number for number.
  out->set_kind(static_cast<v1::ImportSectionKind>(static_cast<int>(kind)));
  out->set_heading(heading);
  ToProto(where, out->mutable_location());
}

}  // namespace

void ToProto(const ReviewDraft& draft, v1::ImportPreview* out) {
  out->set_document_title(draft.title);
  for (const ImportedArea& area : draft.areas) {
    v1::PreviewArea* a = out->add_areas();
    a->set_name(area.name);
    ToProto(area.where, a->mutable_location());
    for (const ImportedProblem& problem : area.problems) {
      v1::PreviewProblem* p = a->add_problems();
      p->set_number(problem.number);
      p->set_text(problem.text);
      ToProto(problem.where, p->mutable_location());
      p->set_measure_number(problem.measure >= 0 ? problem.measure + 1 : 0);
      for (const int extra : problem.extra_measures) p->add_extra_measure_numbers(extra + 1);
      p->set_owner(problem.owner);
      p->set_owner_person(problem.owner_person);
      p->set_deadline_text(problem.deadline);
      p->set_deadline(ReadDeadlineText(problem.deadline));
    }
  }
  for (size_t i = 0; i < draft.causes.size(); ++i) {
    ItemToProto(draft.causes[i], static_cast<int>(i) + 1, out->add_causes());
  }
  for (size_t i = 0; i < draft.measures.size(); ++i) {
    ItemToProto(draft.measures[i], static_cast<int>(i) + 1, out->add_measures());
  }
  for (const DocumentSection& section : draft.sections) {
    SectionToProto(section.kind, section.heading, section.where, out->add_sections());
  }
  for (const UnrecognisedSection& section : draft.unrecognised) {
    SectionToProto(SectionKind::kUnrecognised, section.heading, section.where,
                   out->add_unrecognised());
  }
  for (const std::string& warning : draft.warnings) out->add_warnings(warning);
  out->set_problem_count(draft.ProblemCount());
}

ReviewImport ToReviewImport(const ReviewDraft& draft) {
  ReviewImport in;
  for (const ImportedCause& cause : draft.causes) {
    in.causes.push_back({cause.text, cause.where.line});
  }
  for (const ImportedArea& area : draft.areas) {
    for (const ImportedProblem& problem : area.problems) {
      const ImportedMeasure* measure = draft.MeasureFor(problem);
      ImportProblem out;
      out.area = problem.area.empty() ? area.name : problem.area;
      out.text = problem.text;
      out.measure = measure != nullptr ? measure->text : std::string();
      // A problem with several measures (a table row continued below) gets them all, one a
      // line, in its one draft.
      for (const int extra : problem.extra_measures) {
        if (extra < 0 || extra >= static_cast<int>(draft.measures.size())) continue;
        if (!out.measure.empty()) out.measure += "\n";
        out.measure += draft.measures[extra].text;
      }
      out.line = problem.where.line;
      out.owner_unit_name = problem.owner;
      out.owner_person = problem.owner_person;
      out.deadline = ReadDeadlineText(problem.deadline);
      in.problems.push_back(std::move(out));
    }
  }
  return in;
}

absl::StatusOr<std::string> SourceDocumentName(absl::string_view file_name) {
  const size_t slash = file_name.find_last_of("/\\");
  if (slash != absl::string_view::npos) file_name.remove_prefix(slash + 1);
  RETURN_IF_ERROR(
      CheckText("file_name", file_name, 0, limits::kSourceDocument, /*multiline=*/false));
  return std::string(file_name);
}

TaskAssignment FromProto(const v1::AssignTaskRequest& in) {
  TaskAssignment out;
  out.id = in.id();
  out.expected_version = in.expected_version();
  out.owner_unit_id = in.owner_unit_id();
  out.owner_person = in.owner_person();
  out.leader = in.leader();
  out.deadline = in.deadline();
  out.cadence_days = in.cadence_days();
  out.measure = in.measure();
  return out;
}

AssignmentRow FromProto(const v1::TaskAssignmentRow& in) {
  AssignmentRow out;
  out.line = in.line();
  out.assignment.id = in.id();
  out.assignment.expected_version = in.expected_version();
  out.assignment.owner_unit_id = in.owner_unit_id();
  out.assignment.owner_person = in.owner_person();
  out.assignment.leader = in.leader();
  out.assignment.deadline = in.deadline();
  out.assignment.cadence_days = in.cadence_days();
  out.assignment.measure = in.measure();
  out.assignment.extension_reason = in.extension_reason();
  return out;
}

}  // namespace rectify::api
