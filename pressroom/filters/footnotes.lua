-- Footnotes as inline spans at their call, so that CSS `float: footnote`
-- prints each at the bottom of the page where it is called. Must run after
-- citeproc, which turns citations into notes of the same series.

function Note(note)
  local inlines = pandoc.utils.blocks_to_inlines(note.content, {pandoc.Space()})
  return pandoc.Span(inlines, {class = 'footnote'})
end
