#include "domain/meeting.hpp"

#include <cstdio>

namespace gids {

std::string_view meeting_event_name(MeetingEventKind kind) {
    switch (kind) {
    case MeetingEventKind::opened:
        return "geopend";
    case MeetingEventKind::joined:
        return "aangemeld";
    case MeetingEventKind::answered:
        return "antwoord";
    case MeetingEventKind::revealed:
        return "namen";
    case MeetingEventKind::agreed:
        return "afspraak";
    case MeetingEventKind::closed:
        return "gesloten";
    }
    return "antwoord";
}

std::string json_string(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

std::string opened_payload(const LiveState& state) {
    return "{\"current\":" + json_string(state.current) +
           ",\"revealed\":" + (state.revealed ? "true" : "false") + "}";
}

std::string answered_payload(std::string_view item_id, long long participant_id) {
    return "{\"item\":" + json_string(item_id) +
           ",\"participant\":" + std::to_string(participant_id) + "}";
}

std::string revealed_payload(bool revealed) {
    return std::string("{\"revealed\":") + (revealed ? "true" : "false") + "}";
}

std::string agreed_payload(std::string_view item_id) {
    return "{\"item\":" + json_string(item_id) + "}";
}

} // namespace gids
