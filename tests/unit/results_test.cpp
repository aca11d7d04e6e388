// The results of a round: scores side by side, theme means, choices, actions, the
// "wat opvalt" observations in plain Dutch and the trend over rounds. The instrument is
// built by hand so these tests do not depend on the loader or on files.

#include "domain/results.hpp"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>
#include <string>
#include <vector>

namespace {

using gids::Answer;
using gids::ItemType;
using gids::Observation;
using gids::ObservationKind;
using gids::ParticipantAnswers;
using gids::ScoreState;

gids::Item make_item(std::string id, ItemType type, std::string theme, std::string number = {}) {
    gids::Item item;
    item.id = std::move(id);
    item.type = type;
    item.text = {"Tekst van " + item.id, {}};
    item.number = std::move(number);
    if (!theme.empty()) {
        item.theme = std::move(theme);
    }
    return item;
}

gids::Item scale_item(std::string id, std::string theme, std::string number) {
    gids::Item item =
        make_item(std::move(id), ItemType::scale, std::move(theme), std::move(number));
    item.scale_name = "eens";
    item.scale = {"eens", 1, 5, {{"1", {}}, {"2", {}}, {"3", {}}, {"4", {}}, {"5", {}}}, {}};
    item.scale.dont_know = gids::Text{"weet niet", {}};
    return item;
}

gids::Option option(std::string id, bool other = false) {
    return {std::move(id), {"Optie", {}}, other, false, std::nullopt, false};
}

// Three themes with a statement each (step 1), a multi and a single choice, a yes/no, a
// count (step 2) and an action agenda (step 3).
gids::Instrument make_instrument() {
    gids::Instrument instrument;
    instrument.id = "test";
    instrument.themes = {{"A", {"Visie op armoede, schulden en gezondheid", {}}, {}},
                         {"B", {"Zicht op de lokale problematiek en kansen", {}}, {}},
                         {"C", {"Gecombineerd beleid", {}}, {}}};
    gids::Step step1{"stap-1", {"Stap 1", {}}, {}, {}, {}, false};
    step1.items = {scale_item("stelling-a", "A", "A."), scale_item("stelling-b", "B", "B."),
                   scale_item("stelling-c", "C", "C."), make_item({}, ItemType::guidance, {}),
                   make_item("wat-opvalt", ItemType::text, {})};
    gids::Step step2{"stap-2", {"Stap 2", {}}, {}, {}, {}, false};
    gids::Item multi = make_item("vraag-1", ItemType::multi, "A", "1.");
    multi.options = {option("veel"), option("brede"), option("anders", true)};
    gids::Item single = make_item("vraag-2", ItemType::single, "B", "2.");
    single.options = {option("ja"), option("nee"), option("anders", true)};
    step2.items = {multi, single, make_item("vraag-3", ItemType::yesno, "C", "3."),
                   make_item("vraag-4", ItemType::count, "C", "4.")};
    gids::Step step3{"stap-3", {"Stap 3", {}}, {}, {}, {}, false};
    gids::Item actions = make_item("acties", ItemType::actions, {});
    actions.columns = {gids::ActionColumn::theme, gids::ActionColumn::action,
                       gids::ActionColumn::who};
    step3.items = {actions};
    instrument.steps = {step1, step2, step3};
    return instrument;
}

Answer score(int value) {
    return Answer{gids::ScaleAnswer{value}};
}
Answer dont_know() {
    return Answer{gids::ScaleAnswer{std::nullopt}};
}

ParticipantAnswers participant(long long id, std::string label,
                               std::map<std::string, Answer> answers, bool submitted = true) {
    return {id, std::move(label), submitted, std::move(answers)};
}

// A: 2, 4, 4 (differ by 2); B: 3, 4, - (differ by 1); C: weet niet, weet niet, 3.
std::vector<ParticipantAnswers> three_participants() {
    return {participant(
                1, "Armoede",
                {{"stelling-a", score(2)}, {"stelling-b", score(3)}, {"stelling-c", dont_know()}}),
            participant(
                2, "GGD",
                {{"stelling-a", score(4)}, {"stelling-b", score(4)}, {"stelling-c", dont_know()}}),
            participant(3, "Welzijn", {{"stelling-a", score(4)}, {"stelling-c", score(3)}})};
}

// Only the scores of stelling-a, b and c, in that order: 0 is "weet niet", a value
// outside 1..5 counts as unanswered.
std::vector<ParticipantAnswers> scores(const std::vector<std::vector<int>>& per_participant) {
    std::vector<ParticipantAnswers> all;
    const std::vector<std::string> items{"stelling-a", "stelling-b", "stelling-c"};
    for (std::size_t p = 0; p < per_participant.size(); ++p) {
        std::map<std::string, Answer> answers;
        for (std::size_t i = 0; i < per_participant[p].size(); ++i) {
            const int value = per_participant[p][i];
            answers[items[i]] = value == 0 ? dont_know() : score(value);
        }
        all.push_back(participant(static_cast<long long>(p + 1), "P" + std::to_string(p + 1),
                                  std::move(answers)));
    }
    return all;
}

std::vector<std::string> texts(const std::vector<Observation>& observations) {
    std::vector<std::string> out;
    for (const Observation& o : observations) {
        out.push_back(o.text);
    }
    return out;
}

using Labels = std::vector<std::string>;

TEST(ResultsTest, ComputesMeanSpreadAndDeviationPerStatement) {
    const auto results = gids::compute_results(make_instrument(), three_participants());
    const auto* a = results.find_scale("stelling-a");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->theme, "A");
    EXPECT_EQ(a->n, 3);
    EXPECT_DOUBLE_EQ(a->mean.value(), 10.0 / 3.0);
    EXPECT_EQ(a->spread, 2);
    EXPECT_NEAR(a->deviation.value(), std::sqrt(8.0 / 9.0), 1e-12); // population deviation
    EXPECT_EQ(a->counts, (std::vector<int>{0, 1, 0, 2, 0}));
    EXPECT_EQ(a->count(4), 2);
    EXPECT_EQ(a->count(9), 0);
}

