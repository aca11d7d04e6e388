#pragma once
// The results of one round (ronde) of an instrument, computed from the participants'
// answers: per statement the scores side by side, per theme the mean and spread, the
// choices, counts, texts and actions of every participant, the "wat opvalt" observations
// in plain Dutch, and the trend over earlier rounds.
//
// Everything here is a pure function of its input, so a results page, its print version,
// the XLSX export and the API always agree. Participants appear in the order they are
// given (the caller passes them by position).

#include "domain/answer.hpp"
#include "domain/instrument.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gids {

struct ParticipantAnswers {
    long long participant_id = 0;
    std::string label; // "Armoede", "GGD"
    bool submitted = false;
    std::map<std::string, Answer> answers; // item id -> answer
};

struct ResultsOptions {
    std::map<std::string, int> agreed; // item id -> agreed (consensus) score
    bool include_drafts = false;       // also count participants who have not submitted
};

// One participant in the results, in the order given.
struct ParticipantRef {
    long long participant_id = 0;
    std::string label; // "deelnemer 2" when the round gave no label
};

enum class ScoreState { value, dont_know, unanswered };

struct ParticipantScore {
    long long participant_id = 0;
    std::string label;
    ScoreState state = ScoreState::unanswered;
    std::optional<int> value; // only when state == value
};

struct ScaleItemResult {
    std::string item_id;
    std::string theme; // empty when the item has no theme
    int min = 1;
    int max = 5;
    std::vector<int> counts; // counts[v - min]: how many chose v
    int dont_know = 0;
    int unanswered = 0; // no answer, or an answer this item cannot take
    int n = 0;          // numeric answers
    std::optional<double> mean;
    std::optional<int> spread;       // highest minus lowest numeric answer
    std::optional<double> deviation; // population standard deviation of the numeric answers
    std::vector<ParticipantScore> participants;
    bool differs = false;      // two participants differ by 2 or more points
    std::optional<int> agreed; // the agreed score, when one was recorded within the scale

    int count(int value) const; // 0 outside the scale
};

struct ThemeResult {
    std::string theme_id;
    Text title;
    bool scored = false;        // the theme has scale items; without them it only groups answers
    std::optional<double> mean; // over all numeric scale answers of the theme
    std::optional<int> spread;
    int dont_know = 0;
    int n = 0;
    std::vector<std::string> item_ids; // the theme's answerable items, in instrument order
};

struct OptionResult {
    std::string option_id;
    int count = 0;
    std::vector<std::string> chosen_by; // labels, in participant order
};

struct OtherText {
    std::string option_id;
    std::string label;
    std::string text;
};

// single and multi items
struct ChoiceItemResult {
    std::string item_id;
    std::string theme;
    ItemType type = ItemType::single;
    std::vector<OptionResult> options;  // in the item's option order
    std::vector<OtherText> other_texts; // in participant order
    int answered = 0;
    int unanswered = 0;
};

struct YesNoItemResult {
    std::string item_id;
    std::string theme;
    int yes = 0;
    int no = 0;
    std::vector<std::string> yes_by;
    std::vector<std::string> no_by;
    int unanswered = 0;
};

struct CountValue {
    long long participant_id = 0;
    std::string label;
    std::optional<long> value; // empty: not answered
};

struct CountItemResult {
    std::string item_id;
    std::string theme;
    std::vector<CountValue> values; // every participant, in order
    long long sum = 0;
    int n = 0;
    std::optional<double> mean;
};

struct TextEntry {
    long long participant_id = 0;
    std::string label;
    std::string text;
};

struct TextItemResult {
    std::string item_id;
    std::string theme;
    std::vector<TextEntry> texts; // only non-empty texts
};

struct ActionEntry {
    long long participant_id = 0;
    std::string label;
    ActionRow row;
};

struct ActionGroup {
    std::string theme_id;          // empty: rows without a (known) theme
    std::vector<ActionEntry> rows; // by participant, then in the participant's row order
};

struct ActionsItemResult {
    std::string item_id;
    std::string theme;
    // Non-empty groups in instrument theme order; rows without a theme, or with a theme
    // the instrument does not know, come last.
    std::vector<ActionGroup> groups;
};

enum class ObservationKind { differs, dont_know, lowest, highest, few_participants, rose, fell };

struct Observation {
    ObservationKind kind = ObservationKind::differs;
    std::string subject; // the item id or theme id it is about; empty for few_participants
    std::string text;    // one or two short sentences in plain Dutch
    bool operator==(const Observation&) const = default;
};

struct RoundResults {
    std::vector<ParticipantRef> participants; // the participants that count
    std::vector<ScaleItemResult> scale_items; // all in instrument order
    std::vector<ThemeResult> themes;
    std::vector<ChoiceItemResult> choice_items;
    std::vector<YesNoItemResult> yesno_items;
    std::vector<CountItemResult> count_items;
    std::vector<TextItemResult> text_items;
    std::vector<ActionsItemResult> actions_items;
    std::vector<Observation> observations;

    // nullptr when absent
    const ScaleItemResult* find_scale(std::string_view item_id) const;
    const ThemeResult* find_theme(std::string_view theme_id) const;
    const ChoiceItemResult* find_choice(std::string_view item_id) const;
    const ActionsItemResult* find_actions(std::string_view item_id) const;
};

// An answer whose type does not fit its item, or a scale value outside the scale (an
// answer kept from another version of the instrument), counts as unanswered.
RoundResults compute_results(const Instrument& instrument,
                             const std::vector<ParticipantAnswers>& participants,
                             const ResultsOptions& options = {});

// "Wat opvalt", in this order: (1) statements where participants differ by 2 or more
// points, (2) statements where at least a third of those who answered chose "weet niet",
// (3) the lowest and then the highest theme(s) by mean, when at least two themes have a
// mean and they are not all equal, (4) a note when only one participant answered.
// compute_results fills RoundResults::observations with this.
std::vector<Observation> observe(const Instrument& instrument, const RoundResults& results);

// The ids of the (at most) n themes with the lowest means; themes without a mean are left
// out, ties keep instrument order.
std::vector<std::string> lowest_themes(const RoundResults& results, std::size_t n);

struct TrendRound {
    long long round_id = 0;
    std::string label; // "Voorjaar 2024"
    RoundResults results;
};

struct TrendPoint {
    std::string round_label;
    long long round_id = 0;
    std::map<std::string, std::optional<double>> theme_means; // every theme of that round
};

// One point per round, in the order given (chronological).
std::vector<TrendPoint> trend(const std::vector<TrendRound>& rounds);

// Per theme, in instrument order: how its mean changed between the last two points, when
// it moved by 0.5 or more: "Thema B (Zicht op ...) is gestegen van 2,5 naar 3,4." A theme
// without a mean in either of those rounds is left out.
std::vector<Observation> trend_observations(const Instrument& instrument,
                                            const std::vector<TrendPoint>& points);

// `value` with a Dutch decimal comma and exactly `decimals` (0..9) decimals, rounded half
// away from zero on the decimal value: 2.25 -> "2,3", -2.25 -> "-2,3", 2.0 -> "2,0".
// Binary representation errors do not count, so 1.005 with 2 decimals gives "1,01".
// Not-finite values give "-".
std::string format_decimal(double value, int decimals);

} // namespace gids
