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

// The readiness check (R24) beside a registration form's fields while the
// admin types. The check is the server's, the very one a submission meets:
// 400 ms after the last change, the form as it stands (unsaved) is posted
// to its data-check address, which answers with the form's check places
// (each problem by its field, the problems of fields the form does not
// show, and the summary: "Ready to submit" or how many problems are left),
// rendered as the page renders them; each is put in place by its id. An
// answer older than a change made since is dropped. The save's errors of
// the form's own fields (data-covered) are the check's too, and leave
// with its first answer. A group of fields that only some answers ask for
// (data-when a field's value is, data-in, or is not, data-not-in, one of
// a list) shows with them; hidden, it is disabled, so it is not sent.
(() => {
  const delay = 400;
  const timers = new WeakMap();
  const asked = new WeakMap();

  const value = (form, name) => {
    const f = form.elements.namedItem(name);
    return f && "value" in f ? String(f.value).trim().toUpperCase() : "";
  };

  const sync = (form) => {
    for (const g of form.querySelectorAll("[data-when]")) {
      const v = value(form, g.dataset.when);
      const listed = (l) => l.toUpperCase().split(/\s+/).includes(v);
      const show = g.dataset.in !== undefined ? listed(g.dataset.in) : !listed(g.dataset.notIn || "");
      g.hidden = !show;
      g.disabled = !show;
    }
  };

  // mark sets each field's aria-invalid by what describes it now: an
  // error, or a check with an error.
  const mark = (form) => {
    for (const f of form.querySelectorAll("[aria-describedby]")) {
      const by = f.getAttribute("aria-describedby").split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean);
      if (by.length) f.setAttribute("aria-describedby", by.map((e) => e.id).join(" "));
      else f.removeAttribute("aria-describedby");
      if (by.some((e) => e.matches(".error") || e.querySelector(".problem.error"))) f.setAttribute("aria-invalid", "true");
      else f.removeAttribute("aria-invalid");
    }
  };

  const check = async (form) => {
    if (!form.isConnected) return;
    const n = (asked.get(form) || 0) + 1;
    asked.set(form, n);
    let html;
    try {
      const csrf = form.elements.namedItem("csrf");
      const r = await fetch(form.dataset.check, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { "X-CSRF-Token": csrf ? csrf.value : "" },
        credentials: "same-origin",
      });
      if (!r.ok) return;
      html = await r.text();
    } catch {
      return; // offline, or the server went away: the next change asks again
    }
    if (asked.get(form) !== n || !form.isConnected) return;
    const doc = new DOMParser().parseFromString(html, "text/html");
    for (const fresh of [...doc.body.children]) {
      const old = fresh.id && form.querySelector("#" + CSS.escape(fresh.id));
      if (!old) continue;
      // The element stays (a live region is announced when its content
      // changes, not when it is replaced): its class and content change.
      old.className = fresh.className;
      old.replaceChildren(...[...fresh.childNodes].map((c) => document.adoptNode(c)));
    }
    for (const e of form.querySelectorAll(".error[data-covered]")) e.remove();
    mark(form);
  };

  const edited = (ev) => {
    const t = ev.target;
    const form = t && t.form;
    if (!form || !form.dataset.check) return;
    if (t.name && form.querySelector(`[data-when="${CSS.escape(t.name)}"]`)) sync(form);
    // An answer on its way is older than this change.
    asked.set(form, (asked.get(form) || 0) + 1);
    clearTimeout(timers.get(form));
    timers.set(form, setTimeout(() => check(form), delay));
  };
  document.addEventListener("input", edited);
  document.addEventListener("change", edited);
})();