TEST(ResultsTest, CountsDontKnowAndUnansweredApart) {
    const auto results = gids::compute_results(make_instrument(), three_participants());
    const auto* b = results.find_scale("stelling-b");
    const auto* c = results.find_scale("stelling-c");
    EXPECT_EQ(b->dont_know, 0);
    EXPECT_EQ(b->unanswered, 1);
    EXPECT_EQ(b->n, 2);
    EXPECT_DOUBLE_EQ(b->mean.value(), 3.5);
    EXPECT_EQ(c->dont_know, 2);
    EXPECT_EQ(c->unanswered, 0);
    EXPECT_EQ(c->n, 1);
    EXPECT_EQ(c->spread, 0);
    EXPECT_DOUBLE_EQ(c->deviation.value(), 0.0);
}

TEST(ResultsTest, ShowsEachParticipantsScoreInParticipantOrder) {
    const auto results = gids::compute_results(make_instrument(), three_participants());
    const auto& b = results.find_scale("stelling-b")->participants;
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0].participant_id, 1);
    EXPECT_EQ(b[0].label, "Armoede");
    EXPECT_EQ(b[0].state, ScoreState::value);
    EXPECT_EQ(b[0].value, 3);
    EXPECT_EQ(b[2].label, "Welzijn");
    EXPECT_EQ(b[2].state, ScoreState::unanswered);
    EXPECT_EQ(b[2].value, std::nullopt);
    const auto& c = results.find_scale("stelling-c")->participants;
    EXPECT_EQ(c[0].state, ScoreState::dont_know);
    EXPECT_EQ(c[0].value, std::nullopt);
}

TEST(ResultsTest, FlagsStatementsWhereParticipantsDifferByTwo) {
    // stelling-a: 3 and 5 (exactly 2 apart); stelling-b: 3 and 4 (1 apart).
    const auto results = gids::compute_results(make_instrument(), scores({{3, 3}, {5, 4}}));
    EXPECT_TRUE(results.find_scale("stelling-a")->differs);
    EXPECT_FALSE(results.find_scale("stelling-b")->differs);
}

