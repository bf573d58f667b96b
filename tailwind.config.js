/** Tailwind build of enidash: `npm run build:css` writes static/css/app.css. */
module.exports = {
  // Class names live in the templ sources and, through generated code and
  // helpers, in Go files; app.js adds a few of its own. node_modules is
  // never scanned.
  content: ["./views/**/*.templ", "./**/*.go", "./static/js/*.js", "!./node_modules/**"],
  // Dark mode follows the operating system (prefers-color-scheme).
  darkMode: "media",
  theme: {
    extend: {
      fontSize: {
        "2xs": ["0.6875rem", { lineHeight: "1rem" }],
      },
      keyframes: {
        progress: {
          "0%": { transform: "translateX(-100%)" },
          "100%": { transform: "translateX(250%)" },
        },
      },
      animation: {
        progress: "progress 1.1s ease-in-out infinite",
      },
    },
  },
  plugins: [],
};
