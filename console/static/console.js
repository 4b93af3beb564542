// The console's live update never takes away what someone is working on.
//
// The poller (layout.html) asks for a page's live regions, and is sent
// those whose data changed (render.go), which htmx swaps in (hx-swap-oob);
// the others stay as they are, and so does one that comes as the page
// already shows it (a form's answer brought it). A swap takes the
// region's elements out of the page: what was typed in a field is lost
// unless the newer region keeps the field (hx-preserve), and the focus is
// lost unless htmx can give it to the newer element of the same id (a kept
// element is put back, but without Element.moveBefore, as in Safari, it
// loses the focus on the way). So a region that holds such a field or
// such a focus is not swapped: its newer data waits, and a note before it
// says so. The data comes in when the person leaves the region (the edited
// fields it keeps stay as typed), or at once when they ask. A details the
// person opened or closed stays so through the swap.
"use strict";
(() => {
  // held is, by region id, a region whose newer data waits: the region,
  // its newer element and the note that says so.
  const held = new Map();

  const fields = "input, select, textarea";

  // edited reports whether the person changed field f from what the page
  // gave it.
  const edited = (f) => {
    if (f.type === "checkbox" || f.type === "radio") return f.checked !== f.defaultChecked;
    if (f.tagName === "SELECT") {
      const o = [...f.options];
      if (f.multiple) return o.some((x) => x.selected !== x.defaultSelected);
      // With no option marked selected, the first one is.
      return o.length > 0 && f.selectedIndex !== Math.max(0, o.findIndex((x) => x.defaultSelected));
    }
    return f.type !== "file" && f.value !== f.defaultValue;
  };

  // keeps reports whether fresh, the newer region, keeps field f of
  // region: f or an element around it comes again with hx-preserve.
  const keeps = (fresh, region, f) => {
    for (let e = f; e && e !== region; e = e.parentElement) {
      if (e.id && fresh.querySelector("#" + CSS.escape(e.id) + "[hx-preserve]")) return true;
    }
    return false;
  };

  // busy reports whether region must wait for fresh: it holds a field
  // edited that fresh would not keep, or the focus, unless htmx gives the
  // focus back after the swap (to fresh's element of the same id; not to a
  // kept element, which loses it without Element.moveBefore).
  const busy = (region, fresh) => {
    const a = document.activeElement;
    if (region.contains(a) && (!a.id || !fresh.querySelector("#" + CSS.escape(a.id)) || keeps(fresh, region, a))) return true;
    return [...region.querySelectorAll(fields)].some((f) => edited(f) && !keeps(fresh, region, f));
  };

  // markup is an element's HTML without hx-preserve, which only a poll's
  // regions carry, to tell whether a region came again unchanged.
  const markup = (el) => {
    const c = el.cloneNode(true);
    for (const e of [c, ...c.querySelectorAll("[hx-preserve]")]) e.removeAttribute("hx-preserve");
    return c.outerHTML;
  };

  // keepOpen opens or closes each details of fresh as the person left the
  // one of the same id in region: the server does not know it.
  const keepOpen = (region, fresh) => {
    for (const d of fresh.querySelectorAll("details[id]")) {
      const old = region.querySelector("#" + CSS.escape(d.id));
      if (old) d.open = old.open;
    }
  };

  // drop forgets the region id's waiting data and removes its note.
  const drop = (id) => {
    const h = held.get(id);
    if (h) {
      held.delete(id);
      h.note.remove();
    }
  };

  // show swaps the waiting data of region id in.
  const show = (id) => {
    const h = held.get(id);
    drop(id);
    if (h && h.region.isConnected) {
      keepOpen(h.region, h.fresh);
      htmx.swap(h.region, h.fresh.outerHTML, { swapStyle: "outerHTML" });
    }
  };

  // hold keeps fresh for region, with a note before the region.
  const hold = (region, fresh) => {
    let h = held.get(region.id);
    if (!h || h.region !== region) {
      drop(region.id);
      const note = document.createElement("p");
      note.className = "notice held";
      note.setAttribute("role", "status");
      note.textContent = "Newer data has come in for this part of the page. It is held back while you work here, so that nothing you are doing is lost. ";
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "Show it now";
      const id = region.id;
      button.addEventListener("click", () => show(id));
      note.append(button);
      region.before(note);
      h = { region, note };
      held.set(id, h);
    }
    h.fresh = fresh;
  };

  document.addEventListener("htmx:oobBeforeSwap", (ev) => {
    const region = ev.detail.target;
    const fresh = ev.detail.fragment.firstElementChild;
    if (fresh) keepOpen(region, fresh);
    // A region that comes as the page already shows it (a form's answer
    // brought it in first) is not swapped: it stays the element it is, and
    // any data held back for it is older.
    if (fresh && markup(region) === markup(fresh)) {
      ev.detail.shouldSwap = false;
      drop(region.id);
      return;
    }
    if (!region.id || !fresh || !busy(region, fresh)) {
      drop(region.id);
      return;
    }
    ev.detail.shouldSwap = false;
    hold(region, fresh);
  });

  // Focus leaving a region lets its waiting data in. The focus has moved
  // only once focusout is over; a window that lost the focus keeps its
  // active element, and its regions wait.
  document.addEventListener("focusout", () =>
    setTimeout(() => {
      for (const [id, h] of held) if (!busy(h.region, h.fresh)) show(id);
    }),
  );

  // A region replaced by a form's answer is newer than what waited for it.
  document.addEventListener("htmx:afterSwap", () => {
    for (const [id, h] of held) if (!h.region.isConnected) drop(id);
  });
})();
