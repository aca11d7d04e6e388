#pragma once
// A live meeting: the facilitator opens one statement (or a whole step) at a time, the
// participants answer on their phones, the shared screen follows. Everything that happens
// is an event with a number; screens catch up from the last number they saw. Events are
// made here, in one place, so that every instance of GIDS can carry the same ones.

#include <string>
#include <string_view>

namespace gids {

enum class MeetingEventKind { opened, joined, answered, revealed, agreed, closed };
std::string_view meeting_event_name(MeetingEventKind kind);

struct MeetingEvent {
    long long id = 0; // increasing per database; the SSE event id
    long long round_id = 0;
    MeetingEventKind kind = MeetingEventKind::answered;
    std::string payload; // JSON object
    long long at = 0;
};

// What the meeting shows now: an item id, "stap:<step id>" for a whole step, or nothing.
struct LiveState {
    std::string current; // empty: nothing opened yet
    bool revealed = false;

    bool whole_step() const { return current.starts_with("stap:"); }
    std::string step_id() const { return whole_step() ? current.substr(5) : std::string(); }
};

// The payloads, as JSON objects.
std::string opened_payload(const LiveState& state);
std::string answered_payload(std::string_view item_id, long long participant_id);
std::string revealed_payload(bool revealed);
std::string agreed_payload(std::string_view item_id);

std::string json_string(std::string_view text); // "..." with escapes

} // namespace gids
