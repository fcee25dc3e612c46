// Lua shared by the Redis stores (single instance and cluster).

/**
 * The conflict rule in Lua: `revision(e)` reads the u64 LE at byte 34 of a
 * stored entry (bounded to 2^48, so exact in Lua's doubles) and `bytewise`
 * orders two 64-byte signatures. `compare(new, current)` returns 'stale',
 * 'same' or nil (the new entry wins).
 */
export const COMPARE_LUA = `
local function bytewise(a, b)
  for i = 1, 64 do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x - y end
  end
  return 0
end
local function revision(e)
  local r = 0
  for i = 42, 35, -1 do r = r * 256 + string.byte(e, i) end
  return r
end
local function compare(new, current)
  local a, b = revision(new), revision(current)
  if a < b then return 'stale' end
  if a == b then
    local order = bytewise(string.sub(new, -64), string.sub(current, -64))
    if order == 0 then return 'same' end
    if order < 0 then return 'stale' end
  end
  return nil
end
`

/** Pin under the pin cap, atomically (KEYS[1] the pin set, ARGV the member and the cap): 1 pinned (or already was), 0 full. */
export const PIN_LUA = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
`
