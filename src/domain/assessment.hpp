#pragma once
// A round (ronde): one municipality running one instrument version, with participants who
// answer through a personal link, and the actions agreed on afterwards.

#include "domain/error.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gids {

enum class RoundMode { separate, meeting };
std::string_view round_mode_name(RoundMode mode); // "separate" / "meeting"
std::optional<RoundMode> parse_round_mode(std::string_view text);

struct Assessment {
    long long id = 0;
    long long municipality_id = 0;
    std::string instrument_key;
    int instrument_version = 1;
    std::string title;
    RoundMode mode = RoundMode::separate;
    std::string closes_on; // YYYY-MM-DD or empty
    bool open = true;
    std::optional<long long> previous_id;
    long long created_at = 0;
    std::optional<long long> closed_at;
};

// Open for answers: not closed by the coordinator, and not past its closing date (the
// closing day itself still counts). `today` is YYYY-MM-DD.
bool accepts_answers(const Assessment& round, std::string_view today);

struct Participant {
    long long id = 0;
    long long assessment_id = 0;
    int position = 0;
    std::string label; // "Armoede", "GGD"
    std::string name;
    int token_generation = 1;
    bool revoked = false;
    std::optional<long long> started_at;
    std::optional<long long> submitted_at;
    std::optional<long long> updated_at;
};

inline constexpr std::size_t max_participants = 200;

struct NewAssessment {
    std::string instrument_key;
    std::string title;
    RoundMode mode = RoundMode::separate;
    std::string closes_on;
    std::vector<std::string> labels;
};

// Trims, drops empty labels, and checks title, date and labels. Field errors: title,
// closes_on, labels, instrument.
Result<NewAssessment> validate_new_assessment(NewAssessment input, std::string_view today);

enum class ActionStatus { open, bezig, gedaan, vervallen };
std::string_view action_status_name(ActionStatus status);
std::optional<ActionStatus> parse_action_status(std::string_view text);

struct Action {
    long long id = 0;
    long long municipality_id = 0;
    std::optional<long long> assessment_id;
    std::string theme;
    std::string description;
    std::string owner;
    std::string department;
    std::string due; // YYYY-MM-DD or empty
    ActionStatus status = ActionStatus::open;
    std::optional<long long> carried_from;
    long long created_at = 0;
    long long updated_at = 0;
};

struct ActionInput {
    std::string theme;
    std::string description;
    std::string owner;
    std::string department;
    std::string due;
    ActionStatus status = ActionStatus::open;
};

Result<ActionInput> validate_action(ActionInput input);

// What changed between two versions of an action, in plain Dutch, one line per field;
// empty when nothing changed. This is what the history shows.
std::vector<std::string> describe_action_changes(const Action& before, const ActionInput& after);

// Overdue: not done or dropped, with a due date before today (both YYYY-MM-DD).
bool is_overdue(const Action& action, std::string_view today);

// A real calendar date in the form YYYY-MM-DD.
bool is_valid_date(std::string_view text);

} // namespace gids
