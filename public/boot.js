// Starts the app. Trunk's default start-up is an inline <script>, which the app's
// Content-Security-Policy forbids (script-src 'self', no 'unsafe-inline'); Trunk.toml's
// `pattern_script` writes this file's <script> tag instead, with the hashed names of
// the wasm-bindgen loader and the wasm module in data attributes.
const tag = document.querySelector("script[data-tandem-boot]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
