-- Language-specific typography the author should not have to type:
-- French puts a narrow no-break space before ; : ! ? and % (and inside « »);
-- Chinese has no spaces, so pandoc cannot tell opening from closing straight
-- quotes (it leaves them as ” or "): they are paired here as the language's marks.

local lang = ''

local function Meta(meta)
  if meta.lang then
    lang = pandoc.utils.stringify(meta.lang):lower()
  end
end

local function french_spaces(inlines)
  for index = 2, #inlines do
    local current = inlines[index]
    if current.t == 'Str' and current.text:match('^[;:!?%%»]') and inlines[index - 1].t == 'Space' then
      inlines[index - 1] = pandoc.Str('\u{202F}')
    end
  end
  return inlines
end

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

local function Inlines(inlines)
  local base = lang:sub(1, 2)
  if base == 'fr' then
    return french_spaces(inlines)
  elseif base == 'zh' or base == 'ja' then
    return chinese_quotes(inlines)
  end
end

return {{Meta = Meta}, {Inlines = Inlines}}
