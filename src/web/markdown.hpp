#pragma once
// Markdown to HTML with cmark-gfm (tables, autolinks, strikethrough). Raw HTML in the
// input is never passed through: cmark-gfm replaces it with a comment, so the output is
// safe to place in a page.

#include <string>
#include <string_view>

namespace gids::web {

std::string markdown_to_html(std::string_view markdown);

} // namespace gids::web
