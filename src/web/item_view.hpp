#pragma once
// Turns instrument items into template data for accessible form controls: one fieldset
// per question, labels bound to controls, hints and errors tied with aria-describedby.
// The same view serves the preview, the participant's form and (read-only) results.

#include "domain/answer.hpp"
#include "domain/instrument.hpp"
#include "web/templates.hpp"

#include <map>
#include <string>

namespace gids::web {

// What the form shows per item: the values (as form fields, see RawAnswer) and errors.
struct ItemState {
    RawAnswer values;
    std::map<std::string, std::string> errors; // field name (or "") -> message
};

// The form fields an answer shows as; the inverse of parse_answer.
RawAnswer answer_fields(const Item& item, const Answer& answer);

// The fields of one item from a whole form, where each is named "<item id>.<field>".
RawAnswer fields_for_item(const Item& item,
                          const std::vector<std::pair<std::string, std::string>>& form);

Data item_data(const Instrument& instrument, const Item& item, const std::string& lang,
               const ItemState* state = nullptr);

// A step with all its items; `states` may be empty for a blank preview.
Data step_data(const Instrument& instrument, const Step& step, std::size_t index,
               const std::string& lang, const std::map<std::string, ItemState>& states = {});

// Title, source, introduction and themes of an instrument.
Data instrument_data(const Instrument& instrument, const std::string& lang);

// The answer in readable lines, for the review page and the results ("Anders, namelijk:
// via de huisartsen"). Empty for an unanswered item.
std::vector<std::string> answer_lines(const Item& item, const Answer& answer,
                                      const std::string& lang);

// Paragraphs of a text with blank lines between them.
List paragraphs(const std::string& text);

} // namespace gids::web
