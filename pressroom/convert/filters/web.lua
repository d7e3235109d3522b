-- The web edition's last filter: notes and the sandbox rules of a page in a browser.
--
-- Notes stay pandoc notes (numbered calls with role doc-noteref, end-notes with
-- role doc-endnotes and back-links), numbered in the same series as the PDF's.
-- Each call is followed by a copy of its note (a sidenote shown beside the text on
-- wide screens) that is hidden from assistive technology and from search: the
-- end-note is the one read. The display copy of a pull-quote is hidden the same
-- way, so its sentence is read once. Must run after citeproc and pull.lua.
--
-- Safety: only http(s), mailto and in-page links stay links; attributes other than
-- a short list (lang, dir, sizes) are dropped, so no event handler or style reaches the page.

local SAFE_TARGET = {'^https?://', '^mailto:', '^#'}
local KEPT_ATTRIBUTES = {lang = true, dir = true, width = true, height = true,
                         ['aria-hidden'] = true, ['data-pagefind-ignore'] = true}

-- The element without the attributes not kept, or nil when it has none of them (an element
-- handed back is read back by pandoc with everything inside it: a section, a table).
local function filtered(element)
  local dropped = false
  if element.attributes then
    for key, _ in pairs(element.attributes) do
      if not KEPT_ATTRIBUTES[key] then
        element.attributes[key] = nil
        dropped = true
      end
    end
  end
  return dropped and element or nil
end

local count = 0

local function sidenote(note)
  count = count + 1
  local inlines = pandoc.utils.blocks_to_inlines(note.content, {pandoc.Space()})
  -- The copy has no links (the end-note has them): nothing focusable is hidden from assistive technology.
  -- Its inlines are filtered here: those made from the note's blocks (a code block's Code) are not
  -- walked again, and pandoc filters blocks after every inline.
  inlines = inlines:walk({Link = function(link) return pandoc.Span(link.content) end,
                          Code = filtered, Span = filtered, Image = filtered})
  local marker = pandoc.Span({pandoc.Str(tostring(count))}, {class = 'sidenote-number'})
  return pandoc.Span({marker, pandoc.Space(), table.unpack(inlines)},
                     pandoc.Attr('', {'sidenote'}, {{'aria-hidden', 'true'}, {'data-pagefind-ignore', 'all'}}))
end

local function is_note(inline)
  if inline.t == 'Note' then
    return true
  end
  if inline.t == 'Cite' then
    local last = inline.content[#inline.content]
    return last ~= nil and (is_note(last) or (last.t == 'Span' and last.classes:includes('sidenote')))
  end
  return false
end

-- Two calls side by side would read as one number ("3" "4" as "34"): a comma between.
local function calls_in(inlines)
  local count = 0
  for _, inline in ipairs(inlines) do
    count = count + (is_note(inline) and 1 or 0)
  end
  return count
end

local function separate_adjacent_calls(inlines)
  if calls_in(inlines) < 2 then
    return nil  -- most lists: left as they are, without building a copy
  end
  local result, previous = pandoc.Inlines({}), nil
  for _, inline in ipairs(inlines) do
    local sidenote_copy = inline.t == 'Span' and inline.classes:includes('sidenote')
    if not sidenote_copy then
      if previous and is_note(previous) and is_note(inline) then
        result:insert(pandoc.Span({pandoc.Str(',')}, {class = 'note-separator', ['aria-hidden'] = 'true'}))
      end
      previous = inline
    end
    result:insert(inline)
  end
  return result
end

-- Notes are met in document order, depth first (a citation's note inside its Cite before a
-- note later in the same paragraph), as pandoc numbers them. A top-down traversal gives the
-- same order but hands every element to Lua (0.13 s more for the 8 samples).
local function with_sidenote(note)
  return {note, sidenote(note)}
end

local function Link(link)
  for _, pattern in ipairs(SAFE_TARGET) do
    if link.target:lower():match(pattern) then
      return filtered(link)
    end
  end
  return pandoc.Span(link.content)  -- the words stay, the link goes
end

local function Div(div)
  if div.classes:includes('pullquote') and div.classes:includes('from-text') then  -- a copy, not a ::: pullquote
    div.attributes['aria-hidden'] = 'true'
    div.attributes['data-pagefind-ignore'] = 'all'
    return filtered(div) or div
  end
  return filtered(div)
end

-- One traversal for the notes and the safety rules (two took 0.16 s for the 8 samples, one 0.10 s):
-- pandoc walks an element's children before the element, so a note's links are made safe before
-- its sidenote copy is made from it.
return {
  {Note = with_sidenote, Link = Link, Div = Div, Span = filtered, Image = filtered, Code = filtered,
   CodeBlock = filtered, Header = filtered, Table = filtered, Figure = filtered},
  -- only where the source has two calls side by side (the metadata adjacent-calls, set by transform.py)
  {Pandoc = function(doc)
    if doc.meta['adjacent-calls'] then
      return doc:walk({Inlines = separate_adjacent_calls})
    end
  end},
}
