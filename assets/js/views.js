// swapViews puts freshly rendered views HTML into place without a flicker:
// the server sends every section each time, but only sections whose
// content changed are replaced, and scroll positions inside them are
// kept. Sections are matched by id.
export function swapViews(container, html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  const incoming = [...tpl.content.children];
  const keep = new Set();
  let prev = null;
  let changed = 0;
  for (const el of incoming) {
    if (!el.id) continue;
    keep.add(el.id);
    const cur = container.querySelector(`:scope > #${CSS.escape(el.id)}`);
    if (cur && cur.isEqualNode(el)) {
      prev = cur;
      continue;
    }
    changed++;
    if (cur) {
      const scroll = scrollPositions(cur);
      cur.replaceWith(el);
      restoreScroll(el, scroll);
    } else if (prev) {
      prev.after(el);
    } else {
      container.prepend(el);
    }
    prev = el;
  }
  for (const child of [...container.children]) {
    if (!keep.has(child.id)) child.remove();
  }
  return changed;
}

function scrollPositions(root) {
  const out = new Map();
  for (const el of [root, ...root.querySelectorAll("[id]")]) {
    if (el.scrollTop || el.scrollLeft) out.set(el.id, [el.scrollTop, el.scrollLeft]);
  }
  return out;
}

function restoreScroll(root, positions) {
  for (const [id, [top, left]] of positions) {
    const el = root.id === id ? root : root.querySelector(`#${CSS.escape(id)}`);
    if (el) {
      el.scrollTop = top;
      el.scrollLeft = left;
    }
  }
}
