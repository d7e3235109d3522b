-- Pull-quotes: a sentence marked [like this]{.pull} stays in the text and is
-- repeated as a display quotation right after its paragraph. The display copy
-- drops notes, citations and links, so no footnote is ever printed twice, and is hidden
-- from assistive technology (aria-hidden; in the PDF, an element read as nothing), so the
-- sentence is read once, in the body. A quotation cut from the middle of a sentence
-- shows an ellipsis where it was cut ("…sex worker-led organisations continue to resist").

local lang = ''

local function Meta(meta)
  if meta.lang then
    lang = pandoc.utils.stringify(meta.lang):lower()
  end
end

local function ellipsis()
  local base = lang:sub(1, 2)
  return (base == 'zh' or base == 'ja') and '\u{2026}\u{2026}' or '\u{2026}'
end

-- Ends a sentence: . ! ? (and their CJK forms) or an ellipsis, then closing quotes or brackets.
local CLOSERS = '["\'\u{201D}\u{2019}\u{00BB})\u{FF09}\u{300D}\u{300F}]*'
local function ends_sentence(text)
  for _, stop in ipairs({'%.', '!', '%?', '\u{3002}', '\u{FF01}', '\u{FF1F}', '\u{2026}'}) do
    if text:match(stop .. CLOSERS .. '%s*$') then
      return true
    end
  end
  return false
end

local function trimmed(text)
  return (text:gsub('^%s+', ''):gsub('%s+$', ''))
end

local function display_copy(inlines)
  return inlines:walk({
    Note = function() return {} end,
    Cite = function() return {} end,
    -- No link either: the copy is read as nothing, and a link there would be a second, silent one.
    Link = function(link) return link.content end,
  })
end

-- The display copy, with an ellipsis at a side where the sentence goes on in the paragraph.
local function marked_copy(span, paragraph_text)
  local copy = display_copy(span.content)
  local text = pandoc.utils.stringify(copy)
  local at = paragraph_text:find(pandoc.utils.stringify(span.content), 1, true)
  if at == nil or trimmed(text) == '' then
    return copy
  end
  local before = trimmed(paragraph_text:sub(1, at - 1))
  local after = trimmed(paragraph_text:sub(at + #pandoc.utils.stringify(span.content)))
  if before ~= '' and not ends_sentence(before) then
    copy:insert(1, pandoc.Str(ellipsis()))
  end
  if after ~= '' and not ends_sentence(text) then
    while #copy > 0 and copy[#copy].t == 'Space' do
      copy:remove(#copy)
    end
    local last = copy[#copy]
    if last and last.t == 'Str' then
      last.text = last.text:gsub('[,;:\u{FF0C}\u{3001}\u{FF1B}\u{FF1A}]$', '')
    end
    copy:insert(pandoc.Str(ellipsis()))
  end
  return copy
end

local function with_pullquotes(block)
  local quotes = pandoc.Blocks({})
  local paragraph_text = pandoc.utils.stringify(block)
  block:walk({
    Span = function(span)
      if span.classes:includes('pull') then
        local copy = marked_copy(span, paragraph_text)
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

return {{Meta = Meta}, {Para = with_pullquotes, Plain = with_pullquotes}}
