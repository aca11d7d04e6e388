#pragma once
// Mustache templates from templates/, with the texts of the chosen language under `t`.
// Every {{var}} is HTML-escaped; {{{var}}} appears only where the value is our own HTML.

#include "domain/error.hpp"

#include <filesystem>
#include <kainjow/mustache.hpp>
#include <map>
#include <string>

namespace gids::web {

using Data = kainjow::mustache::data;
using List = kainjow::mustache::list;
using Object = kainjow::mustache::object;

// Mustache treats an empty text as true in {{#section}}: set optional texts with this, so
// that an empty one leaves the section out.
inline void set_text(Data& data, const std::string& key, const std::string& value) {
    if (!value.empty())
        data.set(key, value);
    else
        data.set(key, false);
}

class Templates {
  public:
    // Loads every *.mustache under `dir` (name = relative path without extension) and the
    // texts in `locales_dir`/{nl,en}.yaml. Errors name the file.
    static Result<Templates> load(const std::filesystem::path& dir,
                                  const std::filesystem::path& locales_dir);

    // Renders a template in a language; thread-safe (each thread keeps its own compiled
    // copies). Partials and {{t.key}} texts are filled in at load time.
    std::string render(const std::string& name, const Data& data, const std::string& lang) const;
    bool has(const std::string& name) const { return m_sources.contains(name); }

    // One text of a language ("nl" or "en"; English falls back to Dutch per key).
    std::string text(const std::string& lang, const std::string& key) const;

  private:
    std::map<std::string, std::string> m_sources;
    std::map<std::string, std::map<std::string, std::string>> m_strings;  // lang -> key -> text
    std::map<std::string, std::map<std::string, std::string>> m_expanded; // lang -> name -> source
    unsigned m_generation = 0;
};

} // namespace gids::web
