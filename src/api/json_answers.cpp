#include "api/json_answers.hpp"

namespace gids::api {

namespace json = boost::json;

namespace {

Error shape(const std::string& what) {
    return Error::invalid("De waarde heeft niet de goede vorm: " + what + ".",
                          {{"value", "De waarde heeft niet de goede vorm: " + what + "."}});
}

std::optional<std::string> text_of(const json::value& v) {
    if (v.is_string())
        return std::string(v.as_string());
    return std::nullopt;
}

} // namespace

Result<RawAnswer> raw_from_json(const Item& item, const json::value& value) {
    RawAnswer raw;
    if (value.is_null())
        return raw; // clears the answer
    switch (item.type) {
    case ItemType::scale:
        if (value.is_int64())
            raw.emplace("value", std::to_string(value.as_int64()));
        else if (value.is_string() && value.as_string() == "dont_know")
            raw.emplace("value", "dont_know");
        else
            return fail(shape("verwacht een heel getal of \"dont_know\""));
        break;
    case ItemType::count:
        if (value.is_int64())
            raw.emplace("value", std::to_string(value.as_int64()));
        else
            return fail(shape("verwacht een heel getal"));
        break;
    case ItemType::yesno:
        if (value.is_bool())
            raw.emplace("value", value.as_bool() ? "yes" : "no");
        else
            return fail(shape("verwacht true of false"));
        break;
    case ItemType::text:
        if (auto t = text_of(value))
            raw.emplace("value", *t);
        else
            return fail(shape("verwacht een tekst"));
        break;
    case ItemType::single: {
        if (!value.is_object())
            return fail(shape("verwacht {\"option\": ...}"));
        const auto& o = value.as_object();
        auto option = o.contains("option") ? text_of(o.at("option")) : std::nullopt;
        if (!option)
            return fail(shape("verwacht {\"option\": ...}"));
        raw.emplace("option", *option);
        if (o.contains("other")) {
            auto other = text_of(o.at("other"));
            if (!other)
                return fail(shape("\"other\" moet een tekst zijn"));
            raw.emplace("other." + *option, *other);
        }
        break;
    }
    case ItemType::multi: {
        if (!value.is_object() || !value.as_object().contains("options") ||
            !value.as_object().at("options").is_array())
            return fail(shape("verwacht {\"options\": [...]}"));
        const auto& o = value.as_object();
        for (const auto& v : o.at("options").as_array()) {
            auto id = text_of(v);
            if (!id)
                return fail(shape("\"options\" bevat alleen teksten"));
            raw.emplace("option", *id);
        }
        if (o.contains("other")) {
            if (!o.at("other").is_object())
                return fail(shape("\"other\" moet een object zijn"));
            for (const auto& kv : o.at("other").as_object()) {
                auto t = text_of(kv.value());
                if (!t)
                    return fail(shape("teksten in \"other\""));
                raw.emplace("other." + std::string(kv.key()), *t);
            }
        }
        break;
    }
    case ItemType::actions: {
        if (!value.is_array())
            return fail(shape("verwacht een lijst van acties"));
        std::size_t i = 0;
        for (const auto& row : value.as_array()) {
            if (!row.is_object())
                return fail(shape("elke actie is een object"));
            for (const char* f : {"theme", "action", "who", "department", "due"}) {
                if (!row.as_object().contains(f))
                    continue;
                auto t = text_of(row.as_object().at(f));
                if (!t)
                    return fail(shape(std::string("\"") + f + "\" moet een tekst zijn"));
                raw.emplace("rows[" + std::to_string(i) + "]." + f, *t);
            }
            ++i;
        }
        break;
    }
    case ItemType::guidance:
        return fail(Error::invalid("Dit onderdeel is uitleg; het heeft geen antwoord."));
    }
    return raw;
}

json::value answer_to_json(const Answer& answer) {
    json::value out;
    std::visit(
        [&](const auto& a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                out = nullptr;
            } else if constexpr (std::is_same_v<T, ScaleAnswer>) {
                if (a.value)
                    out = *a.value;
                else
                    out = "dont_know";
            } else if constexpr (std::is_same_v<T, SingleAnswer>) {
                json::object o{{"option", a.option}};
                if (!a.other.empty())
                    o["other"] = a.other;
                out = o;
            } else if constexpr (std::is_same_v<T, MultiAnswer>) {
                json::array options;
                for (const auto& id : a.options)
                    options.emplace_back(id);
                json::object other;
                for (const auto& [id, text] : a.other)
                    other[id] = text;
                out = json::object{{"options", options}, {"other", other}};
            } else if constexpr (std::is_same_v<T, YesNoAnswer>) {
                out = a.yes;
            } else if constexpr (std::is_same_v<T, CountAnswer>) {
                out = static_cast<std::int64_t>(a.value);
            } else if constexpr (std::is_same_v<T, TextAnswer>) {
                out = a.text;
            } else if constexpr (std::is_same_v<T, ActionsAnswer>) {
                json::array rows;
                for (const auto& r : a.rows)
                    rows.push_back(json::object{{"theme", r.theme},
                                                {"action", r.action},
                                                {"who", r.who},
                                                {"department", r.department},
                                                {"due", r.due}});
                out = rows;
            }
        },
        answer.value);
    return out;
}

} // namespace gids::api
