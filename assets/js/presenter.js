// Presenter mode: for a speaker at a projector. Large type and high
// contrast, the terminal beside the one view that matters now (PIDs,
// users, mounts or namespaces: picked by key or button, or following the
// lesson's current step), and views that can be blanked or frozen.
//
// It is a function of the page, not of owning a lab: it needs the page's
// views element, its terminals and a way to draw views HTML, so any page
// with terminals and views (a lab, an audience's read-only page) can have
// it. The page passes every "views" message through views(html); while
// frozen, the latest is kept and drawn on unfreeze.
//
// State lives in attributes, for CSS and tests: on <body>
// data-presenter="on|off", data-view-focus="pids|users|mounts|map",
// data-views-frozen and data-views-blank ("true" when so),
// data-presenter-lesson="on|off"; on the views element data-held, the
// number of views updates held back while frozen. The keys are those the
// "?" overlay lists (web/presenter.templ): the overlay is the keymap.

const VIEWS = ["pids", "users", "mounts", "map"];
const KEY_ON = "nslab.presenter";
const KEY_VIEW = "nslab.viewFocus";
const KEY_SCALE = "nslab.presenter.scale";
const KEY_LESSON = "nslab.presenter.lesson";

// Text sizes follow the window's height, as a slide's do, so that the
// same share of the screen is text at 1280×720 and at 1920×1080: a
// terminal line is a 30th of the height (24 px at 720), the views'
// text a 36th (20 px). On a narrower screen (a 4:3 projector's 1024×768)
// the width bounds them, so the terminal keeps about 46 columns. The
// speaker scales both with + and −.
const TERM_LINES = 30;
const VIEW_LINES = 36;
const TERM_WIDTHS = 52; // the window's width over the terminal's text size, at least
const VIEW_WIDTHS = 64;
const SCALE_MIN = 0.6;
const SCALE_MAX = 1.6;
const SCALE_STEP = 0.1;

// The terminal in presenter mode: black and white, and xterm.js lifts any
// colour a program picks to a 7:1 contrast with its background (WCAG AAA),
// so `ls --color`'s dark blue reads on a washed-out projector.
const THEME = {
  background: "#000000",
  foreground: "#ffffff",
  cursor: "#ffd400",
  cursorAccent: "#000000",
  selectionBackground: "#5a6b8c",
};
const MIN_CONTRAST = 7;

function load(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage refused: nothing is remembered
  }
}

function save(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Not remembered; the mode still works.
  }
}

/** typing says whether key presses at el belong to something that types: a terminal or a text field. */
function typing(el) {
  if (!el || el === document.body) return false;
  if (el.closest(".xterm")) return true;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !["button", "checkbox", "radio", "submit", "reset", "range"].includes(el.type);
  return false;
}

export class Presenter {
  /**
   * views is the element the views are drawn in; lessonPane, where a
   * lesson panel may appear (or null). terminals() lists the page's
   * xterm.js Terminals; normalFontSize() is their size out of presenter
   * mode; refit() refits them after a size change; draw(html) draws views
   * HTML (the page's own swap).
   */
  constructor({ views, lessonPane, terminals, normalFontSize, refit, draw }) {
    this.body = document.body;
    this.viewsEl = views;
    this.lessonPane = lessonPane;
    this.terminals = terminals;
    this.normalFontSize = normalFontSize;
    this.refit = refit;
    this.draw = draw;
    this.help = document.getElementById("presenter-help");
    this.on = load(KEY_ON) === "on";
    this.focus = VIEWS.includes(load(KEY_VIEW)) ? load(KEY_VIEW) : "pids";
    this.scale = Math.min(SCALE_MAX, Math.max(SCALE_MIN, Number(load(KEY_SCALE)) || 1));
    this.showLesson = load(KEY_LESSON) === "on";
    this.frozen = false;
    this.blank = false;
    this.held = null; // the latest views HTML while frozen
    this.heldCount = 0;
    this.themes = new WeakMap(); // each terminal's own theme, for leaving the mode
    this.followed = ""; // the lesson step the focus last followed, "LESSON#N"
    this.keys = this.keymap();

    document.addEventListener("keydown", (ev) => this.key(ev));
    document.addEventListener("click", (ev) => {
      const btn = ev.target.closest("[data-presenter-action]");
      if (btn) this.act(btn.dataset.presenterAction);
    });
    // A click on a button does not take the keyboard from the terminal:
    // the speaker picks a view and types on.
    document.addEventListener("mousedown", (ev) => {
      if (ev.target.closest(".bar [data-presenter-action]")) ev.preventDefault();
    });
    this.help?.addEventListener("click", (ev) => {
      if (ev.target === this.help) this.closeHelp(); // a click beside the box
    });
    window.addEventListener("resize", () => {
      if (this.on) this.applySizes();
    });
    if (lessonPane) {
      // The current step is marked by lesson.js (data-current); a step
      // the learner opens announces its view with a "lesson-view" event.
      new MutationObserver(() => this.followCurrentStep()).observe(lessonPane, {
        subtree: true, childList: true, attributes: true, attributeFilter: ["data-current"],
      });
      lessonPane.addEventListener("lesson-view", (ev) => this.follow(ev.detail.view));
    }
    this.render();
  }

