#pragma once
// QR codes as inline SVG (libqrencode), for the printed invitation sheet and the meeting screen.

#include <string>

namespace gids::web {

// An <svg> element; `label` becomes its accessible name. Empty when the text cannot be encoded.
std::string qr_svg(const std::string& text, const std::string& label);

} // namespace gids::web
