-- WeasyPrint ignores <ol start="7">: a list that does not start at 1 (a list
-- starting at 7, an example list continued after a paragraph) is written with
-- its counter set, so it prints the numbers the author wrote. Runs after blocks.lua
-- has turned the lists of numbered blocks into items, once for every format (the
-- filters of each format, after it, leave lists as they are).

local TYPES = {Decimal = '1', LowerAlpha = 'a', UpperAlpha = 'A', LowerRoman = 'i', UpperRoman = 'I'}

local function OrderedList(list)
  local start = list.listAttributes.start
  if start == 1 then
    return nil
  end
  local kind = TYPES[list.listAttributes.style]
  local open = string.format('<ol style="counter-reset: list-item %d"%s>', start - 1,
                             kind and string.format(' type="%s"', kind) or '')
  local blocks = pandoc.Blocks({pandoc.RawBlock('html', open)})
  for _, item in ipairs(list.content) do
    blocks:insert(pandoc.RawBlock('html', '<li>'))
    blocks:extend(item)
    blocks:insert(pandoc.RawBlock('html', '</li>'))
  end
  blocks:insert(pandoc.RawBlock('html', '</ol>'))
  return blocks
end

return {{OrderedList = OrderedList}}
