// Dutch words as search sees them (folding, splitting, stemming), and the search itself on a
// real SQLite database with the "dutch" FTS5 tokenizer: stemmed matches, ranking, filters,
// and queries of any kind that never fail.

#include "storage/database.hpp"
#include "storage/dutch_stem.hpp"
#include "test_database.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace gids;
using namespace gids::storage;

namespace {

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> out;
    for (const auto& t : dutch_words(text))
        out.push_back(t.text);
    return out;
}

} // namespace

TEST(DutchStemTest, GivesPluralsAndSingularsTheSameStem) {
    const std::pair<const char*, const char*> pairs[] = {
        {"schulden", "schuld"},
        {"gezinnen", "gezin"},
        {"huisartsen", "huisarts"},
        {"mensen", "mens"},
        {"thema's", "thema"},
        {"organisaties", "organisatie"},
        {"gemeentes", "gemeente"},
        {"gemeenten", "gemeente"},
        {"scholen", "school"},
        {"wijken", "wijk"},
        {"jongeren", "jongere"},
        {"huizen", "huis"},
        {"ervaringsdeskundigen", "ervaringsdeskundige"}};
    for (const auto& [plural, singular] : pairs)
        EXPECT_EQ(dutch_stems(plural), dutch_stems(singular)) << plural << " / " << singular;
    EXPECT_EQ(dutch_stem("schulden"), "schuld");
    EXPECT_EQ(dutch_stem("gezinnen"), "gezin");
    EXPECT_NE(dutch_stem("schuld"), dutch_stem("school"));
}

TEST(DutchStemTest, FoldsAccentsAndCaseToBaseLetters) {
    EXPECT_EQ(words_of("Súdwest-Fryslân"), (std::vector<std::string>{"sudwest", "fryslan"}));
    EXPECT_EQ(words_of("ÉÉN Café, coöperatie; ideeën"),
              (std::vector<std::string>{"een", "cafe", "cooperatie", "ideeen"}));
    EXPECT_EQ(words_of("Ĳsselmonde ĳs Œuvre straße"),
              (std::vector<std::string>{"ijsselmonde", "ijs", "oeuvre", "strasse"}));
    EXPECT_EQ(dutch_stems("Gezinnen"), dutch_stems("gezinnen"));
    EXPECT_EQ(dutch_stems("ideeën"), dutch_stems("ideeen"));
}

TEST(DutchStemTest, SplitsOnEverythingButLettersAndDigits) {
    EXPECT_EQ(
        words_of("schulden🙂gezin\t(armoede)\"NEAR*\" AND-OR 2020"),
        (std::vector<std::string>{"schulden", "gezin", "armoede", "near", "and", "or", "2020"}));
    EXPECT_EQ(words_of("foto's en auto’s"), (std::vector<std::string>{"fotos", "en", "autos"}));
    EXPECT_EQ(words_of("'quote' ''"), (std::vector<std::string>{"quote"}));
    EXPECT_TRUE(words_of("🙂 ✔ — … «»").empty());
    EXPECT_TRUE(words_of("").empty());
}

TEST(DutchStemTest, OffsetsPointIntoTheOriginalText) {
    const std::string text = "De Súdwest-Fryslân aanpak";
    const auto tokens = dutch_words(text);
    ASSERT_EQ(tokens.size(), 4u);
    EXPECT_EQ(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin), "Súdwest");
    EXPECT_EQ(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin), "Fryslân");
    EXPECT_EQ(text.substr(tokens[3].begin), "aanpak");
}

TEST(DutchStemTest, CutsOverlongWordsAndSurvivesInvalidBytes) {
    const auto long_word = words_of(std::string(10000, 'a'));
    ASSERT_EQ(long_word.size(), 1u);
    EXPECT_LE(long_word[0].size(), max_token_bytes);
    EXPECT_EQ(words_of("ab\xFF\xFE"
                       "cd\xC3"),
              (std::vector<std::string>{"ab", "cd"}));
    const auto accents = words_of(std::string(100, 'a') + "é");
    EXPECT_LE(accents[0].size(), max_token_bytes);
}

