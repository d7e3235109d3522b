-- Footnotes as inline spans at their call, so that CSS `float: footnote`
-- prints each at the bottom of the page where it is called. Must run after
-- citeproc, which turns citations into notes of the same series.

local function Note(note)
  local inlines = pandoc.utils.blocks_to_inlines(note.content, {pandoc.Space()})
  return pandoc.Span(inlines, {class = 'footnote'})
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

-- Two calls side by side would read as one number ("3" "4" as "34"):
-- separate them with a superscript comma.
local function separate_adjacent_calls(inlines)
  local result = pandoc.Inlines({})
  for index, inline in ipairs(inlines) do
    if index > 1 and is_note(inline) and is_note(inlines[index - 1]) then
      result:insert(pandoc.Span({pandoc.Str(',')}, {class = 'note-separator'}))
    end
    result:insert(inline)
  end
  return result
end

return {{Note = Note}, {Inlines = separate_adjacent_calls}}
