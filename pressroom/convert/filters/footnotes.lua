-- Footnotes as inline spans at their call, so that CSS `float: footnote`
-- prints each at the bottom of the page where it is called. Must run after
-- citeproc, which turns citations into notes of the same series.

-- Every note of a document gets the class of its series' widest number (notes-3 from
-- note 100 on), so that styles/base.css gives all its markers room for that many digits.
local width_class = 'notes-1'

local function count_notes(doc)
  local count = 0
  doc:walk({Note = function() count = count + 1 end})
  width_class = 'notes-' .. #tostring(math.max(count, 1))
end

local function Note(note)
  local inlines = pandoc.utils.blocks_to_inlines(note.content, {pandoc.Space()})
  return pandoc.Span(inlines, {class = 'footnote ' .. width_class})
end

local function is_note(inline)
  if inline.t == 'Span' and inline.classes:includes('footnote') then
    return true
  end
  if inline.t == 'Cite' then
    local last = inline.content[#inline.content]
    return last ~= nil and is_note(last)
  end
  return false
end

-- A call belongs to the text before it: a WORD JOINER (U+2060, no width) between them
-- forbids a line break there, in every language (WeasyPrint honours it across the call's
-- box), and a space typed before a call is dropped. Two calls side by side would read as
-- one number ("3" "4" as "34"): they are separated by a superscript comma, glued the same way.
local WORD_JOINER = '\u{2060}'

local function holds_a_note(inlines)
  for _, inline in ipairs(inlines) do
    if is_note(inline) then
      return true
    end
  end
  return false
end

local function glue_calls(inlines)
  if not holds_a_note(inlines) then
    return nil  -- most lists: left as they are, without building a copy
  end
  local result = pandoc.Inlines({})
  for _, inline in ipairs(inlines) do
    if is_note(inline) then
      while #result > 0 and (result[#result].t == 'Space' or result[#result].t == 'SoftBreak') do
        result:remove(#result)
      end
      if #result > 0 then
        if is_note(result[#result]) then
          result:insert(pandoc.Str(WORD_JOINER))
          result:insert(pandoc.Span({pandoc.Str(',')}, {class = 'note-separator'}))
        end
        result:insert(pandoc.Str(WORD_JOINER))
      end
    end
    result:insert(inline)
  end
  return result
end

return {{Pandoc = count_notes}, {Note = Note}, {Inlines = glue_calls}}
