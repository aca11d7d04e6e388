#include "web/item_view.hpp"

#include <algorithm>

namespace gids::web {

namespace {

std::string first(const RawAnswer& raw, const std::string& field) {
    auto it = raw.find(field);
    return it == raw.end() ? std::string() : it->second;
}

bool contains(const RawAnswer& raw, const std::string& field, const std::string& value) {
    auto [begin, end] = raw.equal_range(field);
    return std::any_of(begin, end, [&](const auto& kv) { return kv.second == value; });
}

std::string error_of(const ItemState* state, const std::string& field) {
    if (!state)
        return {};
    auto it = state->errors.find(field);
    return it == state->errors.end() ? std::string() : it->second;
}

std::string row_field(std::size_t i, const char* name) {
    return "rows[" + std::to_string(i) + "]." + name;
}

constexpr std::size_t spare_action_rows = 3;

} // namespace

List paragraphs(const std::string& text) {
    List out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find("\n\n", pos);
        std::string part =
            text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        while (!part.empty() && (part.back() == '\n' || part.back() == ' '))
            part.pop_back();
        while (!part.empty() && (part.front() == '\n' || part.front() == ' '))
            part.erase(0, 1);
        if (!part.empty())
            out.push_back(Data(part));
        if (end == std::string::npos)
            break;
        pos = end + 2;
    }
    return out;
}

RawAnswer answer_fields(const Item& item, const Answer& answer) {
    RawAnswer raw;
    std::visit(
        [&](const auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, ScaleAnswer>) {
                raw.emplace("value", a.value ? std::to_string(*a.value) : "dont_know");
            } else if constexpr (std::is_same_v<T, SingleAnswer>) {
                raw.emplace("option", a.option);
                if (!a.other.empty())
                    raw.emplace("other." + a.option, a.other);
            } else if constexpr (std::is_same_v<T, MultiAnswer>) {
                for (const auto& o : a.options)
                    raw.emplace("option", o);
                for (const auto& [o, text] : a.other)
                    raw.emplace("other." + o, text);
            } else if constexpr (std::is_same_v<T, YesNoAnswer>) {
                raw.emplace("value", a.yes ? "yes" : "no");
            } else if constexpr (std::is_same_v<T, CountAnswer>) {
                raw.emplace("value", std::to_string(a.value));
            } else if constexpr (std::is_same_v<T, TextAnswer>) {
                raw.emplace("value", a.text);
            } else if constexpr (std::is_same_v<T, ActionsAnswer>) {
                for (std::size_t i = 0; i < a.rows.size(); ++i) {
                    const auto& r = a.rows[i];
                    raw.emplace(row_field(i, "theme"), r.theme);
                    raw.emplace(row_field(i, "action"), r.action);
                    raw.emplace(row_field(i, "who"), r.who);
                    raw.emplace(row_field(i, "department"), r.department);
                    raw.emplace(row_field(i, "due"), r.due);
                }
            }
        },
        answer.value);
    (void)item;
    return raw;
}

std::vector<std::string> answer_lines(const Item& item, const Answer& answer,
                                      const std::string& lang) {
    std::vector<std::string> out;
    auto option_line = [&](const std::string& id, const std::string& other) {
        const Option* o = item.find_option(id);
        std::string line = o ? o->text.in(lang) : id;
        if (!other.empty())
            line += " " + other;
        out.push_back(line);
    };
    std::visit(
        [&](const auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, ScaleAnswer>) {
                if (a.value && item.scale.contains(*a.value))
                    out.push_back(std::to_string(*a.value) + " (" +
                                  item.scale.label(*a.value).in(lang) + ")");
                else if (item.scale.dont_know)
                    out.push_back(item.scale.dont_know->in(lang));
            } else if constexpr (std::is_same_v<T, SingleAnswer>) {
                option_line(a.option, a.other);
            } else if constexpr (std::is_same_v<T, MultiAnswer>) {
                for (const auto& o : item.options)
                    if (a.options.contains(o.id)) {
                        auto it = a.other.find(o.id);
                        option_line(o.id, it == a.other.end() ? "" : it->second);
                    }
            } else if constexpr (std::is_same_v<T, YesNoAnswer>) {
                out.push_back(a.yes ? item.yes.in(lang) : item.no.in(lang));
            } else if constexpr (std::is_same_v<T, CountAnswer>) {
                out.push_back(std::to_string(a.value) +
                              (item.unit ? " " + item.unit->in(lang) : ""));
            } else if constexpr (std::is_same_v<T, TextAnswer>) {
                out.push_back(a.text);
            } else if constexpr (std::is_same_v<T, ActionsAnswer>) {
                for (const auto& r : a.rows) {
                    std::string line = r.theme.empty() ? "" : r.theme + ": ";
                    line += r.action;
                    if (!r.who.empty())
                        line += " — " + r.who;
                    if (!r.department.empty())
                        line += " (" + r.department + ")";
                    if (!r.due.empty())
                        line += ", " + r.due;
                    out.push_back(line);
                }
            }
        },
        answer.value);
    return out;
}

