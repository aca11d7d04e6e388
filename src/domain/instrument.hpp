#pragma once
// The instrument model: steps, themes, scales and items, as described in
// docs/instrument-format.md. The loader (src/instruments/loader.hpp) is the only
// place that builds one; everything else receives it as `const Instrument&`, so an
// instrument never changes after it has been validated.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gids {

// A text in Dutch with an optional English translation.
struct Text {
    std::string nl;
    std::string en;

    // The text in `lang` ("nl" or "en"); Dutch when there is no translation.
    const std::string& in(std::string_view lang) const {
        return lang == "en" && !en.empty() ? en : nl;
    }
    bool operator==(const Text&) const = default;
};

struct Scale {
    std::string name;
    int min = 1;
    int max = 5;
    std::vector<Text> labels; // exactly max - min + 1, labels[0] belongs to min
    std::optional<Text> dont_know;

    bool contains(int value) const { return value >= min && value <= max; }
    const Text& label(int value) const { return labels.at(static_cast<std::size_t>(value - min)); }
};

struct Option {
    std::string id;
    Text text;
    bool other = false;     // choosing it asks for free text, which is then required
    bool exclusive = false; // multi only: cannot be combined with other options
    std::optional<Text> group;
    bool adapted = false;
};

enum class ItemType { scale, single, multi, yesno, count, text, actions, guidance };

std::string_view item_type_name(ItemType type);
std::optional<ItemType> parse_item_type(std::string_view name);

enum class ActionColumn { theme, action, who, department, due };

std::string_view action_column_name(ActionColumn column);
std::optional<ActionColumn> parse_action_column(std::string_view name);

struct Item {
    std::string id; // may be empty for guidance, which has no answer
    ItemType type = ItemType::guidance;
    Text text;
    std::string number; // label as in the source: "1.", "A."
    std::optional<Text> hint;
    std::optional<Text> heading; // guidance only
    std::optional<std::string> theme;
    bool required = false;
    bool adapted = false;

    std::string scale_name;            // scale: the key under `scales`
    Scale scale;                       // scale: that scale, resolved
    std::vector<Option> options;       // single, multi
    std::optional<Text> unit;          // count
    std::optional<long> max;           // count
    int rows = 4;                      // text
    std::size_t max_length = 4000;     // text, in characters
    std::vector<ActionColumn> columns; // actions
    Text yes{"Ja", "Yes"};             // yesno
    Text no{"Nee", "No"};              // yesno

    bool answerable() const { return type != ItemType::guidance; }
    bool has_column(ActionColumn column) const;
    const Option* find_option(std::string_view option_id) const;
};

struct Theme {
    std::string id;
    Text title;
    std::optional<Text> description;
};

struct Step {
    std::string id;
    Text title;
    std::optional<Text> intro;
    std::optional<Text> question;
    std::vector<Item> items;
    bool adapted = false;
};

struct Source {
    Text document;
    Text publisher;
    int year = 0;
    std::optional<Text> section;
};

struct IntroBlock {
    Text heading;
    Text text;
};

struct Instrument {
    std::string id;
    int version = 1;
    Text title;
    std::optional<Text> subtitle;
    Source source;
    std::vector<IntroBlock> introduction;
    std::optional<int> duration_minutes;
    std::vector<Theme> themes;
    std::map<std::string, Scale, std::less<>> scales;
    std::vector<Step> steps;
    bool adapted = false;

    // Pointers stay valid as long as the instrument lives; nullptr when absent.
    const Item* find_item(std::string_view item_id) const;
    const Theme* find_theme(std::string_view theme_id) const;
    std::vector<const Item*> all_items() const;        // in order, over all steps
    std::vector<const Item*> answerable_items() const; // the same without guidance
};

// Text checks shared by the loader and the answer validation: texts must be valid
// UTF-8 so every page, export and database can take them unchanged.
bool is_valid_utf8(std::string_view text);
std::size_t count_characters(std::string_view utf8); // code points, for length limits

} // namespace gids