TEST(ResultsTest, StatementWithOnlyDontKnowHasNoMean) {
    const auto results = gids::compute_results(make_instrument(), scores({{0}, {0}}));
    const auto* a = results.find_scale("stelling-a");
    EXPECT_EQ(a->n, 0);
    EXPECT_EQ(a->dont_know, 2);
    EXPECT_EQ(a->mean, std::nullopt);
    EXPECT_EQ(a->spread, std::nullopt);
    EXPECT_EQ(a->deviation, std::nullopt);
    EXPECT_FALSE(a->differs);
    EXPECT_EQ(results.find_theme("A")->mean, std::nullopt);
    EXPECT_EQ(results.find_theme("A")->dont_know, 2);
}

TEST(ResultsTest, CountsAnswersThatDoNotFitTheItemAsUnanswered) {
    const std::vector<ParticipantAnswers> people{
        participant(1, "Armoede", {{"stelling-a", score(9)}}),
        participant(2, "GGD", {{"stelling-a", Answer{gids::TextAnswer{"vier"}}}})};
    const auto results = gids::compute_results(make_instrument(), people);
    const auto* a = results.find_scale("stelling-a");
    EXPECT_EQ(a->unanswered, 2);
    EXPECT_EQ(a->n, 0);
}

TEST(ResultsTest, LeavesOutDraftsUnlessAskedToIncludeThem) {
    auto people = three_participants();
    people.push_back(participant(4, "Zorg", {{"stelling-a", score(1)}}, false));

    const auto submitted = gids::compute_results(make_instrument(), people);
    EXPECT_EQ(submitted.participants.size(), 3u);
    EXPECT_EQ(submitted.find_scale("stelling-a")->n, 3);
    EXPECT_EQ(submitted.find_scale("stelling-a")->participants.size(), 3u);

    const auto with_drafts = gids::compute_results(make_instrument(), people, {{}, true});
    ASSERT_EQ(with_drafts.participants.size(), 4u);
    EXPECT_EQ(with_drafts.participants[3].label, "Zorg");
    EXPECT_EQ(with_drafts.find_scale("stelling-a")->n, 4);
    EXPECT_EQ(with_drafts.find_scale("stelling-a")->spread, 3);
}

TEST(ResultsTest, NamesAParticipantWithoutLabelByPosition) {
    const std::vector<ParticipantAnswers> people{participant(7, "", {{"stelling-a", score(2)}})};
    const auto results = gids::compute_results(make_instrument(), people);
    EXPECT_EQ(results.participants.at(0).label, "deelnemer 1");
}

TEST(ResultsTest, CarriesAgreedScoresThrough) {
    const gids::ResultsOptions options{{{"stelling-a", 3}, {"stelling-b", 7}, {"onbekend", 2}},
                                       false};
    const auto results = gids::compute_results(make_instrument(), three_participants(), options);
    EXPECT_EQ(results.find_scale("stelling-a")->agreed, 3);
    EXPECT_EQ(results.find_scale("stelling-b")->agreed, std::nullopt); // outside the scale
    EXPECT_EQ(results.find_scale("stelling-c")->agreed, std::nullopt);
}

TEST(ResultsTest, ComputesThemesInInstrumentOrderOverAllTheirScores) {
    auto instrument = make_instrument();
    instrument.themes.push_back({"D", {"Draagvlak en randvoorwaarden", {}}, {}});
    instrument.steps[1].items.push_back(make_item("notitie-d", ItemType::text, "D"));
    const auto results = gids::compute_results(instrument, three_participants());
    ASSERT_EQ(results.themes.size(), 4u);
    EXPECT_EQ(results.themes[0].theme_id, "A");
    EXPECT_EQ(results.themes[0].title.nl, "Visie op armoede, schulden en gezondheid");
    EXPECT_TRUE(results.themes[0].scored);
    EXPECT_EQ(results.themes[0].n, 3);
    EXPECT_EQ(results.themes[0].spread, 2);
    EXPECT_EQ(results.themes[0].item_ids, (Labels{"stelling-a", "vraag-1"}));
    EXPECT_EQ(results.themes[2].dont_know, 2);
    EXPECT_DOUBLE_EQ(results.themes[2].mean.value(), 3.0);
    const auto& d = results.themes[3];
    EXPECT_EQ(d.theme_id, "D");
    EXPECT_FALSE(d.scored);
    EXPECT_EQ(d.mean, std::nullopt);
    EXPECT_EQ(d.item_ids, (Labels{"notitie-d"}));
    EXPECT_EQ(gids::lowest_themes(results, 4), (Labels{"C", "A", "B"}));
}

