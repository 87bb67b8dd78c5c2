// Types for assets/javascripts/vendor/workbox-window.js, the pinned npm workbox-window's browser
// module that scripts/build.py copies into the site: they are the package's own (tsconfig rootDirs).
export * from "workbox-window";
