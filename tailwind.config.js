/** Tailwind build of enidash: `npm run build:css` writes static/css/app.css. */
module.exports = {
  // Class names live in the templ sources and, through generated code and
  // helpers, in Go files; app.js adds a few of its own. node_modules is
  // never scanned.
  // In Go files only string literals can hold classes: code such as
  // s[lo:hi] would otherwise read as an arbitrary property.
  content: {
    files: ["./views/**/*.templ", "./**/*.go", "./static/js/*.js", "!./node_modules/**"],
    extract: {
      go: (src) => {
        const out = [];
        for (const m of src.matchAll(/"((?:[^"\\\n]|\\.)*)"|`([^`]*)`/g)) {
          out.push(...(m[1] ?? m[2]).split(/[\s"'`]+/));
        }
        return out.filter(Boolean);
      },
    },
  },
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