TEST(ResultsTest, CountsOptionsWithWhoChoseThemAndTheOtherTexts) {
    const std::vector<ParticipantAnswers> people{
        participant(1, "Armoede",
                    {{"vraag-1", Answer{gids::MultiAnswer{{"veel", "anders"},
                                                          {{"anders", "Wettelijke taak"}}}}},
                     {"vraag-2", Answer{gids::SingleAnswer{"anders", "Weet ik nog niet"}}}}),
        participant(2, "GGD", {{"vraag-1", Answer{gids::MultiAnswer{{"veel", "brede"}, {}}}}}),
        participant(3, "Welzijn", {{"vraag-2", Answer{gids::SingleAnswer{"ja", {}}}}})};
    const auto results = gids::compute_results(make_instrument(), people);

    const auto* multi = results.find_choice("vraag-1");
    ASSERT_NE(multi, nullptr);
    EXPECT_EQ(multi->type, ItemType::multi);
    ASSERT_EQ(multi->options.size(), 3u);
    EXPECT_EQ(multi->options[0].option_id, "veel");
    EXPECT_EQ(multi->options[0].count, 2);
    EXPECT_EQ(multi->options[0].chosen_by, (Labels{"Armoede", "GGD"}));
    EXPECT_EQ(multi->options[1].chosen_by, (Labels{"GGD"}));
    EXPECT_EQ(multi->options[2].count, 1);
    ASSERT_EQ(multi->other_texts.size(), 1u);
    EXPECT_EQ(multi->other_texts[0].option_id, "anders");
    EXPECT_EQ(multi->other_texts[0].label, "Armoede");
    EXPECT_EQ(multi->other_texts[0].text, "Wettelijke taak");
    EXPECT_EQ(multi->answered, 2);
    EXPECT_EQ(multi->unanswered, 1);

    const auto* single = results.find_choice("vraag-2");
    EXPECT_EQ(single->options[0].chosen_by, (Labels{"Welzijn"}));
    EXPECT_EQ(single->options[1].count, 0);
    EXPECT_EQ(single->options[2].chosen_by, (Labels{"Armoede"}));
    ASSERT_EQ(single->other_texts.size(), 1u);
    EXPECT_EQ(single->other_texts[0].text, "Weet ik nog niet");
}

TEST(ResultsTest, CountsYesAndNoWithWhoAnswered) {
    const std::vector<ParticipantAnswers> people{
        participant(1, "Armoede", {{"vraag-3", Answer{gids::YesNoAnswer{true}}}}),
        participant(2, "GGD", {{"vraag-3", Answer{gids::YesNoAnswer{false}}}}),
        participant(3, "Welzijn", {{"vraag-3", Answer{gids::YesNoAnswer{true}}}}),
        participant(4, "Zorg", {})};
    const auto results = gids::compute_results(make_instrument(), people);
    const auto& yesno = results.yesno_items.at(0);
    EXPECT_EQ(yesno.yes, 2);
    EXPECT_EQ(yesno.no, 1);
    EXPECT_EQ(yesno.yes_by, (Labels{"Armoede", "Welzijn"}));
    EXPECT_EQ(yesno.no_by, (Labels{"GGD"}));
    EXPECT_EQ(yesno.unanswered, 1);
}

TEST(ResultsTest, ListsCountsPerParticipantWithSumAndMean) {
    const std::vector<ParticipantAnswers> people{
        participant(1, "Armoede", {{"vraag-4", Answer{gids::CountAnswer{12}}}}),
        participant(2, "GGD", {}),
        participant(3, "Welzijn", {{"vraag-4", Answer{gids::CountAnswer{3}}}})};
    const auto results = gids::compute_results(make_instrument(), people);
    const auto& count = results.count_items.at(0);
    ASSERT_EQ(count.values.size(), 3u);
    EXPECT_EQ(count.values[0].value, 12);
    EXPECT_EQ(count.values[1].label, "GGD");
    EXPECT_EQ(count.values[1].value, std::nullopt);
    EXPECT_EQ(count.sum, 15);
    EXPECT_EQ(count.n, 2);
    EXPECT_DOUBLE_EQ(count.mean.value(), 7.5);
}

