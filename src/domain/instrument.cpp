#include "domain/instrument.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace gids {

namespace {

constexpr std::array<std::pair<ItemType, std::string_view>, 8> item_type_names{{
    {ItemType::scale, "scale"},
    {ItemType::single, "single"},
    {ItemType::multi, "multi"},
    {ItemType::yesno, "yesno"},
    {ItemType::count, "count"},
    {ItemType::text, "text"},
    {ItemType::actions, "actions"},
    {ItemType::guidance, "guidance"},
}};

constexpr std::array<std::pair<ActionColumn, std::string_view>, 5> action_column_names{{
    {ActionColumn::theme, "theme"},
    {ActionColumn::action, "action"},
    {ActionColumn::who, "who"},
    {ActionColumn::department, "department"},
    {ActionColumn::due, "due"},
}};

// The length of the UTF-8 sequence that starts with `lead`, 0 when it cannot start one.
std::size_t sequence_length(unsigned char lead) {
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        return 4;
    }
    return 0;
}

} // namespace

std::string_view item_type_name(ItemType type) {
    for (const auto& [value, name] : item_type_names) {
        if (value == type) {
            return name;
        }
    }
    return "guidance";
}

std::optional<ItemType> parse_item_type(std::string_view name) {
    for (const auto& [value, known] : item_type_names) {
        if (known == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::string_view action_column_name(ActionColumn column) {
    for (const auto& [value, name] : action_column_names) {
        if (value == column) {
            return name;
        }
    }
    return "action";
}

std::optional<ActionColumn> parse_action_column(std::string_view name) {
    for (const auto& [value, known] : action_column_names) {
        if (known == name) {
            return value;
        }
    }
    return std::nullopt;
}

bool Item::has_column(ActionColumn column) const {
    return std::ranges::find(columns, column) != columns.end();
}

const Option* Item::find_option(std::string_view option_id) const {
    const auto found = std::ranges::find(options, option_id, &Option::id);
    return found == options.end() ? nullptr : &*found;
}

const Item* Instrument::find_item(std::string_view item_id) const {
    if (item_id.empty()) {
        return nullptr; // guidance without an id is not addressable
    }
    for (const Step& step : steps) {
        const auto found = std::ranges::find(step.items, item_id, &Item::id);
        if (found != step.items.end()) {
            return &*found;
        }
    }
    return nullptr;
}

const Theme* Instrument::find_theme(std::string_view theme_id) const {
    const auto found = std::ranges::find(themes, theme_id, &Theme::id);
    return found == themes.end() ? nullptr : &*found;
}

std::vector<const Item*> Instrument::all_items() const {
    std::vector<const Item*> items;
    for (const Step& step : steps) {
        for (const Item& item : step.items) {
            items.push_back(&item);
        }
    }
    return items;
}

std::vector<const Item*> Instrument::answerable_items() const {
    std::vector<const Item*> items = all_items();
    std::erase_if(items, [](const Item* item) { return !item->answerable(); });
    return items;
}

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = sequence_length(lead);
        if (length == 0 || i + length > text.size()) {
            return false;
        }
        for (std::size_t k = 1; k < length; ++k) {
            if ((static_cast<unsigned char>(text[i + k]) & 0xC0U) != 0x80U) {
                return false;
            }
        }
        if (length >= 3) {
            // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are
            // decodable bit patterns but not valid UTF-8.
            const auto second = static_cast<unsigned char>(text[i + 1]);
            if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
                (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) {
                return false;
            }
        }
        i += length;
    }
    return true;
}

std::size_t count_characters(std::string_view utf8) {
    return static_cast<std::size_t>(std::ranges::count_if(
        utf8, [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

} // namespace gids
