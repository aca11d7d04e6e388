// The content loader: practice examples as Markdown with YAML front matter, the reference
// texts, and how a broken file is refused with its place and a Dutch reason. Also the rules
// on a coordinator's submission, which share the vocabularies.

#include "instruments/content_loader.hpp"

#include <filesystem>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace gids;

namespace {

const std::filesystem::path source_dir{GIDS_SOURCE_DIR};

const std::string valid_front = R"(---
title: "Arnhem: huisbezoek bij schulden"
municipality: "Arnhem"
organisations: ["Gemeente Arnhem", "Rijnstad"]
source:
  document: "Gesprekstool"
  file: "gesprekstool.txt"
  section: "Deel 2, D"
themes: [D, B]
tracks: [participatie]
principles: [7, 4]
target_groups: ["inwoners met betalingsachterstand"]
life_phase: ["volwassenen"]
links: [{name: "Proeftuin"}, {name: "Website", url: "https://www.arnhem.nl/"}]
---
)";

} // namespace

TEST(ContentLoaderTest, ReadsFrontMatterAndMarkdownBody) {
    auto e = parse_example(valid_front + "Arnhem gaat **op huisbezoek**.\n\nTweede alinea.\n",
                           "arnhem.md", "arnhem-huisbezoek");
    ASSERT_TRUE(e.has_value()) << e.error().message;
    EXPECT_EQ(e->slug, "arnhem-huisbezoek");
    EXPECT_EQ(e->title, "Arnhem: huisbezoek bij schulden");
    EXPECT_EQ(e->municipality, "Arnhem");
    EXPECT_EQ(e->organisations, (std::vector<std::string>{"Gemeente Arnhem", "Rijnstad"}));
    EXPECT_EQ(e->source.document, "Gesprekstool");
    EXPECT_EQ(e->source.file, "gesprekstool.txt");
    EXPECT_EQ(e->source.section, "Deel 2, D");
    EXPECT_EQ(e->themes, (std::vector<std::string>{"D", "B"}));
    EXPECT_EQ(e->tracks, (std::vector<std::string>{"participatie"}));
    EXPECT_EQ(e->principles, (std::vector<int>{7, 4}));
    EXPECT_EQ(e->target_groups, (std::vector<std::string>{"inwoners met betalingsachterstand"}));
    EXPECT_EQ(e->life_phases, (std::vector<std::string>{"volwassenen"}));
    ASSERT_EQ(e->links.size(), 2u);
    EXPECT_EQ(e->links[0], (ExampleLink{"Proeftuin", ""}));
    EXPECT_EQ(e->links[1], (ExampleLink{"Website", "https://www.arnhem.nl/"}));
    EXPECT_EQ(e->body, "Arnhem gaat **op huisbezoek**.\n\nTweede alinea.");
}

TEST(ContentLoaderTest, OptionalListsMayBeLeftOutOrEmpty) {
    auto e = parse_example("---\ntitle: T\nmunicipality: M\nsource: {document: D, section: S}\n"
                           "themes: [A]\ntracks: []\n---\nTekst.\n",
                           "t.md", "t");
    ASSERT_TRUE(e.has_value()) << e.error().message;
    EXPECT_TRUE(e->tracks.empty());
    EXPECT_TRUE(e->principles.empty());
    EXPECT_TRUE(e->links.empty());
}

TEST(ContentLoaderTest, AcceptsWindowsLineEndsAndAByteOrderMark) {
    auto e = parse_example("\xEF\xBB\xBF---\r\ntitle: T\r\nmunicipality: M\r\n"
                           "source: {document: D, section: S}\r\nthemes: [C]\r\n---\r\nTekst.\r\n",
                           "t.md", "t");
    ASSERT_TRUE(e.has_value()) << e.error().message;
    EXPECT_EQ(e->title, "T");
    EXPECT_EQ(e->body, "Tekst.");
}

struct BrokenCase {
    const char* name;
    std::string text;
    std::string expected;
};

