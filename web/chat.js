// Starts the chat widget (rasa-webchat, web/vendor/) against the Rasa server's
// socketio channel. Settings come from config.js.
(function () {
  "use strict";

  var config = window.CLINIC_CHAT || {};
  var socketUrl =
    config.socketUrl || location.protocol + "//" + location.hostname + ":" + (config.rasaPort || 5005);
  var container = document.getElementById("chat");

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
      // The widget keeps its session id and the messages in localStorage, and Rasa keeps
      // the conversation under that id (session_persistence), so a reload continues it.
      params: { storage: "local" },
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
