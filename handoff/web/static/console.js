// Neuvo advisor console: presence heartbeat, and the live chat page (server-sent events).
(function () {
  "use strict";
  var csrf = document.body.dataset.csrf;
  if (!csrf) return;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? "{}" : JSON.stringify(body),
    });
  }

  // Presence: while a console page is open, the advisor counts as online for live chats.
  var badge = document.getElementById("waiting-count");
  function heartbeat() {
    post("/console/heartbeat").then(function (response) {
      if (!response.ok) return null;
      return response.json();
    }).then(function (data) {
      if (data && badge) badge.textContent = data.waiting_chats ? "(" + data.waiting_chats + ")" : "";
    }).catch(function () {});
  }
  heartbeat();
  setInterval(heartbeat, 30000);

  // The live chat page.
  var chat = document.getElementById("chat");
  if (!chat) return;
  var list = document.getElementById("transcript");
  var modeLine = document.getElementById("chat-mode");
  var id = chat.dataset.conversation;
  var lastId = parseInt(chat.dataset.lastId || "0", 10);
  var seen = {};
  Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (li) { seen[li.dataset.id] = true; });

  function label(sender) { return chat.dataset["label" + sender.charAt(0).toUpperCase() + sender.slice(1)] || sender; }

  function append(message) {
    if (seen[message.id]) return;
    seen[message.id] = true;
    lastId = Math.max(lastId, message.id);
    var li = document.createElement("li");
    li.className = "msg msg-" + message.sender + (message.kind ? " kind-" + message.kind : "");
    li.dataset.id = message.id;
    li.dataset.sender = message.sender;
    var sender = document.createElement("span");
    sender.className = "sender";
    sender.textContent = label(message.sender);
    var time = document.createElement("time");
    var at = new Date(message.created_at);
    time.dateTime = message.created_at;
    time.textContent = at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    var text = document.createElement("p");
    text.className = "text";
    text.textContent = message.text || message.payload || "";
    li.append(sender, " ", time, text);
    list.appendChild(li);
    li.scrollIntoView({ block: "end" });
  }

  function setMode(mode) {
    modeLine.dataset.mode = mode;
    modeLine.textContent = chat.dataset["mode" + mode.charAt(0).toUpperCase() + mode.slice(1)] || mode;
    var form = document.getElementById("chat-form");
    if (form && mode !== "advisor") {
      Array.prototype.forEach.call(form.elements, function (el) { el.disabled = true; });
    }
  }

  var source;
  function connect() {
    source = new EventSource("/console/chats/" + encodeURIComponent(id) + "/events?after=" + lastId);
    source.addEventListener("message", function (event) { append(JSON.parse(event.data)); });
    source.addEventListener("mode", function (event) { setMode(JSON.parse(event.data).mode); });
    source.onerror = function () {
      source.close();
      setTimeout(connect, 2000);
    };
  }
  connect();

  var form = document.getElementById("chat-form");
  if (!form) return;
  var input = document.getElementById("chat-input");
  var error = document.getElementById("chat-error");
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    error.hidden = true;
    post("/console/chats/" + encodeURIComponent(id) + "/messages", { text: text })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        input.value = "";
        input.focus();
      })
      .catch(function () {
        error.textContent = chat.dataset.sendFailed;
        error.hidden = false;
      });
  });
})();
