// Starts the chat widget (rasa-webchat, web/vendor/) against the Rasa server's
// socketio channel. Settings come from config.js.
(function () {
  "use strict";

  var config = window.CLINIC_CHAT || {};
  var socketUrl =
    config.socketUrl || location.protocol + "//" + location.hostname + ":" + (config.rasaPort || 5005);
  var container = document.getElementById("chat");

  // The widget keeps the conversation (its session id and the messages) in this browser's
  // localStorage, so that a reload continues it. On a shared computer the next person
  // should not find it: it is forgotten once no reply has come for a day.
  var STORED_CONVERSATION = "chat_session";
  var LAST_USED = "chat_last_used";
  var KEEP_FOR_MS = 24 * 60 * 60 * 1000;
  function markUsed() {
    try {
      localStorage.setItem(LAST_USED, String(Date.now()));
    } catch (error) {
      // Storage switched off: the widget keeps nothing either.
    }
  }
  try {
    var lastUsed = Number(localStorage.getItem(LAST_USED));
    if (!(lastUsed > 0) || Date.now() - lastUsed > KEEP_FOR_MS) {
      localStorage.removeItem(STORED_CONVERSATION);
    }
  } catch (error) {
    // As above.
  }
  markUsed();

  // The clinic's name (settings/clinic.yml via config.js), as text: never as HTML.
  if (config.clinicName) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-clinic-name]"), function (element) {
      element.textContent = config.clinicName;
    });
    document.title = "Microneedling | " + config.clinicName;
  }

  window.WebChat.default(
    {
      socketUrl: socketUrl,
      socketPath: config.socketPath || "/socket.io/",
      // Sent with every message; Rasa reads it as message metadata (credentials.yml, metadata_key).
      customData: { language: "en" },
      // Sent once, when a new conversation starts: the assistant greets the visitor.
      initPayload: "hello",
      title: "Microneedling questions",
      subtitle: "Answers from our treatment guide",
      inputTextFieldHint: "Ask about microneedling...",
      // The widget keeps its session id and the messages in localStorage (for a day, see
      // above), and Rasa keeps the conversation under that id, so a reload continues it.
      params: { storage: "local" },
      onSocketEvent: { bot_uttered: markUsed },
      // Short, length-dependent pauses before each bot message (the default waits up to 3 s).
      customMessageDelay: function (message) {
        return Math.min(900, 250 + (message || "").length * 3);
      },
      mainColor: "#2f5d62",
      userBackgroundColor: "#2f5d62",
      userTextColor: "#ffffff",
      assistBackgoundColor: "#eef3f2",
      assistTextColor: "#1f2a2c",
    },
    container
  );

  // "Ask our assistant" buttons open the widget (its own launcher is bottom right).
  // A click that comes before the widget has drawn its launcher is kept until it has.
  function openChat(attemptsLeft) {
    var launcher = container.querySelector(".rw-launcher");
    if (!launcher && attemptsLeft > 0) {
      setTimeout(function () { openChat(attemptsLeft - 1); }, 100);
      return;
    }
    if (launcher && !container.querySelector(".rw-conversation-container")) {
      launcher.click();
    }
    var input = container.querySelector(".rw-new-message");
    if (input) {
      input.focus();
    }
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-open-chat]"), function (button) {
    button.addEventListener("click", function () { openChat(50); });
  });
})();
