#pragma once
// Answers in the JSON API: the `value` of a PUT, turned into the same form fields the HTML
// forms send (so one validation serves both), and stored answers written back as JSON.
//
//   scale    3 or "dont_know"          single  {"option": "anders", "other": "..."}
//   yesno    true / false              multi   {"options": ["a", "b"], "other": {"b": "..."}}
//   count    12                        text    "..."
//   actions  [{"theme": "A", "action": "...", "who": "...", "department": "...", "due":
//   "2027-03-31"}]

#include "domain/answer.hpp"

#include <boost/json.hpp>

namespace gids::api {

// Fails with Error::invalid (Dutch) when the JSON has the wrong shape for the item.
Result<RawAnswer> raw_from_json(const Item& item, const boost::json::value& value);

boost::json::value answer_to_json(const Answer& answer);

} // namespace gids::api