TEST(ResultsTest, KeepsEveryNonEmptyTextWithItsLabel) {
    const std::vector<ParticipantAnswers> people{
        participant(1, "Armoede", {{"wat-opvalt", Answer{gids::TextAnswer{"Veel verschil."}}}}),
        participant(2, "GGD", {{"wat-opvalt", Answer{gids::TextAnswer{" \n"}}}}),
        participant(3, "Welzijn", {})};
    const auto results = gids::compute_results(make_instrument(), people);
    const auto& text = results.text_items.at(0);
    ASSERT_EQ(text.texts.size(), 1u);
    EXPECT_EQ(text.texts[0].label, "Armoede");
    EXPECT_EQ(text.texts[0].text, "Veel verschil.");
}

TEST(ResultsTest, MergesActionRowsPerThemeInInstrumentOrder) {
    const auto actions = [](std::vector<gids::ActionRow> rows) {
        return Answer{gids::ActionsAnswer{std::move(rows)}};
    };
    const std::vector<ParticipantAnswers> people{
        participant(1, "Armoede",
                    {{"acties", actions({{"C", "Beleid koppelen", "Anna", {}, {}},
                                         {"", "Wethouder informeren", "Anna", {}, {}}})}}),
        participant(2, "GGD",
                    {{"acties", actions({{"A", "Visie schrijven", "Bas", {}, {}},
                                         {"C", "Doelen stellen", "Bas", {}, {}},
                                         {"X", "Onbekend thema", "Bas", {}, {}}})}})};
    const auto results = gids::compute_results(make_instrument(), people);
    const auto* result = results.find_actions("acties");
    ASSERT_NE(result, nullptr);
    ASSERT_EQ(result->groups.size(), 3u); // A, C and the rest; B has no rows
    EXPECT_EQ(result->groups[0].theme_id, "A");
    EXPECT_EQ(result->groups[0].rows.at(0).label, "GGD");
    EXPECT_EQ(result->groups[1].theme_id, "C");
    ASSERT_EQ(result->groups[1].rows.size(), 2u);
    EXPECT_EQ(result->groups[1].rows[0].row.action, "Beleid koppelen");
    EXPECT_EQ(result->groups[1].rows[0].label, "Armoede");
    EXPECT_EQ(result->groups[1].rows[1].row.action, "Doelen stellen");
    EXPECT_EQ(result->groups[2].theme_id, "");
    ASSERT_EQ(result->groups[2].rows.size(), 2u);
    EXPECT_EQ(result->groups[2].rows[0].row.action, "Wethouder informeren");
    EXPECT_EQ(result->groups[2].rows[1].row.theme, "X");
}

TEST(ResultsTest, WritesTheObservationsInAFixedOrder) {
    const auto results = gids::compute_results(make_instrument(), three_participants());
    EXPECT_EQ(texts(results.observations),
              (Labels{"Bij stelling A lopen de scores uiteen: van 2 (Armoede) tot 4 (GGD, "
                      "Welzijn). Bespreek waar dat verschil vandaan komt.",
                      "Bij stelling C weet 2 van de 3 deelnemers het niet. Misschien ontbreekt "
                      "informatie.",
                      "Het laagst scoort thema C (Gecombineerd beleid): gemiddeld 3,0.",
                      "Het hoogst scoort thema B (Zicht op de lokale problematiek en kansen): "
                      "gemiddeld 3,5."}));
    ASSERT_EQ(results.observations.size(), 4u);
    EXPECT_EQ(results.observations[0].kind, ObservationKind::differs);
    EXPECT_EQ(results.observations[0].subject, "stelling-a");
    EXPECT_EQ(results.observations[1].kind, ObservationKind::dont_know);
    EXPECT_EQ(results.observations[1].subject, "stelling-c");
    EXPECT_EQ(results.observations[2].kind, ObservationKind::lowest);
    EXPECT_EQ(results.observations[2].subject, "C");
    EXPECT_EQ(results.observations[3].kind, ObservationKind::highest);
    EXPECT_EQ(results.observations[3].subject, "B");
}

