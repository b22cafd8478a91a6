// Package web holds the browser pages of Assist, embedded with go:embed
// and served by the api package: the customer widget (/chat, and
// /widget.js that embeds it in a shop's site), the agent workspace
// (/agent), the knowledge console (/console) and the supervisor view
// (/supervisor).
//
// The pages are plain HTML, CSS and JavaScript with nothing to build. Every
// page is sent with a Content-Security-Policy that allows scripts from this
// server only (no inline script), and the scripts put customer and
// knowledge-base text into the page as text (textContent), never as HTML.
// The user-interface wording of every page, in Chinese and English, lives
// in one file, static/assets/i18n.js.
//
// Pages lists what is served; Handler serves it.
package web