// Every case names the line and column to look at and says what is wrong, in Dutch.
TEST(ContentLoaderTest, RefusesBrokenFilesWithPlaceAndReason) {
    const std::string fields = "municipality: M\nsource: {document: D, section: S}\n";
    const std::vector<BrokenCase> cases = {
        {"no opening fence", "title: T\n---\nTekst\n",
         "x.md:1:1: Het bestand moet beginnen met een regel ‘---’, dan de gegevens van het "
         "voorbeeld en dan weer een regel ‘---’."},
        {"no closing fence", "---\ntitle: T\nthemes: [A]\nTekst\n",
         "x.md:1:1: De gegevens bovenaan worden niet afgesloten met een regel ‘---’."},
        {"empty front matter", "---\n---\nTekst\n",
         "x.md:2:1: Tussen de regels ‘---’ staan geen gegevens."},
        {"missing title", "---\n" + fields + "themes: [A]\n---\nTekst\n",
         "x.md:2:1: De verplichte sleutel ‘title’ ontbreekt."},
        {"empty title", "---\ntitle: \"\"\n" + fields + "themes: [A]\n---\nTekst\n",
         "x.md:2:8: Vul bij ‘title’ een tekst in."},
        {"missing themes", "---\ntitle: T\n" + fields + "---\nTekst\n",
         "x.md:2:1: De verplichte sleutel ‘themes’ ontbreekt."},
        {"no theme at all", "---\ntitle: T\n" + fields + "themes: []\n---\nTekst\n",
         "x.md:5:9: Noem ten minste één thema (A tot en met F)."},
        {"unknown theme", "---\ntitle: T\n" + fields + "themes: [A, G]\n---\nTekst\n",
         "x.md:5:13: Het thema ‘G’ bestaat niet; kies uit A, B, C, D, E en F."},
        {"unknown track", "---\ntitle: T\n" + fields + "themes: [A]\ntracks: [wonen]\n---\nT\n",
         "x.md:6:10: Het spoor ‘wonen’ bestaat niet; kies uit fysieke-omgeving, "
         "gedrag-en-vaardigheden, participatie, preventie-en-zorg en sociale-omgeving."},
        {"principle out of range",
         "---\ntitle: T\n" + fields + "themes: [A]\nprinciples: [1, 10]\n---\nTekst\n",
         "x.md:6:17: Een principe is een getal van 1 tot en met 9."},
        {"principle quoted",
         "---\ntitle: T\n" + fields + "themes: [A]\nprinciples: [\"3\"]\n---\nTekst\n",
         "x.md:6:14: Een principe is een getal van 1 tot en met 9."},
        {"unknown life phase",
         "---\ntitle: T\n" + fields + "themes: [A]\nlife_phase: [baby]\n---\nTekst\n",
         "x.md:6:14: De levensfase ‘baby’ bestaat niet; kies uit jeugd, volwassenen, ouderen en "
         "alle leeftijden."},
        {"themes not a list", "---\ntitle: T\n" + fields + "themes: A\n---\nTekst\n",
         "x.md:5:9: ‘themes’ moet een lijst zijn, zoals [A, D]."},
        {"duplicate key", "---\ntitle: T\ntitle: U\n" + fields + "themes: [A]\n---\nTekst\n",
         "x.md:3:1: De sleutel ‘title’ staat hier twee keer."},
        {"misspelt key", "---\ntitel: T\n" + fields + "themes: [A]\n---\nTekst\n",
         "x.md:2:1: De sleutel ‘titel’ is hier onbekend; gebruik title, municipality, "
         "organisations, source, themes, tracks, principles, target_groups, life_phase, links en "
         "summary."},
        {"summary in front matter",
         "---\ntitle: T\n" + fields + "themes: [A]\nsummary: Kort\n---\nTekst\n",
         "x.md:6:1: Zet de samenvatting onder de tweede regel ‘---’, niet bij de gegevens."},
        {"source without section",
         "---\ntitle: T\nmunicipality: M\nsource: {document: D}\n"
         "themes: [A]\n---\nTekst\n",
         "x.md:4:9: De verplichte sleutel ‘section’ ontbreekt."},
        {"unclosed bracket", "---\ntitle: T\n" + fields + "themes: [A, B\n---\nTekst\n",
         "x.md:5:9: Dit is geen geldige YAML: er ontbreekt een ‘]’."},
        {"unclosed quote", "---\ntitle: \"Arnhem\n" + fields + "themes: [A]\n---\nTekst\n",
         "x.md:2:8: Het aanhalingsteken op deze regel wordt niet afgesloten."},
        {"tab indentation", "---\ntitle: T\nmunicipality: M\nsource:\n\tdocument: D\n---\nT\n",
         "x.md:5:1: Dit is geen geldige YAML: spring in met spaties, niet met tabs."},
        {"javascript link",
         "---\ntitle: T\n" + fields +
             "themes: [A]\nlinks: [{name: X, url: \"javascript:alert(1)\"}]\n---\nTekst\n",
         "x.md:6:24: Een link moet beginnen met https:// of http://."},
        {"empty body", "---\ntitle: T\n" + fields + "themes: [A]\n---\n\n  \n",
         "x.md:7:1: Onder de gegevens staat geen tekst; beschrijf het voorbeeld in Markdown."},
        {"invalid UTF-8", "---\ntitle: T\n" + fields + "themes: [A]\n---\nT\xC3(\n",
         "x.md:7:1: Het bestand is geen geldige UTF-8; sla het op als UTF-8."},
    };
    for (const auto& c : cases) {
        auto e = parse_example(c.text, "x.md", "x");
        ASSERT_FALSE(e.has_value()) << c.name << ": accepted";
        EXPECT_EQ(e.error().message, c.expected) << c.name;
    }
}

