-- wrk script: many participants saving answers at once through the JSON API.
-- Reads invitation tokens from the file in TOKENS_FILE, one per line; each request picks
-- the next participant and a statement, with a score that changes every time.
local tokens = {}
local items = {"stelling-a", "stelling-b", "stelling-c", "stelling-d", "stelling-e", "stelling-f"}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("TOKENS_FILE")) do
    tokens[#tokens + 1] = line
  end
end

function request()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  local item = items[(counter % #items) + 1]
  local body = '{"value":' .. tostring((counter % 5) + 1) .. '}'
  return wrk.format("PUT", "/api/v1/participation/answers/" .. item,
    {["Authorization"] = "Invitation " .. token, ["Content-Type"] = "application/json"}, body)
end
