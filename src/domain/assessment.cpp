#include "domain/assessment.hpp"

#include "domain/accounts.hpp"
#include "domain/instrument.hpp"

#include <charconv>

namespace gids {

std::string_view round_mode_name(RoundMode mode) {
    return mode == RoundMode::meeting ? "meeting" : "separate";
}

std::optional<RoundMode> parse_round_mode(std::string_view text) {
    if (text == "separate")
        return RoundMode::separate;
    if (text == "meeting")
        return RoundMode::meeting;
    return std::nullopt;
}

bool accepts_answers(const Assessment& round, std::string_view today) {
    return round.open && (round.closes_on.empty() || today <= round.closes_on);
}

bool is_valid_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return false;
    auto number = [&](std::size_t pos, std::size_t len, int& out) {
        auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
        return ec == std::errc() && p == text.data() + pos + len;
    };
    int y = 0, m = 0, d = 0;
    if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d))
        return false;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return false;
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    const int max = m == 2 && leap ? 29 : days[m - 1];
    return d <= max;
}

Result<NewAssessment> validate_new_assessment(NewAssessment input, std::string_view today) {
    std::map<std::string, std::string> errors;
    input.title = trim_copy(input.title);
    input.closes_on = trim_copy(input.closes_on);
    if (input.title.empty())
        errors["title"] = "Geef de ronde een naam, bijvoorbeeld ‘Armoede en gezondheid 2027’.";
    else if (count_characters(input.title) > 150)
        errors["title"] = "De naam mag hoogstens 150 tekens lang zijn.";
    else if (!is_valid_utf8(input.title))
        errors["title"] = "De naam bevat tekens die we niet kunnen lezen.";
    if (!input.closes_on.empty()) {
        if (!is_valid_date(input.closes_on))
            errors["closes_on"] = "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2027-03-31.";
        else if (input.closes_on < today)
            errors["closes_on"] = "Deze datum is al voorbij. Kies een datum vanaf vandaag.";
    }
    std::vector<std::string> labels;
    for (auto& label : input.labels) {
        std::string l = trim_copy(label);
        if (l.empty())
            continue;
        if (count_characters(l) > 80 || !is_valid_utf8(l)) {
            errors["labels"] = "Een deelnemer mag een naam van hoogstens 80 tekens hebben.";
            break;
        }
        labels.push_back(std::move(l));
    }
    if (!errors.contains("labels")) {
        if (labels.empty())
            errors["labels"] = "Vul minstens één deelnemer in, bijvoorbeeld ‘Armoede’.";
        else if (labels.size() > max_participants)
            errors["labels"] = "Een ronde kan hoogstens 200 deelnemers hebben.";
    }
    input.labels = std::move(labels);
    if (!errors.empty())
        return fail(Error::invalid("Controleer de velden hieronder.", std::move(errors)));
    return input;
}

std::string_view action_status_name(ActionStatus status) {
    switch (status) {
    case ActionStatus::open:
        return "open";
    case ActionStatus::bezig:
        return "bezig";
    case ActionStatus::gedaan:
        return "gedaan";
    case ActionStatus::vervallen:
        return "vervallen";
    }
    return "open";
}

std::optional<ActionStatus> parse_action_status(std::string_view text) {
    for (auto s :
         {ActionStatus::open, ActionStatus::bezig, ActionStatus::gedaan, ActionStatus::vervallen})
        if (action_status_name(s) == text)
            return s;
    return std::nullopt;
}

Result<ActionInput> validate_action(ActionInput input) {
    std::map<std::string, std::string> errors;
    input.theme = trim_copy(input.theme);
    input.description = trim_copy(input.description);
    input.owner = trim_copy(input.owner);
    input.department = trim_copy(input.department);
    input.due = trim_copy(input.due);
    if (input.description.empty())
        errors["description"] = "Beschrijf wat er gaat gebeuren.";
    else if (count_characters(input.description) > 1000)
        errors["description"] = "De beschrijving mag hoogstens 1000 tekens lang zijn.";
    if (count_characters(input.owner) > 200)
        errors["owner"] = "Hoogstens 200 tekens.";
    if (count_characters(input.department) > 200)
        errors["department"] = "Hoogstens 200 tekens.";
    if (count_characters(input.theme) > 20)
        errors["theme"] = "Kies een thema uit de lijst.";
    if (!input.due.empty() && !is_valid_date(input.due))
        errors["due"] = "Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2027-03-31.";
    for (const auto* text : {&input.description, &input.owner, &input.department})
        if (!is_valid_utf8(*text))
            errors["description"] = "De tekst bevat tekens die we niet kunnen lezen.";
    if (!errors.empty())
        return fail(Error::invalid("Controleer de velden van de actie.", std::move(errors)));
    return input;
}

std::vector<std::string> describe_action_changes(const Action& before, const ActionInput& after) {
    std::vector<std::string> out;
    auto changed = [&](const char* what, const std::string& a, const std::string& b) {
        if (a != b)
            out.push_back(std::string(what) + ": ‘" + (a.empty() ? "-" : a) + "’ → ‘" +
                          (b.empty() ? "-" : b) + "’");
    };
    changed("Status", std::string(action_status_name(before.status)),
            std::string(action_status_name(after.status)));
    changed("Actie", before.description, after.description);
    changed("Wie", before.owner, after.owner);
    changed("Afdeling", before.department, after.department);
    changed("Klaar op", before.due, after.due);
    changed("Thema", before.theme, after.theme);
    return out;
}

bool is_overdue(const Action& action, std::string_view today) {
    if (action.status == ActionStatus::gedaan || action.status == ActionStatus::vervallen)
        return false;
    return !action.due.empty() && action.due < today;
}

} // namespace gids
