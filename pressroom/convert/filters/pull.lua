-- Pull-quotes: a sentence marked [like this]{.pull} stays in the text and is
-- repeated as a display quotation right after its paragraph. The display copy
-- drops notes, citations and links, so no footnote is ever printed twice, and is hidden
-- from assistive technology (aria-hidden; the PDF marks it as an artifact), so the
-- sentence is read once, in the body.

local function display_copy(inlines)
  return inlines:walk({
    Note = function() return {} end,
    Cite = function() return {} end,
    -- No link either: a link annotation must belong to a tagged link, and the copy is untagged.
    Link = function(link) return link.content end,
  })
end

local function with_pullquotes(block)
  local quotes = pandoc.Blocks({})
  block:walk({
    Span = function(span)
      if span.classes:includes('pull') then
        local copy = display_copy(span.content)
        quotes:insert(pandoc.Div({pandoc.Para(copy)}, {class = 'pullquote from-text', ['aria-hidden'] = 'true'}))
      end
    end,
  })
  if #quotes == 0 then
    return nil
  end
  quotes:insert(1, block)
  return quotes
end

return {{Para = with_pullquotes, Plain = with_pullquotes}}
