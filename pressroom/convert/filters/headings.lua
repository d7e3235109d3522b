-- Headings never skip a level: the document title is the only H1 (in the
-- template), sections are H2, subsections H3 and so on. A heading written
-- deeper than its parent allows (a `###` right under a `#`) moves up to the
-- level below its parent, and so do its siblings, as a screen reader's outline
-- expects. Pandoc shifts levels (--shift-heading-level-by=1) after the filters:
-- here `#` is level 1 and the title level 0.

local TITLE_LEVEL = 0

function Pandoc(doc)
  local open = {}  -- the enclosing headings: {written = level, level = level given}
  doc.blocks = doc.blocks:walk({
    traverse = 'topdown',
    Header = function(header)
      while #open > 0 and open[#open].written >= header.level do
        table.remove(open)
      end
      local parent = #open > 0 and open[#open].level or TITLE_LEVEL
      local written = header.level
      header.level = math.min(written, parent + 1)
      table.insert(open, {written = written, level = header.level})
      return header
    end,
  })
  return doc
end
