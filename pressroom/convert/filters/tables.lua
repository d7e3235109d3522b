-- Tables that fit the page. A table's width is estimated from its text (the longest word
-- of each column, in average character widths of the table font); a table too wide for the
-- text column is set in smaller type (down to a floor), then in a wider place (a landscape
-- page, or across a case study's columns), then in parts that each repeat the first column. Each change is reported as a pandoc warning
-- "table-fit <n>: ..." (n counts the tables of the document); pressroom/convert/tables.py
-- turns it into a warning with the file and line.
--
-- The widths (mm) come from the metadata table-width and table-wide-width; the wider place is
-- the class table-wide-class, named in warnings as table-wide-words.

local LEVELS = {  -- type size (pt), cell padding each side (mm), longest word kept whole (chars)
  {size = 8.8, pad = 2.0, word = 14},
  {size = 7.6, pad = 1.2, word = 10, class = 'table-small'},
  {size = 6.5, pad = 0.7, word = 6, class = 'table-floor'},  -- the floor: cells break anywhere
}
local CHAR_WIDTH = 0.58  -- average width of a character of Noto Sans (bold headers), in em
local PT_PER_MM = 72 / 25.4

local width, wide_width = 150, 237
local wide_class, wide_words = 'table-landscape', 'on a landscape page'
local count = 0

local function longest_word(text)
  local longest = 0
  for word in text:gmatch('%S+') do
    longest = math.max(longest, utf8.len(word) or #word)
  end
  return longest
end

local function rows_of(tbl)
  local rows = {}
  for _, row in ipairs(tbl.head.rows) do rows[#rows + 1] = row end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.head) do rows[#rows + 1] = row end
    for _, row in ipairs(body.body) do rows[#rows + 1] = row end
  end
  for _, row in ipairs(tbl.foot.rows) do rows[#rows + 1] = row end
  return rows
end

-- The longest word of each column (chars), and whether no cell spans columns or rows (a
-- table with spanning cells is measured by its single cells, and never split).
local function column_words(tbl)
  local words, simple = {}, true
  for i = 1, #tbl.colspecs do words[i] = 1 end
  for _, row in ipairs(rows_of(tbl)) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      if cell.col_span == 1 and words[column] then
        words[column] = math.max(words[column], longest_word(pandoc.utils.stringify(cell.contents)))
      end
      simple = simple and cell.col_span == 1 and cell.row_span == 1
      column = column + cell.col_span
    end
  end
  return words, simple
end

-- Width (mm) the columns need at a level: each keeps its longest word whole, up to the
-- level's limit (a longer word breaks).
local function needed(words, level)
  local char_mm = CHAR_WIDTH * level.size / PT_PER_MM
  local total = 0
  for _, chars in ipairs(words) do
    total = total + math.min(chars, level.word) * char_mm + 2 * level.pad
  end
  return total
end

-- Column widths in proportion to what each column needs at the level.
local function set_widths(colspecs, words, level)
  local total = needed(words, level)
  local char_mm = CHAR_WIDTH * level.size / PT_PER_MM
  for i, spec in ipairs(colspecs) do
    colspecs[i] = {spec[1], (math.min(words[i], level.word) * char_mm + 2 * level.pad) / total}
  end
end

-- The columns in groups that fit ``space`` at the floor level, each led by the first column.
local function column_groups(words, space)
  local floor = LEVELS[#LEVELS]
  local groups, current = {}, {}
  for i = 2, #words do
    local trial = {words[1]}
    for _, index in ipairs(current) do trial[#trial + 1] = words[index] end
    trial[#trial + 1] = words[i]
    if #current > 0 and needed(trial, floor) > space then
      groups[#groups + 1] = current
      current = {}
    end
    current[#current + 1] = i
  end
  groups[#groups + 1] = current
  -- as many groups, of even sizes
  local size = math.ceil((#words - 1) / #groups)
  local even = {}
  for i = 2, #words do
    local index = (i - 2) // size + 1
    even[index] = even[index] or {}
    table.insert(even[index], i)
  end
  return even
end

local function select_cells(row, columns)
  local cells = {row.cells[1]}
  for _, index in ipairs(columns) do cells[#cells + 1] = row.cells[index] end
  row.cells = cells
  return row
end

-- A copy of the table with the first column and ``columns`` only.
local function part_of(tbl, columns)
  local part = tbl:clone()
  local specs = {part.colspecs[1]}
  for _, index in ipairs(columns) do specs[#specs + 1] = part.colspecs[index] end
  part.colspecs = specs
  for _, row in ipairs(rows_of(part)) do select_cells(row, columns) end
  return part
end

local function warn(message)
  pandoc.log.warn(string.format('table-fit %d: %s', count, message))
end

local function fitted(tbl, level)
  tbl.classes:insert(level.class)
  return tbl
end

local function Table(tbl)
  count = count + 1
  local words, simple = column_words(tbl)
  if needed(words, LEVELS[1]) <= width then
    return nil
  end
  local columns = #words
  for index = 2, #LEVELS do
    local level = LEVELS[index]
    if needed(words, level) <= width then
      set_widths(tbl.colspecs, words, level)
      warn(string.format('%d columns: set in %s pt type to fit the page', columns, level.size))
      return fitted(tbl, level)
    end
  end
  local floor = LEVELS[#LEVELS]
  if needed(words, floor) <= wide_width or columns < 3 or not simple then
    set_widths(tbl.colspecs, words, floor)
    warn(string.format('%d columns: set in %s pt type %s', columns, floor.size, wide_words))
    return pandoc.Div({fitted(tbl, floor)}, {class = wide_class})
  end
  local groups = column_groups(words, wide_width)
  local parts = pandoc.Blocks({})
  for _, group in ipairs(groups) do
    local part = part_of(tbl, group)
    local part_words = {words[1]}
    for _, index in ipairs(group) do part_words[#part_words + 1] = words[index] end
    set_widths(part.colspecs, part_words, floor)
    parts:insert(fitted(part, floor))
  end
  warn(string.format('%d columns: set in %s pt type %s, in %d parts that each repeat the first column',
                     columns, floor.size, wide_words, #groups))
  return pandoc.Div(parts, {class = 'table-parts ' .. wide_class})
end

local function Meta(meta)
  local function text(key, default)
    return meta[key] and pandoc.utils.stringify(meta[key]) or default
  end
  width = tonumber(text('table-width')) or width
  wide_width = tonumber(text('table-wide-width')) or wide_width
  wide_class, wide_words = text('table-wide-class', wide_class), text('table-wide-words', wide_words)
end

return {{Meta = Meta}, {Table = Table}}