TEST(ContentLoaderTest, RefusesFileNamesThatCannotBeAnAddress) {
    for (const char* slug : {"Hoofdletters", "met spatie", "-streep", "themas", "nieuw", ""}) {
        auto e = parse_example(valid_front + "Tekst\n", "x.md", slug);
        ASSERT_FALSE(e.has_value()) << slug;
        EXPECT_TRUE(e.error().message.starts_with("x.md:1:1: De bestandsnaam")) << slug;
    }
}

TEST(ContentLoaderTest, LoadsEveryBuiltInExampleAndReference) {
    auto content = load_content(source_dir / "content");
    ASSERT_TRUE(content.has_value()) << content.error().message;
    EXPECT_GE(content->examples.size(), 30u);
    for (const auto& e : content->examples) {
        EXPECT_FALSE(e.title.empty()) << e.slug;
        EXPECT_FALSE(e.body.empty()) << e.slug;
        EXPECT_FALSE(e.themes.empty()) << e.slug;
    }
    const Reference& r = content->reference;
    EXPECT_EQ(r.themes.items.size(), 6u);
    EXPECT_EQ(r.principles.items.size(), 9u);
    EXPECT_EQ(r.tracks.items.size(), 5u);
    EXPECT_EQ(r.lessons.items.size(), 3u);
    EXPECT_EQ(r.circles.items.size(), 7u);
    ASSERT_NE(r.themes.find("D"), nullptr);
    EXPECT_EQ(r.themes.find("D")->title, "Focus: signaleren, bereiken en ondersteunen");
    EXPECT_FALSE(r.tracks.intro.empty());
    EXPECT_FALSE(r.lessons.items[0].examples.empty());
}

TEST(ContentLoaderTest, RefusesALessonThatNamesAMissingExample) {
    const auto dir = std::filesystem::temp_directory_path() / "gids-content-lesson-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "examples");
    std::filesystem::copy(source_dir / "content" / "reference", dir / "reference");
    std::filesystem::copy(source_dir / "content" / "examples" / "goes-bezig.md",
                          dir / "examples" / "goes-bezig.md");
    auto content = load_content(dir);
    std::filesystem::remove_all(dir);
    ASSERT_FALSE(content.has_value());
    EXPECT_NE(content.error().message.find("lessen.yaml:19:"), std::string::npos)
        << content.error().message;
    EXPECT_NE(content.error().message.find("Het voorbeeld ‘breda-thematafels-aan-tafel’ bestaat "
                                           "niet"),
              std::string::npos)
        << content.error().message;
}