  /** keymap reads the overlay's rows: key → action. */
  keymap() {
    const keys = new Map();
    for (const row of this.help?.querySelectorAll("[data-shortcut]") ?? []) {
      for (const k of row.dataset.keys.split(" ")) if (k) keys.set(k, row.dataset.shortcut);
    }
    return keys;
  }

  /** adopt takes a terminal made after the page started (a second one) into the mode. */
  adopt(term) {
    if (this.on) this.styleTerminal(term);
  }

  /** views draws views HTML now, or keeps the latest for later while frozen. */
  views(html) {
    if (!this.frozen) {
      this.show(html);
      return;
    }
    this.held = html;
    this.heldCount++;
    this.viewsEl.dataset.held = String(this.heldCount);
  }

  show(html) {
    this.draw(html);
    if (this.on) this.reveal();
  }

  // reveal scrolls the chosen view's rows that matter into sight when
  // there are more rows than fit: the rows the lesson's step highlights,
  // else mounts only one side has, else the container's processes.
  reveal() {
    const view = document.getElementById("v-" + this.focus);
    for (const scroller of view?.querySelectorAll(".scroll") ?? []) {
      const row = scroller.querySelector("tr.lesson-highlight") ?? scroller.querySelector("tr.only, tr.in-ctr");
      if (!row) continue;
      const head = scroller.querySelector("thead")?.offsetHeight ?? 0;
      const r = row.getBoundingClientRect();
      const s = scroller.getBoundingClientRect();
      if (r.top < s.top + head || r.bottom > s.bottom) scroller.scrollTop += r.top - s.top - head;
    }
  }

  key(ev) {
    if (ev.defaultPrevented || ev.ctrlKey || ev.altKey || ev.metaKey || ev.isComposing) return;
    if (this.help && !this.help.hidden && ev.key === "Escape") {
      ev.preventDefault();
      this.closeHelp();
      return;
    }
    if (typing(ev.target)) return;
    const action = this.keys.get(ev.key);
    if (!action) return;
    ev.preventDefault();
    this.act(action);
  }

  act(action) {
    if (action.startsWith("view:")) {
      this.pick(action.slice(5));
      return;
    }
    switch (action) {
      case "presenter":
        this.on = !this.on;
        save(KEY_ON, this.on ? "on" : "off");
        if (this.on) requestAnimationFrame(() => this.reveal()); // once laid out
        break;
      case "freeze":
        this.frozen = !this.frozen;
        if (!this.frozen) {
          if (this.held !== null) this.show(this.held);
          this.held = null;
          this.heldCount = 0;
          delete this.viewsEl.dataset.held;
        }
        break;
      case "blank":
        this.blank = !this.blank;
        break;
      case "lesson":
        this.showLesson = !this.showLesson;
        save(KEY_LESSON, this.showLesson ? "on" : "off");
        break;
      case "bigger":
      case "smaller":
        this.scale += action === "bigger" ? SCALE_STEP : -SCALE_STEP;
        this.scale = Math.round(Math.min(SCALE_MAX, Math.max(SCALE_MIN, this.scale)) * 10) / 10;
        save(KEY_SCALE, String(this.scale));
        break;
      case "terminal":
        this.terminals()[0]?.focus();
        return;
      case "help":
        if (!this.help) return;
        if (this.help.hidden) this.openHelp();
        else this.closeHelp();
        return;
      case "help-close":
        this.closeHelp();
        return;
      default:
        return;
    }
    this.render();
  }

