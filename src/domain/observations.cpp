// "Wat opvalt": the observations written under the results of a round and on the trend
// page, in plain Dutch (B1: short sentences, no jargon), and the Dutch decimal comma
// they use.

#include "domain/results.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace gids {

namespace {

// A mean moved when it changed by 0.5; the tolerance absorbs binary rounding of
// means such as 3.4 - 2.9.
constexpr double trend_threshold = 0.5 - 1e-9;

std::string join_labels(const std::vector<std::string>& labels) {
    std::string joined;
    for (const std::string& label : labels) {
        joined += joined.empty() ? label : ", " + label;
    }
    return joined;
}

std::string theme_name(const Theme& theme) {
    return "thema " + theme.id + " (" + theme.title.nl + ")";
}

std::string capitalised(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') {
        text[0] = static_cast<char>(text[0] - 'a' + 'A');
    }
    return text;
}

// How a sentence names a scale item: "stelling A" after its number "A."; an item without
// a number is named after its theme, and else after its own text.
std::string statement_name(const Instrument& instrument, const ScaleItemResult& result) {
    const Item* item = instrument.find_item(result.item_id);
    std::string number = item != nullptr ? item->number : std::string{};
    while (!number.empty() && (number.back() == '.' || number.back() == ':' ||
                               number.back() == ')' || number.back() == ' ')) {
        number.pop_back();
    }
    if (!number.empty()) {
        return "stelling " + number;
    }
    if (const Theme* theme = instrument.find_theme(result.theme)) {
        return theme_name(*theme);
    }
    return item != nullptr ? "de vraag '" + item->text.nl + "'" : "vraag " + result.item_id;
}

std::vector<std::string> labels_with(const ScaleItemResult& result, int value) {
    std::vector<std::string> labels;
    for (const ParticipantScore& score : result.participants) {
        if (score.value == value) {
            labels.push_back(score.label);
        }
    }
    return labels;
}

std::optional<Observation> differs_observation(const Instrument& instrument,
                                               const ScaleItemResult& result) {
    if (!result.differs) {
        return std::nullopt;
    }
    int low = result.max;
    int high = result.min;
    for (const ParticipantScore& score : result.participants) {
        if (score.value) {
            low = std::min(low, *score.value);
            high = std::max(high, *score.value);
        }
    }
    return Observation{ObservationKind::differs, result.item_id,
                       "Bij " + statement_name(instrument, result) +
                           " lopen de scores uiteen: van " + std::to_string(low) + " (" +
                           join_labels(labels_with(result, low)) + ") tot " + std::to_string(high) +
                           " (" + join_labels(labels_with(result, high)) +
                           "). Bespreek waar dat verschil vandaan komt."};
}

std::optional<Observation> dont_know_observation(const Instrument& instrument,
                                                 const ScaleItemResult& result) {
    const int answering = result.n + result.dont_know;
    if (result.dont_know == 0 || 3 * result.dont_know < answering) {
        return std::nullopt;
    }
    const std::string who = answering == 1 ? "de enige deelnemer"
                                           : std::to_string(result.dont_know) + " van de " +
                                                 std::to_string(answering) + " deelnemers";
    return Observation{ObservationKind::dont_know, result.item_id,
                       "Bij " + statement_name(instrument, result) + " weet " + who +
                           " het niet. Misschien ontbreekt informatie."};
}

// The themes with the lowest (or highest) mean: "Het laagst scoort thema D (...)", and
// for a tie "Ook thema B (...) scoort het laagst".
void add_extreme_themes(const Instrument& instrument, const RoundResults& results, bool lowest,
                        std::vector<Observation>& out) {
    std::vector<const ThemeResult*> with_mean;
    for (const ThemeResult& theme : results.themes) {
        if (theme.mean) {
            with_mean.push_back(&theme);
        }
    }
    const auto by_mean = [](const ThemeResult* a, const ThemeResult* b) {
        return *a->mean < *b->mean;
    };
    const auto [low, high] = std::minmax_element(with_mean.begin(), with_mean.end(), by_mean);
    if (with_mean.size() < 2 || *(*low)->mean == *(*high)->mean) {
        return; // nothing stands out when there is one theme or all score the same
    }
    const double extreme = *(lowest ? *low : *high)->mean;
    const std::string word = lowest ? "laagst" : "hoogst";
    bool first = true;
    for (const ThemeResult* theme : with_mean) {
        const Theme* definition = instrument.find_theme(theme->theme_id);
        if (*theme->mean != extreme || definition == nullptr) {
            continue;
        }
        const std::string name = theme_name(*definition);
        const std::string mean = "gemiddeld " + format_decimal(extreme, 1) + ".";
        out.push_back({lowest ? ObservationKind::lowest : ObservationKind::highest, theme->theme_id,
                       first ? "Het " + word + " scoort " + name + ": " + mean
                             : "Ook " + name + " scoort het " + word + ": " + mean});
        first = false;
    }
}

