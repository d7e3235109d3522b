-- A pandoc writer for several formats at once (pressroom/convert/transform.py).
--
-- The filters every format shares (and citeproc) have run before this writer, once.
-- For each format named in the metadata field `pressroom-formats` (a JSON list of
-- {name, filters}), a copy of the document goes through that format's own filters
-- and the HTML writer. The result is JSON: {name: {html, warnings}}. The warnings
-- of a format's filters stay with that format; pandoc prints the shared ones.

function Writer(doc, opts)
  local formats = pandoc.json.decode(pandoc.utils.stringify(doc.meta['pressroom-formats']), false)
  doc.meta['pressroom-formats'] = nil
  local written = {}
  for _, format in ipairs(formats) do
    local messages, html = pandoc.log.silence(function()
      local copy = doc:clone()
      for _, filter in ipairs(format.filters) do
        copy = pandoc.utils.run_lua_filter(copy, filter)
      end
      return pandoc.write(copy, 'html5', opts)
    end)
    local warnings = {}
    for _, message in ipairs(messages) do
      warnings[#warnings + 1] = pandoc.json.decode(pandoc.json.encode(message), false).pretty
    end
    written[format.name] = {html = html, warnings = warnings}
  end
  return pandoc.json.encode(written)
end