namespace {

ExampleQuery query(std::string text, bool any_word = false) {
    ExampleQuery q;
    q.text = std::move(text);
    q.any_word = any_word;
    return q;
}

Example example(std::string slug, std::string title, std::string body,
                std::vector<std::string> themes, std::string municipality = "Gemeente Test") {
    Example e;
    e.slug = std::move(slug);
    e.title = std::move(title);
    e.body = std::move(body);
    e.themes = std::move(themes);
    e.municipality = std::move(municipality);
    e.source = {"Bron", "", "Hoofdstuk 1"};
    return e;
}

// A real database (SQLite with the tokenizer registered, or PostgreSQL), as `gids serve` has it.
class DutchSearchTest : public ::testing::Test {
  protected:
    std::filesystem::path m_dir;
    std::unique_ptr<Database> m_db;

    void SetUp() override {
        m_dir = std::filesystem::temp_directory_path() /
                ("gids-search-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
        auto db = Database::open(gids::test_db::fresh_database_url(m_dir), 2);
        ASSERT_TRUE(db.has_value()) << db.error().message;
        m_db = std::move(*db);
        ASSERT_TRUE(m_db->migrate().has_value());
        std::vector<Example> examples = {
            example("titel-schuld", "Schuldhulp: vroeg erbij bij schuld",
                    "Wij helpen inwoners snel.", {"D"}),
            example("tekst-schulden", "Huisbezoek in de wijk",
                    "Medewerkers gaan langs bij mensen met schulden en hun gezinnen.", {"D", "B"},
                    "Arnhem"),
            example("gezin", "Sport voor het hele gezin", "Bewegen helpt.", {"B"}, "Goes"),
            example("andere", "Visie op gezondheid", "Beleid voor de hele gemeente.", {"A"}),
        };
        ASSERT_TRUE(m_db->replace_source_examples(examples, 1).has_value());
    }
    void TearDown() override {
        m_db.reset();
        std::filesystem::remove_all(m_dir);
    }

    std::vector<std::string> slugs(const ExampleQuery& q) {
        std::vector<std::string> out;
        for (const auto& hit : m_db->search_examples(q).hits)
            out.push_back(hit.stored.example.slug);
        return out;
    }
};

} // namespace

TEST_F(DutchSearchTest, FindsOtherFormsOfTheWord) {
    EXPECT_EQ(slugs(query("schulden")),
              (std::vector<std::string>{"titel-schuld", "tekst-schulden"}));
    EXPECT_EQ(slugs(query("schuld")), (std::vector<std::string>{"titel-schuld", "tekst-schulden"}));
    EXPECT_EQ(slugs(query("gezinnen")), (std::vector<std::string>{"gezin", "tekst-schulden"}));
}

TEST_F(DutchSearchTest, RanksATitleMatchAboveATextMatch) {
    const auto results = m_db->search_examples(query("schulden"));
    ASSERT_EQ(results.hits.size(), 2u);
    EXPECT_EQ(results.total, 2);
    EXPECT_EQ(results.hits[0].stored.example.slug, "titel-schuld");
    EXPECT_EQ(results.hits[0].title_marked, "Schuldhulp: vroeg erbij bij \x01schuld\x02");
    EXPECT_NE(results.hits[1].snippet_marked.find("met \x01schulden\x02 en"), std::string::npos)
        << results.hits[1].snippet_marked;
}

TEST_F(DutchSearchTest, NeedsEveryWordUnlessAnyWordIsAsked) {
    EXPECT_EQ(slugs(query("schulden wijk")), (std::vector<std::string>{"tekst-schulden"}));
    EXPECT_TRUE(slugs(query("schulden sport")).empty());
    EXPECT_EQ(slugs(query("schulden sport", true)).size(), 3u);
}

TEST_F(DutchSearchTest, CombinesFiltersWithWords) {
    ExampleQuery q = query("schulden");
    q.filters.theme = "B";
    EXPECT_EQ(slugs(q), (std::vector<std::string>{"tekst-schulden"}));
    q.filters = {};
    q.filters.municipality = "Arnhem";
    EXPECT_EQ(slugs(q), (std::vector<std::string>{"tekst-schulden"}));
    ExampleQuery browse = query("");
    browse.filters.theme = "B";
    EXPECT_EQ(slugs(browse), (std::vector<std::string>{"tekst-schulden", "gezin"}));
    browse.filters.theme = "F";
    EXPECT_TRUE(slugs(browse).empty());
}

TEST_F(DutchSearchTest, DropsCommonWordsUnlessNothingElseIsLeft) {
    EXPECT_EQ(m_db->search_examples(query("de aanpak van schulden")).words,
              (std::vector<std::string>{"aanpak", "schulden"}));
    EXPECT_EQ(m_db->search_examples(query("de het")).words,
              (std::vector<std::string>{"de", "het"}));
}

TEST_F(DutchSearchTest, AnyInputIsAValidQuery) {
    const std::vector<std::string> hostile = {"\"",
                                              "\"schulden",
                                              "schulden\"\"",
                                              "NEAR(schulden gezin, 2)",
                                              "schulden*",
                                              "AND OR NOT",
                                              "(((",
                                              ")",
                                              "title:x",
                                              "^schulden",
                                              "🙂🙂🙂",
                                              "'; DROP TABLE examples; --",
                                              "\x01\x02",
                                              "-schulden",
                                              "+",
                                              std::string(10 * 1024, 'x'),
                                              std::string(5000, '"'),
                                              "schulden " + std::string(3000, '(')};
    for (const auto& q : hostile) {
        EXPECT_NO_THROW((void)m_db->search_examples(query(q))) << q.substr(0, 40);
        EXPECT_NO_THROW((void)m_db->search_examples(query(q, true))) << q.substr(0, 40);
    }
    EXPECT_EQ(m_db->search_examples(query("\"schulden")).hits.size(), 2u);
    EXPECT_EQ(m_db->search_examples(query("NEAR(schulden)")).words,
              (std::vector<std::string>{"near", "schulden"}));
    EXPECT_LE(m_db->search_examples(query(std::string(10000, 'a') + " b c d e f g h i j k l m n o"))
                  .words.size(),
              max_search_words);
}

TEST_F(DutchSearchTest, ReloadingKeepsUnchangedExamplesAndRemovesDeletedOnes) {
    std::vector<Example> fewer = {
        example("gezin", "Sport voor het hele gezin", "Bewegen helpt.", {"B"}, "Goes")};
    auto report = m_db->replace_source_examples(fewer, 2);
    ASSERT_TRUE(report.has_value());
    EXPECT_EQ(report->unchanged, 1);
    EXPECT_EQ(report->removed, 3);
    EXPECT_TRUE(slugs(query("schulden")).empty());
    EXPECT_FALSE(m_db->find_example("titel-schuld").has_value());
}

TEST_F(DutchSearchTest, SubmissionsAreSearchableOnlyOncePublished) {
    ASSERT_TRUE(m_db->create_municipality({"Gemeente Alpha", "", ""}, 1).has_value());
    const long long m = m_db->list_municipalities().front().id;
    NewUser u{"a@alpha.nl", "A", Role::coordinator, m};
    auto user = m_db->create_user(u, "hash", 1);
    ASSERT_TRUE(user.has_value());
    auto stored = m_db->submit_example(
        example("", "Schuldenvrij in Alpha", "Alpha helpt bij schulden.", {"C"}, "Gemeente Alpha"),
        m, *user, 3);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->example.slug, "schuldenvrij-in-alpha-gemeente-alpha");
    EXPECT_EQ(slugs(query("alpha")).size(), 0u);
    ASSERT_TRUE(m_db->publish_example(stored->id, 4).has_value());
    EXPECT_EQ(slugs(query("alpha")), (std::vector<std::string>{stored->example.slug}));
    EXPECT_EQ(m_db->example_facets().municipalities.size(), 4u);
    ASSERT_TRUE(m_db->reject_example(stored->id, "Klopt niet", 5).has_value());
    EXPECT_TRUE(slugs(query("alpha")).empty());
    EXPECT_EQ(m_db->find_example_by_id(stored->id)->reject_reason, "Klopt niet");
}