TEST(ContentLoaderTest, GeneratedBenchmarkExamplesAreDeterministic) {
    auto content = load_content(source_dir / "content");
    ASSERT_TRUE(content.has_value());
    const auto a = generate_examples(content->examples, 50);
    const auto b = generate_examples(content->examples, 50);
    ASSERT_EQ(a.size(), 50u);
    EXPECT_EQ(a, b);
    EXPECT_EQ(a[0].slug, "gegenereerd-1");
    EXPECT_EQ(a[49].slug, "gegenereerd-50");
}

TEST(ExampleSubmissionTest, KeepsValidInputTrimmed) {
    ExampleSubmission in{"  Huisbezoek bij schulden  ",
                         "Wij gaan **langs**.",
                         {"D", "D", "B"},
                         {"participatie"},
                         {"7"},
                         {"volwassenen"},
                         "inwoners\n\n huurders \n",
                         ""};
    auto e = validate_submission(in, "Gemeente Alpha");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->title, "Huisbezoek bij schulden");
    EXPECT_EQ(e->themes, (std::vector<std::string>{"D", "B"}));
    EXPECT_EQ(e->principles, (std::vector<int>{7}));
    EXPECT_EQ(e->target_groups, (std::vector<std::string>{"inwoners", "huurders"}));
    EXPECT_EQ(e->municipality, "Gemeente Alpha");
}

TEST(ExampleSubmissionTest, ExplainsEveryWrongFieldInDutch) {
    ExampleSubmission in{std::string(151, 'a'),
                         " \n ",
                         {},
                         {"wonen"},
                         {"10"},
                         {"baby"},
                         "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11",
                         std::string(121, 'o')};
    auto e = validate_submission(in, "Gemeente Alpha");
    ASSERT_FALSE(e.has_value());
    const auto& f = e.error().fields;
    EXPECT_EQ(f.at("title"), "De titel mag hoogstens 150 tekens lang zijn (nu 151).");
    EXPECT_EQ(f.at("summary"), "Beschrijf het voorbeeld in een paar zinnen.");
    EXPECT_EQ(f.at("themes"), "Kies ten minste één thema.");
    EXPECT_EQ(f.at("tracks"), "Kies de sporen uit de lijst.");
    EXPECT_EQ(f.at("principles"), "Kies de principes uit de lijst.");
    EXPECT_EQ(f.at("life_phases"), "Kies de levensfasen uit de lijst.");
    EXPECT_EQ(f.at("target_groups"), "Noem hoogstens 10 doelgroepen, één per regel.");
    EXPECT_EQ(f.at("organisations"), "Elke regel mag hoogstens 120 tekens lang zijn.");
}

TEST(ExampleSubmissionTest, DropsControlCharactersSoNoTextCarriesSearchMarkers) {
    ExampleSubmission in{"Titel\x01met\x02tekens", "Tekst\x01", {"A"}, {}, {}, {}, "", ""};
    auto e = validate_submission(in, "Gemeente Alpha");
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->title, "Titel met tekens");
    EXPECT_EQ(e->body, "Tekst");
}

TEST(ExampleSlugTest, FoldsTitlesToAddresses) {
    EXPECT_EQ(slugify("Súdwest-Fryslân: JGZ signaleert geldproblemen!"),
              "sudwest-fryslan-jgz-signaleert-geldproblemen");
    EXPECT_EQ(slugify("Ĳsselmonde & Œuvre"), "ijsselmonde-oeuvre");
    EXPECT_EQ(slugify("🙂🙂"), "voorbeeld");
    EXPECT_LE(slugify(std::string(500, 'a')).size(), 80u);
    EXPECT_TRUE(is_valid_slug(slugify("<script>alert(1)</script>")));
}
