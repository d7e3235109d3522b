-- Language-specific typography the author should not have to type:
-- French puts a narrow no-break space before ; : ! ? and % (and inside « »).

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

local function Inlines(inlines)
  if lang:sub(1, 2) == 'fr' then
    return french_spaces(inlines)
  end
end

return {{Meta = Meta}, {Inlines = Inlines}}
