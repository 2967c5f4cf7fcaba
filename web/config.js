// Where the chat widget finds the Rasa server (its socketio channel). Edit this file
// when the page is served by another web server; `make run` serves its own copy
// built from RASA_PORT and CHAT_SOCKET_URL (scripts/serve_web.py).
//
// socketUrl: the Rasa server's address as the visitor's browser sees it, for example
//   "https://chat.example-clinic.com". Empty: this page's own host name on rasaPort,
//   so http://localhost:8080 talks to http://localhost:5005.
// Rasa must list this page's origin in `--cors` (scripts/run.sh does for make run).
// clinicName: shown in the page's header and title (make run takes it from
//   settings/clinic.yml); empty: "Our clinic".
window.CLINIC_CHAT = {
  socketUrl: "",
  socketPath: "/socket.io/",
  rasaPort: 5005,
  clinicName: "",
};