RawAnswer fields_for_item(const Item& item,
                          const std::vector<std::pair<std::string, std::string>>& form) {
    RawAnswer raw;
    const std::string prefix = item.id + ".";
    for (const auto& [name, value] : form)
        if (name.starts_with(prefix))
            raw.emplace(name.substr(prefix.size()), value);
    return raw;
}

Data item_data(const Instrument& instrument, const Item& item, const std::string& lang,
               const ItemState* state) {
    static const RawAnswer empty;
    const RawAnswer& raw = state ? state->values : empty;
    Data d;
    const std::string id = item.id.empty() ? "guidance" : item.id;
    d.set("id", id);
    d.set("item_id", id); // nested sections (options) have ids of their own
    d.set("type", std::string(item_type_name(item.type)));
    d.set("number", item.number);
    d.set("text", item.text.in(lang));
    d.set("text_paragraphs", paragraphs(item.text.in(lang)));
    d.set("required", item.required);
    if (item.hint)
        d.set("hint", item.hint->in(lang));
    if (item.heading)
        d.set("heading", item.heading->in(lang));
    if (item.theme)
        if (const Theme* theme = instrument.find_theme(*item.theme))
            d.set("theme_title", theme->title.in(lang));
    const std::string error = error_of(state, "");
    if (!error.empty())
        d.set("error", error);
    std::string describedby = item.hint ? id + "-hint" : "";
    if (!error.empty())
        describedby += (describedby.empty() ? "" : " ") + id + "-error";
    if (!describedby.empty())
        d.set("describedby", describedby);

    switch (item.type) {
    case ItemType::scale: {
        d.set("is_scale", true);
        List choices;
        for (int v = item.scale.min; v <= item.scale.max; ++v) {
            Data c;
            c.set("value", std::to_string(v));
            c.set("label", item.scale.label(v).in(lang));
            c.set("checked", contains(raw, "value", std::to_string(v)));
            choices.push_back(c);
        }
        d.set("choices", choices);
        if (item.scale.dont_know) {
            Data dk;
            dk.set("label", item.scale.dont_know->in(lang));
            dk.set("checked", contains(raw, "value", "dont_know"));
            d.set("dont_know", dk);
        }
        break;
    }
    case ItemType::single:
    case ItemType::multi: {
        d.set(item.type == ItemType::single ? "is_single" : "is_multi", true);
        d.set("input_type", item.type == ItemType::single ? "radio" : "checkbox");
        List groups;
        Data group;
        List options;
        std::optional<std::string> current_heading;
        auto flush = [&] {
            if (options.empty())
                return;
            group.set("options", options);
            if (current_heading)
                group.set("heading", *current_heading);
            groups.push_back(group);
            group = Data();
            options = List();
        };
        for (const auto& o : item.options) {
            std::optional<std::string> heading;
            if (o.group)
                heading = o.group->in(lang);
            if (heading != current_heading) {
                flush();
                current_heading = heading;
            }
            Data od;
            od.set("id", o.id);
            od.set("text", o.text.in(lang));
            od.set("checked", contains(raw, "option", o.id));
            od.set("exclusive", o.exclusive);
            if (o.other) {
                od.set("other", true);
                od.set("other_value", first(raw, "other." + o.id));
                const std::string other_error = error_of(state, "other." + o.id);
                if (!other_error.empty())
                    od.set("other_error", other_error);
            }
            options.push_back(od);
        }
        flush();
        d.set("groups", groups);
        break;
    }
    case ItemType::yesno:
        d.set("is_yesno", true);
        d.set("yes_label", item.yes.in(lang));
        d.set("no_label", item.no.in(lang));
        d.set("yes_checked", contains(raw, "value", "yes"));
        d.set("no_checked", contains(raw, "value", "no"));
        break;
    case ItemType::count:
        d.set("is_count", true);
        d.set("value", first(raw, "value"));
        if (item.unit)
            d.set("unit", item.unit->in(lang));
        if (item.max)
            d.set("max", std::to_string(*item.max));
        break;
    case ItemType::text:
        d.set("is_text", true);
        d.set("value", first(raw, "value"));
        d.set("rows", std::to_string(item.rows));
        d.set("max_length", std::to_string(item.max_length));
        break;
    case ItemType::actions: {
        d.set("is_actions", true);
        std::size_t filled = 0;
        while (raw.contains(row_field(filled, "action")) ||
               raw.contains(row_field(filled, "who")) || raw.contains(row_field(filled, "theme")))
            ++filled;
        List rows;
        for (std::size_t i = 0; i < filled + spare_action_rows && i < max_action_rows; ++i) {
            Data r;
            r.set("index", std::to_string(i));
            r.set("number", std::to_string(i + 1));
            const std::string theme = first(raw, row_field(i, "theme"));
            List themes;
            for (const auto& t : instrument.themes) {
                Data td;
                td.set("id", t.id);
                td.set("title", t.id + ". " + t.title.in(lang));
                td.set("selected", t.id == theme);
                themes.push_back(td);
            }
            r.set("themes", themes);
            for (const char* f : {"action", "who", "department", "due"}) {
                r.set(f, first(raw, row_field(i, f)));
                const std::string e = error_of(state, row_field(i, f));
                if (!e.empty())
                    r.set(std::string(f) + "_error", e);
            }
            rows.push_back(r);
        }
        d.set("rows", rows);
        d.set("col_theme", item.has_column(ActionColumn::theme) && !instrument.themes.empty());
        d.set("col_action", item.has_column(ActionColumn::action));
        d.set("col_who", item.has_column(ActionColumn::who));
        d.set("col_department", item.has_column(ActionColumn::department));
        d.set("col_due", item.has_column(ActionColumn::due));
        break;
    }
    case ItemType::guidance:
        d.set("is_guidance", true);
        break;
    }
    return d;
}

