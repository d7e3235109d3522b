-- The blocks of the authoring contract (testimonial, example, callout,
-- numbered, timeline, back-matter, pullquote) as plain HTML structure that the
-- stylesheets lay out. Nothing here is specific to one publication type.

local image_base = ''

-- A paragraph holding one span: no stray white space before CSS-generated text.
local function text_block(text, class)
  return pandoc.Para({pandoc.Span(pandoc.Inlines(text), {class = class})})
end

local function take_attribute(div, name)
  local value = div.attributes[name]
  div.attributes[name] = nil
  return value
end

local function testimonial(div)
  local by = take_attribute(div, 'by')
  if by and by ~= '' then
    div.content:insert(text_block(by, 'attribution'))
  end
  return div
end

local function titled_box(div)
  local title = take_attribute(div, 'title')
  if title and title ~= '' then
    div.content:insert(1, text_block(title, 'box-title'))
  end
  return div
end

-- Split a numbered block into items: one per list item, or one per heading
-- (with the blocks that follow it). Blocks before the first item stay as they are.
local function numbered_items(blocks)
  local intro, items, current, level = pandoc.Blocks({}), {}, nil, nil
  for _, block in ipairs(blocks) do
    if block.t == 'OrderedList' or block.t == 'BulletList' then
      for _, item in ipairs(block.content) do
        table.insert(items, pandoc.Blocks(item))
      end
      current = nil
    elseif block.t == 'Header' and (level == nil or block.level <= level) then
      level = level or block.level
      current = pandoc.Blocks({block})
      table.insert(items, current)
    elseif current then
      current:insert(block)
    else
      intro:insert(block)
    end
  end
  return intro, items
end

local function numbered(div)
  local word = take_attribute(div, 'title')
  local intro, items = numbered_items(div.content)
  local content = intro
  for index, item in ipairs(items) do
    local number
    if word and word ~= '' then
      number = pandoc.Plain({pandoc.Span(pandoc.Inlines(word), {class = 'item-word'}),
                             pandoc.Str('\u{a0}#' .. index)})
    else
      number = pandoc.Plain({pandoc.Str(tostring(index))})
    end
    item:insert(1, pandoc.Div({number}, {class = 'item-number'}))
    content:insert(pandoc.Div(item, {class = 'numbered-item'}))
  end
  div.content = content
  if word and word ~= '' then
    div.classes:insert('labelled')
  end
  return div
end

local handlers = {
  testimonial = testimonial,
  example = titled_box,
  callout = titled_box,
  numbered = numbered,
}

local function Div(div)
  for class, handler in pairs(handlers) do
    if div.classes:includes(class) then
      return handler(div)
    end
  end
end

local function Image(image)
  if not image.src:match('^%a[%w+.-]*:') and not image.src:match('^/') then
    image.src = image_base .. image.src
  end
  return image
end

local function Meta(meta)
  if meta['image-base'] then
    image_base = pandoc.utils.stringify(meta['image-base'])
  end
end

return {{Meta = Meta}, {Div = Div, Image = Image}}
