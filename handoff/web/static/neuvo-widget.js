/*
 * Neuvo resident chat widget. Embed with one tag:
 *   <script src="https://<service>/static/neuvo-widget.js" defer></script>
 * The API base is the script's own origin, or the tag's data-api attribute. Plain ES2020, no
 * build step. Every user-visible text comes from GET <api>/api/v1/widget/texts (texts/widget.yml);
 * server and resident text is only ever inserted with textContent.
 */
(() => {
  "use strict";

  const script =
    document.currentScript ||
    Array.from(document.querySelectorAll("script[src]")).find((s) =>
      /\/neuvo-widget\.js(?:[?#]|$)/.test(s.src)
    );
  if (!script || window.__neuvoWidget) return;
  window.__neuvoWidget = true;

  const SCRIPT_URL = new URL(script.src, document.baseURI);
  const API = (script.dataset.api || SCRIPT_URL.origin).replace(/\/+$/, "");
  const CSS_URL = new URL("neuvo-widget.css", SCRIPT_URL).href;
  const STORE_CONVERSATION = "neuvo.conversation";
  const STORE_OPEN = "neuvo.open";
  const REQUEST_TIMEOUT_MS = 45000;
  const MAX_TEXT = 2000;
  const LIVE_MODES = new Set(["queued", "advisor"]);

  /* ------------------------------------------------------------------ state */

  const state = {
    texts: { fi: {}, sv: {} },
    lang: document.documentElement.lang.toLowerCase().startsWith("sv") ? "sv" : "fi",
    conversation: null, // {conversation_id, token}
    mode: "bot",
    lastId: 0, // the highest message id seen; the stream resumes after it
    seenIds: new Set(),
    busy: false,
    started: false, // the transcript (or greeting) has been rendered
    feedbackGiven: false,
    stream: null, // AbortController of the open event stream
    pendingRetry: null, // what the error line's retry button does
  };

  const storage = {
    get(key) {
      try {
        return window.sessionStorage.getItem(key);
      } catch (_) {
        return null;
      }
    },
    set(key, value) {
      try {
        window.sessionStorage.setItem(key, value);
      } catch (_) {
        /* storage may be off (private mode); the chat still works for this page view */
      }
    },
    remove(key) {
      try {
        window.sessionStorage.removeItem(key);
      } catch (_) {
        /* as above */
      }
    },
  };

  function storedConversation() {
    try {
      const value = JSON.parse(storage.get(STORE_CONVERSATION) || "null");
      if (value && typeof value.conversation_id === "string" && typeof value.token === "string") {
        return value;
      }
    } catch (_) {
      /* a damaged value is as good as none */
    }
    return null;
  }

  /* ------------------------------------------------------------------ texts */

  function t(key) {
    const own = state.texts[state.lang] || {};
    if (own[key]) return own[key];
    const other = state.texts[state.lang === "sv" ? "fi" : "sv"] || {};
    return other[key] || "";
  }

  function locale() {
    return state.lang === "sv" ? "sv-FI" : "fi-FI";
  }

  /** Put the current language's strings on every element that names a text key. */
  function applyTexts() {
    root.setAttribute("lang", state.lang);
    root.querySelectorAll("[data-neuvo-text]").forEach((el) => {
      el.textContent = t(el.dataset.neuvoText);
    });
    root.querySelectorAll("[data-neuvo-attr]").forEach((el) => {
      el.dataset.neuvoAttr.split(";").forEach((pair) => {
        const [attr, key] = pair.split(":");
        el.setAttribute(attr, t(key));
      });
    });
    root.querySelectorAll("[data-neuvo-date]").forEach((el) => {
      el.textContent = formatDate(el.dataset.neuvoDate);
    });
    root.querySelectorAll("[data-neuvo-lang-follows]").forEach((el) => {
      el.setAttribute("lang", state.lang);
    });
  }

  function setLanguage(lang) {
    const next = lang === "sv" ? "sv" : "fi";
    if (next === state.lang) return;
    state.lang = next;
    applyTexts();
  }

  function formatDate(iso) {
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!match) return iso || "";
    const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    try {
      return new Intl.DateTimeFormat(locale(), {
        weekday: "long",
        day: "numeric",
        month: "numeric",
        year: "numeric",
      }).format(date);
    } catch (_) {
      return `${Number(match[3])}.${Number(match[2])}.${match[1]}`;
    }
  }

  /* ------------------------------------------------------------------ DOM helpers */

  /** Create an element; `text` names a text key (re-applied when the language changes). */
  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "className") node.className = value;
      else if (name === "text") {
        node.dataset.neuvoText = value;
        node.textContent = t(value);
      } else if (name === "attrs") {
        node.dataset.neuvoAttr = Object.entries(value)
          .map(([attr, key]) => `${attr}:${key}`)
          .join(";");
        for (const [attr, key] of Object.entries(value)) node.setAttribute(attr, t(key));
      } else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, "");
      else node.setAttribute(name, String(value));
    }
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function visuallyHidden(textKey) {
    return el("span", { className: "neuvo-visually-hidden", text: textKey });
  }

  const URL_PATTERN = /https:\/\/[^\s<>"'`]+/g;

  /** Text with https URLs as links; everything else as text nodes. */
  function richText(text) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of String(text).matchAll(URL_PATTERN)) {
      let url = match[0];
      // Sentence punctuation after a URL is not part of it, nor a ")" that closes no "(" of it.
      const unbalanced = (u) => u.split(")").length > u.split("(").length;
      while (/[.,;:!?\]]$/.test(url) || (url.endsWith(")") && unbalanced(url))) {
        url = url.slice(0, -1);
      }
      let parsed = null;
      try {
        parsed = new URL(url);
      } catch (_) {
        parsed = null;
      }
      if (!parsed || parsed.protocol !== "https:") continue;
      fragment.append(document.createTextNode(text.slice(last, match.index)));
      const link = el("a", {
        className: "neuvo-link",
        href: parsed.href,
        target: "_blank",
        rel: "noopener noreferrer",
      });
      link.append(document.createTextNode(url), " ", visuallyHidden("link_new_tab"));
      fragment.append(link);
      last = match.index + url.length;
    }
    fragment.append(document.createTextNode(String(text).slice(last)));
    return fragment;
  }

  /* ------------------------------------------------------------------ HTTP */

  class HttpError extends Error {
    constructor(status, detail) {
      super(`HTTP ${status}`);
      this.status = status;
      this.detail = detail;
    }
  }

  /** JSON request to the API; throws HttpError for an error status, TypeError/AbortError offline. */
  async function api(method, path, body, { auth = true } = {}) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (auth && state.conversation) headers.Authorization = `Bearer ${state.conversation.token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        cache: "no-store",
        credentials: "omit",
      });
      let data = null;
      try {
        data = await response.json();
      } catch (_) {
        data = null;
      }
      if (!response.ok) throw new HttpError(response.status, data && data.detail);
      return data;
    } finally {
      clearTimeout(timer);
    }
  }

  const conversationPath = () =>
    `/api/v1/conversations/${encodeURIComponent(state.conversation.conversation_id)}`;

  const isGone = (error) => error instanceof HttpError && [401, 403, 404].includes(error.status);

  /* ------------------------------------------------------------------ building the widget */

  let root;
  let launcher;
  let panel;
  let scroller;
  let log;
  let liveBanner;
  let liveText;
  let liveReconnect;
  let typing;
  let typingText;
  let errorLine;
  let errorText;
  let errorActions;
  let composer;
  let input;
  let sendButton;
  let endButton;
  let feedback;
  let feedbackDone;

  function build() {
    root = el("div", { id: "neuvo-widget", hidden: true });
    const region = el("aside", { className: "neuvo-region", attrs: { "aria-label": "region_label" } });

    launcher = el(
      "button",
      {
        id: "neuvo-launcher",
        type: "button",
        className: "neuvo-launcher",
        "aria-expanded": "false",
        "aria-controls": "neuvo-panel",
        onclick: () => (panel.hidden ? openPanel() : closePanel()),
      },
      [launcherIcon(), el("span", { className: "neuvo-launcher__label", text: "launcher" })]
    );

    const header = el("div", { className: "neuvo-header" }, [
      el("div", { className: "neuvo-header__row" }, [
        el("h2", { id: "neuvo-title", className: "neuvo-title", text: "title" }),
        el(
          "button",
          {
            type: "button",
            id: "neuvo-close",
            className: "neuvo-close",
            onclick: () => closePanel(),
          },
          [el("span", { className: "neuvo-close__glyph", "aria-hidden": "true" }, ["\u00d7"]), visuallyHidden("close")]
        ),
      ]),
      el("div", { className: "neuvo-header__row neuvo-header__row--secondary" }, [
        el("p", { className: "neuvo-hint", text: "emergency_hint" }),
        (endButton = el("button", {
          type: "button",
          id: "neuvo-end",
          className: "neuvo-button neuvo-button--secondary neuvo-end",
          text: "end_chat",
          hidden: true,
          onclick: () => showFeedback(),
        })),
      ]),
    ]);

    log = el("div", {
      id: "neuvo-log",
      className: "neuvo-log",
      role: "log",
      "aria-live": "polite",
      "aria-relevant": "additions",
    });

    feedback = buildFeedbackForm();
    feedbackDone = el("div", { className: "neuvo-feedback-done", role: "status", hidden: true });
    // The scrolling area takes focus so that keyboard users can scroll it (it may hold no
    // control); being focusable, it is a labelled region.
    scroller = el(
      "div",
      { className: "neuvo-scroller", role: "region", tabindex: "0", attrs: { "aria-label": "log_label" } },
      [log, feedback, feedbackDone]
    );

    liveText = el("span", { className: "neuvo-live__text" });
    liveReconnect = el("span", { className: "neuvo-live__reconnect", text: "live_reconnecting", hidden: true });
    liveBanner = el("div", {
      id: "neuvo-live",
      className: "neuvo-live",
      role: "status",
      "data-mode": "bot",
    }, [liveText, liveReconnect]);
    liveBanner.classList.add("neuvo-live--empty");

    typingText = el("span", { className: "neuvo-typing__text", text: "typing" });
    typing = el("div", { id: "neuvo-typing", className: "neuvo-typing", "aria-live": "polite" }, [
      el("span", { className: "neuvo-typing__inner", hidden: true }, [
        el("span", { className: "neuvo-typing__dots", "aria-hidden": "true" }, [
          el("span"),
          el("span"),
          el("span"),
        ]),
        typingText,
      ]),
    ]);

    errorText = el("span", { className: "neuvo-error__text" });
    errorActions = el("span", { className: "neuvo-error__actions" });
    errorLine = el("div", { id: "neuvo-error", className: "neuvo-error", "aria-live": "polite" }, [
      el("div", { className: "neuvo-error__inner", hidden: true }, [errorText, errorActions]),
    ]);

    input = el("textarea", {
      id: "neuvo-input",
      className: "neuvo-input",
      rows: "1",
      maxlength: String(MAX_TEXT),
      autocomplete: "off",
      enterkeyhint: "send",
      attrs: { placeholder: "input_placeholder" },
      onkeydown: onInputKey,
      oninput: () => resizeInput(),
    });
    sendButton = el("button", {
      id: "neuvo-send",
      type: "submit",
      className: "neuvo-button neuvo-button--primary neuvo-send",
      text: "send",
    });
    composer = el(
      "form",
      { className: "neuvo-composer", novalidate: true, onsubmit: onSubmit },
      [
        el("label", { for: "neuvo-input", className: "neuvo-visually-hidden", text: "input_label" }),
        input,
        sendButton,
      ]
    );

    panel = el(
      "div",
      {
        id: "neuvo-panel",
        className: "neuvo-panel",
        role: "dialog",
        "aria-modal": "false",
        "aria-labelledby": "neuvo-title",
        hidden: true,
        onkeydown: (event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            closePanel();
          }
        },
      },
      [header, scroller, liveBanner, typing, errorLine, composer]
    );

    region.append(launcher, panel);
    root.append(region);
    document.body.append(root);
  }

  function launcherIcon() {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "neuvo-launcher__icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute(
      "d",
      "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"
    );
    svg.append(path);
    return svg;
  }

  function buildFeedbackForm() {
    const ratings = [1, 2, 3, 4, 5].map((value) =>
      el("div", { className: "neuvo-rating" }, [
        el("input", {
          type: "radio",
          id: `neuvo-rating-${value}`,
          name: "neuvo-rating",
          value: String(value),
          className: "neuvo-rating__input",
          onchange: () => {
            const error = form.querySelector("#neuvo-fb-rating-error");
            error.hidden = true;
            error.textContent = "";
          },
        }),
        el("label", { for: `neuvo-rating-${value}`, className: "neuvo-rating__label", text: `rating_${value}` }),
      ])
    );
    const phoneField = el("div", { className: "neuvo-field", id: "neuvo-fb-phone-field", hidden: true }, [
      el("label", { for: "neuvo-fb-phone", className: "neuvo-field__label", text: "feedback_phone" }),
      el("p", { id: "neuvo-fb-phone-hint", className: "neuvo-field__hint", text: "feedback_phone_hint" }),
      el("input", {
        type: "tel",
        id: "neuvo-fb-phone",
        name: "contact_phone",
        className: "neuvo-text-input",
        autocomplete: "tel",
        inputmode: "tel",
        maxlength: "30",
        "aria-describedby": "neuvo-fb-phone-hint neuvo-fb-phone-error",
      }),
      el("p", { id: "neuvo-fb-phone-error", className: "neuvo-field__error", hidden: true }),
    ]);
    const form = el(
      "form",
      { id: "neuvo-feedback", className: "neuvo-feedback", novalidate: true, hidden: true, onsubmit: onFeedbackSubmit },
      [
        el("fieldset", { className: "neuvo-fieldset", "aria-describedby": "neuvo-fb-rating-error" }, [
          el("legend", { className: "neuvo-legend", text: "feedback_legend", tabindex: "-1", id: "neuvo-fb-legend" }),
          el("div", { className: "neuvo-ratings" }, ratings),
          el("p", { id: "neuvo-fb-rating-error", className: "neuvo-field__error", hidden: true }),
        ]),
        el("div", { className: "neuvo-field" }, [
          el("label", { for: "neuvo-fb-comment", className: "neuvo-field__label", text: "feedback_comment" }),
          el("textarea", {
            id: "neuvo-fb-comment",
            name: "comment",
            className: "neuvo-text-input neuvo-textarea",
            rows: "3",
            maxlength: String(MAX_TEXT),
          }),
        ]),
        el("div", { className: "neuvo-check" }, [
          el("input", {
            type: "checkbox",
            id: "neuvo-fb-reply",
            name: "reply_requested",
            className: "neuvo-check__input",
            "aria-controls": "neuvo-fb-phone-field",
            "aria-expanded": "false",
            onchange: (event) => {
              phoneField.hidden = !event.target.checked;
              event.target.setAttribute("aria-expanded", String(event.target.checked));
            },
          }),
          el("label", { for: "neuvo-fb-reply", className: "neuvo-check__label", text: "feedback_reply" }),
        ]),
        phoneField,
        el("p", { id: "neuvo-fb-error", className: "neuvo-field__error", role: "alert", hidden: true }),
        el("div", { className: "neuvo-actions" }, [
          el("button", { type: "submit", className: "neuvo-button neuvo-button--primary", text: "feedback_send", id: "neuvo-fb-send" }),
          el("button", {
            type: "button",
            id: "neuvo-fb-cancel",
            className: "neuvo-button neuvo-button--secondary",
            text: "feedback_cancel",
            onclick: () => hideFeedback(),
          }),
          el("button", {
            type: "button",
            id: "neuvo-fb-new",
            className: "neuvo-button neuvo-button--secondary",
            text: "new_chat",
            hidden: true,
            onclick: () => startNewConversation(),
          }),
        ]),
      ]
    );
    return form;
  }

  /* ------------------------------------------------------------------ panel */

  /** Show the panel; `focus` is false when it is reopened by a page load (focus stays put). */
  function openPanel({ focus = true } = {}) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("neuvo-open");
    storage.set(STORE_OPEN, "1");
    if (!state.started) startFresh();
    else if (!state.conversation && !state.busy) ensureConversation().catch(() => {});
    scrollToEnd();
    if (focus) focusComposerOrForm();
  }

  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("neuvo-open");
    storage.set(STORE_OPEN, "0");
    launcher.focus();
  }

  function focusComposerOrForm() {
    if (!composer.hidden && !input.disabled) input.focus();
    else if (!feedback.hidden) feedback.querySelector("#neuvo-fb-legend").focus();
    else {
      const next = feedbackDone.querySelector("button");
      if (next) next.focus();
    }
  }

  function scrollToEnd() {
    scroller.scrollTop = scroller.scrollHeight;
  }

  function resizeInput() {
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  }

  /* ------------------------------------------------------------------ messages */

  function addGreeting() {
    log.append(
      el("div", { className: "neuvo-greeting", "data-neuvo-lang-follows": true, lang: state.lang }, [
        visuallyHidden("sender_bot"),
        el("p", { className: "neuvo-msg__text", text: "greeting" }),
      ])
    );
  }

  /**
   * Render one message. `message`: {id, sender, kind, text, buttons, language, title}; returns
   * null when that id is already shown.
   */
  function addMessage(message) {
    if (message.id !== null && message.id !== undefined) {
      if (state.seenIds.has(message.id)) return null;
      state.seenIds.add(message.id);
      state.lastId = Math.max(state.lastId, Number(message.id) || 0);
    }
    const sender = ["resident", "bot", "advisor", "system"].includes(message.sender) ? message.sender : "system";
    const kind = message.kind || "";
    const node = el("div", {
      className: `neuvo-msg neuvo-msg--${sender}${kind ? ` neuvo-msg--${kind}` : ""}`,
      "data-sender": sender,
      "data-kind": kind,
      "data-id": message.id ?? null,
      lang: message.language || null,
      role: kind === "emergency" ? "alert" : null,
    });
    node.append(visuallyHidden(`sender_${sender}`));
    if (kind === "emergency") {
      node.append(el("p", { className: "neuvo-msg__heading", text: "emergency_heading" }));
    }
    const body = el("p", { className: "neuvo-msg__text" });
    body.append(richText(message.text || ""));
    node.append(body);
    if (kind === "emergency") {
      node.append(el("a", { className: "neuvo-call", href: "tel:112", text: "call_112" }));
    }
    const buttons = Array.isArray(message.buttons) ? message.buttons : [];
    if (buttons.length) {
      node.append(
        el(
          "div",
          { className: "neuvo-choices" },
          buttons.map((button) =>
            el(
              "button",
              {
                type: "button",
                className: "neuvo-choice",
                "data-payload": button.payload,
                onclick: () => choose(button),
              },
              [String(button.title)]
            )
          )
        )
      );
    }
    log.append(node);
    updateChoices();
    updateEndButton();
    scrollToEnd();
    return node;
  }

  /** Only the newest message's buttons can be chosen, and only while nothing is on its way. */
  function updateChoices() {
    const messages = log.querySelectorAll(".neuvo-msg");
    const newest = messages[messages.length - 1];
    const usable = !state.busy && state.mode !== "closed" && !state.feedbackGiven;
    log.querySelectorAll(".neuvo-choice").forEach((button) => {
      button.disabled = !(usable && newest && newest.contains(button));
    });
  }

  /** Show a ticket card, or update the one already shown for the same reference. */
  function addTicket(ticket, container = log) {
    if (!ticket || !ticket.reference) return;
    let card = Array.from(root.querySelectorAll(".neuvo-ticket")).find(
      (existing) => existing.dataset.reference === ticket.reference
    );
    const fresh = !card;
    if (fresh) card = el("div", { className: "neuvo-ticket", "data-reference": ticket.reference });
    card.replaceChildren(
      el("p", { className: "neuvo-ticket__title", text: "ticket_title" }),
      el("dl", { className: "neuvo-ticket__facts" }, [
        el("dt", { text: "ticket_reference" }),
        el("dd", { className: "neuvo-ticket__reference" }, [String(ticket.reference)]),
        ticket.service_task_name ? el("dt", { text: "ticket_team" }) : null,
        ticket.service_task_name ? el("dd", {}, [String(ticket.service_task_name)]) : null,
        ticket.due_date ? el("dt", { text: "ticket_due" }) : null,
        ticket.due_date
          ? el("dd", { "data-neuvo-date": ticket.due_date }, [formatDate(ticket.due_date)])
          : null,
        el("dt", { text: "ticket_status" }),
        el("dd", {
          className: "neuvo-ticket__status",
          "data-status": ticket.status,
          text: ["new", "in_progress", "done"].includes(ticket.status) ? `status_${ticket.status}` : "status_new",
        }),
      ])
    );
    if (fresh) container.append(card);
    scrollToEnd();
  }

  function setBusy(busy, key) {
    state.busy = busy;
    const inner = typing.firstChild;
    if (busy) {
      typingText.dataset.neuvoText = key;
      typingText.textContent = t(key);
    }
    inner.hidden = !busy;
    sendButton.disabled = busy || input.disabled;
    updateChoices();
  }

  function showError(key, retry, { detail = "" } = {}) {
    errorText.dataset.neuvoText = key;
    errorText.textContent = detail || t(key);
    if (detail) delete errorText.dataset.neuvoText;
    errorActions.replaceChildren();
    state.pendingRetry = retry || null;
    if (retry) {
      errorActions.append(
        el("button", {
          type: "button",
          className: "neuvo-button neuvo-button--secondary neuvo-retry",
          text: retry.label || "retry",
          onclick: () => {
            const action = state.pendingRetry;
            clearError();
            if (action) action.run();
          },
        })
      );
    }
    errorLine.firstChild.hidden = false;
  }

  function clearError() {
    errorLine.firstChild.hidden = true;
    errorText.textContent = "";
    errorActions.replaceChildren();
    state.pendingRetry = null;
  }

  /* ------------------------------------------------------------------ modes and live chat */

  function setMode(mode, { resumed = false } = {}) {
    const previous = state.mode;
    state.mode = ["bot", "queued", "advisor", "closed"].includes(mode) ? mode : "bot";
    if (state.mode === "queued") showBanner("live_queued");
    else if (state.mode === "advisor") showBanner("live_advisor");
    else if (state.mode === "closed") showBanner("live_closed");
    else if (LIVE_MODES.has(previous) && !resumed) showBanner("live_bot"); // until the resident writes
    else if (previous === "closed") showBanner(null);
    liveBanner.dataset.mode = state.mode;

    if (LIVE_MODES.has(state.mode)) openStream();
    else closeStream();

    if (state.mode === "closed") {
      setComposerEnabled(false);
      if (!state.feedbackGiven) showFeedback({ focus: !resumed && !panel.hidden });
    }
    updateEndButton();
    updateChoices();
  }

  function showBanner(key) {
    if (key) {
      liveText.dataset.neuvoText = key;
      liveText.textContent = t(key);
      liveBanner.classList.remove("neuvo-live--empty");
    } else {
      delete liveText.dataset.neuvoText;
      liveText.textContent = "";
      liveBanner.classList.add("neuvo-live--empty");
    }
    liveReconnect.hidden = true;
  }

  function closeStream() {
    if (state.stream) state.stream.abort();
    state.stream = null;
    liveReconnect.hidden = true;
  }

  /** Read the conversation's event stream while it is queued for or with an advisor. */
  async function openStream() {
    if (state.stream || !state.conversation) return;
    const controller = new AbortController();
    state.stream = controller;
    let failures = 0; // errors in a row: shown to the resident after the second
    let quiet = 0; // streams in a row that ended without a byte: backs off like an error
    while (state.stream === controller && LIVE_MODES.has(state.mode)) {
      try {
        const response = await fetch(`${API}${conversationPath()}/events?after=${state.lastId}`, {
          headers: { Accept: "text/event-stream", Authorization: `Bearer ${state.conversation.token}` },
          signal: controller.signal,
          cache: "no-store",
          credentials: "omit",
        });
        if ([401, 403, 404].includes(response.status)) break;
        if (!response.ok || !response.body) throw new HttpError(response.status);
        failures = 0;
        liveReconnect.hidden = true;
        quiet = (await readEvents(response.body, controller)) ? 0 : quiet + 1;
      } catch (error) {
        if (controller.signal.aborted) break;
        failures += 1;
        if (failures >= 2) liveReconnect.hidden = false;
      }
      if (state.stream !== controller) break;
      // Back off after errors (1 s, 2 s, 4 s … 30 s, with jitter); a cleanly ended stream reopens soon.
      const step = failures + quiet;
      const delay = step ? Math.min(30000, 1000 * 2 ** (step - 1)) * (0.75 + Math.random() / 2) : 500;
      await sleep(delay, controller.signal);
    }
    if (state.stream === controller) state.stream = null;
  }

  function sleep(ms, signal) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }

  /** Parse a text/event-stream body, handling each event until it ends; true if any bytes came. */
  async function readEvents(body, controller) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let eventName = "";
    let data = [];
    let received = false;
    const abort = () => reader.cancel().catch(() => {});
    controller.signal.addEventListener("abort", abort, { once: true });
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        received = true;
        buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop(); // an unfinished line waits for more bytes
        for (const line of lines) {
          if (line === "") {
            if (data.length) handleEvent(eventName || "message", data.join("\n"));
            eventName = "";
            data = [];
            continue;
          }
          if (line.startsWith(":")) continue; // heartbeat
          const colon = line.indexOf(":");
          const field = colon === -1 ? line : line.slice(0, colon);
          let value = colon === -1 ? "" : line.slice(colon + 1);
          if (value.startsWith(" ")) value = value.slice(1);
          if (field === "event") eventName = value;
          else if (field === "data") data.push(value);
        }
        if (state.stream !== controller) break;
      }
    } finally {
      controller.signal.removeEventListener("abort", abort);
    }
    return received;
  }

  function handleEvent(name, raw) {
    let payload;
    try {
      payload = JSON.parse(raw);
    } catch (_) {
      return;
    }
    if (name === "message" && payload && payload.sender !== "resident") {
      addMessage(payload);
    } else if (name === "mode" && payload && payload.mode && payload.mode !== state.mode) {
      setMode(payload.mode);
    } else if (name === "gone") {
      // The conversation no longer exists (removed under the retention rules, for example).
      forgetConversation();
      showBanner(null);
      setComposerEnabled(false);
      showError("error_expired", { label: "new_chat", run: () => startNewConversation() });
    }
  }

  /* ------------------------------------------------------------------ conversation */

  function saveConversation() {
    storage.set(STORE_CONVERSATION, JSON.stringify(state.conversation));
  }

  function forgetConversation() {
    closeStream();
    state.conversation = null;
    storage.remove(STORE_CONVERSATION);
  }

  let creating = null;

  /** The conversation, created on first need (one request even when asked twice). */
  function ensureConversation() {
    if (state.conversation) return Promise.resolve(state.conversation);
    if (!creating) {
      creating = api("POST", "/api/v1/conversations", { language: state.lang }, { auth: false })
        .then((created) => {
          state.conversation = { conversation_id: created.conversation_id, token: created.token };
          saveConversation();
          updateEndButton();
          return state.conversation;
        })
        .finally(() => {
          creating = null;
        });
    }
    return creating;
  }

  /** A new, empty conversation view with the greeting. */
  function startFresh() {
    state.started = true;
    state.mode = "bot";
    state.lastId = 0;
    state.seenIds.clear();
    state.feedbackGiven = false;
    log.replaceChildren();
    showBanner(null);
    resetFeedbackForm();
    feedback.hidden = true;
    feedbackDone.hidden = true;
    feedbackDone.replaceChildren();
    composer.hidden = false;
    setComposerEnabled(true);
    addGreeting();
    updateEndButton();
    ensureConversation().catch(() =>
      showError("error_start", { run: () => ensureConversation().catch(() => showError("error_start")) })
    );
  }

  function startNewConversation() {
    forgetConversation();
    clearError();
    startFresh();
    input.focus();
  }

  /** Render a stored conversation again after a page load. */
  async function resume() {
    state.started = true;
    let transcript;
    try {
      transcript = await api("GET", conversationPath());
    } catch (error) {
      if (isGone(error)) {
        forgetConversation();
        startFresh();
        return;
      }
      log.replaceChildren();
      addGreeting();
      showError("error_load", { run: () => resume() });
      return;
    }
    clearError();
    log.replaceChildren();
    state.seenIds.clear();
    state.lastId = 0;
    setLanguage(transcript.language);
    addGreeting();
    let previousButtons = [];
    for (const message of transcript.messages || []) {
      let text = message.text;
      if (message.sender === "resident" && message.payload) {
        // A chosen button is shown by its title, as it was when chosen.
        const chosen = previousButtons.find((button) => button.payload === message.payload);
        text = chosen ? chosen.title : message.text || message.payload;
      }
      addMessage({ ...message, text });
      previousButtons = Array.isArray(message.buttons) ? message.buttons : [];
    }
    for (const ticket of transcript.tickets || []) addTicket(ticket);
    state.feedbackGiven = Boolean(transcript.feedback_given);
    state.mode = "bot";
    setMode(transcript.mode, { resumed: true });
    if (state.feedbackGiven) showFeedbackDone(null, null);
    updateEndButton();
    scrollToEnd();
  }

  function setComposerEnabled(enabled) {
    input.disabled = !enabled;
    sendButton.disabled = !enabled || state.busy;
  }

  function updateEndButton() {
    // Feedback is asked about a conversation that has something in it.
    const hasConversation = Boolean(state.conversation) && Boolean(log.querySelector(".neuvo-msg"));
    endButton.hidden = !hasConversation || state.feedbackGiven || !feedback.hidden;
  }

  /* ------------------------------------------------------------------ sending */

  function onInputKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit ? composer.requestSubmit() : onSubmit(event);
    }
  }

  function onSubmit(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text || state.busy || input.disabled) return;
    send({ text }, text, { fromInput: true });
  }

  function choose(button) {
    if (state.busy) return;
    send({ payload: String(button.payload) }, String(button.title), { fromInput: false });
  }

  /** Send text or a payload; the resident's words stay in the input until the send succeeds. */
  async function send(body, shownText, { fromInput }) {
    clearError();
    if (!state.feedbackGiven && liveText.dataset.neuvoText === "live_bot") showBanner(null);
    const mine = addMessage({ id: null, sender: "resident", kind: null, text: shownText, language: state.lang });
    mine.classList.add("neuvo-msg--pending");
    // A retry leaves alone whatever else the resident has typed since.
    if (fromInput && input.value.trim() === shownText) {
      input.value = "";
      resizeInput();
    }
    setBusy(true, LIVE_MODES.has(state.mode) ? "sending" : "typing");
    let turn;
    try {
      await ensureConversation();
      turn = await api("POST", `${conversationPath()}/messages`, body);
    } catch (error) {
      mine.remove();
      setBusy(false);
      if (fromInput && !input.value) {
        input.value = shownText;
        resizeInput();
      }
      const retry = { run: () => send(body, shownText, { fromInput }) };
      if (isGone(error)) {
        forgetConversation();
        showError("error_expired", { run: () => send(body, shownText, { fromInput }) });
      } else if (error instanceof HttpError && error.status === 429) {
        showError("error_busy", retry);
      } else {
        showError("error_send", retry);
      }
      return;
    }
    mine.classList.remove("neuvo-msg--pending");
    setBusy(false);
    handleTurn(turn, mine);
  }

  function handleTurn(turn, mine) {
    if (!turn) return;
    if (turn.language) {
      if (mine) mine.setAttribute("lang", turn.language);
      setLanguage(turn.language);
    }
    if (typeof turn.last_message_id === "number") {
      state.lastId = Math.max(state.lastId, turn.last_message_id);
    }
    for (const message of turn.messages || []) {
      addMessage({ ...message, sender: message.sender || "bot", language: message.language || turn.language });
    }
    if (turn.ticket) addTicket(turn.ticket);
    if (turn.mode && turn.mode !== state.mode) setMode(turn.mode);
    updateChoices();
    // A chosen button is disabled while its turn is on the way, which drops focus: bring it back
    // to the input. Focus the resident moved elsewhere stays where it is.
    const active = document.activeElement;
    const lost = !active || active === document.body || (log.contains(active) && active.disabled);
    if (lost && !panel.hidden && !input.disabled && !composer.hidden) input.focus();
  }

  /* ------------------------------------------------------------------ feedback */

  function showFeedback({ focus = true } = {}) {
    if (state.feedbackGiven) return;
    feedback.hidden = false;
    composer.hidden = true;
    // A closed chat has nothing to go back to; it can be left without feedback for a new one.
    feedback.querySelector("#neuvo-fb-cancel").hidden = state.mode === "closed";
    feedback.querySelector("#neuvo-fb-new").hidden = state.mode !== "closed";
    updateEndButton();
    scroller.scrollTop = feedback.offsetTop - 8;
    if (focus) feedback.querySelector("#neuvo-fb-legend").focus();
  }

  function hideFeedback() {
    feedback.hidden = true;
    composer.hidden = false;
    updateEndButton();
    input.focus();
    scrollToEnd();
  }

  function resetFeedbackForm() {
    feedback.reset();
    feedback.querySelector("#neuvo-fb-phone-field").hidden = true;
    feedback.querySelector("#neuvo-fb-reply").setAttribute("aria-expanded", "false");
    clearFieldErrors();
  }

  function clearFieldErrors() {
    feedback.querySelectorAll(".neuvo-field__error").forEach((node) => {
      node.hidden = true;
      node.textContent = "";
      delete node.dataset.neuvoText;
    });
    feedback.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
  }

  function fieldError(id, key, detail) {
    const node = feedback.querySelector(`#${id}`);
    if (detail) {
      delete node.dataset.neuvoText;
      node.textContent = detail;
    } else {
      node.dataset.neuvoText = key;
      node.textContent = t(key);
    }
    node.hidden = false;
  }

  async function onFeedbackSubmit(event) {
    event.preventDefault();
    if (state.busy) return;
    clearFieldErrors();
    const chosen = feedback.querySelector('input[name="neuvo-rating"]:checked');
    const replyRequested = feedback.querySelector("#neuvo-fb-reply").checked;
    const phoneInput = feedback.querySelector("#neuvo-fb-phone");
    const phone = phoneInput.value.trim();
    const comment = feedback.querySelector("#neuvo-fb-comment").value.trim();
    if (!chosen) {
      fieldError("neuvo-fb-rating-error", "feedback_rating_missing");
      feedback.querySelector("#neuvo-rating-1").focus();
      return;
    }
    if (replyRequested && !phone) {
      fieldError("neuvo-fb-phone-error", "feedback_phone_invalid");
      phoneInput.setAttribute("aria-invalid", "true");
      phoneInput.focus();
      return;
    }
    const body = {
      rating: Number(chosen.value),
      comment: comment || null,
      reply_requested: replyRequested,
      contact_phone: replyRequested ? phone : null,
    };
    const submit = feedback.querySelector("#neuvo-fb-send");
    submit.disabled = true;
    state.busy = true;
    try {
      await ensureConversation();
      const result = await api("POST", `${conversationPath()}/feedback`, body);
      state.feedbackGiven = true;
      showFeedbackDone(result && result.message, result && result.ticket);
    } catch (error) {
      if (error instanceof HttpError && error.status === 409) {
        state.feedbackGiven = true;
        showFeedbackDone(null, null, "feedback_already");
      } else if (error instanceof HttpError && error.status === 422) {
        // A string detail is the service's own words for the resident; FastAPI's list of
        // validation problems is for developers, so the field it names gets our own text.
        const problems = Array.isArray(error.detail) ? error.detail : [];
        const fields = problems.map((problem) =>
          problem && Array.isArray(problem.loc) ? problem.loc[problem.loc.length - 1] : ""
        );
        const detail = typeof error.detail === "string" ? error.detail : "";
        if (fields.includes("rating")) {
          fieldError("neuvo-fb-rating-error", "feedback_rating_missing");
          feedback.querySelector("#neuvo-rating-1").focus();
        } else if (replyRequested && (fields.includes("contact_phone") || !problems.length)) {
          fieldError("neuvo-fb-phone-error", "feedback_phone_invalid", detail);
          phoneInput.setAttribute("aria-invalid", "true");
          phoneInput.focus();
        } else {
          fieldError("neuvo-fb-error", "feedback_error", detail);
        }
      } else if (error instanceof HttpError && error.status === 429) {
        fieldError("neuvo-fb-error", "error_busy");
      } else {
        fieldError("neuvo-fb-error", "feedback_error");
      }
    } finally {
      submit.disabled = false;
      state.busy = false;
    }
  }

  /** After feedback: the thanks, the feedback's ticket if any, and a way to start again. */
  function showFeedbackDone(message, ticket, key = "feedback_thanks") {
    closeStream();
    feedback.hidden = true;
    composer.hidden = true;
    setComposerEnabled(false);
    const thanks = message
      ? el("p", { className: "neuvo-feedback-done__text" }, [String(message)])
      : el("p", { className: "neuvo-feedback-done__text", text: key });
    feedbackDone.replaceChildren(thanks);
    if (ticket) addTicket(ticket, feedbackDone);
    feedbackDone.append(
      el("button", {
        type: "button",
        id: "neuvo-new-chat",
        className: "neuvo-button neuvo-button--primary",
        text: "new_chat",
        onclick: () => startNewConversation(),
      })
    );
    feedbackDone.hidden = false;
    updateEndButton();
    updateChoices();
    scrollToEnd();
    if (!panel.hidden && root.contains(document.activeElement) && !launcher.contains(document.activeElement)) {
      feedbackDone.querySelector("#neuvo-new-chat").focus();
    }
  }

  /* ------------------------------------------------------------------ start */

  async function loadTexts() {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const texts = await api("GET", "/api/v1/widget/texts", undefined, { auth: false });
        if (texts && texts.fi && texts.sv) return texts;
      } catch (_) {
        /* try again below */
      }
      if (attempt >= 4) return null;
      await new Promise((resolve) => setTimeout(resolve, 2000 * 2 ** attempt));
    }
  }

  function injectStylesheet() {
    return new Promise((resolve) => {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = CSS_URL;
      link.id = "neuvo-widget-css";
      link.addEventListener("load", resolve, { once: true });
      link.addEventListener("error", resolve, { once: true });
      document.head.append(link);
      setTimeout(resolve, 5000);
    });
  }

  async function start() {
    const [texts] = await Promise.all([loadTexts(), injectStylesheet()]);
    // Without texts the widget would have nothing to say: it stays out of the page.
    if (!texts) return;
    state.texts = texts;
    build();
    applyTexts();
    root.hidden = false;
    state.conversation = storedConversation();
    const wasOpen = storage.get(STORE_OPEN) === "1";
    if (state.conversation) {
      await resume();
    }
    if (wasOpen) openPanel({ focus: false });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