TEST(ResultsTest, NotesDontKnowFromAThirdOfThoseWhoAnswered) {
    // stelling-a: 2 of 6 weet niet (a third); stelling-b: 1 of 4 (less); c: 3 of 6.
    const auto results = gids::compute_results(
        make_instrument(),
        scores({{0, 0, 0}, {0, 3, 0}, {3, 3, 0}, {3, 3, 3}, {3, -1, 3}, {3, -1, 3}}));
    std::vector<Observation> dont_know;
    for (const Observation& o : results.observations) {
        if (o.kind == ObservationKind::dont_know) {
            dont_know.push_back(o);
        }
    }
    EXPECT_EQ(texts(dont_know),
              (Labels{"Bij stelling A weet 2 van de 6 deelnemers het niet. Misschien ontbreekt "
                      "informatie.",
                      "Bij stelling C weet 3 van de 6 deelnemers het niet. Misschien ontbreekt "
                      "informatie."}));
}

TEST(ResultsTest, NamesEveryThemeThatTiesForLowest) {
    const auto results = gids::compute_results(make_instrument(), scores({{3, 2, 2}, {3, 2, 2}}));
    EXPECT_EQ(texts(results.observations),
              (Labels{"Het laagst scoort thema B (Zicht op de lokale problematiek en kansen): "
                      "gemiddeld 2,0.",
                      "Ook thema C (Gecombineerd beleid) scoort het laagst: gemiddeld 2,0.",
                      "Het hoogst scoort thema A (Visie op armoede, schulden en gezondheid): "
                      "gemiddeld 3,0."}));
    EXPECT_EQ(results.observations[1].kind, ObservationKind::lowest);
    EXPECT_EQ(results.observations[1].subject, "C");
}

TEST(ResultsTest, NamesNoLowestOrHighestWhenAllThemesScoreTheSame) {
    const auto results = gids::compute_results(make_instrument(), scores({{3, 3, 3}, {3, 3, 3}}));
    EXPECT_TRUE(results.observations.empty());
}

TEST(ResultsTest, NotesThatComparingNeedsMoreThanOneParticipant) {
    auto people = three_participants();
    people.resize(1);
    people.push_back(participant(2, "GGD", {})); // took part, gave no scores
    const auto results = gids::compute_results(make_instrument(), people);
    ASSERT_FALSE(results.observations.empty());
    EXPECT_EQ(results.observations.back(),
              (Observation{ObservationKind::few_participants, "",
                           "Alleen Armoede heeft scores ingevuld. Om scores te vergelijken zijn "
                           "meer deelnemers nodig."}));
    EXPECT_EQ(results.observations.front().text,
              "Bij stelling C weet de enige deelnemer het niet. Misschien ontbreekt informatie.");
}

TEST(ResultsTest, NamesAStatementWithoutNumberAfterItsTheme) {
    auto instrument = make_instrument();
    instrument.steps[0].items[0].number.clear();
    const auto results = gids::compute_results(instrument, scores({{1}, {5}}));
    EXPECT_EQ(results.observations.at(0).text,
              "Bij thema A (Visie op armoede, schulden en gezondheid) lopen de scores uiteen: van "
              "1 (P1) tot 5 (P2). Bespreek waar dat verschil vandaan komt.");
}

TEST(ResultsTest, LowestThemesBreaksTiesByInstrumentOrder) {
    const auto results = gids::compute_results(make_instrument(), scores({{2, 3, 2}}));
    EXPECT_EQ(gids::lowest_themes(results, 1), (Labels{"A"}));
    EXPECT_EQ(gids::lowest_themes(results, 2), (Labels{"A", "C"}));
    EXPECT_EQ(gids::lowest_themes(results, 10), (Labels{"A", "C", "B"}));
    EXPECT_TRUE(gids::lowest_themes(results, 0).empty());
}

