#pragma once
// A participant's answer to one item, how it is read from a form or the JSON API,
// checked against the item, and stored as text.

#include "domain/error.hpp"
#include "domain/instrument.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace gids {

struct ScaleAnswer {
    std::optional<int> value; // no value: the participant chose "weet niet"
    bool operator==(const ScaleAnswer&) const = default;
};

struct SingleAnswer {
    std::string option;
    std::string other; // free text for an option with `other: true`
    bool operator==(const SingleAnswer&) const = default;
};

struct MultiAnswer {
    std::set<std::string> options;
    std::map<std::string, std::string> other; // option id -> free text
    bool operator==(const MultiAnswer&) const = default;
};

struct YesNoAnswer {
    bool yes = false;
    bool operator==(const YesNoAnswer&) const = default;
};

struct CountAnswer {
    long value = 0;
    bool operator==(const CountAnswer&) const = default;
};

struct TextAnswer {
    std::string text;
    bool operator==(const TextAnswer&) const = default;
};

struct ActionRow {
    std::string theme; // a theme id of the instrument, or empty
    std::string action;
    std::string who;
    std::string department;
    std::string due; // YYYY-MM-DD or empty
    bool operator==(const ActionRow&) const = default;
};

struct ActionsAnswer {
    std::vector<ActionRow> rows;
    bool operator==(const ActionsAnswer&) const = default;
};

struct Answer {
    // monostate: the item was left empty (allowed when it is not required).
    std::variant<std::monostate, ScaleAnswer, SingleAnswer, MultiAnswer, YesNoAnswer, CountAnswer,
                 TextAnswer, ActionsAnswer>
        value;

    bool answered() const { return !std::holds_alternative<std::monostate>(value); }
    bool operator==(const Answer&) const = default;
};

// What a form or a JSON body gives for one item: field name -> values, in the order
// received. The web layer strips its own prefix (the item id) before calling us.
//
//   type     fields
//   scale    value = "1".."5" (a whole number in the scale) or "dont_know"
//   single   option = <option id>; other.<option id> = free text for that option
//   multi    option = <option id>, repeated; other.<option id> = free text
//   yesno    value = "yes" or "no"
//   count    value = digits, e.g. "12"
//   text     value = the text
//   actions  rows[<i>].theme, rows[<i>].action, rows[<i>].who, rows[<i>].department,
//            rows[<i>].due (YYYY-MM-DD); <i> = 0..99, only the item's columns.
//            Rows with every field empty are dropped (forms show spare rows); the
//            rest keep the order of <i>.
//
// Texts are trimmed and line breaks become "\n". An `other.<id>` field that is empty
// is ignored, so a form may always send one for every `other` option.
using RawAnswer = std::multimap<std::string, std::string>;

inline constexpr std::size_t max_action_rows = 100;
inline constexpr std::size_t max_short_text = 1000; // other texts, action fields

// Checks `raw` against `item`. Failure: Error::invalid with a Dutch message (the first
// problem) and per-field messages keyed by the field names above.
Result<Answer> parse_answer(const Item& item, const RawAnswer& raw);

// A compact text form for storage: "<type>?<field>=<value>&..." with the field names
// above and %XX escapes for '%', '&', '=' and control characters; UTF-8 stays as is.
// An unanswered item is the empty string. deserialize_answer(item, serialize_answer(a))
// gives back `a` exactly for every answer that parse_answer accepts.
std::string serialize_answer(const Answer& answer);
Result<Answer> deserialize_answer(const Item& item, std::string_view stored);

} // namespace gids