std::optional<Observation> few_participants_observation(const RoundResults& results) {
    std::vector<std::string> answered; // labels of participants who gave any score
    for (const ParticipantRef& p : results.participants) {
        for (const ScaleItemResult& item : results.scale_items) {
            const auto score = std::find_if(
                item.participants.begin(), item.participants.end(),
                [&](const ParticipantScore& s) { return s.participant_id == p.participant_id; });
            if (score != item.participants.end() && score->state != ScoreState::unanswered) {
                answered.push_back(p.label);
                break;
            }
        }
    }
    if (answered.size() != 1) {
        return std::nullopt;
    }
    return Observation{ObservationKind::few_participants,
                       {},
                       "Alleen " + answered.front() +
                           " heeft scores ingevuld. Om scores te vergelijken zijn meer "
                           "deelnemers nodig."};
}

} // namespace

std::vector<Observation> observe(const Instrument& instrument, const RoundResults& results) {
    std::vector<Observation> out;
    for (const ScaleItemResult& item : results.scale_items) {
        if (auto observation = differs_observation(instrument, item)) {
            out.push_back(std::move(*observation));
        }
    }
    for (const ScaleItemResult& item : results.scale_items) {
        if (auto observation = dont_know_observation(instrument, item)) {
            out.push_back(std::move(*observation));
        }
    }
    add_extreme_themes(instrument, results, true, out);
    add_extreme_themes(instrument, results, false, out);
    if (auto observation = few_participants_observation(results)) {
        out.push_back(std::move(*observation));
    }
    return out;
}

std::vector<std::string> lowest_themes(const RoundResults& results, std::size_t n) {
    std::vector<const ThemeResult*> ranked;
    for (const ThemeResult& theme : results.themes) {
        if (theme.mean) {
            ranked.push_back(&theme);
        }
    }
    std::stable_sort(ranked.begin(), ranked.end(), [](const ThemeResult* a, const ThemeResult* b) {
        return *a->mean < *b->mean;
    });
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < ranked.size() && i < n; ++i) {
        ids.push_back(ranked[i]->theme_id);
    }
    return ids;
}

std::vector<TrendPoint> trend(const std::vector<TrendRound>& rounds) {
    std::vector<TrendPoint> points;
    for (const TrendRound& round : rounds) {
        TrendPoint point{round.label, round.round_id, {}};
        for (const ThemeResult& theme : round.results.themes) {
            point.theme_means[theme.theme_id] = theme.mean;
        }
        points.push_back(std::move(point));
    }
    return points;
}

std::vector<Observation> trend_observations(const Instrument& instrument,
                                            const std::vector<TrendPoint>& points) {
    std::vector<Observation> out;
    if (points.size() < 2) {
        return out;
    }
    const TrendPoint& before = points[points.size() - 2];
    const TrendPoint& after = points.back();
    for (const Theme& theme : instrument.themes) {
        const auto from = before.theme_means.find(theme.id);
        const auto to = after.theme_means.find(theme.id);
        if (from == before.theme_means.end() || to == after.theme_means.end() || !from->second ||
            !to->second) {
            continue;
        }
        const double change = *to->second - *from->second;
        if (std::abs(change) < trend_threshold) {
            continue;
        }
        const bool rose = change > 0;
        out.push_back({rose ? ObservationKind::rose : ObservationKind::fell, theme.id,
                       capitalised(theme_name(theme)) + " is " + (rose ? "gestegen" : "gedaald") +
                           " van " + format_decimal(*from->second, 1) + " naar " +
                           format_decimal(*to->second, 1) + "."});
    }
    return out;
}

std::string format_decimal(double value, int decimals) {
    if (!std::isfinite(value)) {
        return "-";
    }
    decimals = std::clamp(decimals, 0, 9);
    double scale = 1;
    for (int i = 0; i < decimals; ++i) {
        scale *= 10;
    }
    // Half away from zero on the magnitude; the nudge makes a value such as 1.005, stored
    // as 1.00499999999999989..., round the way it is written.
    const double magnitude = std::abs(value) * scale;
    const double rounded = std::floor(magnitude + 0.5 + 1e-12 * std::max(1.0, magnitude));
    char buffer[400];
    const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, rounded / scale,
                                            std::chars_format::fixed, decimals);
    if (error != std::errc{}) {
        return "-";
    }
    std::string text(buffer, end);
    std::replace(text.begin(), text.end(), '.', ',');
    return value < 0 && rounded > 0 ? "-" + text : text;
}

} // namespace gids
