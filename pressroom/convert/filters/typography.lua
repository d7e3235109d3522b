-- Typography the author should not have to type. Language-specific (French spacing
-- is applied to the whole composed page, in pressroom/convert/typography.py):
-- Chinese has no spaces, so pandoc cannot tell opening from closing straight
-- quotes (it leaves them as ” or "): they are paired here as the language's marks.

local function chinese_quotes(inlines)
  local open = false
  local function mark(char)
    if char == '\u{201C}' then
      open = true
    elseif char == '\u{201D}' and open then
      open = false
    elseif char == '"' or char == '\u{201D}' then  -- straight, or a closing mark with nothing open
      open = not open
      return open and '\u{201C}' or '\u{201D}'
    end
    return char
  end
  return inlines:walk({
    Str = function(str)
      if not (str.text:find('"', 1, true) or str.text:find('\u{201C}', 1, true) or str.text:find('\u{201D}', 1, true)) then
        return nil
      end
      local out = {}
      for _, code in utf8.codes(str.text) do
        table.insert(out, mark(utf8.char(code)))
      end
      return pandoc.Str(table.concat(out))
    end,
  })
end

-- A word longer than a line (a pasted identifier, a run of characters) gets a break
-- opportunity every few characters, so it cannot overflow the text column.
local LONG_WORD = 40
local function breakable_long_word(str)
  local length = utf8.len(str.text)
  if length == nil or length <= LONG_WORD then
    return nil
  end
  for _, code in utf8.codes(str.text) do
    if code >= 0x2E80 then
      return nil  -- CJK text breaks between any two characters already
    end
  end
  local parts, count = {}, 0
  for _, code in utf8.codes(str.text) do
    table.insert(parts, utf8.char(code))
    count = count + 1
    if count % 20 == 0 then
      table.insert(parts, '\u{200B}')
    end
  end
  return pandoc.Str(table.concat(parts))
end

-- One visit of every word; in Chinese or Japanese, the quotes of each block's text (notes
-- included) are paired from its first inline to its last.
local function Pandoc(doc)
  doc = doc:walk({Str = breakable_long_word})
  local base = doc.meta.lang and pandoc.utils.stringify(doc.meta.lang):lower():sub(1, 2) or ''
  if base == 'zh' or base == 'ja' then
    doc = doc:walk({traverse = 'topdown', Inlines = function(inlines) return chinese_quotes(inlines), false end})
  end
  return doc
end

return {{Pandoc = Pandoc}}