Data step_data(const Instrument& instrument, const Step& step, std::size_t index,
               const std::string& lang, const std::map<std::string, ItemState>& states) {
    Data d;
    d.set("id", step.id);
    d.set("number", std::to_string(index + 1));
    d.set("title", step.title.in(lang));
    if (step.intro)
        d.set("intro", paragraphs(step.intro->in(lang)));
    if (step.question)
        d.set("question", step.question->in(lang));
    List items;
    for (const auto& item : step.items) {
        auto it = states.find(item.id);
        items.push_back(
            item_data(instrument, item, lang, it == states.end() ? nullptr : &it->second));
    }
    d.set("items", items);
    return d;
}

Data instrument_data(const Instrument& instrument, const std::string& lang) {
    Data d;
    d.set("key", instrument.id);
    d.set("version", std::to_string(instrument.version));
    d.set("title", instrument.title.in(lang));
    if (instrument.subtitle)
        d.set("subtitle", instrument.subtitle->in(lang));
    d.set("source_document", instrument.source.document.in(lang));
    d.set("source_publisher", instrument.source.publisher.in(lang));
    d.set("source_year", std::to_string(instrument.source.year));
    d.set("adapted", instrument.adapted);
    if (instrument.duration_minutes)
        d.set("duration", std::to_string(*instrument.duration_minutes));
    List intro;
    for (const auto& block : instrument.introduction) {
        Data b;
        b.set("heading", block.heading.in(lang));
        b.set("paragraphs", paragraphs(block.text.in(lang)));
        intro.push_back(b);
    }
    d.set("introduction", intro);
    List themes;
    for (const auto& t : instrument.themes) {
        Data td;
        td.set("id", t.id);
        td.set("title", t.title.in(lang));
        themes.push_back(td);
    }
    d.set("themes", themes);
    d.set("step_count", std::to_string(instrument.steps.size()));
    d.set("item_count", std::to_string(instrument.answerable_items().size()));
    return d;
}

} // namespace gids::web
