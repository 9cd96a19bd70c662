(function () {
  "use strict";
  var boot = JSON.parse(document.getElementById("boot").textContent);
  var S = boot.strings, V = boot.vocab, API = boot.api;
  var NAMES = ["topic", "focus", "country", "format"];
  var ICONS = { topic: "📚", focus: "🎯", country: "📍", format: "💬", kind: "🗂" };
  // Calls and offers' filters: the select's id and the vocabulary it offers.
  var OFFER = { kind: "o-kind", topic: "o-topic", country: "o-country" };
  var OCHIP = { kind: "p-kind", topic: "p-otopic", country: "p-ocountry" };
  var $ = function (id) { return document.getElementById(id); };
  var tg = (window.Telegram && window.Telegram.WebApp) || bridge();
  var st = { tab: "directory", page: 0, next: false, busy: false, seq: 0, card: null, found: null, limit: null };
  var timer = 0;

  // Telegram's Mini App protocol, for when telegram-web-app.js is not loaded (we serve
  // everything ourselves): launch data from the URL's hash, events to the client.
  function bridge() {
    var h = new URLSearchParams(location.hash.slice(1)), theme = {}, on = {};
    try { theme = JSON.parse(h.get("tgWebAppThemeParams") || "{}"); } catch (e) { theme = {}; }
    function post(type, data) {
      var m = JSON.stringify({ eventType: type, eventData: data || {} });
      try {
        if (window.TelegramWebviewProxy) window.TelegramWebviewProxy.postEvent(type, JSON.stringify(data || {}));
        else if (window.external && "notify" in window.external) window.external.notify(m);
        else window.parent.postMessage(m, "*");
      } catch (e) { /* not inside Telegram */ }
    }
    function emit(type) { (on[type] || []).forEach(function (f) { f(); }); }
    function add(type, f) { (on[type] = on[type] || []).push(f); }
    function del(type, f) { on[type] = (on[type] || []).filter(function (g) { return g !== f; }); }
    var app, main = { is_visible: false, is_active: true, text: "" };
    function receive(type, data) {
      if (type === "theme_changed") { app.themeParams = (data && data.theme_params) || {}; emit("themeChanged"); }
      if (type === "back_button_pressed") emit("back");
      if (type === "main_button_pressed") emit("main");
    }
    window.Telegram = window.Telegram || {};
    window.Telegram.WebView = { receiveEvent: receive };
    window.addEventListener("message", function (e) {
      try { var m = JSON.parse(e.data); receive(m.eventType, m.eventData); } catch (x) { /* not ours */ }
    });
    function setMain(p) {
      for (var k in p) main[k] = p[k];
      post("web_app_setup_main_button", { is_visible: main.is_visible, is_active: main.is_active,
        text: main.text, color: theme.button_color, text_color: theme.button_text_color });
    }
    app = {
      initData: h.get("tgWebAppData") || "", themeParams: theme, colorScheme: "",
      ready: function () { post("web_app_ready"); }, expand: function () { post("web_app_expand"); },
      onEvent: function (t, f) { add(t, f); },
      BackButton: {
        show: function () { post("web_app_setup_back_button", { is_visible: true }); },
        hide: function () { post("web_app_setup_back_button", { is_visible: false }); },
        onClick: function (f) { add("back", f); }, offClick: function (f) { del("back", f); }
      },
      MainButton: {
        setText: function (t) { setMain({ text: t }); }, show: function () { setMain({ is_visible: true }); },
        hide: function () { setMain({ is_visible: false }); }, enable: function () { setMain({ is_active: true }); },
        disable: function () { setMain({ is_active: false }); },
        onClick: function (f) { add("main", f); }, offClick: function (f) { del("main", f); }
      },
      openTelegramLink: function (url) {
        post("web_app_open_tg_link", { path_full: url.replace(/^https:\/\/t\.me/, "") }); },
      HapticFeedback: { notificationOccurred: function (t) {
        post("web_app_trigger_haptic_feedback", { type: "notification", notification_type: t }); } }
    };
    return app;
  }

  function dark(color) {
    var m = /^#?([0-9a-f]{6})$/i.exec(color || "");
    if (!m) return false;
    var n = parseInt(m[1], 16);
    return ((n >> 16) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114) / 1000 < 128;
  }

  function theme() {
    var p = tg.themeParams || {}, root = document.documentElement;
    var map = { bg_color: "--bg", secondary_bg_color: "--bg2", text_color: "--text", hint_color: "--hint",
      link_color: "--link", button_color: "--button", button_text_color: "--button-text" };
    root.classList.toggle("dark", tg.colorScheme ? tg.colorScheme === "dark" : dark(p.bg_color));
    for (var k in map) if (p[k]) root.style.setProperty(map[k], p[k]); else root.style.removeProperty(map[k]);
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function labels() {
    $("t-directory").textContent = S.tab_directory;
    $("t-suggested").textContent = S.tab_suggested;
    $("t-events").textContent = S.tab_events;
    $("t-offers").textContent = S.tab_offers;
    Object.keys(OFFER).forEach(function (name) {
      var sel = $(OFFER[name]), cur = sel.value;
      sel.textContent = "";
      sel.appendChild(new Option(ICONS[name] + " " + S["filter_" + name] + ": " + S.any, ""));
      (V[name] || []).forEach(function (p) { sel.appendChild(new Option(p[1], p[0])); });
      sel.value = cur;
    });
    $("q").placeholder = "🔎 " + S.search;
    $("l-verified").textContent = "🛡 " + S.filter_verified_only;
    NAMES.forEach(function (name) {
      var sel = $("f-" + name), cur = sel.value;
      sel.textContent = "";
      sel.appendChild(new Option(ICONS[name] + " " + S["filter_" + name] + ": " + S.any, ""));
      (V[name] || []).forEach(function (p) { sel.appendChild(new Option(p[1], p[0])); });
      sel.value = cur;
    });
    chips();
  }

  // A filter shows as a chip (its name, or what is chosen) over an invisible native select
  // that opens the system's picker: a select is as wide as its longest option, a chip as
  // its words, wrapped if they must.
  function chips() {
    NAMES.forEach(function (name) {
      var sel = $("f-" + name), v = sel.value;
      $("p-" + name).textContent = ICONS[name] + " " + (v ? sel.options[sel.selectedIndex].text : S["filter_" + name]);
      sel.parentNode.classList.toggle("set", !!v);
    });
    $("f-verified").parentNode.classList.toggle("set", $("f-verified").checked);
    Object.keys(OFFER).forEach(function (name) {
      var sel = $(OFFER[name]), v = sel.value;
      $(OCHIP[name]).textContent = ICONS[name] + " " + (v ? sel.options[sel.selectedIndex].text : S["filter_" + name]);
      sel.parentNode.classList.toggle("set", !!v);
    });
  }

  function offerQuery() {
    var p = new URLSearchParams();
    Object.keys(OFFER).forEach(function (n) { var v = $(OFFER[n]).value; if (v) p.set(n, v); });
    chips();
    return p;
  }

  // An open call or offer: opened in the bot by its link; a call or an internship not
  // one's own is also answered here, with a short message to the host.
  function offerRow(it) {
    var c = el("article", "c ev of");
    c.dataset.id = it.post + "_" + it.id;
    c.appendChild(el("p", "h", it.kind));
    c.appendChild(el("h3", "", it.title));
    c.appendChild(el("p", "", "🏢 " + it.host));
    if (it.topics.length) c.appendChild(el("p", "h", "📚 " + it.topics.join(", ")));
    if (it.countries.length) c.appendChild(el("p", "h", "📍 " + it.countries.join(", ")));
    if (it.mine) { c.appendChild(el("p", "h", S.yours)); return c; }
    // The day's answers all sent: what Send would say (and when it frees), not the form.
    if (it.answerable && st.limit) c.appendChild(el("p", "said no limit", st.limit.message));
    else if (it.answerable) c.appendChild(answerButton(c, it));
    c.appendChild(linkButton(S.open_in_bot, it.link, it.answerable ? "act open alt" : "act open"));
    return c;
  }

  // A button that opens `link` (t.me, the bot's chat) through Telegram and closes the page.
  function linkButton(text, link, cls) {
    var b = el("button", cls, text);
    b.type = "button";
    b.addEventListener("click", function () {
      if (tg.openTelegramLink) tg.openTelegramLink(link); else location.href = link;
      if (tg.close) tg.close();
    });
    return b;
  }

  var ANSWER_MAX = 1000;

  // The item's line saying how its answer went ("" removes it), above its link to the bot.
  function note(c, text, ok) {
    var old = c.querySelector(".said");
    if (old) old.remove();
    if (text) c.insertBefore(el("p", ok ? "said" : "said no", text), c.querySelector(".open"));
  }

  function answerButton(c, it) {
    var b = el("button", "act answer", it.action);
    b.type = "button";
    b.addEventListener("click", function () {
      if (!c.querySelector("form")) c.insertBefore(answerForm(c, it, b), b.nextSibling);
    });
    return b;
  }

  // The message to the host: a counter up to ANSWER_MAX, Send and Cancel; what the API
  // says (sent, or why not) stays on the item.
  function answerForm(c, it, opener) {
    var f = el("form", "answer-form"), t = el("textarea"), n = el("span", "count");
    var send = el("button", "act send", S.answer_send), cancel = el("button", "act cancel alt", S.answer_cancel);
    note(c, "", true);
    t.maxLength = ANSWER_MAX; t.rows = 4; t.placeholder = S.answer_hint;
    send.type = "submit"; cancel.type = "button";
    function count() { n.textContent = t.value.length + "/" + ANSWER_MAX; send.disabled = !t.value.trim(); }
    t.addEventListener("input", count);
    cancel.addEventListener("click", function () { f.remove(); });
    f.addEventListener("submit", function (e) {
      e.preventDefault();
      send.disabled = true;
      var body = { kind: it.post === "call" ? "call" : "internship", id: it.id, message: t.value };
      call("POST", "/offers/answer", body).then(function (r) {
        var ok = r.status === 200 && r.sent, text = ok ? S.answer_sent : said(r);
        if (st.stopped) return;
        note(c, text, ok);
        if (ok) { f.remove(); opener.remove(); }
        else if (r.status === 400) send.disabled = false;  // theirs to mend: the form stays
        else f.remove();
        haptic(ok ? "success" : "error");
      }, function () { send.disabled = false; toast(S.error); });
    });
    f.appendChild(t); f.appendChild(n); f.appendChild(send); f.appendChild(cancel);
    count();
    setTimeout(function () { t.focus(); }, 0);
    return f;
  }

  // What to tell the user when an answer is not a success: the API's message (in their
  // language) or the page's own words for the status, never a developer's text. Launch
  // data the API does not accept (401) or a user it does not serve (403) end the page.
  function said(r) {
    var words = { 400: S.bad_request, 401: S.reopen, 403: S.start, 404: S.gone };
    var text = r.message || words[r.status] || S.error;
    if (r.status === 401 || r.status === 403) stop(text);
    return text;
  }

  function stop(text) {
    st.seq++; st.next = false; st.found = null; st.card = null; st.stopped = true;
    $("top").hidden = true; $("main").hidden = true; $("card").hidden = true; $("toast").hidden = true;
    $("stop").textContent = text;
    $("stop").hidden = false;
    tg.MainButton.hide();
    tg.BackButton.hide();
  }

  function call(method, path, body) {
    var headers = { Authorization: "tma " + tg.initData }, init = { method: method, headers: headers };
    if (body !== undefined) { headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch(API + path, init)
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (b) { b.status = r.status; return b; });
      });
  }

  function toast(text) {
    var t = $("toast");
    t.textContent = text;
    t.hidden = false;
    clearTimeout(toast.t);
    toast.t = setTimeout(function () { t.hidden = true; }, 3500);
  }

  function query() {
    var p = new URLSearchParams(), q = $("q").value.trim();
    if (q.replace(/\s/g, "").length >= 2) p.set("q", q);
    NAMES.forEach(function (n) { var v = $("f-" + n).value; if (v) p.set(n, v); });
    if ($("f-verified").checked) p.set("verified", "1");
    chips();
    return p;
  }

  function row(it) {
    var c = el("article", "c");
    c.dataset.id = it.id;
    var h = el("h3", "", it.name);
    if (it.badge) { h.appendChild(document.createTextNode(" ")); h.appendChild(el("span", "b", it.badge)); }
    c.appendChild(h);
    if (it.place) c.appendChild(el("p", "h", it.place));
    if (it.share.length) c.appendChild(el("p", "", "🤝 " + it.share.join(", ")));
    if (it.want.length) c.appendChild(el("p", "", "📚 " + it.want.join(", ")));
    c.addEventListener("click", function () { openCard(it.id); });
    return c;
  }

  function eventRow(it) {
    var c = el("article", "c ev");
    c.dataset.id = it.id;
    c.appendChild(el("p", "h", it.kind));
    c.appendChild(el("h3", "", it.title));
    c.appendChild(el("p", "", "🗓 " + it.when));
    if (it.where) c.appendChild(el("p", "h", it.where));
    // An internship an organisation hosts is applied to in the bot, not attended.
    if (it.applies && it.going) { c.appendChild(el("p", "said", S.taking_part)); return c; }
    if (it.applies) { c.appendChild(linkButton(S.apply, it.link, "act open")); return c; }
    var b = el("button", "act", it.going ? S.attending : S.attend);
    b.type = "button";
    b.disabled = it.going;
    b.addEventListener("click", function () {
      b.disabled = true;
      call("POST", "/events/" + it.id + "/attend").then(function (r) {
        if (r.ok) { b.textContent = S.attending; haptic("success"); } else b.disabled = false;
        var text = r.status === 200 ? r.message || S.error : said(r);
        if (!st.stopped) toast(text);
      }, function () { b.disabled = false; toast(S.error); });
    });
    c.appendChild(b);
    return c;
  }

  function haptic(kind) {
    if (tg.HapticFeedback) tg.HapticFeedback.notificationOccurred(kind);
  }

  function load(reset) {
    if (reset) { st.page = 0; st.next = false; st.seq++; $("list").textContent = ""; $("notice").textContent = ""; }
    else if (st.busy || !st.next) return;
    var seq = st.seq, tab = st.tab, path;
    if (tab === "directory") {
      var p = query();
      if (reset) { st.found = p.toString() && st.found ? { show: st.found.show, count: st.found.count, busy: true } : null; main(); }
      p.set("page", st.page); path = "/search?" + p;
    }
    else if (tab === "offers") { var o = offerQuery(); o.set("page", st.page); path = "/offers?" + o; }
    else path = (tab === "events" ? "/events" : "/suggestions") + "?page=" + st.page;
    st.busy = true;
    $("more").textContent = S.loading;
    call("GET", path).then(function (r) {
      if (seq !== st.seq) return;
      st.busy = false;
      $("more").textContent = "";
      if (r.status !== 200) { $("notice").textContent = said(r); lost(); return; }
      if (r.count_text !== undefined) {
        $("count").textContent = r.count_text;
        st.found = /[?&](q|topic|focus|country|format|verified)=/.test(path) ? { show: r.show_text, count: r.count } : null;
        main();
      }
      var list = $("list");
      if (tab === "offers") st.limit = r.limit || null;
      r.items.forEach(function (it) {
        list.appendChild(tab === "events" ? eventRow(it) : tab === "offers" ? offerRow(it) : row(it));
      });
      if (r.notice) $("notice").textContent = r.notice;
      else if (!r.items.length && st.page === 0) $("notice").textContent = tab === "events" ? S.no_events : S.nothing;
      st.next = r.has_next;
      st.page++;
      if (st.next && visible()) load(false);
    }, function () { if (seq === st.seq) { st.busy = false; $("more").textContent = S.error; lost(); } });
  }

  function lost() {
    if (st.found && st.found.busy) { st.found = null; main(); }
  }

  function visible() {
    return $("more").getBoundingClientRect().top < window.innerHeight + 400;
  }

  function section(box, title, values) {
    if (!values || !values.length) return;
    box.appendChild(el("h4", "", title));
    box.appendChild(el("p", "", typeof values === "string" ? values : values.join(", ")));
  }

  // The list's MainButton: from the search field and filters to what they found (the
  // keyboard closed, the first card at the top), or, when they found nothing, clearing them.
  function action() {
    var f = st.found;
    if (st.card || st.tab !== "directory" || !f || f.done) return null;
    return f.count > 0 ? { text: f.show, run: showFound } : { text: S.clear, run: clearFilters };
  }

  function main() {
    if (st.card) return;
    var a = action(), m = tg.MainButton;
    if (!a) { m.hide(); return; }
    m.setText(a.text);
    if (st.found.busy) m.disable(); else m.enable();
    m.show();
  }

  function showFound() {
    $("q").blur();
    st.found.done = true;
    main();
    window.scrollTo({ top: 0, behavior: "smooth" });
  }

  function clearFilters() {
    $("q").value = "";
    NAMES.forEach(function (n) { $("f-" + n).value = ""; });
    $("f-verified").checked = false;
    load(true);
  }

  function pressMain() {
    if (st.card) { request(); return; }
    var a = action();
    if (a && !st.found.busy) a.run();
  }

  function openCard(id) {
    call("GET", "/cards/" + id).then(function (r) {
      if (r.status !== 200) { var text = said(r); if (!st.stopped) toast(text); return; }
      var box = $("card"), f = el("div", "full");
      box.textContent = "";
      f.appendChild(el("h2", "", r.name));
      if (r.badge) f.appendChild(el("p", "b", r.badge));
      if (r.place) f.appendChild(el("p", "h", "📍 " + r.place));
      section(f, "🎯 " + S.focus, r.focus);
      section(f, "🤝 " + S.share, r.share);
      section(f, "📚 " + S.want, r.want);
      section(f, "💬 " + S.formats, r.formats);
      section(f, "🗣 " + S.languages, r.languages);
      if (r.description) f.appendChild(el("p", "desc", "📝 " + r.description));
      box.appendChild(f);
      box.hidden = false;
      box.scrollTop = 0;
      st.card = r;
      tg.BackButton.show();
      if (r.own) tg.MainButton.hide();
      else { tg.MainButton.setText(S.request); tg.MainButton.enable(); tg.MainButton.show(); }
    });
  }

  function closeCard() {
    $("card").hidden = true;
    st.card = null;
    tg.BackButton.hide();
    main();
  }

  function request() {
    var card = st.card;
    if (!card) return;
    tg.MainButton.disable();
    call("POST", "/cards/" + card.id + "/request").then(function (r) {
      var text = r.status === 200 ? r.message || S.error : said(r);
      if (st.stopped) return;
      toast(text);
      haptic(r.sent ? "success" : "error");
      if (!r.sent) tg.MainButton.enable();
    }, function () { tg.MainButton.enable(); toast(S.error); });
  }

  function tab(name) {
    st.tab = name;
    ["directory", "suggested", "events", "offers"].forEach(function (n) { $("t-" + n).setAttribute("aria-selected", n === name); });
    $("tools").hidden = name !== "directory";
    $("ofilters").hidden = name !== "offers";
    $("count").textContent = "";
    st.found = null;
    closeCard();
    load(true);
  }

  theme();
  labels();
  tg.onEvent("themeChanged", theme);
  tg.BackButton.onClick(closeCard);
  tg.MainButton.onClick(pressMain);
  if (tg.ready) tg.ready();
  if (tg.expand) tg.expand();
  document.querySelectorAll("#tabs button").forEach(function (b) {
    b.addEventListener("click", function () { tab(b.dataset.tab); });
  });
  $("q").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { load(true); }, 300); });
  $("filters").addEventListener("change", function () { load(true); });
  $("ofilters").addEventListener("change", function () { load(true); });
  window.addEventListener("scroll", function () { if (st.next && visible()) load(false); }, { passive: true });
  call("GET", "/me").then(function (r) {
    if (r.status === 200 && r.language !== boot.lang) { S = r.strings; V = r.vocab; labels(); document.documentElement.lang = r.language; }
    else if (r.status !== 200) said(r);
  });
  load(true);
})();