// The numbers table at any size. "Check every number on this page" (a
// script's box, hidden without one) checks the page's boxes. "Act on all
// N numbers" sends an action for every number the filter selects, all
// pages: without a script the server runs it whole and answers with every
// result; with one, it is sent a chunk at a time (the server's chunk is
// the API's bulk size, taken in number order), and a progress bar shows
// how far it has come, with each number's result as it comes. The table
// follows by itself (its live update).
(() => {
  const pageBox = () => document.getElementById("select-page");
  const rowBoxes = () => [...document.querySelectorAll('#numbers-body input[type="checkbox"][name="number"]')];

  const showPageBox = () => {
    const b = pageBox();
    if (!b) return;
    b.hidden = false;
    const label = document.querySelector('label[for="select-page"]');
    if (label) label.hidden = false;
    const boxes = rowBoxes();
    b.disabled = boxes.length === 0;
    b.checked = boxes.length > 0 && boxes.every((x) => x.checked);
    b.indeterminate = !b.checked && boxes.some((x) => x.checked);
  };

  document.addEventListener("change", (ev) => {
    const t = ev.target;
    if (t === pageBox()) {
      for (const x of rowBoxes()) x.checked = t.checked;
    } else if (t && t.name === "number" && t.closest("#numbers-body")) {
      showPageBox();
    }
  });
  document.addEventListener("DOMContentLoaded", showPageBox);
  document.addEventListener("htmx:afterSettle", showPageBox);

  const text = (el, s) => {
    el.textContent = s;
    return el;
  };

  // run sends the action of submitter on every number the filter of form
  // selects, chunk by chunk, into box.
  const run = async (form, submitter, box) => {
    const all = form.querySelector("#select-all");
    const total = Number(all.dataset.total) || 0;
    const title = submitter.textContent.trim();
    box.hidden = false;
    box.replaceChildren();
    const h = text(document.createElement("h3"), title + ": every number that matches");
    const bar = document.createElement("progress");
    bar.max = Math.max(total, 1);
    bar.value = 0;
    bar.id = "bulk-bar";
    const label = document.createElement("label");
    label.htmlFor = "bulk-bar";
    label.className = "visually-hidden";
    label.textContent = "Progress";
    const said = document.createElement("p");
    said.className = "progress-text";
    const refused = document.createElement("ul");
    refused.className = "refused";
    const every = document.createElement("details");
    every.append(text(document.createElement("summary"), "Every number's result"));
    const list = document.createElement("ul");
    list.className = "every-result";
    every.append(list);
    box.append(h, label, bar, said, refused, every);
    // The menu that sent it closes: the focus goes to what answers.
    h.tabIndex = -1;
    h.focus();

    let after = "";
    let done = 0;
    let failed = 0;
    const tell = (end) => {
      bar.value = Math.min(done, bar.max);
      said.textContent =
        (end ? "Done: " : "") +
        `${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} numbers: ` +
        `${(done - failed).toLocaleString("en-US")} accepted, ${failed.toLocaleString("en-US")} refused.`;
    };
    tell(false);
    for (;;) {
      const body = new FormData(form, submitter);
      body.set("chunk", "1");
      body.set("after", after);
      let chunk;
      try {
        const r = await fetch(form.getAttribute("action"), {
          method: "POST",
          body: new URLSearchParams(body),
          headers: { "HX-Request": "true" },
          credentials: "same-origin",
        });
        const doc = new DOMParser().parseFromString(await r.text(), "text/html");
        chunk = doc.getElementById("bulk-chunk");
        if (!chunk) throw new Error(`the server answered ${r.status}`);
      } catch (e) {
        said.textContent = `Stopped after ${done.toLocaleString("en-US")} numbers: ${e.message}. Reload the page to see where the numbers are.`;
        said.className = "progress-text error";
        return;
      }
      for (const li of chunk.querySelectorAll("li")) {
        const mine = document.adoptNode(li);
        done++;
        if (mine.dataset.ok !== "true") {
          failed++;
          refused.append(mine.cloneNode(true));
        }
        list.append(mine);
      }
      if (chunk.dataset.error) {
        said.textContent = chunk.dataset.error;
        said.className = "progress-text error";
        return;
      }
      tell(false);
      after = chunk.dataset.next || "";
      if (!after) break;
    }
    tell(true);
    all.checked = false;
  };

  document.addEventListener(
    "submit",
    (ev) => {
      const form = ev.target;
      const submitter = ev.submitter;
      const all = form && form.id === "numbers-form" && form.querySelector("#select-all");
      if (!all || !all.checked || !submitter || submitter.name !== "action") return;
      // Before htmx, which would send it whole.
      ev.preventDefault();
      ev.stopImmediatePropagation();
      const more = submitter.closest("details");
      if (more) more.open = false;
      const box = document.getElementById("bulk-progress");
      run(form, submitter, box);
    },
    true,
  );
})();

// An action's results follow their numbers: when a live update brings a
// number's newer status (the SMS page's table, the profile's numbers),
// each result of that number shows it (a result that succeeded: a
// refusal stays what it was), so that "Pending" does not stay after the
// carrier has answered.
(() => {
  const follow = () => {
    const now = new Map();
    for (const cell of document.querySelectorAll("#numbers-body tr[id^='row-'] td.status, #user-sms tr[id^='num-'] td.status")) {
      const badge = cell.querySelector(".badge");
      const box = cell.closest("tr").querySelector("input[name='number'], input[type='hidden'][name='number']");
      const number = box ? box.value : null;
      if (badge && number) now.set(number, badge);
    }
    if (now.size === 0) return;
    for (const r of document.querySelectorAll(".results li[data-number], #bulk-progress li[data-number], #sms-result[data-number]")) {
      const badge = now.get(r.dataset.number);
      const old = r.querySelector(":scope > .badge");
      if (badge && old && old.outerHTML !== badge.outerHTML) old.replaceWith(badge.cloneNode(true));
    }
  };
  document.addEventListener("htmx:oobAfterSwap", follow);
})();

// Times in the viewer's time zone: a <time class="local" datetime="…">
// that the server wrote in UTC (the audit log's) shows the viewer's local
// time, to the second, and keeps the UTC text as its title. Without a
// script the UTC text stays.
(() => {
  const format = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "short",
  });
  const localize = (root) => {
    for (const t of root.querySelectorAll("time.local[datetime]")) {
      if (t.dataset.utc !== undefined) continue;
      const d = new Date(t.getAttribute("datetime"));
      if (Number.isNaN(d.getTime())) continue;
      t.dataset.utc = t.textContent;
      t.title = t.textContent;
      t.textContent = format.format(d);
    }
  };
  document.addEventListener("DOMContentLoaded", () => localize(document));
  document.addEventListener("htmx:afterSettle", (ev) => localize(ev.target));
})();

// Escape closes the open "More" menu (a details.more: the focus in it, or
// else any open one) and gives the focus back to its summary.
document.addEventListener("keydown", (ev) => {
  if (ev.key !== "Escape" || ev.defaultPrevented) return;
  const a = document.activeElement;
  const menu = (a && a.closest("details.more[open]")) || document.querySelector("details.more[open]");
  if (!menu) return;
  menu.open = false;
  menu.querySelector(":scope > summary").focus();
});
