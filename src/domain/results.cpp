#include "domain/results.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <utility>

namespace gids {

namespace {

struct Counted {
    const ParticipantAnswers* answers;
    ParticipantRef ref;
};

std::vector<Counted> counted_participants(const std::vector<ParticipantAnswers>& all,
                                          bool include_drafts) {
    std::vector<Counted> counted;
    for (std::size_t i = 0; i < all.size(); ++i) {
        const ParticipantAnswers& p = all[i];
        if (!p.submitted && !include_drafts) {
            continue;
        }
        // Observations name participants; a missing label must still read as a name.
        std::string label = p.label.empty() ? "deelnemer " + std::to_string(i + 1) : p.label;
        counted.push_back({&p, {p.participant_id, std::move(label)}});
    }
    return counted;
}

// The answer of `p` to the item, when it has the type T; nullptr otherwise.
template <typename T> const T* answer_of(const Counted& p, const std::string& item_id) {
    const auto found = p.answers->answers.find(item_id);
    return found == p.answers->answers.end() ? nullptr : std::get_if<T>(&found->second.value);
}

// A result of type R for `item`, with its id and theme filled in.
template <typename R> R result_for(const Item& item) {
    R result;
    result.item_id = item.id;
    result.theme = item.theme.value_or(std::string{});
    return result;
}

struct Stats {
    int n = 0;
    std::optional<double> mean;
    std::optional<int> spread;
    std::optional<double> deviation;
};

Stats stats_of(const std::vector<int>& values) {
    Stats stats;
    stats.n = static_cast<int>(values.size());
    if (values.empty()) {
        return stats;
    }
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    const double mean =
        std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
    double squares = 0;
    for (const int v : values) {
        squares += (v - mean) * (v - mean);
    }
    stats.mean = mean;
    stats.spread = *high - *low;
    // Population deviation: these participants are the whole group, not a sample of one.
    stats.deviation = std::sqrt(squares / static_cast<double>(values.size()));
    return stats;
}

ScaleItemResult scale_result(const Item& item, const std::vector<Counted>& people,
                             const std::map<std::string, int>& agreed) {
    auto result = result_for<ScaleItemResult>(item);
    result.min = item.scale.min;
    result.max = item.scale.max;
    result.counts.assign(static_cast<std::size_t>(std::max(0, result.max - result.min + 1)), 0);
    std::vector<int> values;
    for (const Counted& p : people) {
        ParticipantScore score{p.ref.participant_id, p.ref.label, ScoreState::unanswered, {}};
        if (const auto* answer = answer_of<ScaleAnswer>(p, item.id)) {
            if (!answer->value) {
                score.state = ScoreState::dont_know;
                ++result.dont_know;
            } else if (item.scale.contains(*answer->value)) {
                score.state = ScoreState::value;
                score.value = answer->value;
                ++result.counts[static_cast<std::size_t>(*answer->value - result.min)];
                values.push_back(*answer->value);
            }
        }
        if (score.state == ScoreState::unanswered) {
            ++result.unanswered;
        }
        result.participants.push_back(std::move(score));
    }
    const Stats stats = stats_of(values);
    result.n = stats.n;
    result.mean = stats.mean;
    result.spread = stats.spread;
    result.deviation = stats.deviation;
    result.differs = stats.spread.value_or(0) >= 2;
    if (const auto found = agreed.find(item.id);
        found != agreed.end() && item.scale.contains(found->second)) {
        result.agreed = found->second;
    }
    return result;
}

ThemeResult theme_result(const Instrument& instrument, const Theme& theme,
                         const std::vector<ScaleItemResult>& scale_items) {
    ThemeResult result;
    result.theme_id = theme.id;
    result.title = theme.title;
    for (const Item* item : instrument.answerable_items()) {
        if (item->theme == theme.id) {
            result.item_ids.push_back(item->id);
        }
    }
    std::vector<int> values;
    for (const ScaleItemResult& item : scale_items) {
        if (item.theme != theme.id) {
            continue;
        }
        result.scored = true;
        result.dont_know += item.dont_know;
        for (const ParticipantScore& score : item.participants) {
            if (score.value) {
                values.push_back(*score.value);
            }
        }
    }
    const Stats stats = stats_of(values);
    result.n = stats.n;
    result.mean = stats.mean;
    result.spread = stats.spread;
    return result;
}

ChoiceItemResult choice_result(const Item& item, const std::vector<Counted>& people) {
    auto result = result_for<ChoiceItemResult>(item);
    result.type = item.type;
    for (const Option& option : item.options) {
        result.options.push_back({option.id, 0, {}});
    }
    for (const Counted& p : people) {
        bool answered = false;
        for (std::size_t i = 0; i < item.options.size(); ++i) {
            const Option& option = item.options[i];
            std::string other;
            bool chosen = false;
            if (item.type == ItemType::single) {
                const auto* answer = answer_of<SingleAnswer>(p, item.id);
                chosen = answer != nullptr && answer->option == option.id;
                other = chosen ? answer->other : std::string{};
            } else if (const auto* answer = answer_of<MultiAnswer>(p, item.id)) {
                chosen = answer->options.contains(option.id);
                const auto text = answer->other.find(option.id);
                other = chosen && text != answer->other.end() ? text->second : std::string{};
            }
            if (!chosen) {
                continue;
            }
            answered = true;
            ++result.options[i].count;
            result.options[i].chosen_by.push_back(p.ref.label);
            if (option.other && !other.empty()) {
                result.other_texts.push_back({option.id, p.ref.label, std::move(other)});
            }
        }
        ++(answered ? result.answered : result.unanswered);
    }
    return result;
}

YesNoItemResult yesno_result(const Item& item, const std::vector<Counted>& people) {
    auto result = result_for<YesNoItemResult>(item);
    for (const Counted& p : people) {
        if (const auto* answer = answer_of<YesNoAnswer>(p, item.id)) {
            ++(answer->yes ? result.yes : result.no);
            (answer->yes ? result.yes_by : result.no_by).push_back(p.ref.label);
        } else {
            ++result.unanswered;
        }
    }
    return result;
}

CountItemResult count_result(const Item& item, const std::vector<Counted>& people) {
    auto result = result_for<CountItemResult>(item);
    for (const Counted& p : people) {
        CountValue value{p.ref.participant_id, p.ref.label, std::nullopt};
        if (const auto* answer = answer_of<CountAnswer>(p, item.id)) {
            value.value = answer->value;
            result.sum += answer->value;
            ++result.n;
        }
        result.values.push_back(std::move(value));
    }
    if (result.n > 0) {
        result.mean = static_cast<double>(result.sum) / result.n;
    }
    return result;
}

bool is_blank(const std::string& text) {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

TextItemResult text_result(const Item& item, const std::vector<Counted>& people) {
    auto result = result_for<TextItemResult>(item);
    for (const Counted& p : people) {
        const auto* answer = answer_of<TextAnswer>(p, item.id);
        if (answer != nullptr && !is_blank(answer->text)) {
            result.texts.push_back({p.ref.participant_id, p.ref.label, answer->text});
        }
    }
    return result;
}

ActionsItemResult actions_result(const Instrument& instrument, const Item& item,
                                 const std::vector<Counted>& people) {
    auto result = result_for<ActionsItemResult>(item);
    std::vector<ActionGroup> groups;
    for (const Theme& theme : instrument.themes) {
        groups.push_back({theme.id, {}});
    }
    groups.push_back({std::string{}, {}});
    for (const Counted& p : people) {
        const auto* answer = answer_of<ActionsAnswer>(p, item.id);
        if (answer == nullptr) {
            continue;
        }
        for (const ActionRow& row : answer->rows) {
            auto group = std::find_if(groups.begin(), groups.end() - 1, [&](const ActionGroup& g) {
                return g.theme_id == row.theme;
            });
            group->rows.push_back({p.ref.participant_id, p.ref.label, row});
        }
    }
    std::erase_if(groups, [](const ActionGroup& g) { return g.rows.empty(); });
    result.groups = std::move(groups);
    return result;
}

template <typename T> const T* find_by_item(const std::vector<T>& all, std::string_view id) {
    const auto found =
        std::find_if(all.begin(), all.end(), [&](const T& r) { return r.item_id == id; });
    return found == all.end() ? nullptr : &*found;
}

} // namespace

int ScaleItemResult::count(int value) const {
    const auto index = static_cast<std::size_t>(value - min);
    return value < min || index >= counts.size() ? 0 : counts[index];
}

const ScaleItemResult* RoundResults::find_scale(std::string_view item_id) const {
    return find_by_item(scale_items, item_id);
}

const ChoiceItemResult* RoundResults::find_choice(std::string_view item_id) const {
    return find_by_item(choice_items, item_id);
}

const ActionsItemResult* RoundResults::find_actions(std::string_view item_id) const {
    return find_by_item(actions_items, item_id);
}

const ThemeResult* RoundResults::find_theme(std::string_view theme_id) const {
    const auto found = std::find_if(themes.begin(), themes.end(),
                                    [&](const ThemeResult& t) { return t.theme_id == theme_id; });
    return found == themes.end() ? nullptr : &*found;
}

RoundResults compute_results(const Instrument& instrument,
                             const std::vector<ParticipantAnswers>& participants,
                             const ResultsOptions& options) {
    const std::vector<Counted> people = counted_participants(participants, options.include_drafts);
    RoundResults results;
    for (const Counted& p : people) {
        results.participants.push_back(p.ref);
    }
    for (const Item* item : instrument.answerable_items()) {
        switch (item->type) {
        case ItemType::scale:
            results.scale_items.push_back(scale_result(*item, people, options.agreed));
            break;
        case ItemType::single:
        case ItemType::multi:
            results.choice_items.push_back(choice_result(*item, people));
            break;
        case ItemType::yesno:
            results.yesno_items.push_back(yesno_result(*item, people));
            break;
        case ItemType::count:
            results.count_items.push_back(count_result(*item, people));
            break;
        case ItemType::text:
            results.text_items.push_back(text_result(*item, people));
            break;
        case ItemType::actions:
            results.actions_items.push_back(actions_result(instrument, *item, people));
            break;
        case ItemType::guidance:
            break;
        }
    }
    for (const Theme& theme : instrument.themes) {
        results.themes.push_back(theme_result(instrument, theme, results.scale_items));
    }
    results.observations = observe(instrument, results);
    return results;
}

} // namespace gids
