-- Content is data: the attributes an author writes ({.class key=value}) never
-- change the layout. Only the classes of the authoring contract and pandoc's own
-- meaningful ones are kept, with the id and the attributes our blocks read;
-- `style`, event handlers, `width`, `rel` and the rest are dropped. Runs first.

local CLASSES = {}
for _, name in ipairs({
  -- blocks and marks of the authoring contract
  'testimonial', 'example', 'callout', 'numbered', 'timeline', 'back-matter', 'pullquote', 'pull',
  -- pandoc's: unnumbered/unlisted headings, [text]{.smallcaps}, autolinks
  'unnumbered', 'unlisted', 'smallcaps', 'underline', 'mark', 'uri', 'email',
}) do
  CLASSES[name] = true
end

local ATTRIBUTES = {lang = true, dir = true, title = true, by = true}

local function clean(element)
  if not element.attr then
    return nil
  end
  local classes = pandoc.List({})
  for _, class in ipairs(element.attr.classes) do
    if CLASSES[class] then
      classes:insert(class)
    end
  end
  local attributes = {}
  for key, value in pairs(element.attr.attributes) do
    if ATTRIBUTES[key] then
      attributes[key] = value
    end
  end
  element.attr = pandoc.Attr(element.attr.identifier, classes, attributes)
  return element
end

-- Example lists ((@) items) are numbered across the document; pandoc's HTML marks
-- them class="example", which is our example box. Plain numbers keep the numbering.
local function OrderedList(list)
  if list.listAttributes.style == 'Example' then
    list.listAttributes.style = 'Decimal'
  end
  return list
end

-- Only the elements that carry attributes: a catch-all filter would cost a call per word.
return {{
  Div = clean, Header = clean, CodeBlock = clean, Table = clean, Figure = clean,
  Span = clean, Code = clean, Link = clean, Image = clean,
}, {OrderedList = OrderedList}}
