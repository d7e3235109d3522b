// The web edition's enhancements. Every page works without them: note calls are links
// to the end-notes (with back-links) and the catalogue lists every publication.
//   - on narrow screens a note call opens its note in place, in a popover;
//   - the catalogue's search box (Pagefind's index of its language, built with the site) is shown.

const wide = window.matchMedia("(min-width: 64em)");

function openNote(call, popover) {
  const note = document.getElementById(decodeURIComponent(call.hash.slice(1)));
  if (!note) return false;
  const body = popover.querySelector(".note-popover-body");
  const copy = note.cloneNode(true);
  copy.querySelectorAll('[role="doc-backlink"]').forEach((link) => link.remove());
  body.replaceChildren(...copy.childNodes);
  popover.querySelector(".note-popover-number").textContent = call.textContent.trim();
  popover.returnFocusTo = call;
  popover.showPopover();
  popover.querySelector(".note-popover-close").focus();
  return true;
}

function enhanceNotes() {
  const popover = document.getElementById("note-popover");
  if (!popover || !("showPopover" in popover)) return;
  document.addEventListener("click", (event) => {
    const call = event.target.closest('a[role="doc-noteref"]');
    if (call && !wide.matches && openNote(call, popover)) event.preventDefault();
  });
  popover.addEventListener("toggle", (event) => {
    if (event.newState === "closed" && popover.returnFocusTo) popover.returnFocusTo.focus();
  });
}

function excerpt(html) {
  // Pagefind marks the matched words with <mark>; everything else is written as text.
  const paragraph = document.createElement("p");
  html.split(/(<mark>.*?<\/mark>)/).forEach((part) => {
    const marked = part.match(/^<mark>(.*)<\/mark>$/);
    const text = (marked ? marked[1] : part).replace(/&lt;/g, "<").replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = text;
      paragraph.append(mark);
    } else {
      paragraph.append(text);
    }
  });
  return paragraph;
}

async function search(terms, results) {
  // The catalogue's language has its own index, beside it: <lang>/_search/.
  const here = new URL("./", document.baseURI);
  const pagefind = await import(new URL("_search/pagefind.js", here).href);
  await pagefind.options({ baseUrl: here.pathname });
  const found = await pagefind.search(terms);
  const pages = await Promise.all((found ? found.results : []).slice(0, 10).map((result) => result.data()));
  if (!pages.length) {
    results.replaceChildren(Object.assign(document.createElement("p"), { textContent: results.dataset.none }));
    return;
  }
  const list = document.createElement("ol");
  for (const page of pages) {
    const item = document.createElement("li");
    const link = Object.assign(document.createElement("a"), { href: page.url, textContent: page.meta.title });
    item.append(link, excerpt(page.excerpt));
    list.append(item);
  }
  results.replaceChildren(list);
}

function enhanceSearch() {
  const box = document.querySelector("search.search");
  if (!box) return;
  const form = box.querySelector("form");
  const input = box.querySelector("input");
  const results = box.querySelector(".search-results");
  box.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (input.value.trim()) search(input.value.trim(), results);
  });
  const asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    input.value = asked;
    search(asked, results);
  }
}

enhanceNotes();
enhanceSearch();
