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
    noReply: "No reply came. Please send your message again.",
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

  // Only a reply counts: a page load alone must not keep the conversation for another day.
  function markUsed() {
    storage(function (store) { store.setItem(LAST_USED, String(Date.now())); });
  }

  function cleanButtons(buttons) {
    return (Array.isArray(buttons) ? buttons : []).filter(function (button) {
      return button && typeof button.title === "string";
    }).map(function (button) {
      return { title: button.title, payload: typeof button.payload === "string" ? button.payload : button.title };
    });
  }

  function cleanMessage(message) {
    if (!message || typeof message.text !== "string" || (message.sender !== "bot" && message.sender !== "visitor")) {
      return null;
    }
    return { sender: message.sender, text: message.text, buttons: cleanButtons(message.buttons) };
  }

  function freshConversation() {
    return { session_id: null, messages: [], open: false, greeted: false, unsent: [] };
  }

  function loadConversation() {
    var lastUsed = Number(storage(function (store) { return store.getItem(LAST_USED); }));
    if (!(lastUsed > 0) || Date.now() - lastUsed > KEEP_FOR_MS) {
      storage(function (store) {
        store.removeItem(STORED_CONVERSATION);
        store.removeItem(LAST_USED);
      });
    }
    var stored = null;
    try {
      stored = JSON.parse(storage(function (store) { return store.getItem(STORED_CONVERSATION); }));
    } catch (error) {
      stored = null; // unreadable: start afresh
    }
    if (!stored || typeof stored !== "object" || !Array.isArray(stored.messages)) {
      return freshConversation();
    }
    return {
      session_id: typeof stored.session_id === "string" ? stored.session_id : null,
      messages: stored.messages.map(cleanMessage).filter(Boolean),
      open: stored.open === true,
      greeted: stored.greeted === true,
      // Typed but never sent (the connection was down): sent once it is back.
      unsent: Array.isArray(stored.unsent) ? stored.unsent.filter(function (text) { return typeof text === "string"; }) : [],
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

  // Unchanged text is not written again: a live region would announce it at every retry.
  function setStatus(state) {
    if ((status.dataset.state || "") === state) {
      return;
    }
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
  var unanswered = []; // sent on this socket, no reply yet: sent again if the socket drops
  var typingTimer = null;

  var socket = window.io(socketUrl, { path: config.socketPath || "/socket.io/" });

  function emit(payload) {
    socket.emit("user_uttered", { message: payload, session_id: conversation.session_id, customData: CUSTOM_DATA });
  }

  function startTyping() {
    setStatus("typing");
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      if (status.dataset.state === "typing") {
        setStatus("noReply");
      }
    }, TYPING_TIMEOUT_MS);
  }

  function sendMessage(text, payload) {
    conversation.messages.push({ sender: "visitor", text: text, buttons: [] });
    show(conversation.messages[conversation.messages.length - 1]);
    if (!sessionReady) {
      conversation.unsent.push(payload); // the status line already says why
      saveConversation();
      return;
    }
    saveConversation();
    startTyping();
    unanswered.push(payload);
    emit(payload);
  }

  function greetOnce() {
    if (sessionReady && !conversation.greeted && !panel.hidden) {
      conversation.greeted = true;
      saveConversation();
      emit(GREETING_PAYLOAD);
    }
  }

  function sendUnsent() {
    var unsent = conversation.unsent.splice(0);
    saveConversation();
    if (unsent.length) {
      startTyping();
    }
    unsent.forEach(function (payload) {
      unanswered.push(payload);
      emit(payload);
    });
  }

  // Each socket asks for its session first (connectors/web.py refuses messages before).
  socket.on("connect", function () {
    socket.emit("session_request", { session_id: conversation.session_id });
  });

  socket.on("session_confirm", function (sessionId) {
    if (typeof sessionId !== "string") {
      return;
    }
    if (conversation.session_id === null) {
      conversation.session_id = sessionId; // the first session of this browser
    } else if (sessionId !== conversation.session_id) {
      // The server no longer knows ours: what is on screen belongs to no conversation now.
      var unsent = conversation.unsent;
      conversation = freshConversation();
      conversation.session_id = sessionId;
      conversation.open = !panel.hidden;
      conversation.unsent = unsent;
      log.textContent = "";
    }
    saveConversation();
    sessionReady = true;
    setStatus("");
    greetOnce();
    sendUnsent();
  });

  socket.on("bot_uttered", function (data) {
    if (!data || typeof data.text !== "string") {
      return;
    }
    var message = cleanMessage({ sender: "bot", text: data.text, buttons: data.quick_replies || data.buttons });
    unanswered = [];
    conversation.messages.push(message);
    saveConversation();
    markUsed();
    clearTimeout(typingTimer);
    setStatus("");
    show(message);
  });

  // A message the server may not have had when the socket dropped is sent again once the
  // session is back: better a question answered twice than one lost.
  socket.on("disconnect", function (reason) {
    sessionReady = false;
    conversation.unsent = unanswered.splice(0).concat(conversation.unsent);
    saveConversation();
    setStatus("reconnecting");
    if (reason === "io server disconnect") {
      socket.connect(); // socket.io leaves reconnecting to us in this one case
    }
  });

  socket.on("connect_error", function () {
    setStatus(conversation.greeted ? "reconnecting" : "connecting");
  });

  // --- opening and closing ------------------------------------------------------------------

  // Where the panel covers the whole screen (chat.css), the page under it is out of reach
  // for Tab and screen readers alike, as under a modal dialog.
  var FULL_SCREEN = window.matchMedia("(max-width: 480px), (max-height: 520px)");
  var madeInert = [];

  function coverPageWhenFullScreen() {
    var cover = !panel.hidden && FULL_SCREEN.matches;
    madeInert.splice(0).forEach(function (node) { node.inert = false; });
    if (cover) {
      panel.setAttribute("aria-modal", "true");
      Array.prototype.forEach.call(document.body.children, function (node) {
        if (node !== root && !node.inert) {
          node.inert = true;
          madeInert.push(node);
        }
      });
    } else {
      panel.removeAttribute("aria-modal");
    }
  }

  function showPanel(shown) {
    panel.hidden = !shown;
    launcher.setAttribute("aria-expanded", String(shown));
    root.classList.toggle("is-open", shown);
    coverPageWhenFullScreen();
  }

  function open() {
    showPanel(true);
    conversation.open = true;
    saveConversation();
    log.scrollTop = log.scrollHeight;
    input.focus();
    if (!socket.connected && !status.dataset.state) {
      setStatus("connecting");
    }
    greetOnce();
  }

  function close() {
    showPanel(false);
    conversation.open = false;
    saveConversation();
    launcher.focus();
  }

  if (FULL_SCREEN.addEventListener) {
    FULL_SCREEN.addEventListener("change", coverPageWhenFullScreen);
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
  try {
    conversation.messages.forEach(show);
  } catch (error) {
    log.textContent = ""; // stored messages it cannot draw: start afresh rather than break
    conversation = freshConversation();
    saveConversation();
  }
  root.appendChild(launcher);
  root.appendChild(panel);
  if (conversation.open) {
    showPanel(true);
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