TEST(ResultsTest, EmptyRoundHasNoObservations) {
    const auto results = gids::compute_results(make_instrument(), {});
    EXPECT_TRUE(results.observations.empty());
    EXPECT_TRUE(results.participants.empty());
    ASSERT_EQ(results.scale_items.size(), 3u);
    EXPECT_EQ(results.scale_items[0].n, 0);
    EXPECT_EQ(results.scale_items[0].mean, std::nullopt);
    EXPECT_EQ(results.themes.at(0).mean, std::nullopt);
    EXPECT_TRUE(gids::lowest_themes(results, 2).empty());
    EXPECT_TRUE(results.find_actions("acties")->groups.empty());
    EXPECT_TRUE(gids::compute_results(gids::Instrument{}, {}).observations.empty());
}

gids::TrendRound round_with(long long id, std::string label, std::optional<double> a,
                            std::optional<double> b, std::optional<double> c) {
    gids::RoundResults results;
    const auto theme = [](std::string theme_id, std::optional<double> mean) {
        gids::ThemeResult t;
        t.theme_id = std::move(theme_id);
        t.scored = true;
        t.mean = mean;
        return t;
    };
    results.themes = {theme("A", a), theme("B", b), theme("C", c)};
    return {id, std::move(label), std::move(results)};
}

TEST(ResultsTest, TrendHasOnePointPerRoundInOrder) {
    const auto points = gids::trend({round_with(10, "Voorjaar", 2.5, std::nullopt, 3.0),
                                     round_with(11, "Najaar", 3.4, 2.9, 3.3)});
    ASSERT_EQ(points.size(), 2u);
    EXPECT_EQ(points[0].round_label, "Voorjaar");
    EXPECT_EQ(points[0].round_id, 10);
    EXPECT_EQ(points[0].theme_means.at("A"), 2.5);
    EXPECT_EQ(points[0].theme_means.at("B"), std::nullopt);
    EXPECT_EQ(points[1].theme_means.at("C"), 3.3);
}

TEST(ResultsTest, TrendObservationsReportMovesOfHalfAPointOrMore) {
    // Only the last two rounds count; C moves 0.3 and B has no mean in the first of them.
    const auto points = gids::trend({round_with(9, "2023", 1.0, 1.0, 1.0),
                                     round_with(10, "Voorjaar", 2.5, 3.4, 3.0),
                                     round_with(11, "Najaar", 3.44, 2.9, 3.3)});
    const auto observations = gids::trend_observations(make_instrument(), points);
    EXPECT_EQ(observations,
              (std::vector<Observation>{
                  {ObservationKind::rose, "A",
                   "Thema A (Visie op armoede, schulden en gezondheid) is gestegen van 2,5 naar "
                   "3,4."},
                  {ObservationKind::fell, "B",
                   "Thema B (Zicht op de lokale problematiek en kansen) is gedaald van 3,4 naar "
                   "2,9."}}));
    const auto unknown = gids::trend({round_with(10, "Voorjaar", 2.5, std::nullopt, 3.0),
                                      round_with(11, "Najaar", 3.4, 3.4, 3.0)});
    EXPECT_EQ(gids::trend_observations(make_instrument(), unknown).size(), 1u);
    EXPECT_TRUE(gids::trend_observations(make_instrument(), {}).empty());
    EXPECT_TRUE(gids::trend_observations(make_instrument(), {points[0]}).empty());
}

TEST(ResultsTest, FormatsDecimalsWithACommaRoundingHalfAwayFromZero) {
    struct Case {
        double value;
        int decimals;
        std::string expected;
    };
    const std::vector<Case> cases{
        {2.25, 1, "2,3"},   {2.35, 1, "2,4"},
        {-2.25, 1, "-2,3"}, {2.24, 1, "2,2"},
        {2.0, 1, "2,0"},    {10.0 / 3, 1, "3,3"},
        {3.5, 0, "4"},      {2.5, 0, "3"},
        {1.005, 2, "1,01"}, {-0.04, 1, "0,0"},
        {0.05, 1, "0,1"},   {12.345, 2, "12,35"},
        {7.0, -1, "7"},     {std::numeric_limits<double>::quiet_NaN(), 1, "-"},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(gids::format_decimal(c.value, c.decimals), c.expected)
            << "value " << c.value << " with " << c.decimals << " decimals";
    }
}

} // namespace
