// The clinic's chat widget: a small chat box built for keyboards, screen readers, zoom and
// small screens (WCAG 2.2 AA), on socket.io-client (web/vendor/socket.io.min.js) and the
// Rasa server's socketio channel. Settings come from config.js; docs/widget.md says why
// the widget is this file and not a library.
(function () {
  "use strict";

  var config = window.CLINIC_CHAT || {};
  var socketUrl =
    config.socketUrl || location.protocol + "//" + location.hostname + ":" + (config.rasaPort || 5005);
  var root = document.getElementById("chat");

  var TEXT = {
    launcher: "Chat with our assistant",
    title: "Microneedling questions",
    subtitle: "Answers from our treatment guide",
    close: "Close the chat",
    conversation: "Conversation with the assistant",
    assistant: "Assistant:",
    visitor: "You:",
    replies: "Suggested replies",
    newTab: "(opens in a new tab)",
    messageBox: "Your question",
    placeholder: "Ask about microneedling…",
    send: "Send",
    typing: "The assistant is typing…",
    connecting: "Connecting to the assistant…",
    reconnecting: "Connection lost. Reconnecting…",
  };
  // Sent once, when a new conversation starts: the assistant greets the visitor.
  var GREETING_PAYLOAD = "hello";
  // Sent with every message; Rasa reads it as message metadata (credentials.yml, metadata_key).
  var CUSTOM_DATA = { language: "en" };
  var MAX_MESSAGE_LENGTH = 2000;
  var MAX_KEPT_MESSAGES = 200;
  // A reply that never comes must not leave "typing" on screen for ever.
  var TYPING_TIMEOUT_MS = 20000;
  var SAFE_LINK = /^(https?:\/\/|mailto:|tel:)/i;
  var MARKDOWN_LINK = /\[([^\]]+)\]\(([^)\s]+)\)/g;

  // --- the conversation kept in this browser ---------------------------------------------

  // The session id, the messages and whether the chat is open live in localStorage, so that
  // a reload continues the conversation; Rasa keeps it under the same id. On a shared
  // computer the next person should not find it: it is forgotten once no reply has come
  // for a day.
  var STORED_CONVERSATION = "chat_session";
  var LAST_USED = "chat_last_used";
  var KEEP_FOR_MS = 24 * 60 * 60 * 1000;

  function storage(action) {
    try {
      return action(window.localStorage);
    } catch (error) {
      return null; // storage switched off: the widget keeps nothing either
    }
  }

  function markUsed() {
    storage(function (store) { store.setItem(LAST_USED, String(Date.now())); });
  }

  function loadConversation() {
    var lastUsed = Number(storage(function (store) { return store.getItem(LAST_USED); }));
    if (!(lastUsed > 0) || Date.now() - lastUsed > KEEP_FOR_MS) {
      storage(function (store) { store.removeItem(STORED_CONVERSATION); });
    }
    markUsed();
    var stored = null;
    try {
      stored = JSON.parse(storage(function (store) { return store.getItem(STORED_CONVERSATION); }));
    } catch (error) {
      stored = null; // unreadable: start afresh
    }
    var fresh = { session_id: null, messages: [], open: false, greeted: false };
    if (!stored || typeof stored !== "object" || !Array.isArray(stored.messages)) {
      return fresh;
    }
    return {
      session_id: typeof stored.session_id === "string" ? stored.session_id : null,
      messages: stored.messages.filter(function (message) {
        return message && typeof message.text === "string" && (message.sender === "bot" || message.sender === "visitor");
      }),
      open: stored.open === true,
      greeted: stored.greeted === true,
    };
  }

  function saveConversation() {
    conversation.messages = conversation.messages.slice(-MAX_KEPT_MESSAGES);
    storage(function (store) { store.setItem(STORED_CONVERSATION, JSON.stringify(conversation)); });
  }

  // --- drawing ----------------------------------------------------------------------------

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function hiddenText(text) {
    return element("span", { class: "visually-hidden" }, text);
  }

  // Bot text is Markdown with links only; everything else, HTML included, stays text.
  // A link becomes a link only to http(s), mailto or tel, opening in a new tab.
  function appendLine(container, line) {
    var last = 0;
    line.replace(MARKDOWN_LINK, function (match, label, url, offset) {
      container.appendChild(document.createTextNode(line.slice(last, offset)));
      if (SAFE_LINK.test(url)) {
        var link = element("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, label);
        link.appendChild(hiddenText(" " + TEXT.newTab));
        container.appendChild(link);
      } else {
        container.appendChild(document.createTextNode(label));
      }
      last = offset + match.length;
      return match;
    });
    container.appendChild(document.createTextNode(line.slice(last)));
  }

  function drawMessage(message) {
    var bubble = element("div", { class: "chat-message from-" + message.sender });
    bubble.appendChild(hiddenText(message.sender === "bot" ? TEXT.assistant : TEXT.visitor));
    var body = element("p", { class: "chat-text" });
    if (message.sender === "bot") {
      message.text.split("\n").forEach(function (line, index) {
        if (index > 0) {
          body.appendChild(element("br"));
        }
        appendLine(body, line);
      });
    } else {
      body.textContent = message.text;
    }
    bubble.appendChild(body);
    return bubble;
  }

  function drawReplies(buttons) {
    var group = element("div", { class: "chat-replies", role: "group", "aria-label": TEXT.replies });
    buttons.forEach(function (button) {
      var reply = element("button", { type: "button", class: "chat-reply" }, button.title);
      reply.addEventListener("click", function () {
        sendMessage(button.title, button.payload);
        input.focus();
      });
      group.appendChild(reply);
    });
    return group;
  }

  // Only the buttons of the assistant's latest turn can be pressed: once the visitor has
  // written again, older ones answer an older question.
  function removeReplies() {
    Array.prototype.forEach.call(log.querySelectorAll(".chat-replies"), function (group) {
      group.parentNode.removeChild(group);
    });
  }

  function show(message) {
    if (message.sender === "visitor") {
      removeReplies();
    }
    log.appendChild(drawMessage(message));
    if (message.buttons && message.buttons.length) {
      log.appendChild(drawReplies(message.buttons));
    }
    log.scrollTop = log.scrollHeight;
  }

  function setStatus(state) {
    status.dataset.state = state;
    status.querySelector(".chat-status-text").textContent = state ? TEXT[state] : "";
  }

  var launcher = element("button", {
    type: "button", class: "chat-launcher", "aria-expanded": "false", "aria-controls": "chat-panel",
  });
  launcher.appendChild(element("span", { class: "chat-launcher-icon", "aria-hidden": "true" }));
  launcher.appendChild(element("span", { class: "chat-launcher-label" }, TEXT.launcher));

  var panel = element("div", { id: "chat-panel", class: "chat-panel", role: "dialog", "aria-labelledby": "chat-title" });
  panel.hidden = true;
  var header = element("div", { class: "chat-header" });
  var heading = element("div", { class: "chat-heading" });
  heading.appendChild(element("h2", { id: "chat-title" }, TEXT.title));
  heading.appendChild(element("p", { class: "chat-subtitle" }, TEXT.subtitle));
  var closeButton = element("button", { type: "button", class: "chat-close", "aria-label": TEXT.close });
  closeButton.appendChild(element("span", { "aria-hidden": "true" }, "×"));
  header.appendChild(heading);
  header.appendChild(closeButton);

  // The one live region for replies (WCAG 4.1.3, technique ARIA23). Focusable so that a
  // keyboard can scroll it.
  var log = element("div", { class: "chat-log", role: "log", "aria-label": TEXT.conversation, tabindex: "0" });
  var status = element("p", { class: "chat-status", role: "status" });
  status.appendChild(element("span", { class: "chat-dots", "aria-hidden": "true" }));
  status.appendChild(element("span", { class: "chat-status-text" }));

  var form = element("form", { class: "chat-form" });
  var input = element("input", {
    id: "chat-input", type: "text", autocomplete: "off", maxlength: String(MAX_MESSAGE_LENGTH),
    placeholder: TEXT.placeholder,
  });
  form.appendChild(element("label", { for: "chat-input", class: "visually-hidden" }, TEXT.messageBox));
  form.appendChild(input);
  form.appendChild(element("button", { type: "submit", class: "chat-send" }, TEXT.send));

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(status);
  panel.appendChild(form);

  // --- talking to Rasa ----------------------------------------------------------------------

  var conversation = loadConversation();
  var sessionReady = false; // this socket has a confirmed session
  var waiting = []; // messages typed before that, sent once it is
  var typingTimer = null;

  var socket = window.io(socketUrl, { path: config.socketPath || "/socket.io/" });

  function emit(payload) {
    socket.emit("user_uttered", { message: payload, session_id: conversation.session_id, customData: CUSTOM_DATA });
  }

  function sendMessage(text, payload) {
    conversation.messages.push({ sender: "visitor", text: text });
    saveConversation();
    show(conversation.messages[conversation.messages.length - 1]);
    if (!sessionReady) {
      waiting.push(payload); // the status line already says why
      return;
    }
    setStatus("typing");
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      if (status.dataset.state === "typing") {
        setStatus("");
      }
    }, TYPING_TIMEOUT_MS);
    emit(payload);
  }

  function greetOnce() {
    if (sessionReady && !conversation.greeted && !panel.hidden) {
      conversation.greeted = true;
      saveConversation();
      emit(GREETING_PAYLOAD);
    }
  }

  // Each socket asks for its session first (connectors/web.py refuses messages before).
  socket.on("connect", function () {
    socket.emit("session_request", { session_id: conversation.session_id });
  });

  socket.on("session_confirm", function (sessionId) {
    if (sessionId !== conversation.session_id) {
      conversation = { session_id: sessionId, messages: [], open: conversation.open, greeted: false };
      log.textContent = "";
      saveConversation();
    }
    sessionReady = true;
    setStatus(waiting.length ? "typing" : "");
    waiting.splice(0).forEach(emit);
    greetOnce();
  });

  socket.on("bot_uttered", function (data) {
    if (!data || typeof data.text !== "string") {
      return;
    }
    var buttons = (data.quick_replies || data.buttons || []).filter(function (button) {
      return button && typeof button.title === "string";
    }).map(function (button) {
      return { title: button.title, payload: typeof button.payload === "string" ? button.payload : button.title };
    });
    var message = { sender: "bot", text: data.text, buttons: buttons };
    conversation.messages.push(message);
    saveConversation();
    markUsed();
    setStatus("");
    show(message);
  });

  socket.on("disconnect", function () {
    sessionReady = false;
    setStatus("reconnecting");
  });

  socket.on("connect_error", function () {
    setStatus(conversation.greeted ? "reconnecting" : "connecting");
  });

  // --- opening and closing ------------------------------------------------------------------

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("is-open");
    conversation.open = true;
    saveConversation();
    log.scrollTop = log.scrollHeight;
    input.focus();
    if (!socket.connected) {
      setStatus("connecting");
    }
    greetOnce();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("is-open");
    conversation.open = false;
    saveConversation();
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) {
      open();
    } else {
      close();
    }
  });
  closeButton.addEventListener("click", close);
  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      close();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (text) {
      input.value = "";
      sendMessage(text, text);
    }
  });

  // Drawn before the panel is on the page, so that a reload does not announce it all again.
  conversation.messages.forEach(show);
  root.appendChild(launcher);
  root.appendChild(panel);
  if (conversation.open) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("is-open");
  }

  // "Ask our assistant" buttons on the page open the chat too.
  Array.prototype.forEach.call(document.querySelectorAll("[data-open-chat]"), function (button) {
    button.addEventListener("click", function () {
      if (panel.hidden) {
        open();
      } else {
        input.focus();
      }
    });
  });

  // The clinic's name (settings/clinic.yml via config.js), as text: never as HTML.
  if (config.clinicName) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-clinic-name]"), function (node) {
      node.textContent = config.clinicName;
    });
    document.title = "Microneedling | " + config.clinicName;
  }
})();
