-- Writing systems: emoji, and passages against the direction of the text.
--
-- Emoji (with their skin-tone modifiers, joiners, flags and keycaps) become
-- <span class="emoji">: the stylesheets give that class the colour emoji font only.
-- The colour font cannot sit in the text font stacks: it also maps digits and spaces,
-- and once a run has switched to it the text around an emoji is drawn with it too.

-- Characters drawn as emoji by default (Emoji_Presentation=Yes) below U+1F000.
local PRESENTATION = {
  {0x231A, 0x231B}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3}, {0x25FD, 0x25FE},
  {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
  {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4},
  {0x26EA, 0x26EA}, {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD},
  {0x2705, 0x2705}, {0x270A, 0x270B}, {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E},
  {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797}, {0x27B0, 0x27B0}, {0x27BF, 0x27BF},
  {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
}

local function in_ranges(code, ranges)
  for _, range in ipairs(ranges) do
    if code >= range[1] and code <= range[2] then
      return true
    end
  end
  return false
end

-- Starts an emoji: a pictograph of the supplementary planes, a character drawn as
-- emoji by default, or any character followed by the emoji variation selector.
local function starts_emoji(code, following)
  return (code >= 0x1F000 and code <= 0x1FAFF) or following == 0xFE0F or in_ranges(code, PRESENTATION)
end

-- Continues the emoji before it: selectors, skin tones, keycap, tag characters (the
-- flags of Scotland or Wales), and whatever a zero-width joiner joins.
local function continues_emoji(code, previous)
  return code == 0xFE0F or code == 0xFE0E or code == 0x200D or code == 0x20E3
    or (code >= 0x1F3FB and code <= 0x1F3FF) or (code >= 0xE0020 and code <= 0xE007F)
    or previous == 0x200D
end

local function codes_of(text)
  local codes = {}
  for _, code in utf8.codes(text) do
    codes[#codes + 1] = code
  end
  return codes
end

-- The text as runs: {emoji = bool, text = string}, in order.
local function runs(text)
  local codes, out = codes_of(text), {}
  for index, code in ipairs(codes) do
    local previous = out[#out]
    local emoji = starts_emoji(code, codes[index + 1])
      or (previous ~= nil and previous.emoji and continues_emoji(code, codes[index - 1]))
    if previous ~= nil and previous.emoji == emoji then
      previous.codes[#previous.codes + 1] = code
    else
      out[#out + 1] = {emoji = emoji, codes = {code}}
    end
  end
  return out
end

-- Whether the document holds a character an emoji starts with (a pictograph, U+231A-U+2B55,
-- the variation selector): the Str pass below only runs when it does, as it costs a visit of every word.
local function may_hold_emoji(doc)
  local text = pandoc.write(doc, 'json')
  return text:find('\xE2[\x8C-\xAD]') or text:find('\xF0\x9F') or text:find('\xEF\xB8\x8F')
end

local function Str(str)
  -- A quick test first: every emoji has a character of U+2000-U+2FFF (bytes E2 ..),
  -- of the supplementary planes (F0 ..) or the variation selector U+FE0F.
  local text = str.text
  if not utf8.len(text) or not (text:find('[\xE2\xF0]') or text:find('\xEF\xB8\x8F')) then
    return nil
  end
  local parts, found = {}, false
  for _, run in ipairs(runs(str.text)) do
    local text = utf8.char(table.unpack(run.codes))
    if run.emoji then
      found = true
      parts[#parts + 1] = pandoc.Span({pandoc.Str(text)}, {class = 'emoji'})
    else
      parts[#parts + 1] = pandoc.Str(text)
    end
  end
  return found and parts or nil
end

-- A passage written against the direction of the document (an Arabic name in English
-- text, English words in Arabic text) becomes <span dir="...">. WeasyPrint orders the
-- inline boxes of a line by the direction of their parent only: an unmarked Arabic name
-- holding emphasis or a link would print its words left to right. Its own span sets them
-- in the right order and keeps neutral characters around it (a comma, a number) outside.

local RTL_LANGUAGES = {ar = true, he = true, fa = true, ur = true, yi = true, ps = true,
                       sd = true, ug = true, dv = true, ckb = true}
local document_dir = 'ltr'

local RTL_RANGES = {{0x0590, 0x08FF}, {0xFB1D, 0xFDFF}, {0xFE70, 0xFEFF}, {0x10800, 0x10FFF},
                    {0x1E800, 0x1EFFF}}
-- Letters of left-to-right scripts (Latin, Greek, Cyrillic, Armenian, Indic, Thai, Georgian,
-- Ethiopic, CJK, Hangul...); digits, punctuation and symbols take no side.
local LTR_RANGES = {{0x41, 0x5A}, {0x61, 0x7A}, {0xC0, 0x24F}, {0x370, 0x58F}, {0x900, 0x1FFF},
                    {0x2C00, 0x2DFF}, {0x3040, 0x9FFF}, {0xA000, 0xD7FF}, {0xF900, 0xFB1C}}

-- Arabic punctuation and digits take no side either.
local ARABIC_NEUTRAL = {{0x060C, 0x060C}, {0x061B, 0x061B}, {0x061F, 0x061F}, {0x0660, 0x066D},
                        {0x06D4, 0x06D4}, {0x06F0, 0x06F9}}

-- 'rtl', 'ltr' or nil (neither) for one character.
local function char_direction(code)
  if code < 0x41 or in_ranges(code, ARABIC_NEUTRAL) then
    return nil
  end
  return (in_ranges(code, RTL_RANGES) and 'rtl') or (in_ranges(code, LTR_RANGES) and 'ltr') or nil
end

-- 'rtl', 'ltr', 'mixed' or nil (no letters) for a piece of text.
local function text_direction(text)
  local rtl, ltr = false, false
  for _, code in utf8.codes(text) do
    local dir = char_direction(code)
    rtl = rtl or dir == 'rtl'
    ltr = ltr or dir == 'ltr'
  end
  if rtl and ltr then
    return 'mixed'
  end
  return (rtl and 'rtl') or (ltr and 'ltr') or nil
end

local function direction_of(inline)
  if inline.t == 'Note' or inline.t == 'Cite' or inline.t == 'Code' or inline.t == 'Math' then
    return nil
  end
  if inline.attributes and inline.attributes.dir then
    return 'marked'
  end
  return text_direction(pandoc.utils.stringify(inline))
end

local direct

-- A word of the other direction as up to three words: the punctuation before it, its
-- letters, the punctuation after it ('name,' -> 'name' ','), so a run ends on a letter.
local function split_edges(str)
  local codes = codes_of(str.text)
  local first, last
  for index, code in ipairs(codes) do
    if char_direction(code) then
      first = first or index
      last = index
    end
  end
  local parts = pandoc.Inlines({})
  for _, range in ipairs({{1, first - 1}, {first, last}, {last + 1, #codes}}) do
    if range[2] >= range[1] then
      parts:insert(pandoc.Str(utf8.char(table.unpack(codes, range[1], range[2]))))
    end
  end
  return parts
end

-- Goes into the inline elements the runs left as they are, in the direction of the text
-- around them or the one they are marked with (not into notes: their paragraphs are blocks
-- of their own, visited as such).
local function direct_inside(inline, base)
  if inline.t ~= 'Note' and inline.content and pandoc.utils.type(inline.content) == 'Inlines' then
    local marked = inline.attributes and inline.attributes.dir
    inline.content = direct(inline.content, (marked == 'rtl' or marked == 'ltr') and marked or base)
  end
  return inline
end

-- Wraps every run of inlines written against the direction ``base`` in a span.
-- A run starts and ends on an element of the other direction; white space, digits and
-- punctuation between two such elements belong to it.
direct = function(inlines, base)
  local other = base == 'ltr' and 'rtl' or 'ltr'
  local function inside(inline)
    return direct_inside(inline, base)
  end
  local out, run, pending = pandoc.Inlines({}), pandoc.Inlines({}), pandoc.Inlines({})
  local function close_run()
    if #run > 0 then
      out:insert(pandoc.Span(run, {dir = other}))
    end
    out:extend(pending:map(inside))
    run, pending = pandoc.Inlines({}), pandoc.Inlines({})
  end
  local pieces = pandoc.Inlines({})
  for _, inline in ipairs(inlines) do
    if inline.t == 'Str' and text_direction(inline.text) == other then
      pieces:extend(split_edges(inline))
    else
      pieces:insert(inline)
    end
  end
  for _, inline in ipairs(pieces) do
    local dir = direction_of(inline)
    if dir == other then
      run:extend(pending)
      run:insert(inline)
      pending = pandoc.Inlines({})
    elseif dir == nil and #run > 0 then
      pending:insert(inline)
    else
      close_run()
      out:insert(inside(inline))
    end
  end
  close_run()
  return out
end

-- UTF-8 bytes that begin the right-to-left ranges (U+0590-U+08FF, U+FB1D-U+FEFF and the
-- supplementary ones), or a superset of them: text without any has no right-to-left letter.
local function may_hold_rtl(text)
  return text:find('[\xD6-\xDF]') or text:find('\xE0[\xA0-\xA3]') or text:find('\xEF[\xAC-\xBB]')
    or text:find('\xF0[\x90\x9E]')
end

-- Whether the author marked any inline with a direction (looked for once, in the whole document).
local marked_anywhere = false

local function find_marked(doc)
  local function look(inline)
    marked_anywhere = marked_anywhere or inline.attributes.dir ~= nil
  end
  doc:walk({Span = look, Link = look, Image = look, Code = look})
end

-- Most blocks of a left-to-right document have nothing against its direction: they are
-- left as they are without the character-by-character walk (most of this filter's cost).
local function with_directions(block)
  if document_dir == 'ltr' and not may_hold_rtl(pandoc.utils.stringify(block))
      and not marked_anywhere then
    return nil
  end
  block.content = direct(block.content, document_dir)
  return block
end

local function Meta(meta)
  if meta.lang then
    local base = pandoc.utils.stringify(meta.lang):lower():match('^[a-z]+')
    document_dir = RTL_LANGUAGES[base] and 'rtl' or 'ltr'
  end
end

return {
  {Meta = Meta, Pandoc = find_marked},
  {Pandoc = function(doc) return may_hold_emoji(doc) and doc:walk({Str = Str}) or nil end},
  {Para = with_directions, Plain = with_directions, Header = with_directions},
}