  /** pick shows view name: alone in presenter mode, scrolled into sight otherwise. */
  pick(name) {
    if (!VIEWS.includes(name)) return;
    this.focus = name;
    save(KEY_VIEW, name);
    this.render();
    if (this.on) this.reveal();
    if (!this.on) document.getElementById("v-" + name)?.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  /** follow shows a lesson step's view (view=NAME in its Markdown), when it names one. */
  follow(name) {
    if (!VIEWS.includes(name) || name === this.focus) return;
    this.focus = name;
    this.render();
    if (this.on) this.reveal();
  }

  // followCurrentStep follows the lesson's current step once each time it
  // changes (or a lesson panel appears): a view the speaker picks by key
  // afterwards stays until the next step.
  followCurrentStep() {
    const panel = this.lessonPane.querySelector("[data-lesson]");
    const step = panel?.querySelector('[data-step][data-current="true"]');
    const id = step ? `${panel.dataset.lesson}#${step.dataset.step}` : "";
    if (id === this.followed) return;
    this.followed = id;
    if (step?.dataset.view) this.follow(step.dataset.view);
  }

  openHelp() {
    this.returnFocus = document.activeElement;
    this.help.hidden = false;
    this.help.focus();
  }

  closeHelp() {
    if (!this.help || this.help.hidden) return;
    this.help.hidden = true;
    this.returnFocus?.focus?.();
    this.returnFocus = null;
  }

  render() {
    const b = this.body;
    const wasOn = b.dataset.presenter === "on";
    b.dataset.presenter = this.on ? "on" : "off";
    b.dataset.viewFocus = this.focus;
    b.dataset.viewsFrozen = String(this.frozen);
    b.dataset.viewsBlank = String(this.blank);
    b.dataset.presenterLesson = this.showLesson ? "on" : "off";
    for (const btn of document.querySelectorAll("[data-presenter-action]")) {
      const a = btn.dataset.presenterAction;
      const pressed = a === "presenter" ? this.on
        : a === "freeze" ? this.frozen
          : a === "blank" ? this.blank
            : a.startsWith("view:") ? a.slice(5) === this.focus : null;
      if (pressed !== null) btn.setAttribute("aria-pressed", String(pressed));
    }
    if (this.on) this.applySizes();
    else if (wasOn) this.leave();
  }

  applySizes() {
    const size = Math.min(window.innerHeight / VIEW_LINES, window.innerWidth / VIEW_WIDTHS);
    document.documentElement.style.setProperty("--presenter-font", `${Math.round(size * this.scale)}px`);
    for (const t of this.terminals()) this.styleTerminal(t);
    this.refit();
  }

  styleTerminal(term) {
    if (!this.themes.has(term)) this.themes.set(term, { theme: term.options.theme, contrast: term.options.minimumContrastRatio });
    const size = Math.round(Math.min(window.innerHeight / TERM_LINES, window.innerWidth / TERM_WIDTHS) * this.scale);
    if (term.options.fontSize !== size) term.options.fontSize = size;
    if (term.options.theme !== THEME) term.options.theme = THEME;
    term.options.minimumContrastRatio = MIN_CONTRAST;
  }

  leave() {
    document.documentElement.style.removeProperty("--presenter-font");
    for (const t of this.terminals()) {
      const own = this.themes.get(t);
      if (own) {
        t.options.theme = own.theme;
        t.options.minimumContrastRatio = own.contrast;
        this.themes.delete(t);
      }
      t.options.fontSize = this.normalFontSize();
    }
    this.refit();
  }
}
